using LaporBot.Channels;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Outbox;

/// <summary>
/// Delivers outbox rows through their channel: woken by <see cref="OutboxSignal"/> after each commit,
/// with a periodic sweep as a safety net. At-least-once: a crash between the provider accepting a
/// message and our "sent" update re-sends it after the lease expires (a window of one request).
/// </summary>
internal sealed class OutboxDispatcher(
    IDatabase db,
    IEnumerable<IChannel> channels,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    DeliveryThrottle throttle,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, IChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            logger.LogWarning("Outbox dispatcher is disabled (Outbox:DispatcherEnabled=false); messages stay queued");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await DispatchOnceAsync(stoppingToken);
                if (sent > 0)
                {
                    continue; // there may be more (the next message of a chat becomes claimable)
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox sweep failed; retrying at the next signal or sweep");
            }
            await signal.WaitAsync(options.Value.SweepInterval, clock, stoppingToken);
        }
    }

    /// <summary>Claims and sends what is due now; returns how many rows were handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var rows = await OutboxStore.ClaimDueAsync(db, clock.GetUtcNow(), o.Lease, o.BatchSize, ct);
        foreach (var row in rows)
        {
            await SendOneAsync(row, ct);
        }
        return rows.Count;
    }

    private async Task SendOneAsync(OutboxRow row, CancellationToken ct)
    {
        var o = options.Value;
        if (!_channels.TryGetValue(row.Channel, out var channel))
        {
            await OutboxStore.MarkDeadAsync(db, row.Id, $"no channel '{row.Channel}' is configured", clock.GetUtcNow(), ct);
            logger.LogWarning("Outbox {Id}: channel {Channel} is not configured; marked dead", row.Id, row.Channel);
            return;
        }
        var message = new OutboundMessage(row.Id, row.Channel, row.Recipient, row.Body, row.QuickReplyList,
            row.LastInboundAt is { } li ? DateTimeOffset.FromUnixTimeMilliseconds(li) : null, row.Attempts, row.ButtonList, row.Attachment);
        SendResult result;
        try
        {
            await throttle.WaitAsync(channel, row.Recipient, ct);
            if (!await OutboxStore.RenewClaimAsync(db, row, clock.GetUtcNow() + o.Lease, ct))
            {
                logger.LogInformation("Outbox {Id}: claim expired while waiting for the send rate and was taken over; not sent here", row.Id);
                return;
            }
            try
            {
                result = await channel.SendAsync(message, ct);
            }
            finally
            {
                throttle.Completed(channel, row.Recipient);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            result = new SendResult.Retryable(e.GetType().Name + ": " + e.Message);
        }

        var now = clock.GetUtcNow();
        // Provider error texts may quote the recipient's number or a request URL: mask before storing or logging.
        result = result switch
        {
            SendResult.Retryable r => r with { Error = Redact.All(r.Error) },
            SendResult.Permanent p => p with { Error = Redact.All(p.Error) },
            TemplateRequired t => t with { Error = Redact.All(t.Error) },
            _ => result,
        };
        switch (result)
        {
            case SendResult.Sent sent:
                await OutboxStore.MarkSentAsync(db, row.Id, sent.ProviderMessageId, now, ct);
                break;
            case TemplateRequired t:
                // The channel found no approved template to fall back on outside WhatsApp's 24-hour window.
                await OutboxStore.MarkDeadAsync(db, row.Id, $"outside the 24-hour window and no template is configured: {t.Error}", now, ct);
                logger.LogWarning("Outbox {Id} via {Channel}: needs a template, none configured; marked dead", row.Id, row.Channel);
                break;
            case SendResult.Permanent p:
                await OutboxStore.MarkDeadAsync(db, row.Id, p.Error, now, ct);
                if (p.RecipientUnreachable && row.ReporterId is { } rid)
                {
                    await OutboxStore.MarkReporterUnreachableAsync(db, rid, now, ct);
                }
                logger.LogWarning("Outbox {Id} via {Channel} failed permanently: {Error}", row.Id, row.Channel, p.Error);
                break;
            case SendResult.Retryable r when row.Attempts >= o.MaxAttempts:
                await OutboxStore.MarkDeadAsync(db, row.Id, $"gave up after {row.Attempts} attempts: {r.Error}", now, ct);
                logger.LogWarning("Outbox {Id} via {Channel} is dead after {Attempts} attempts: {Error}", row.Id, row.Channel, row.Attempts, r.Error);
                break;
            case SendResult.Retryable r:
                var delay = r.RetryAfter ?? Backoff(row.Attempts, o);
                await OutboxStore.MarkRetryAsync(db, row.Id, $"attempt {row.Attempts} of {o.MaxAttempts}: {r.Error}", now + delay, now, ct);
                logger.LogInformation("Outbox {Id} via {Channel}: attempt {Attempt} of {Max} failed ({Error}); next in {Delay}",
                    row.Id, row.Channel, row.Attempts, o.MaxAttempts, r.Error, delay);
                break;
        }
    }

    /// <summary>Exponential backoff with ±20% jitter so many failed messages do not retry in lock-step.</summary>
    internal static TimeSpan Backoff(int attempt, OutboxOptions o)
    {
        var exp = o.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exp, o.MaxBackoff.TotalMilliseconds);
        var jitter = 0.8 + Random.Shared.NextDouble() * 0.4;
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}
