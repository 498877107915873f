using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Meta;

/// <summary>A reply button: <paramref name="Id"/> comes back as button_reply.id; <paramref name="Title"/> ≤ 20 characters.</summary>
internal sealed record MetaReplyButton(string Id, string Title);

/// <summary>
/// Sends WhatsApp messages through the Cloud API: POST /{version}/{phone_number_id}/messages with a bearer token.
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/text-messages/ (docs/PROTOCOLS.md §3.4–3.5).
/// </summary>
internal sealed class MetaClient(HttpClient http, IOptions<MetaOptions> options, TimeProvider? time = null)
{
    public const int MaxTextLength = 4096;
    public const int MaxButtons = 3;
    public const int MaxButtonTitle = 20;
    public const int MaxButtonId = 256;
    public const int MaxInteractiveBody = 1024;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly MetaOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Free-form text, split into several messages over 4,096 characters;
    /// <paramref name="replyToMessageId"/> (a wamid) quotes that message in the first part.
    /// </summary>
    public Task<SendResult> SendTextAsync(string to, string body, string? replyToMessageId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body))
            return Task.FromResult<SendResult>(new SendResult.Permanent("text is empty"));
        return TextSplitter.SendInPartsAsync(body, MaxTextLength, (part, i) => SendAsync(new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to,
            type = "text",
            context = i == 0 && replyToMessageId is not null ? new { message_id = replyToMessageId } : null,
            text = new { preview_url = false, body = part },
        }, cancellationToken));
    }

    /// <summary>
    /// Interactive reply buttons: 1–3 buttons, unique titles of at most 20 characters. Invalid input
    /// throws instead of being truncated, so a dialog with a too-long label fails in tests, not in production.
    /// </summary>
    public Task<SendResult> SendReplyButtonsAsync(string to, string body, IReadOnlyList<MetaReplyButton> buttons, string? footer, CancellationToken cancellationToken)
    {
        if (buttons.Count is 0 or > MaxButtons)
            throw new ArgumentException($"WhatsApp allows 1–{MaxButtons} reply buttons, got {buttons.Count}.", nameof(buttons));
        foreach (var b in buttons)
        {
            if (string.IsNullOrWhiteSpace(b.Title) || b.Title.Length > MaxButtonTitle)
                throw new ArgumentException($"Button title '{b.Title}' must be 1–{MaxButtonTitle} characters.", nameof(buttons));
            if (string.IsNullOrEmpty(b.Id) || b.Id.Length > MaxButtonId)
                throw new ArgumentException($"Button id must be 1–{MaxButtonId} characters.", nameof(buttons));
        }
        if (buttons.Select(b => b.Title).Distinct(StringComparer.Ordinal).Count() != buttons.Count)
            throw new ArgumentException("Button titles must be unique within a message.", nameof(buttons));
        if (string.IsNullOrWhiteSpace(body) || body.Length > MaxInteractiveBody)
            throw new ArgumentException($"Interactive body must be 1–{MaxInteractiveBody} characters.", nameof(body));

        return SendAsync(new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to,
            type = "interactive",
            interactive = new
            {
                type = "button",
                body = new { text = body },
                footer = footer is null ? null : new { text = footer },
                action = new { buttons = buttons.Select(b => new { type = "reply", reply = new { id = b.Id, title = b.Title } }) },
            },
        }, cancellationToken);
    }

    /// <summary>An approved template with positional body parameters ({{1}}, {{2}} …).</summary>
    public Task<SendResult> SendTemplateAsync(string to, string templateName, string languageCode, IReadOnlyList<string> bodyParameters, CancellationToken cancellationToken) =>
        SendAsync(new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to,
            type = "template",
            template = new
            {
                name = templateName,
                language = new { code = languageCode },
                components = bodyParameters.Count == 0
                    ? null
                    : new[] { new { type = "body", parameters = bodyParameters.Select(p => new { type = "text", text = p }) } },
            },
        }, cancellationToken);

    /// <summary>
    /// Fetches an inbound attachment in two steps: GET /{version}/{media-id} answers JSON with a
    /// short-lived <c>url</c> (about 5 minutes), which is fetched with the same bearer token
    /// (docs/PROTOCOLS.md §3.3). The token only goes to the configured API host or to
    /// <see cref="MetaOptions.MediaHosts"/> over HTTPS, so a URL we did not expect never receives it.
    /// </summary>
    public async Task<MediaDownload> DownloadMediaAsync(string mediaId, string? announcedType, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(mediaId))
            return new MediaDownload.Failed("media id is empty", false);
        var metaUrl = $"{_options.ApiBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(_options.ApiVersion)}/{Uri.EscapeDataString(mediaId)}";
        try
        {
            MediaInfo? info;
            using (var request = new HttpRequestMessage(HttpMethod.Get, metaUrl))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
                using var response = await http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var code = TryRead<ErrorEnvelope>(body)?.Error?.Code;
                    return new MediaDownload.Failed($"media lookup: HTTP {(int)response.StatusCode}" + (code is null ? "" : $", Meta {code}"),
                        ChannelHttp.IsRetryableStatus(response.StatusCode));
                }
                info = TryRead<MediaInfo>(body);
            }
            if (info?.Url is null || !Uri.TryCreate(info.Url, UriKind.Absolute, out var fileUri))
                return new MediaDownload.Failed("media lookup answered without a url", false);
            if (!MayReceiveToken(fileUri))
                return new MediaDownload.Failed($"media URL host '{fileUri.Host}' is not the API host or in Meta:MediaHosts", false);
            if (info.FileSize is long size && size > _options.MaxMediaBytes)
                return new MediaDownload.Failed($"file is {size} bytes, the limit is {_options.MaxMediaBytes}", false);

            using var fileRequest = new HttpRequestMessage(HttpMethod.Get, fileUri);
            fileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
            using var fileResponse = await http.SendAsync(fileRequest, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return await MediaDownload.ReadAsync(fileResponse, _options.MaxMediaBytes, allowedTypes ?? MediaDownload.DefaultAllowedTypes,
                info.MimeType ?? announcedType, cancellationToken);
        }
        catch (Exception ex) when (ChannelHttp.TransportFailure(ex, cancellationToken) is { } failure)
        {
            return new MediaDownload.Failed(failure.Error, true);
        }
    }

    private bool MayReceiveToken(Uri uri)
    {
        var api = new Uri(_options.ApiBaseUrl);
        if (uri.Scheme == api.Scheme && uri.Port == api.Port && string.Equals(uri.Host, api.Host, StringComparison.OrdinalIgnoreCase))
            return true;
        return uri.Scheme == Uri.UriSchemeHttps
               && _options.MediaHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                   .Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
    }

    private async Task<SendResult> SendAsync(object payload, CancellationToken cancellationToken)
    {
        var url = $"{_options.ApiBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(_options.ApiVersion)}/{Uri.EscapeDataString(_options.PhoneNumberId)}/messages";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(payload, payload.GetType(), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return Map(response, body);
        }
        catch (Exception ex) when (ChannelHttp.TransportFailure(ex, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    // Codes: docs/PROTOCOLS.md §3.5. Decide on error.code (and never on the message text);
    // throttling codes can arrive with HTTP 400, so the code is checked before the status.
    private SendResult Map(HttpResponseMessage response, string body)
    {
        if (response.IsSuccessStatusCode)
            return new SendResult.Sent(TryRead<SendResponse>(body)?.Messages?.FirstOrDefault()?.Id);

        var error = TryRead<ErrorEnvelope>(body)?.Error;
        var code = error?.Code;
        var text = $"HTTP {(int)response.StatusCode}" + (code is null ? "" : $", Meta {code}") +
                   (error?.Message is { Length: > 0 } m ? ": " + Redact.All(m) : "") +
                   (error?.ErrorData?.Details is { Length: > 0 } d ? " (" + Redact.All(d) + ")" : "");
        var retryAfter = ChannelHttp.RetryAfter(response, _time);

        return code switch
        {
            // More than 24 h since the user last wrote: only a template may be sent.
            131047 => new TemplateRequired(text),
            // Throughput (130429), pair rate (131056), WABA rate (80007), app call rate (4).
            130429 or 131056 or 80007 or 4 => new SendResult.Retryable(text, retryAfter),
            // Not on WhatsApp / cannot receive (131026); recipient not in the test allow-list (131030).
            131026 or 131030 => new SendResult.Permanent(text, RecipientUnreachable: true),
            _ when ChannelHttp.IsRetryableStatus(response.StatusCode) => new SendResult.Retryable(text, retryAfter),
            // 100 invalid parameter (e.g. a malformed "to"), 190 expired token, 368 policy block, …
            _ => new SendResult.Permanent(text),
        };
    }

    private static T? TryRead<T>(string body) where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // GET /{media-id}: {"messaging_product":"whatsapp","url":"…","mime_type":"image/jpeg","sha256":"…","file_size":303833,"id":"…"}
    private sealed record MediaInfo(
        [property: JsonPropertyName("url")] string? Url,
        [property: JsonPropertyName("mime_type")] string? MimeType,
        [property: JsonPropertyName("file_size"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? FileSize);

    private sealed record SendResponse([property: JsonPropertyName("messages")] IReadOnlyList<SentMessage>? Messages);

    private sealed record SentMessage([property: JsonPropertyName("id")] string? Id);

    private sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody? Error);

    private sealed record ErrorBody(
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("error_data")] MetaErrorData? ErrorData);
}
