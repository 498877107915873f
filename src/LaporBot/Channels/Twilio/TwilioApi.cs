using System.Text;
using LaporBot.Conversations;
using LaporBot.Outbox;
using LaporBot.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Twilio;

/// <summary>
/// POST /webhooks/twilio (incoming WhatsApp messages) and /webhooks/twilio/status (delivery receipts).
/// https://www.twilio.com/docs/usage/webhooks/messaging-webhooks (docs/PROTOCOLS.md §1.2–1.6).
/// </summary>
internal static class TwilioApi
{
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio", InboundAsync);
        app.MapPost("/webhooks/twilio/status", StatusAsync);
        return app;
    }

    /// <summary>Reads and authenticates the form; returns an error result or the form fields.</summary>
    private static async Task<(IResult? Error, List<KeyValuePair<string, string>> Form)> ReadSignedFormAsync(
        HttpRequest request, TwilioOptions o, IHostEnvironment env, ILogger logger, CancellationToken ct)
    {
        if (!o.Enabled)
        {
            return (Results.NotFound(), []);
        }
        if (!WebhookRequest.HasContentType(request, "application/x-www-form-urlencoded"))
        {
            return (WebhookRequest.Problem(415, "Twilio webhooks are application/x-www-form-urlencoded."), []);
        }
        var body = await WebhookRequest.ReadBodyAsync(request, WebhookRequest.MaxBodyBytes, ct);
        if (body is null)
        {
            return (WebhookRequest.Problem(413, "Request body too large."), []);
        }
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? "")))
            .ToList();
        if (string.IsNullOrEmpty(o.AuthToken))
        {
            // Only reachable in Development: start-up refuses Twilio without an auth token elsewhere.
            logger.LogWarning("Twilio:AuthToken is not set; accepting an unsigned Twilio webhook (Development only)");
            return (null, form);
        }
        var signature = request.Headers[TwilioSignature.HeaderName].ToString();
        var url = WebhookRequest.PublicUrl(request, o.WebhookUrl);
        if (string.IsNullOrEmpty(signature) || !TwilioSignature.IsValid(url, form, o.AuthToken, signature))
        {
            logger.LogWarning("Twilio webhook refused: {Reason} signature", string.IsNullOrEmpty(signature) ? "missing" : "invalid");
            return (WebhookRequest.Problem(403, "Invalid or missing X-Twilio-Signature."), []);
        }
        return (null, form);
    }

    private static async Task<IResult> InboundAsync(
        HttpRequest request, IOptions<TwilioOptions> options, IHostEnvironment env, TurnProcessor turns, TwilioClient client,
        AttachmentStore attachments, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger("LaporBot.Channels.Twilio");
        var (error, form) = await ReadSignedFormAsync(request, options.Value, env, logger, ct);
        if (error is not null)
        {
            return error;
        }
        switch (TwilioWebhook.ParseMessage(form, clock.GetUtcNow()))
        {
            case ParseOutcome<InboundMessage>.Rejected r:
                logger.LogWarning("Twilio webhook rejected: {Reason}", r.Reason);
                return WebhookRequest.Problem(400, r.Reason);
            case ParseOutcome<InboundMessage>.Ignored i:
                logger.LogInformation("Twilio webhook ignored: {Reason}", i.Reason);
                return Twiml();
            case ParseOutcome<InboundMessage>.Accepted a:
                var message = await attachments.KeepAsync(a.Value, (m, token) => client.DownloadMediaAsync(m.SourceUrl, null, token), logger, ct);
                var outcome = await turns.ProcessAsync(message, ct);
                if (outcome == TurnOutcome.Duplicate)
                {
                    logger.LogInformation("Twilio message {MessageSid} already processed; ignored", a.Value.ProviderMessageId);
                }
                return Twiml();
            default:
                throw new InvalidOperationException("unknown parse outcome");
        }
    }

    private static async Task<IResult> StatusAsync(
        HttpRequest request, IOptions<TwilioOptions> options, IHostEnvironment env, IDatabase db, TimeProvider clock,
        ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger("LaporBot.Channels.Twilio");
        var (error, form) = await ReadSignedFormAsync(request, options.Value, env, logger, ct);
        if (error is not null)
        {
            return error;
        }
        switch (TwilioWebhook.ParseStatus(form))
        {
            case ParseOutcome<TwilioStatusCallback>.Accepted a:
                var s = a.Value;
                var errorText = s.ErrorCode is { } code ? $"{code}{(s.ErrorMessage is null ? "" : ": " + s.ErrorMessage)}" : null;
                if (!await OutboxDelivery.UpdateAsync(db, TwilioWebhook.ChannelName, s.MessageSid, s.MessageStatus, errorText, clock.GetUtcNow(), ct))
                {
                    logger.LogInformation("Twilio status for unknown message {MessageSid} ignored", s.MessageSid);
                }
                return Results.Ok();
            case ParseOutcome<TwilioStatusCallback>.Ignored i:
                logger.LogInformation("Twilio status ignored: {Reason}", i.Reason);
                return Results.Ok();
            case ParseOutcome<TwilioStatusCallback>.Rejected r:
                return WebhookRequest.Problem(400, r.Reason);
            default:
                throw new InvalidOperationException("unknown parse outcome");
        }
    }

    private static IResult Twiml() => Results.Content(EmptyTwiml, "text/xml; charset=utf-8");
}
