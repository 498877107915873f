using System.Text.Json;

namespace LaporBot.Channels.Telegram;

/// <summary>An inline-button press (staff actions on notifications); answer it with answerCallbackQuery.</summary>
internal sealed record TelegramCallback(
    string CallbackQueryId, long FromUserId, string? FromUsername, string? FromName,
    long? ChatId, long? MessageId, string? Data);

/// <summary>
/// Turns a Bot API Update into LaporBot's inbound shape. Citizens talk to the bot in private
/// chats only; everything else is ignored with a reason so the webhook still answers 200.
/// https://core.telegram.org/bots/api#update (docs/PROTOCOLS.md §2.2–2.3).
/// </summary>
internal static class TelegramUpdateParser
{
    public const string ChannelName = "telegram";
    public const string FileScheme = "tg-file:";

    /// <summary>Parses the raw webhook body; malformed JSON is rejected (400), never thrown.</summary>
    public static ParseOutcome<InboundMessage> Parse(ReadOnlySpan<byte> json)
    {
        var update = Deserialize(json);
        return update is null
            ? new ParseOutcome<InboundMessage>.Rejected("body is not a Telegram Update")
            : Parse(update);
    }

    public static ParseOutcome<InboundMessage> Parse(Update update)
    {
        if (update.Message is not { } message)
            return new ParseOutcome<InboundMessage>.Ignored(UpdateKind(update));
        if (message.Chat.Type != "private")
            return new ParseOutcome<InboundMessage>.Ignored($"{message.Chat.Type} chat");
        if (message.From is { IsBot: true })
            return new ParseOutcome<InboundMessage>.Ignored("message from a bot");

        var attachments = new List<InboundAttachment>();
        // Telegram sends every size of a photo; keep only the largest.
        if (message.Photo is { Count: > 0 } sizes)
        {
            var largest = sizes.MaxBy(p => ((long)p.Width * p.Height, p.FileSize ?? 0))!;
            attachments.Add(new InboundAttachment(FileScheme + largest.FileId, null));
        }
        if (message.Document is { } document)
            attachments.Add(new InboundAttachment(FileScheme + document.FileId, document.MimeType));

        var location = message.Location is { } l ? new GeoPoint(l.Latitude, l.Longitude) : null;
        // "/start <payload>" stays as it is: the dialog engine decides what a deep link means.
        var text = message.Text ?? message.Caption;
        var unsupported = text is null && location is null && attachments.Count == 0;

        return new ParseOutcome<InboundMessage>.Accepted(new InboundMessage(
            ChannelName,
            update.UpdateId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            message.Chat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ProfileName(message.From?.FirstName ?? message.Chat.FirstName, message.From?.LastName ?? message.Chat.LastName),
            text, location,
            attachments.Count == 0 ? InboundMessage.NoAttachments : attachments,
            UnixTime.FromSeconds(message.Date) ?? DateTimeOffset.UnixEpoch, // an impossible date is not a reason to drop the message
            Unsupported: unsupported));
    }

    /// <summary>The callback_query of an update, or null when the update is something else.</summary>
    public static TelegramCallback? ParseCallback(Update update)
    {
        if (update.CallbackQuery is not { } q)
            return null;
        // An inaccessible message (date == 0) still has chat and message_id.
        return new TelegramCallback(q.Id, q.From.Id, q.From.Username, ProfileName(q.From.FirstName, q.From.LastName),
            q.Message?.Chat.Id, q.Message?.MessageId, q.Data);
    }

    public static Update? Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<Update>(json, TelegramClient.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string UpdateKind(Update update) => update switch
    {
        { EditedMessage: not null } => "edited_message",
        { ChannelPost: not null } => "channel_post",
        { EditedChannelPost: not null } => "edited_channel_post",
        { CallbackQuery: not null } => "callback_query",
        _ => "unhandled update type",
    };

    private static string? ProfileName(string? first, string? last)
    {
        var name = string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return name.Length == 0 ? null : name;
    }
}
