using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace LaporBot.Channels.Telegram;

/// <summary>
/// POST /webhooks/telegram: Telegram POSTs one JSON Update per request and retries anything but 2xx.
/// See docs/telegram.md "Webhook mode".
/// </summary>
internal static class TelegramApi
{
    public static IEndpointRouteBuilder MapTelegramWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/telegram", InboundAsync);
        return app;
    }

    private static async Task<IResult> InboundAsync(
        HttpRequest request, IOptions<TelegramOptions> options, IHostEnvironment env, TelegramInbound inbound,
        ILoggerFactory logs, CancellationToken ct)
    {
        var o = options.Value;
        var logger = logs.CreateLogger("LaporBot.Channels.Telegram");
        if (!o.Enabled)
        {
            return Results.NotFound();
        }
        // The secret is a header, so authenticate before reading (or describing) the body.
        if (string.IsNullOrEmpty(o.WebhookSecret) && env.IsDevelopment())
        {
            // Start-up refuses a missing secret outside Development (unless polling, where the check below fails closed).
            logger.LogWarning("Telegram:WebhookSecret is not set; accepting an unauthenticated Telegram webhook (Development only)");
        }
        else
        {
            var header = request.Headers[TelegramSecret.HeaderName].ToString();
            if (string.IsNullOrEmpty(header))
            {
                logger.LogWarning("Telegram webhook refused: missing {Header}", TelegramSecret.HeaderName);
                return WebhookRequest.Problem(401, $"Missing {TelegramSecret.HeaderName}.");
            }
            if (!TelegramSecret.IsValid(header, o.WebhookSecret))
            {
                logger.LogWarning("Telegram webhook refused: wrong {Header}", TelegramSecret.HeaderName);
                return WebhookRequest.Problem(403, $"Invalid {TelegramSecret.HeaderName}.");
            }
        }
        if (!WebhookRequest.HasContentType(request, "application/json"))
        {
            return WebhookRequest.Problem(415, "Telegram webhooks are application/json.");
        }
        var body = await WebhookRequest.ReadBodyAsync(request, WebhookRequest.MaxBodyBytes, ct);
        if (body is null)
        {
            return WebhookRequest.Problem(413, "Request body too large.");
        }
        var read = TelegramUpdateParser.Read(body);
        if (read is not ParseOutcome<Update>.Accepted { Value: var update })
        {
            // A body Telegram would never send (or one missing a field we rely on): 400, and nothing stored.
            logger.LogWarning("Telegram webhook rejected: {Reason}", (read as ParseOutcome<Update>.Rejected)?.Reason);
            return WebhookRequest.Problem(400, "Body is not a Telegram Update.");
        }
        // A database failure throws here and becomes 503 (ErrorHandling), so Telegram retries it.
        await inbound.HandleAsync(update, ct);
        return Results.Ok();
    }
}
