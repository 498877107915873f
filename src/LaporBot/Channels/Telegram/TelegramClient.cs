using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Requests.Abstractions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

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

/// <summary>
/// How to decorate an outgoing message. QuickReplies and InlineKeyboard are mutually exclusive.
/// <paramref name="ParseMode"/> is passed through as <c>parse_mode</c> (the caller escapes the text).
/// </summary>
internal sealed record TelegramSendOptions(
    IReadOnlyList<string>? QuickReplies = null,
    bool OneTimeKeyboard = true,
    bool ResizeKeyboard = true,
    IReadOnlyList<IReadOnlyList<InlineKeyboardButton>>? InlineKeyboard = null,
    long? ReplyToMessageId = null,
    bool RemoveKeyboard = false,
    ParseMode ParseMode = ParseMode.None);

/// <summary>
/// LaporBot's use of the Bot API, on <see cref="TelegramBotClient"/> (Telegram.Bot). The library
/// makes the calls and owns the wire types; this class adds what it leaves to us (docs/telegram.md
/// "How LaporBot uses Telegram.Bot"):
/// <list type="bullet">
/// <item>every failure becomes a <see cref="TelegramError"/> the outbox understands (the library's
/// own 429 retry is off: <c>RetryThreshold = 0</c>, so the outbox honours <c>retry_after</c>);</item>
/// <item>the 4096-character split, the 1024-character caption and 64-byte callback_data limits;</item>
/// <item>getUpdates read one update at a time, so one unreadable update cannot block the queue;</item>
/// <item>downloads capped at <see cref="TelegramOptions.MaxFileBytes"/>;</item>
/// <item>no token in errors or logs: it is part of every URL, and the library's exception texts may carry it.</item>
/// </list>
/// </summary>
internal sealed class TelegramClient
{
    public const int MaxTextLength = 4096;
    public const int MaxCaptionLength = 1024;
    public const int MaxCallbackDataBytes = 64;

    private readonly TelegramBotClient _bot;
    private readonly TelegramOptions _options;
    private readonly ILogger _logger;

    public TelegramClient(HttpClient http, IOptions<TelegramOptions> options, ILogger<TelegramClient>? logger = null)
        : this(http, options.Value, BotOptions(options.Value), logger)
    {
    }

    internal TelegramClient(HttpClient http, TelegramOptions options, TelegramBotClientOptions botOptions, ILogger<TelegramClient>? logger)
    {
        _options = options;
        _bot = new TelegramBotClient(botOptions, http);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The library's settings from ours. Telegram.Bot keeps only scheme, host and port of the base
    /// URL (start-up refuses one with a path, see TelegramOptionsValidator), and RetryThreshold = 0
    /// turns off its built-in wait-and-retry on 429: a send must come back to the outbox at once.
    /// </summary>
    public static TelegramBotClientOptions BotOptions(TelegramOptions o) => new(o.BotToken, o.ApiBaseUrl)
    {
        RetryThreshold = 0,
        RetryCount = 1,
    };

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
        var parseMode = sendOptions?.ParseMode ?? ParseMode.None;
        var parts = parseMode == ParseMode.Html ? TelegramHtml.Split(text, MaxTextLength) : TextSplitter.Split(text, MaxTextLength);
        return await TextSplitter.SendInPartsAsync(parts, async (part, i) =>
        {
            var replyTo = i == 0 && sendOptions?.ReplyToMessageId is long id
                ? new ReplyParameters { MessageId = checked((int)id), AllowSendingWithoutReply = true }
                : null;
            var sent = await CallAsync("sendMessage", ct => _bot.SendMessage(chatId, part, parseMode, replyTo,
                i == parts.Count - 1 ? markup : null, cancellationToken: ct), cancellationToken);
            return sent.Error is { } error
                ? error.ToSendResult()
                : new SendResult.Sent(sent.Result!.Id.ToString(CultureInfo.InvariantCulture));
        });
    }

    /// <summary>
    /// sendPhoto with the file uploaded as multipart/form-data (a local file has no URL Telegram could
    /// fetch). Captions are limited to 1024 characters; a longer one is cut with an ellipsis (with
    /// parse mode HTML, at a place that keeps the tags balanced).
    /// </summary>
    public async Task<SendResult> SendPhotoAsync(
        long chatId, byte[] photo, string fileName, string? caption, CancellationToken cancellationToken, ParseMode parseMode = ParseMode.None)
    {
        var cut = string.IsNullOrWhiteSpace(caption) || caption.Length <= MaxCaptionLength ? caption
            : parseMode == ParseMode.Html ? TelegramHtml.Split(caption, MaxCaptionLength - 1)[0] + "…"
            : caption[..(MaxCaptionLength - 1)] + "…";
        var sent = await CallAsync("sendPhoto", ct => _bot.SendPhoto(chatId, InputFile.FromStream(new MemoryStream(photo), fileName),
            string.IsNullOrWhiteSpace(cut) ? null : cut, parseMode, cancellationToken: ct), cancellationToken);
        return sent.Error is { } error
            ? error.ToSendResult()
            : new SendResult.Sent(sent.Result!.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Long polling. <paramref name="offset"/> = highest update_id seen + 1 confirms everything before it.
    /// The HttpClient's Timeout must be longer than <paramref name="timeoutSeconds"/>.
    /// The batch is read as raw JSON and each update deserialised on its own (Telegram.Bot would
    /// fail the whole batch on one it cannot read): an unreadable update is returned as a bare
    /// update_id, which the parser ignores, so the offset still moves past it.
    /// </summary>
    public async Task<TelegramCallResult<IReadOnlyList<Update>>> GetUpdatesAsync(
        long? offset, int timeoutSeconds, IReadOnlyList<UpdateType>? allowedUpdates, CancellationToken cancellationToken)
    {
        var request = new RawResult(new GetUpdatesRequest
        {
            Offset = offset is long o ? checked((int)o) : null,
            Timeout = timeoutSeconds,
            AllowedUpdates = allowedUpdates,
        });
        var raw = await CallAsync("getUpdates", ct => _bot.SendRequest(request, ct), cancellationToken);
        if (raw.Error is not null)
            return new TelegramCallResult<IReadOnlyList<Update>>(null, raw.Error);
        var updates = new List<Update>();
        foreach (var element in raw.Result ?? [])
        {
            switch (TelegramUpdateParser.Read(element))
            {
                case ParseOutcome<Update>.Accepted a:
                    updates.Add(a.Value);
                    break;
                case ParseOutcome<Update>.Rejected r when TelegramUpdateParser.UpdateId(element) is int updateId:
                    _logger.LogWarning("Telegram update {UpdateId} could not be read and is skipped: {Reason}", updateId, r.Reason);
                    updates.Add(new Update { Id = updateId });
                    break;
                case ParseOutcome<Update>.Rejected r:
                    _logger.LogWarning("A Telegram update without an update_id could not be read and is skipped: {Reason}", r.Reason);
                    break;
            }
        }
        return new TelegramCallResult<IReadOnlyList<Update>>(updates, null);
    }

    public async Task<TelegramCallResult<bool>> SetWebhookAsync(
        string url, string? secretToken, IReadOnlyList<UpdateType>? allowedUpdates, bool dropPendingUpdates, CancellationToken cancellationToken)
    {
        var result = await CallAsync("setWebhook", async ct =>
        {
            await _bot.SetWebhook(url, allowedUpdates: allowedUpdates, dropPendingUpdates: dropPendingUpdates,
                secretToken: string.IsNullOrEmpty(secretToken) ? null : secretToken, cancellationToken: ct);
            return true;
        }, cancellationToken);
        return result;
    }

    public Task<TelegramCallResult<bool>> DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) =>
        CallAsync("deleteWebhook", async ct =>
        {
            await _bot.DeleteWebhook(dropPendingUpdates, ct);
            return true;
        }, cancellationToken);

    /// <summary>Must be called for every callback query, even without text, or the button keeps spinning.</summary>
    public Task<TelegramCallResult<bool>> AnswerCallbackQueryAsync(
        string callbackQueryId, string? text, bool showAlert, CancellationToken cancellationToken) =>
        CallAsync("answerCallbackQuery", async ct =>
        {
            await _bot.AnswerCallbackQuery(callbackQueryId, text, showAlert, cancellationToken: ct);
            return true;
        }, cancellationToken);

    public Task<TelegramCallResult<TGFile>> GetFileAsync(string fileId, CancellationToken cancellationToken) =>
        CallAsync("getFile", ct => _bot.GetFile(fileId, ct), cancellationToken);

    /// <summary>
    /// Downloads /file/bot&lt;token&gt;/&lt;file_path&gt; (bots may download up to 20 MB), refusing a
    /// type outside <paramref name="allowedTypes"/> before fetching and stopping once the body
    /// exceeds <see cref="TelegramOptions.MaxFileBytes"/>. Telegram's file server labels everything
    /// octet-stream, so the type comes from the file name.
    /// </summary>
    public async Task<MediaDownload> DownloadFileAsync(string filePath, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        var contentType = GuessType(filePath) ?? "application/octet-stream";
        if (!(allowedTypes ?? MediaDownload.DefaultAllowedTypes).Contains(contentType))
            return new MediaDownload.Failed($"content type '{contentType}' is not allowed", false);
        using var buffer = new CappedStream(_options.MaxFileBytes);
        try
        {
            await _bot.DownloadFile(filePath, buffer, cancellationToken);
            return new MediaDownload.Downloaded(buffer.ToArray(), contentType);
        }
        catch (RequestException ex) when (ex.InnerException is CappedStream.FullException)
        {
            return new MediaDownload.Failed($"file exceeds the limit of {_options.MaxFileBytes} bytes", false);
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } error)
        {
            _logger.LogWarning("Telegram file download failed: {Error}", error.Description);
            return new MediaDownload.Failed(error.Description, error.Retryable);
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

    /// <summary>Runs one library call; any failure but the caller's own cancellation becomes a logged <see cref="TelegramError"/>.</summary>
    private async Task<TelegramCallResult<T>> CallAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return new TelegramCallResult<T>(await call(cancellationToken), null);
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } error)
        {
            _logger.LogWarning("Telegram {Method} failed: {Error}", method, error.Description);
            return new TelegramCallResult<T>(default, error);
        }
    }

    /// <summary>
    /// What a failure means for the outbox (error codes and texts: docs/telegram.md "Errors").
    /// Null for the caller's own cancellation, which must propagate. Descriptions are matched
    /// loosely because Telegram says their wording may change, and always redacted: the library
    /// puts the transport's message, which may contain the request URL and so the token, into its own.
    /// </summary>
    internal static TelegramError? Classify(Exception exception, CancellationToken callerToken)
    {
        switch (exception)
        {
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return null;
            case ApiRequestException api:
            {
                var code = api.ErrorCode;
                var description = Redact.All(api.Message);
                var retryAfter = api.Parameters?.RetryAfter is int seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
                // 429 flood control, 5xx, and 409 (another poller or a webhook is active; it can clear up on its own).
                if (code is 429 or 409 or >= 500)
                    return new TelegramError(code, description, Retryable: true, RetryAfter: retryAfter);
                // 403 is always about the relationship with the recipient: blocked, deactivated, kicked,
                // or the user never started the bot. None of these heal by resending.
                if (code == 403)
                    return new TelegramError(code, description, Retryable: false, RecipientUnreachable: true);
                if (code == 400 && description.Contains("chat not found", StringComparison.OrdinalIgnoreCase))
                    return new TelegramError(code, description, Retryable: false, RecipientUnreachable: true);
                return new TelegramError(code, description, Retryable: false, MigrateToChatId: api.Parameters?.MigrateToChatId);
            }
            case RequestException { HttpStatusCode: { } status }:
                // An answer that is not the Bot API's JSON envelope (an HTML page from a proxy, an empty 5xx).
                return new TelegramError((int)status, $"HTTP {(int)status}", ChannelHttp.IsRetryableStatus(status));
            case RequestException { InnerException: { } inner }:
                // The library wraps every transport failure; classify the original.
                return ChannelHttp.TransportFailure(inner, callerToken) is { } transport
                    ? new TelegramError(null, transport.Error, Retryable: true)
                    : inner is OperationCanceledException ? null : new TelegramError(null, "network error: " + Redact.All(inner.Message), Retryable: true);
            case RequestException request:
                return new TelegramError(null, "network error: " + Redact.All(request.Message), Retryable: true);
            default:
                return ChannelHttp.TransportFailure(exception, callerToken) is { } failure
                    ? new TelegramError(null, failure.Error, Retryable: true)
                    : null;
        }
    }

    private static ReplyMarkup? ReplyMarkup(TelegramSendOptions? o)
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
                if (button.CallbackData is null && button.Url is null)
                    throw new ArgumentException($"Inline button '{button.Text}' has neither callback_data nor a URL (callback_data must be 1–{MaxCallbackDataBytes} bytes).");
            }
            return new InlineKeyboardMarkup(inline);
        }
        if (o.QuickReplies is { Count: > 0 } replies)
        {
            // One button per row: Indonesian labels are long and read better stacked.
            return new ReplyKeyboardMarkup(replies.Select(r => new[] { new KeyboardButton(r) }))
            {
                ResizeKeyboard = o.ResizeKeyboard,
                OneTimeKeyboard = o.OneTimeKeyboard,
            };
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

    /// <summary>
    /// A library request whose result is kept as raw JSON: same method, same body as
    /// <paramref name="inner"/> (serialised by the library), but each element is read by us.
    /// </summary>
    private sealed class RawResult(IRequest inner) : IRequest<JsonElement[]>
    {
        public HttpMethod HttpMethod => inner.HttpMethod;

        public string MethodName => inner.MethodName;

        public bool IsWebhookResponse
        {
            get => inner.IsWebhookResponse;
            set => inner.IsWebhookResponse = value;
        }

        public HttpContent? ToHttpContent() => inner.ToHttpContent();
    }

    /// <summary>A memory buffer that refuses to grow past a limit, so a download never holds more than that.</summary>
    private sealed class CappedStream(long limit) : MemoryStream
    {
        public sealed class FullException() : IOException("download limit reached");

        private void Check(int count)
        {
            if (Length + count > limit)
                throw new FullException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Check(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override void WriteByte(byte value)
        {
            Check(1);
            base.WriteByte(value);
        }
    }
}
