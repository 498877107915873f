using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Twilio;

/// <summary>
/// The two Twilio REST calls LaporBot needs (create a Message, fetch inbound media), without the SDK.
/// https://www.twilio.com/docs/messaging/api/message-resource (docs/PROTOCOLS.md §1.5).
/// </summary>
internal sealed class TwilioClient(HttpClient http, IOptions<TwilioOptions> options, TimeProvider? time = null)
{
    private readonly TwilioOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // Twilio rejects a Body over 1,600 characters (Messages resource, Content API twilio/text).
    public const int MaxBodyLength = 1600;

    // Content API twilio/quick-reply: a body of at most 1,024 characters; in a WhatsApp conversation
    // (no template approval) at most 3 buttons; WhatsApp shows a button title of at most 20 characters.
    public const int MaxQuickReplyBody = 1024;
    public const int MaxQuickReplies = 3;
    public const int MaxQuickReplyTitle = 20;

    /// <summary>A Content SID as Twilio issues it: HX and 32 hex digits (error 21655 otherwise).</summary>
    public static bool IsContentSid(string? sid) =>
        sid is { Length: 34 } && sid.StartsWith("HX", StringComparison.Ordinal) && sid.Skip(2).All(char.IsAsciiHexDigit);

    /// <summary>
    /// Free-form text, split into several messages over 1,600 characters. Only allowed inside the
    /// 24-hour window, otherwise <see cref="TemplateRequired"/>.
    /// </summary>
    public Task<SendResult> SendTextAsync(string to, string body, CancellationToken cancellationToken) =>
        TextSplitter.SendInPartsAsync(body, MaxBodyLength, (part, _) =>
        {
            var form = BaseForm(to);
            form.Add(new("Body", part));
            return CreateMessageAsync(form, cancellationToken);
        });

    /// <summary>
    /// An approved Content API template (<c>HX…</c>). Body and MediaUrl must be left out; values go
    /// into ContentVariables as a JSON string such as <c>{"1":"Budi"}</c> (Twilio error 63016 page).
    /// </summary>
    public Task<SendResult> SendTemplateAsync(string to, string contentSid, IReadOnlyDictionary<string, string>? variables, CancellationToken cancellationToken)
    {
        var form = BaseForm(to);
        form.Add(new("ContentSid", contentSid));
        if (variables is { Count: > 0 })
            form.Add(new("ContentVariables", JsonSerializer.Serialize(variables)));
        return CreateMessageAsync(form, cancellationToken);
    }

    /// <summary>
    /// A twilio/quick-reply template whose body is <c>{{1}}</c> and whose buttons' title and id are
    /// <c>{{2}}</c>, <c>{{3}}</c>, … : the text and the choices go in as ContentVariables, so one template per
    /// number of buttons serves every question. A tap comes back with the title as Body/ButtonText and the
    /// id (the same words) as ButtonPayload.
    /// </summary>
    public Task<SendResult> SendQuickReplyAsync(string to, string contentSid, string body, IReadOnlyList<string> choices, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string> { ["1"] = body };
        for (var i = 0; i < choices.Count; i++)
            variables[(i + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)] = choices[i];
        return SendTemplateAsync(to, contentSid, variables, cancellationToken);
    }

    /// <summary>
    /// Fetches a <c>MediaUrl{N}</c> with Basic auth (needed when "HTTP Basic Authentication for media
    /// access" is on; docs/PROTOCOLS.md §1.8). Credentials are only ever sent to the configured API
    /// host, so a forged MediaUrl cannot make us hand the auth token to someone else.
    /// </summary>
    public async Task<MediaDownload> DownloadMediaAsync(string mediaUrl, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) || !SameOrigin(uri, new Uri(_options.ApiBaseUrl)))
            return new MediaDownload.Failed("media URL is not on the Twilio API host", false);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = BasicAuth();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return await MediaDownload.ReadAsync(response, _options.MaxMediaBytes, allowedTypes ?? MediaDownload.DefaultAllowedTypes, null, cancellationToken);
        }
        catch (Exception ex) when (ChannelHttp.TransportFailure(ex, cancellationToken) is { } failure)
        {
            return new MediaDownload.Failed(failure.Error, true);
        }
    }

    private List<KeyValuePair<string, string>> BaseForm(string to)
    {
        var from = _options.WhatsAppNumber.StartsWith("whatsapp:", StringComparison.Ordinal)
            ? _options.WhatsAppNumber
            : "whatsapp:" + _options.WhatsAppNumber;
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("From", from) };
        if (!string.IsNullOrEmpty(_options.StatusCallbackUrl))
            form.Add(new("StatusCallback", _options.StatusCallbackUrl));
        return form;
    }

    private async Task<SendResult> CreateMessageAsync(List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var url = $"{_options.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid)}/Messages.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = BasicAuth();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return MapResponse(response, body);
        }
        catch (Exception ex) when (ChannelHttp.TransportFailure(ex, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    private SendResult MapResponse(HttpResponseMessage response, string body)
    {
        if (response.IsSuccessStatusCode)
            return new SendResult.Sent(TryRead<MessageResource>(body)?.Sid);

        var error = TryRead<ErrorBody>(body);
        var code = error?.Code;
        var text = $"HTTP {(int)response.StatusCode}" + (code is null ? "" : $", Twilio {code}") +
                   (string.IsNullOrEmpty(error?.Message) ? "" : ": " + Redact.All(error.Message));

        if (response.StatusCode == HttpStatusCode.TooManyRequests || code == 20429 || code == 63018)
            return new SendResult.Retryable(text, ChannelHttp.RetryAfter(response, _time));
        if (ChannelHttp.IsRetryableStatus(response.StatusCode))
            return new SendResult.Retryable(text, ChannelHttp.RetryAfter(response, _time));
        return code switch
        {
            // Outside the 24-hour window: the caller should resend as a template.
            63016 => new TemplateRequired(text),
            // The recipient can never be reached from this sender: bad number, opted out, blocked,
            // or WhatsApp cannot find the address.
            21211 or 21610 or 21614 or 63003 or 63014 => new SendResult.Permanent(text, RecipientUnreachable: true),
            // Anything else in 4xx is a request or account problem that resending as-is will not fix
            // (20003 bad credentials, 21608 unverified trial number, 21606 bad From …).
            _ => new SendResult.Permanent(text),
        };
    }

    private AuthenticationHeaderValue BasicAuth() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}")));

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

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

    private sealed record MessageResource([property: JsonPropertyName("sid")] string? Sid);

    // twilio-csharp RestException: {"code":21211,"message":"…","more_info":"…","status":400}
    private sealed record ErrorBody(
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message);
}
