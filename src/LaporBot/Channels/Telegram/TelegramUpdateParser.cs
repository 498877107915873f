using System.Globalization;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace LaporBot.Channels.Telegram;

/// <summary>An inline-button press (staff actions on notifications); answer it with answerCallbackQuery.</summary>
internal sealed record TelegramCallback(
    string CallbackQueryId, long FromUserId, string? FromUsername, string? FromName,
    long? ChatId, long? MessageId, string? Data);

/// <summary>
/// Reads Bot API Updates (Telegram.Bot's types) and turns them into LaporBot's inbound shape.
/// Citizens talk to the bot in private chats only; everything else is ignored with a reason so
/// the webhook still answers 200. The library fills in defaults for missing fields (an update
/// without <c>update_id</c> reads as 0, a message without <c>chat</c> as null), so
/// <see cref="Read(JsonElement)"/> checks the fields LaporBot relies on (docs/telegram.md "Updates").
/// </summary>
internal static class TelegramUpdateParser
{
    public const string ChannelName = "telegram";
    public const string FileScheme = "tg-file:";

    /// <summary>Parses a raw webhook body; malformed JSON or an incomplete update is rejected (400), never thrown.</summary>
    public static ParseOutcome<InboundMessage> Parse(ReadOnlySpan<byte> json) => Read(json) switch
    {
        ParseOutcome<Update>.Accepted a => Parse(a.Value),
        ParseOutcome<Update>.Rejected r => new ParseOutcome<InboundMessage>.Rejected(r.Reason),
        _ => throw new InvalidOperationException("Read never ignores"),
    };

    public static ParseOutcome<InboundMessage> Parse(Update update)
    {
        if (update.Message is not { } message)
            return new ParseOutcome<InboundMessage>.Ignored(UpdateKind(update));
        if (message.Chat.Type != ChatType.Private)
            return new ParseOutcome<InboundMessage>.Ignored($"{ChatTypeName(message.Chat.Type)} chat");
        if (message.From is { IsBot: true })
            return new ParseOutcome<InboundMessage>.Ignored("message from a bot");

        var attachments = new List<InboundAttachment>();
        // Telegram sends every size of a photo; keep only the largest.
        if (message.Photo is { Length: > 0 } sizes)
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
            update.Id.ToString(CultureInfo.InvariantCulture),
            message.Chat.Id.ToString(CultureInfo.InvariantCulture),
            ProfileName(message.From?.FirstName ?? message.Chat.FirstName, message.From?.LastName ?? message.Chat.LastName),
            text, location,
            attachments.Count == 0 ? InboundMessage.NoAttachments : attachments,
            new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)),
            Unsupported: unsupported));
    }

    /// <summary>The callback_query of an update, or null when the update is something else.</summary>
    public static TelegramCallback? ParseCallback(Update update)
    {
        if (update.CallbackQuery is not { } q)
            return null;
        // An inaccessible message (date == 0) still has chat and message_id.
        return new TelegramCallback(q.Id, q.From.Id, q.From.Username, ProfileName(q.From.FirstName, q.From.LastName),
            q.Message?.Chat.Id, q.Message?.Id, q.Data);
    }

    /// <summary>A webhook body: one Update as JSON.</summary>
    public static ParseOutcome<Update> Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return new ParseOutcome<Update>.Rejected("body is not JSON");
        }
    }

    /// <summary>
    /// One Update, deserialised with Telegram.Bot's own JSON options and then checked: an update
    /// LaporBot would misread (no update_id, a message without chat, a button press without its
    /// sender …) is <see cref="ParseOutcome{T}.Rejected"/>, never passed on half-filled.
    /// </summary>
    public static ParseOutcome<Update> Read(JsonElement element)
    {
        if (UpdateId(element) is null)
            return new ParseOutcome<Update>.Rejected("body is not a Telegram Update (no update_id)");
        element = ClampDates(element);
        Update? update;
        try
        {
            update = element.Deserialize<Update>(JsonBotAPI.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException
                                      or OverflowException or global::Telegram.Bot.Exceptions.RequestException)
        {
            // JsonException covers the library's converters too (e.g. "Unknown type" for a polymorphic
            // field Telegram added after this library version); RequestException its file:// refusal.
            return new ParseOutcome<Update>.Rejected("update does not match the Bot API types: " + e.GetType().Name);
        }
        if (update is null)
            return new ParseOutcome<Update>.Rejected("body is not a Telegram Update");
        return Problem(update) is { } problem
            ? new ParseOutcome<Update>.Rejected(problem)
            : new ParseOutcome<Update>.Accepted(update);
    }

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// A date no calendar can hold (99999999999999, a negative one, 2^63-1) in an otherwise good update
    /// is the sender's slip, not a reason to refuse the citizen's message (the library would throw, and a
    /// refused webhook is retried forever): it is clamped into range. Returns the element unchanged,
    /// without copying, when every date is fine.
    /// </summary>
    private static JsonElement ClampDates(JsonElement element)
    {
        if (!HasBadDate(element))
            return element;
        var node = System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!;
        Clamp(node);
        return JsonSerializer.SerializeToElement(node);

        static void Clamp(System.Text.Json.Nodes.JsonNode? n)
        {
            switch (n)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        if (IsDateKey(key) && value is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                        {
                            var raw = v.ToJsonString();
                            var seconds = long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l
                                : raw.StartsWith('-') ? long.MinValue : long.MaxValue;
                            o[key] = seconds < 0 ? 1 : Math.Min(seconds, MaxUnixSeconds); // 0 stays: Telegram's "inaccessible message"
                        }
                        else
                        {
                            Clamp(value);
                        }
                    }
                    break;
                case System.Text.Json.Nodes.JsonArray a:
                    foreach (var item in a)
                        Clamp(item);
                    break;
            }
        }
    }

    private static bool IsDateKey(string key) => key is "date" or "edit_date" or "forward_date" or "until_date";

    private static bool HasBadDate(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (IsDateKey(p.Name) && p.Value.ValueKind == JsonValueKind.Number
                        && (!p.Value.TryGetInt64(out var s) || s < 0 || s > MaxUnixSeconds))
                        return true;
                    if (HasBadDate(p.Value))
                        return true;
                }
                return false;
            case JsonValueKind.Array:
                return e.EnumerateArray().Any(HasBadDate);
            default:
                return false;
        }
    }

    /// <summary>The update_id of a raw update, when it has a usable one.</summary>
    public static int? UpdateId(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("update_id", out var id)
        && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var value)
            ? value
            : null;

    // Required by the Bot API and relied on here; the library would leave them null or 0.
    private static string? Problem(Update update)
    {
        foreach (var (name, message) in new[]
                 {
                     ("message", update.Message), ("edited_message", update.EditedMessage),
                     ("channel_post", update.ChannelPost), ("edited_channel_post", update.EditedChannelPost),
                 })
        {
            if (message is null)
                continue;
            if (message.Chat is null)
                return $"{name} without chat";
            if (message.Chat.Id == 0)
                return $"{name}.chat without id";
            if (message.Id == 0)
                return $"{name} without message_id";
            if (message.Date == default)
                return $"{name} without date";
            if (message.From is { Id: 0 })
                return $"{name}.from without id";
            if (message.Photo is { } photo && photo.Any(p => p is null || string.IsNullOrEmpty(p.FileId)))
                return $"{name}.photo without file_id";
            if (message.Document is { FileId: null or "" })
                return $"{name}.document without file_id";
            if (message.ReplyToMessage is { Id: 0 })
                return $"{name}.reply_to_message without message_id";
        }
        if (update.CallbackQuery is { } q)
        {
            if (string.IsNullOrEmpty(q.Id))
                return "callback_query without id";
            if (q.From is null || q.From.Id == 0)
                return "callback_query without from";
            if (q.Message is { Chat: null })
                return "callback_query.message without chat";
        }
        return null;
    }

    private static string UpdateKind(Update update) => update switch
    {
        { EditedMessage: not null } => "edited_message",
        { ChannelPost: not null } => "channel_post",
        { EditedChannelPost: not null } => "edited_channel_post",
        { CallbackQuery: not null } => "callback_query",
        _ => "unhandled update type",
    };

    private static string ChatTypeName(ChatType type) => type switch
    {
        ChatType.Group => "group",
        ChatType.Supergroup => "supergroup",
        ChatType.Channel => "channel",
        ChatType.Sender => "sender",
        _ => "unknown",
    };

    private static string? ProfileName(string? first, string? last)
    {
        var name = string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return name.Length == 0 ? null : name;
    }
}
