using System.Text.Json.Serialization;

// Bot API wire types, only the fields LaporBot reads or writes.
// https://core.telegram.org/bots/api#available-types (docs/PROTOCOLS.md §2.3–2.4).
// Ids are long: user and chat ids can exceed 32 bits.
namespace LaporBot.Channels.Telegram;

internal sealed record Update(
    [property: JsonPropertyName("update_id")] long UpdateId,
    [property: JsonPropertyName("message")] Message? Message = null,
    [property: JsonPropertyName("edited_message")] Message? EditedMessage = null,
    [property: JsonPropertyName("channel_post")] Message? ChannelPost = null,
    [property: JsonPropertyName("edited_channel_post")] Message? EditedChannelPost = null,
    [property: JsonPropertyName("callback_query")] CallbackQuery? CallbackQuery = null);

internal sealed record Message(
    [property: JsonPropertyName("message_id")] long MessageId,
    [property: JsonPropertyName("date")] long Date,
    [property: JsonPropertyName("chat")] Chat Chat,
    [property: JsonPropertyName("from")] User? From = null,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("caption")] string? Caption = null,
    [property: JsonPropertyName("location")] Location? Location = null,
    [property: JsonPropertyName("photo")] IReadOnlyList<PhotoSize>? Photo = null,
    [property: JsonPropertyName("document")] Document? Document = null,
    [property: JsonPropertyName("reply_to_message")] Message? ReplyToMessage = null,
    [property: JsonPropertyName("migrate_to_chat_id")] long? MigrateToChatId = null);

internal sealed record Chat(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string? Title = null,
    [property: JsonPropertyName("username")] string? Username = null,
    [property: JsonPropertyName("first_name")] string? FirstName = null,
    [property: JsonPropertyName("last_name")] string? LastName = null);

internal sealed record User(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("is_bot")] bool IsBot,
    [property: JsonPropertyName("first_name")] string FirstName,
    [property: JsonPropertyName("last_name")] string? LastName = null,
    [property: JsonPropertyName("username")] string? Username = null,
    [property: JsonPropertyName("language_code")] string? LanguageCode = null);

internal sealed record Location(
    [property: JsonPropertyName("latitude")] double Latitude,
    [property: JsonPropertyName("longitude")] double Longitude,
    [property: JsonPropertyName("horizontal_accuracy")] double? HorizontalAccuracy = null);

internal sealed record PhotoSize(
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("file_unique_id")] string FileUniqueId,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("file_size")] long? FileSize = null);

internal sealed record Document(
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("file_unique_id")] string FileUniqueId,
    [property: JsonPropertyName("file_name")] string? FileName = null,
    [property: JsonPropertyName("mime_type")] string? MimeType = null,
    [property: JsonPropertyName("file_size")] long? FileSize = null);

internal sealed record CallbackQuery(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("from")] User From,
    [property: JsonPropertyName("chat_instance")] string ChatInstance,
    [property: JsonPropertyName("message")] Message? Message = null,
    [property: JsonPropertyName("inline_message_id")] string? InlineMessageId = null,
    [property: JsonPropertyName("data")] string? Data = null);

/// <summary>getFile result; download from /file/bot&lt;token&gt;/&lt;file_path&gt; within an hour.</summary>
internal sealed record TelegramFile(
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("file_unique_id")] string FileUniqueId,
    [property: JsonPropertyName("file_size")] long? FileSize = null,
    [property: JsonPropertyName("file_path")] string? FilePath = null);

/// <summary>Every Bot API response: result when ok, else error_code + description (+ parameters).</summary>
internal sealed record ApiResponse<T>(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("result")] T? Result = default,
    [property: JsonPropertyName("error_code")] int? ErrorCode = null,
    [property: JsonPropertyName("description")] string? Description = null,
    [property: JsonPropertyName("parameters")] ResponseParameters? Parameters = null);

internal sealed record ResponseParameters(
    [property: JsonPropertyName("retry_after")] int? RetryAfter = null,
    [property: JsonPropertyName("migrate_to_chat_id")] long? MigrateToChatId = null);

// Outgoing. Null members are left out when serialising (see TelegramClient.Json).

internal sealed record ReplyKeyboardMarkup(
    [property: JsonPropertyName("keyboard")] IReadOnlyList<IReadOnlyList<KeyboardButton>> Keyboard,
    [property: JsonPropertyName("resize_keyboard")] bool? ResizeKeyboard = null,
    [property: JsonPropertyName("one_time_keyboard")] bool? OneTimeKeyboard = null,
    [property: JsonPropertyName("input_field_placeholder")] string? InputFieldPlaceholder = null,
    [property: JsonPropertyName("is_persistent")] bool? IsPersistent = null);

internal sealed record KeyboardButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("request_location")] bool? RequestLocation = null);

internal sealed record ReplyKeyboardRemove(
    [property: JsonPropertyName("remove_keyboard")] bool RemoveKeyboard = true);

internal sealed record InlineKeyboardMarkup(
    [property: JsonPropertyName("inline_keyboard")] IReadOnlyList<IReadOnlyList<InlineKeyboardButton>> InlineKeyboard);

/// <summary>callback_data is 1–64 bytes of UTF-8 (checked by TelegramClient before sending).</summary>
internal sealed record InlineKeyboardButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("callback_data")] string? CallbackData = null,
    [property: JsonPropertyName("url")] string? Url = null);

/// <summary>Bot API 7.0 replaced reply_to_message_id with this object.</summary>
internal sealed record ReplyParameters(
    [property: JsonPropertyName("message_id")] long MessageId,
    [property: JsonPropertyName("allow_sending_without_reply")] bool? AllowSendingWithoutReply = null);

internal sealed record LinkPreviewOptions(
    [property: JsonPropertyName("is_disabled")] bool IsDisabled);

internal sealed record SendMessageRequest(
    [property: JsonPropertyName("chat_id")] long ChatId,
    [property: JsonPropertyName("text")] string Text,
    // object: one of ReplyKeyboardMarkup, InlineKeyboardMarkup, ReplyKeyboardRemove (serialised by runtime type).
    [property: JsonPropertyName("reply_markup")] object? ReplyMarkup = null,
    [property: JsonPropertyName("reply_parameters")] ReplyParameters? ReplyParameters = null,
    [property: JsonPropertyName("link_preview_options")] LinkPreviewOptions? LinkPreviewOptions = null,
    [property: JsonPropertyName("parse_mode")] string? ParseMode = null);
