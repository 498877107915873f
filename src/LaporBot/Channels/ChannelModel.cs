namespace LaporBot.Channels;

/// <summary>
/// One message from a citizen, in the same shape whatever provider carried it.
/// Provider adapters (one folder each under Channels/) produce it; the turn pipeline consumes it.
/// </summary>
internal sealed record InboundMessage(
    string Channel,
    string ProviderMessageId,
    string ChatAddress,
    string? ProfileName,
    string? Text,
    GeoPoint? Location,
    IReadOnlyList<InboundAttachment> Attachments,
    DateTimeOffset ReceivedAt,
    string? QuickReplyPayload = null,
    bool Unsupported = false)
{
    public static IReadOnlyList<InboundAttachment> NoAttachments { get; } = [];

    // What a provider sends is stored as it arrives, except NUL (U+0000), which PostgreSQL refuses
    // in text: a NUL in a signed, well-formed update is dropped, never the reason the update is refused.
    public string ProviderMessageId { get; init; } = StorableText.Clean(ProviderMessageId);
    public string ChatAddress { get; init; } = StorableText.Clean(ChatAddress);
    public string? ProfileName { get; init; } = StorableText.Clean(ProfileName);
    public string? Text { get; init; } = StorableText.Clean(Text);
    public GeoPoint? Location { get; init; } = Location is { Label: { } label } ? Location with { Label = StorableText.Clean(label) } : Location;
    public IReadOnlyList<InboundAttachment> Attachments { get; init; } =
        Attachments.Any(a => StorableText.HasNul(a.SourceUrl) || StorableText.HasNul(a.ContentType) || StorableText.HasNul(a.LocalPath))
            ? Attachments.Select(a => new InboundAttachment(StorableText.Clean(a.SourceUrl), StorableText.Clean(a.ContentType), StorableText.Clean(a.LocalPath))).ToList()
            : Attachments;
    public string? QuickReplyPayload { get; init; } = StorableText.Clean(QuickReplyPayload);
}

/// <summary>Text every store can keep: PostgreSQL refuses NUL (U+0000) in text columns and parameters.</summary>
internal static class StorableText
{
    public static bool HasNul(string? s) => s is not null && s.Contains('\0');

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(s))]
    public static string? Clean(string? s) => HasNul(s) ? s!.Replace("\0", "", StringComparison.Ordinal) : s;
}

internal sealed record GeoPoint(double Latitude, double Longitude, string? Label = null);

/// <summary>An attachment as the provider announced it; <see cref="LocalPath"/> is set once downloaded.</summary>
internal sealed record InboundAttachment(string SourceUrl, string? ContentType, string? LocalPath = null);

/// <summary>
/// One outgoing message taken from the outbox. <see cref="Text"/> is written in <see cref="Format"/>;
/// channels render it with <see cref="Markup"/>. <see cref="QuickReplies"/> are channel-neutral
/// choices (plain labels; a tap comes back as the label's words): Telegram shows them as a keyboard,
/// WhatsApp on Meta as reply buttons, Twilio as Content API quick replies where configured or as a
/// list of the words to reply, the simulator as buttons.
/// </summary>
internal sealed record OutboundMessage(
    long OutboxId,
    string Channel,
    string Recipient,
    string Text,
    IReadOnlyList<string> QuickReplies,
    DateTimeOffset? LastInboundAt,
    int Attempt,
    IReadOnlyList<OutboundButton>? Buttons = null,
    string? AttachmentPath = null,
    TextFormat Format = TextFormat.Plain)
{
    /// <summary>The text as WhatsApp shows it (<c>*bold*</c>, nothing else interpreted).</summary>
    public string WhatsAppText => Markup.ToWhatsApp(Text, Format);

    /// <summary>The text for Telegram's parse mode <see cref="Markup.TelegramParseMode"/>: every typed character escaped.</summary>
    public string TelegramHtml => Markup.ToTelegramHtml(Text, Format);
}

/// <summary>An inline button under a staff message (Telegram callback data).</summary>
internal sealed record OutboundButton(string Text, string Data);

/// <summary>What a provider said to one send.</summary>
internal abstract record SendResult
{
    public sealed record Sent(string? ProviderMessageId) : SendResult;
    /// <summary>Worth trying again later (5xx, timeouts, 429); <paramref name="RetryAfter"/> when the provider said how long.</summary>
    public sealed record Retryable(string Error, TimeSpan? RetryAfter = null) : SendResult;
    /// <summary>Will never succeed as sent (invalid number, blocked bot); <paramref name="RecipientUnreachable"/> marks the reporter.</summary>
    public sealed record Permanent(string Error, bool RecipientUnreachable = false) : SendResult;
}

/// <summary>
/// The seam between LaporBot and one messaging provider. Adding a provider means one folder
/// implementing this plus one registration line.
/// </summary>
internal interface IChannel
{
    /// <summary>The channel name stored with reporters and outbox rows ("simulator", "twilio", "telegram", "meta").</summary>
    string Name { get; }

    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
