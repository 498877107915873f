using Dapper;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Meta;

/// <summary>
/// GET /webhooks/whatsapp (the subscription handshake) and POST /webhooks/whatsapp (messages and
/// delivery statuses, batched). https://developers.facebook.com/docs/graph-api/webhooks/getting-started
/// (docs/PROTOCOLS.md §3.1–3.3).
/// </summary>
internal static class MetaApi
{
    public const string Path = "/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapMetaWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Handshake);
        app.MapPost(Path, NotifyAsync);
        return app;
    }

    private static IResult Handshake(HttpRequest request, IOptions<MetaOptions> options, ILoggerFactory logs)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return Results.NotFound();
        }
        var q = request.Query;
        var challenge = MetaWebhookSecurity.VerifyHandshake(q["hub.mode"], q["hub.verify_token"], q["hub.challenge"], o.VerifyToken);
        if (challenge is null)
        {
            logs.CreateLogger("LaporBot.Channels.Meta").LogWarning("Meta webhook verification refused: mode or verify token does not match Meta:VerifyToken");
            return WebhookRequest.Problem(403, "Verification refused: hub.mode must be subscribe and hub.verify_token must match.");
        }
        return Results.Text(challenge, "text/plain");
    }

    private static async Task<IResult> NotifyAsync(
        HttpRequest request, IOptions<MetaOptions> options, TurnProcessor turns, MetaClient client, AttachmentStore attachments,
        IDatabase db, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var o = options.Value;
        var logger = logs.CreateLogger("LaporBot.Channels.Meta");
        if (!o.Enabled)
        {
            return Results.NotFound();
        }
        if (!WebhookRequest.HasContentType(request, "application/json"))
        {
            return WebhookRequest.Problem(415, "Meta webhooks are application/json.");
        }
        var body = await WebhookRequest.ReadBodyAsync(request, WebhookRequest.MaxBodyBytes, ct);
        if (body is null)
        {
            return WebhookRequest.Problem(413, "Request body too large.");
        }
        if (string.IsNullOrEmpty(o.AppSecret))
        {
            // Only reachable in Development: start-up refuses Meta without an app secret elsewhere.
            logger.LogWarning("Meta:AppSecret is not set; accepting an unsigned Meta webhook (Development only)");
        }
        else
        {
            var signature = request.Headers[MetaWebhookSecurity.SignatureHeader].ToString();
            if (!MetaWebhookSecurity.IsValidSignature(body, signature.Length == 0 ? null : signature, o.AppSecret))
            {
                logger.LogWarning("Meta webhook refused: {Reason} signature", signature.Length == 0 ? "missing" : "invalid");
                return WebhookRequest.Problem(403, "Invalid or missing X-Hub-Signature-256.");
            }
        }

        switch (MetaWebhookParser.Parse(body))
        {
            case ParseOutcome<MetaWebhookBatch>.Rejected r:
                logger.LogWarning("Meta webhook rejected: {Reason}", r.Reason);
                return WebhookRequest.Problem(400, r.Reason);
            case ParseOutcome<MetaWebhookBatch>.Ignored i:
                logger.LogInformation("Meta webhook ignored: {Reason}", i.Reason);
                return Results.Ok();
            case ParseOutcome<MetaWebhookBatch>.Accepted a:
                // 200 only after every item is stored: a storage failure throws, the error handler
                // answers 503, and Meta sends the whole batch again (dedupe makes that harmless).
                foreach (var message in a.Value.Messages)
                {
                    await ProcessMessageAsync(message, turns, client, attachments, db, logger, ct);
                }
                foreach (var status in a.Value.Statuses)
                {
                    await RecordStatusAsync(status, db, clock, logger, ct);
                }
                foreach (var error in a.Value.Errors)
                {
                    logger.LogWarning("Meta reported error {Code}: {Title}", error.Code, Redact.All(error.Title));
                }
                return Results.Ok();
            default:
                throw new InvalidOperationException("unknown parse outcome");
        }
    }

    private static async Task ProcessMessageAsync(
        InboundMessage message, TurnProcessor turns, MetaClient client, AttachmentStore attachments, IDatabase db, ILogger logger,
        CancellationToken ct)
    {
        // Meta redelivers whole batches; do not fetch a photo again for a message we already have.
        if (message.Attachments.Count > 0 && await IsKnownAsync(db, message.ProviderMessageId, ct))
        {
            logger.LogInformation("Meta message {MessageId} already processed; ignored", message.ProviderMessageId);
            return;
        }
        var withMedia = await attachments.KeepAsync(message, (a, token) => client.DownloadMediaAsync(
            a.SourceUrl.StartsWith(MetaWebhookParser.MediaScheme, StringComparison.Ordinal) ? a.SourceUrl[MetaWebhookParser.MediaScheme.Length..] : "",
            a.ContentType, null, token), logger, ct);
        if (await turns.ProcessAsync(withMedia, ct) == TurnOutcome.Duplicate)
        {
            logger.LogInformation("Meta message {MessageId} already processed; ignored", message.ProviderMessageId);
        }
    }

    private static async Task<bool> IsKnownAsync(IDatabase db, string providerMessageId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>(
            "SELECT id FROM inbound_messages WHERE channel = @channel AND provider_message_id = @providerMessageId",
            new { channel = MetaWebhookParser.ChannelName, providerMessageId }) is not null;
    }

    private static async Task RecordStatusAsync(MetaStatusUpdate s, IDatabase db, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        var error = s.ErrorCode is { } code ? $"{code}{(string.IsNullOrEmpty(s.ErrorTitle) ? "" : ": " + Redact.All(s.ErrorTitle))}" : null;
        if (!await OutboxDelivery.UpdateAsync(db, MetaWebhookParser.ChannelName, s.MessageId, s.Status, error, clock.GetUtcNow(), ct))
        {
            logger.LogInformation("Meta status {Status} for unknown message {MessageId} ignored", s.Status, s.MessageId);
        }
        else if (error is not null)
        {
            logger.LogWarning("Meta reports message {MessageId} {Status}: {Error}", s.MessageId, s.Status, error);
        }
    }
}
