using System.Data.Common;
using System.Globalization;
using LaporBot.Data;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types.Enums;

namespace LaporBot.Channels.Telegram;

/// <summary>
/// Long polling with getUpdates, for deployments Telegram cannot reach (behind NAT, development).
/// See docs/telegram.md "Polling mode".
/// The next offset is stored after each update has been handled, so a restart resumes exactly
/// there: nothing is lost, and anything handled but not yet confirmed is deduplicated by update_id.
/// </summary>
internal sealed class TelegramPolling(
    TelegramClients clients,
    TelegramInbound inbound,
    IDatabase db,
    TimeProvider clock,
    IOptions<TelegramOptions> options,
    ILogger<TelegramPolling> logger) : BackgroundService
{
    public const string CursorName = "telegram:offset";

    internal static readonly IReadOnlyList<UpdateType> AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery];

    /// <summary>Wait before re-polling after the database refused an update (it is fetched again).</summary>
    internal static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>An update that fails this often for a reason other than the database is skipped, so it cannot block the queue.</summary>
    internal const int MaxUnexpectedFailures = 3;

    // Delays use the real clock on purpose: they pace network calls, not business deadlines.
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || !o.UsePolling)
        {
            return;
        }
        try
        {
            await LeadAndPollAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
        finally
        {
            try
            {
                await Leases.ReleaseAsync(db, LeaseName, Leases.Me, CancellationToken.None);
            }
            catch (DbException ex)
            {
                logger.LogWarning(ex, "Telegram polling lease could not be released; another instance takes over when it expires");
            }
        }
    }

    public const string LeaseName = "telegram:polling";

    /// <summary>
    /// Several instances may run with polling on: only the one holding the lease polls (Telegram
    /// allows one getUpdates caller per bot). The others try again every third of the lease, so one
    /// of them takes over within a lease's length after the holder dies.
    /// </summary>
    private async Task LeadAndPollAsync(CancellationToken ct)
    {
        var lease = options.Value.PollingLease;
        var every = lease / 3;
        var waiting = false;
        while (!ct.IsCancellationRequested)
        {
            if (!await TryLeaseAsync(lease, ct))
            {
                if (!waiting)
                {
                    logger.LogInformation("Another instance polls Telegram; this one stands by");
                    waiting = true;
                }
                await Task.Delay(every, ct);
                continue;
            }
            waiting = false;
            using var lead = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var renewing = RenewAsync(lease, lead);
            try
            {
                await PollAsync(lead.Token);
            }
            catch (OperationCanceledException) when (lead.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Telegram polling lease lost; polling stopped on this instance");
            }
            finally
            {
                await lead.CancelAsync();
                await renewing;
            }
        }
    }

    private async Task<bool> TryLeaseAsync(TimeSpan lease, CancellationToken ct)
    {
        try
        {
            return await Leases.TryAcquireAsync(db, LeaseName, Leases.Me, clock.GetUtcNow(), lease, ct);
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Telegram polling lease could not be taken; retrying");
            return false;
        }
    }

    /// <summary>Renews the lease while polling; cancels <paramref name="lead"/> once it cannot be sure it still holds it.</summary>
    private async Task RenewAsync(TimeSpan lease, CancellationTokenSource lead)
    {
        var renewedAt = clock.GetUtcNow();
        try
        {
            while (!lead.IsCancellationRequested)
            {
                await Task.Delay(lease / 3, lead.Token);
                if (await TryLeaseAsync(lease, lead.Token))
                {
                    renewedAt = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - renewedAt >= lease * 2 / 3 || !await StillMineAsync(lead.Token))
                {
                    await lead.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // polling ended
        }
    }

    private async Task<bool> StillMineAsync(CancellationToken ct)
    {
        try
        {
            return await Leases.HolderAsync(db, LeaseName, clock.GetUtcNow(), ct) == Leases.Me;
        }
        catch (DbException)
        {
            return true; // unknown: judged by the time since the last renewal
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        var o = options.Value;
        var client = clients.CreateLongPoll();
        // getUpdates answers 409 while a webhook is set.
        var deleted = await client.DeleteWebhookAsync(dropPendingUpdates: false, ct);
        if (deleted.Error is { } e)
        {
            logger.LogWarning("Telegram deleteWebhook failed ({Error}); polling anyway", e.Description);
        }

        var offset = await LoadOffsetAsync(ct);
        logger.LogInformation("Telegram polling started at offset {Offset}", offset?.ToString(CultureInfo.InvariantCulture) ?? "(none)");
        var backoff = MinBackoff;
        var failures = (UpdateId: 0L, Count: 0);
        while (!ct.IsCancellationRequested)
        {
            var polled = await client.GetUpdatesAsync(offset, o.PollTimeoutSeconds, AllowedUpdates, ct);
            if (polled.Error is { } error)
            {
                var wait = error.RetryAfter ?? backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                logger.LogWarning("Telegram getUpdates failed ({Error}); retrying in {Delay}", error.Description, wait);
                await Task.Delay(wait, ct);
                continue;
            }
            backoff = MinBackoff;

            foreach (var update in (polled.Result ?? []).OrderBy(u => u.Id))
            {
                if (offset is { } current && update.Id < current)
                {
                    continue; // already confirmed; Telegram should not send it, but never go backwards
                }
                try
                {
                    await inbound.HandleAsync(update, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    failures = failures.UpdateId == update.Id ? (update.Id, failures.Count + 1) : (update.Id, 1);
                    if (ex is DbException || failures.Count < MaxUnexpectedFailures)
                    {
                        // Not stored: do not advance. getUpdates returns it again after the delay.
                        logger.LogWarning(ex, "Telegram update {UpdateId} could not be stored; retrying in {Delay}", update.Id, StoreRetryDelay);
                        await Task.Delay(StoreRetryDelay, ct);
                        break;
                    }
                    logger.LogError(ex, "Telegram update {UpdateId} failed {Count} times; skipped", update.Id, failures.Count);
                }
                var next = update.Id + 1;
                if (!await TryStoreOffsetAsync(next, ct))
                {
                    // The update is stored (a re-poll is deduplicated) but the cursor is not; try again.
                    await Task.Delay(StoreRetryDelay, ct);
                    break;
                }
                offset = next;
            }
        }
    }

    private async Task<long?> LoadOffsetAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var stored = await ChannelCursors.GetAsync(db, CursorName, ct);
                if (stored is null)
                {
                    return null;
                }
                // update_id is a 32-bit number in the Bot API types; anything else is not ours to resume from.
                if (int.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
                logger.LogWarning("Telegram polling offset '{Offset}' in channel_cursors is not an update id; starting from Telegram's oldest unconfirmed update", stored);
                return null;
            }
            catch (DbException ex)
            {
                logger.LogWarning(ex, "Telegram polling offset could not be read; retrying in {Delay}", StoreRetryDelay);
                await Task.Delay(StoreRetryDelay, ct);
            }
        }
    }

    private async Task<bool> TryStoreOffsetAsync(long next, CancellationToken ct)
    {
        try
        {
            await ChannelCursors.SetAsync(db, CursorName, next.ToString(CultureInfo.InvariantCulture), clock.GetUtcNow(), ct);
            return true;
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Telegram polling offset {Offset} could not be stored; retrying in {Delay}", next, StoreRetryDelay);
            return false;
        }
    }
}
