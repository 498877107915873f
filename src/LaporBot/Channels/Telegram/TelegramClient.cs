using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Telegram;

/// <summary>A failed Bot API call, already classified for the outbox.</summary>
internal sealed record TelegramError(
    int? ErrorCode, string Description, bool Retryable,
    TimeSpan? RetryAfter = null, bool RecipientUnreachable = false, long? MigrateToChatId = null)
{
    public SendResult ToSendResult() => Retryable
        ? new SendResult.Retryable(Description, RetryAfter)
        : new SendResult.Permanent(Description, RecipientUnreachable);
}

/// <summary>Result of a Bot API call: <see cref="Result"/> when <see cref="Ok"/>, otherwise <see cref="Error"/>.</summary>
internal sealed record TelegramCallResult<T>(T? Result, TelegramError? Error)
{
    public bool Ok => Error is null;
}

/// <summary>How to decorate an outgoing message. QuickReplies and InlineKeyboard are mutually exclusive.</summary>
internal sealed record TelegramSendOptions(
    IReadOnlyList<string>? QuickReplies = null,
    bool OneTimeKeyboard = true,
    bool ResizeKeyboard = true,
    IReadOnlyList<IReadOnlyList<InlineKeyboardButton>>? InlineKeyboard = null,
    long? ReplyToMessageId = null,
    bool RemoveKeyboard = false,
    string? ParseMode = null);

/// <summary>
/// The few Bot API methods LaporBot uses, over a plain HttpClient (Telegram.Bot does not restore here).
/// https://core.telegram.org/bots/api#making-requests (docs/PROTOCOLS.md §2).
/// The token is part of every path, so URIs are only ever logged through <see cref="Redact.Secrets"/>.
/// </summary>
internal sealed class TelegramClient(
    HttpClient http, IOptions<TelegramOptions> options, ILogger<TelegramClient>? logger = null, TimeProvider? time = null)
{
    public const int MaxTextLength = 4096;
    private const int MaxCallbackDataBytes = 64;

    // Reading: a missing non-optional member (update_id, chat, chat.type …) is a malformed body,
    // not a null to trip over later. Writing: optional members are left out rather than sent as null.
    internal static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly TelegramOptions _options = options.Value;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// sendMessage, split into several messages when over 4096 characters. The first part carries
    /// the reply-to, the last the keyboard (so the buttons sit under the end of the text).
    /// If a later part fails, its failure is returned and the earlier parts have already gone out.
    /// </summary>
    public async Task<SendResult> SendMessageAsync(long chatId, string text, TelegramSendOptions? sendOptions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            return new SendResult.Permanent("text is empty");
        var markup = ReplyMarkup(sendOptions);
        var partCount = TextSplitter.Split(text, MaxTextLength).Count;
        return await TextSplitter.SendInPartsAsync(text, MaxTextLength, async (part, i) =>
        {
            var request = new SendMessageRequest(
                chatId, part,
                ReplyMarkup: i == partCount - 1 ? markup : null,
                ReplyParameters: i == 0 && sendOptions?.ReplyToMessageId is long replyTo
                    ? new ReplyParameters(replyTo, AllowSendingWithoutReply: true) : null,
                ParseMode: sendOptions?.ParseMode);
            var result = await CallAsync<Message>("sendMessage", request, cancellationToken);
            return result.Error is { } error
                ? error.ToSendResult()
                : new SendResult.Sent(result.Result?.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    /// <summary>
    /// sendPhoto with the file uploaded as multipart/form-data (a local file has no URL Telegram could
    /// fetch). https://core.telegram.org/bots/api#sendphoto — captions are limited to 1024 characters.
    /// </summary>
    public async Task<SendResult> SendPhotoAsync(long chatId, byte[] photo, string fileName, string? caption, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(chatId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "chat_id" },
            { new ByteArrayContent(photo), "photo", fileName },
        };
        if (!string.IsNullOrWhiteSpace(caption))
        {
            form.Add(new StringContent(caption.Length <= 1024 ? caption : caption[..1023] + "…"), "caption");
        }
        var result = await CallAsync<Message>("sendPhoto", form, cancellationToken);
        return result.Error is { } error
            ? error.ToSendResult()
            : new SendResult.Sent(result.Result?.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Long polling. <paramref name="offset"/> = highest update_id seen + 1 confirms everything before it.
    /// The HttpClient's Timeout must be longer than <paramref name="timeoutSeconds"/>.
    /// </summary>
    public async Task<TelegramCallResult<IReadOnlyList<Update>>> GetUpdatesAsync(
        long? offset, int timeoutSeconds, IReadOnlyList<string>? allowedUpdates, CancellationToken cancellationToken)
    {
        var raw = await CallAsync<IReadOnlyList<JsonElement>>("getUpdates", new GetUpdatesRequest(offset, timeoutSeconds, allowedUpdates), cancellationToken);
        if (raw.Error is not null)
            return new TelegramCallResult<IReadOnlyList<Update>>(null, raw.Error);
        // Updates are read one by one: a single one we cannot read must not block the queue, so it
        // is kept as a bare update_id (which the parser ignores) and the offset still moves past it.
        var updates = new List<Update>();
        foreach (var element in raw.Result ?? [])
        {
            try
            {
                updates.Add(element.Deserialize<Update>(Json)!);
            }
            catch (JsonException)
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("update_id", out var id) && id.TryGetInt64(out var updateId))
                {
                    _logger.LogWarning("Telegram update {UpdateId} could not be read and is skipped", updateId);
                    updates.Add(new Update(updateId));
                }
            }
        }
        return new TelegramCallResult<IReadOnlyList<Update>>(updates, null);
    }

    public Task<TelegramCallResult<bool>> SetWebhookAsync(
        string url, string? secretToken, IReadOnlyList<string>? allowedUpdates, bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync<bool>("setWebhook",
            new SetWebhookRequest(url, string.IsNullOrEmpty(secretToken) ? null : secretToken, allowedUpdates, dropPendingUpdates ? true : null),
            cancellationToken);

    public Task<TelegramCallResult<bool>> DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync<bool>("deleteWebhook", new DeleteWebhookRequest(dropPendingUpdates), cancellationToken);

    /// <summary>Must be called for every callback query, even without text, or the button keeps spinning.</summary>
    public Task<TelegramCallResult<bool>> AnswerCallbackQueryAsync(
        string callbackQueryId, string? text, bool showAlert, CancellationToken cancellationToken) =>
        CallAsync<bool>("answerCallbackQuery",
            new AnswerCallbackQueryRequest(callbackQueryId, text, showAlert ? true : null), cancellationToken);

    public Task<TelegramCallResult<TelegramFile>> GetFileAsync(string fileId, CancellationToken cancellationToken) =>
        CallAsync<TelegramFile>("getFile", new GetFileRequest(fileId), cancellationToken);

    /// <summary>GET /file/bot&lt;token&gt;/&lt;file_path&gt;; bots may download up to 20 MB.</summary>
    public async Task<MediaDownload> DownloadFileAsync(string filePath, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        var path = string.Join('/', filePath.Split('/').Select(Uri.EscapeDataString));
        var uri = new Uri($"{BaseUrl}/file/bot{_options.BotToken}/{path}");
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return await MediaDownload.ReadAsync(response, _options.MaxFileBytes, allowedTypes ?? MediaDownload.DefaultAllowedTypes,
                GuessType(filePath), cancellationToken);
        }
        catch (Exception ex) when (ChannelHttp.TransportFailure(ex, cancellationToken) is { } failure)
        {
            _logger.LogWarning("Telegram file download from {Uri} failed: {Error}", Redact.Secrets(uri.ToString()), failure.Error);
            return new MediaDownload.Failed(failure.Error, true);
        }
    }

    /// <summary>getFile then download; <paramref name="sourceUrl"/> may carry the <c>tg-file:</c> prefix.</summary>
    public async Task<MediaDownload> DownloadAsync(string sourceUrl, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        var fileId = sourceUrl.StartsWith(TelegramUpdateParser.FileScheme, StringComparison.Ordinal)
            ? sourceUrl[TelegramUpdateParser.FileScheme.Length..]
            : sourceUrl;
        var file = await GetFileAsync(fileId, cancellationToken);
        if (file.Error is { } error)
            return new MediaDownload.Failed(error.Description, error.Retryable);
        if (file.Result?.FilePath is not { Length: > 0 } filePath)
            return new MediaDownload.Failed("getFile returned no file_path (file too large to download?)", false);
        if (file.Result.FileSize > _options.MaxFileBytes)
            return new MediaDownload.Failed($"file is {file.Result.FileSize} bytes, the limit is {_options.MaxFileBytes}", false);
        return await DownloadFileAsync(filePath, allowedTypes, cancellationToken);
    }

    private string BaseUrl => _options.ApiBaseUrl.TrimEnd('/');

    private Task<TelegramCallResult<T>> CallAsync<T>(string method, object payload, CancellationToken cancellationToken) =>
        CallAsync<T>(method, JsonContent.Create(payload, payload.GetType(), options: Json), cancellationToken);

    private async Task<TelegramCallResult<T>> CallAsync<T>(string method, HttpContent content, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{BaseUrl}/bot{_options.BotToken}/{method}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = content,
        };
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var envelope = TryRead<ApiResponse<T>>(body);
            if (response.IsSuccessStatusCode && envelope is { Ok: true })
                return new TelegramCallResult<T>(envelope.Result, null);
            var error = MapError(response, envelope);
            _logger.LogWarning("Telegram {Method} failed: {Error}", method, error.Description);
            return new TelegramCallResult<T>(default, error);
        }
        catch (Exception ex) when (ChannelHttp.TransportFailure(ex, cancellationToken) is { } failure)
        {
            _logger.LogWarning("Telegram {Method} to {Uri} failed: {Error}", method, Redact.Secrets(uri.ToString()), failure.Error);
            return new TelegramCallResult<T>(default, new TelegramError(null, failure.Error, Retryable: true));
        }
    }

    // Error codes and texts: docs/PROTOCOLS.md §2.1. Descriptions are matched loosely because
    // Telegram says their contents may change.
    private TelegramError MapError<T>(HttpResponseMessage response, ApiResponse<T>? envelope)
    {
        var code = envelope?.ErrorCode ?? (int)response.StatusCode;
        var description = Redact.All(envelope?.Description ?? $"HTTP {(int)response.StatusCode}");
        var retryAfter = envelope?.Parameters?.RetryAfter is int seconds
            ? TimeSpan.FromSeconds(seconds)
            : ChannelHttp.RetryAfter(response, _time);
        var migrateTo = envelope?.Parameters?.MigrateToChatId;

        if (code == 429 || code >= 500 || envelope is null && ChannelHttp.IsRetryableStatus(response.StatusCode))
            return new TelegramError(code, description, Retryable: true, RetryAfter: retryAfter);
        // 409: another getUpdates poller or a webhook is active; it can clear up on its own.
        if (code == 409)
            return new TelegramError(code, description, Retryable: true, RetryAfter: retryAfter);
        // 403 is always about the relationship with the recipient: blocked, deactivated, kicked,
        // or the user never started the bot. None of these heal by resending.
        if (code == 403)
            return new TelegramError(code, description, Retryable: false, RecipientUnreachable: true);
        if (code == 400 && description.Contains("chat not found", StringComparison.OrdinalIgnoreCase))
            return new TelegramError(code, description, Retryable: false, RecipientUnreachable: true);
        return new TelegramError(code, description, Retryable: false, MigrateToChatId: migrateTo);
    }

    private static object? ReplyMarkup(TelegramSendOptions? o)
    {
        if (o is null)
            return null;
        if (o.QuickReplies is { Count: > 0 } && o.InlineKeyboard is { Count: > 0 })
            throw new ArgumentException("A Telegram message takes either quick replies or an inline keyboard, not both.");
        if (o.InlineKeyboard is { Count: > 0 } inline)
        {
            foreach (var button in inline.SelectMany(row => row))
            {
                if (button.CallbackData is { } data && (data.Length == 0 || Encoding.UTF8.GetByteCount(data) > MaxCallbackDataBytes))
                    throw new ArgumentException($"callback_data must be 1–{MaxCallbackDataBytes} bytes of UTF-8: '{data}'.");
            }
            return new InlineKeyboardMarkup(inline);
        }
        if (o.QuickReplies is { Count: > 0 } replies)
        {
            // One button per row: Indonesian labels are long and read better stacked.
            var rows = replies.Select(r => (IReadOnlyList<KeyboardButton>)[new KeyboardButton(r)]).ToList();
            return new ReplyKeyboardMarkup(rows, ResizeKeyboard: o.ResizeKeyboard, OneTimeKeyboard: o.OneTimeKeyboard);
        }
        return o.RemoveKeyboard ? new ReplyKeyboardRemove() : null;
    }

    private static string? GuessType(string filePath) => Path.GetExtension(filePath).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".mp4" => "video/mp4",
        ".oga" or ".ogg" => "audio/ogg",
        ".mp3" => "audio/mpeg",
        ".pdf" => "application/pdf",
        _ => null,
    };

    private static T? TryRead<T>(string body) where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record GetUpdatesRequest(
        [property: JsonPropertyName("offset")] long? Offset,
        [property: JsonPropertyName("timeout")] int Timeout,
        [property: JsonPropertyName("allowed_updates")] IReadOnlyList<string>? AllowedUpdates);

    private sealed record SetWebhookRequest(
        [property: JsonPropertyName("url")] string Url,
        [property: JsonPropertyName("secret_token")] string? SecretToken,
        [property: JsonPropertyName("allowed_updates")] IReadOnlyList<string>? AllowedUpdates,
        [property: JsonPropertyName("drop_pending_updates")] bool? DropPendingUpdates);

    private sealed record DeleteWebhookRequest(
        [property: JsonPropertyName("drop_pending_updates")] bool DropPendingUpdates);

    private sealed record AnswerCallbackQueryRequest(
        [property: JsonPropertyName("callback_query_id")] string CallbackQueryId,
        [property: JsonPropertyName("text")] string? Text,
        [property: JsonPropertyName("show_alert")] bool? ShowAlert);

    private sealed record GetFileRequest(
        [property: JsonPropertyName("file_id")] string FileId);
}
