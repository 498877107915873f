using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Telegram;

/// <summary>
/// Registers Telegram:PublicWebhookUrl with setWebhook at start-up (webhook mode only), with the
/// secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token. Runs in the background so a slow
/// or unreachable Bot API does not hold up start-up; retries a few times on retryable errors.
/// See docs/telegram.md "Webhook mode".
/// </summary>
internal sealed class TelegramWebhookSetup(
    TelegramClients clients, IOptions<TelegramOptions> options, ILogger<TelegramWebhookSetup> logger) : BackgroundService
{
    internal const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || o.UsePolling || string.IsNullOrWhiteSpace(o.PublicWebhookUrl))
        {
            return;
        }
        // Log the host only: the rest of the URL may be made unguessable on purpose.
        var host = Uri.TryCreate(o.PublicWebhookUrl, UriKind.Absolute, out var uri) ? uri.Host : "(invalid)";
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var result = await clients.Create().SetWebhookAsync(
                    o.PublicWebhookUrl, o.WebhookSecret, TelegramPolling.AllowedUpdates, dropPendingUpdates: false, stoppingToken);
                if (result.Error is not { } error)
                {
                    logger.LogInformation("Telegram webhook registered for {Host}", host);
                    return;
                }
                if (!error.Retryable || attempt == MaxAttempts)
                {
                    logger.LogError("Telegram setWebhook for {Host} failed: {Error}. Telegram will not deliver messages until this is fixed.",
                        host, error.Description);
                    return;
                }
                var wait = error.RetryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
                logger.LogWarning("Telegram setWebhook attempt {Attempt} of {Max} failed: {Error}; retrying in {Delay}",
                    attempt, MaxAttempts, error.Description, wait);
                await Task.Delay(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }
}
