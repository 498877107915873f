namespace LaporBot.Channels;

/// <summary>
/// The provider refused free-form text because the WhatsApp 24-hour customer-service window is
/// closed (Twilio 63016, Meta 131047). Not a plain <see cref="SendResult.Permanent"/>: the same
/// message can go out as an approved template, so the caller should retry that way.
/// </summary>
internal sealed record TemplateRequired(string Error) : SendResult;
