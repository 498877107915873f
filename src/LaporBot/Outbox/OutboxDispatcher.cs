using System.Data.Common;
using LaporBot.Channels;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Outbox;

/// <summary>
/// Delivers outbox rows through their channel. Each channel is a lane of its own with
/// <see cref="OutboxOptions.SendersPerChannel"/> senders, so a backlog on one channel (or a chat
/// waiting out its per-chat gap) never delays another; within a lane staff notifications go first.
/// A lane claims a small batch of chat heads at once (about a tenth of a second of sends at the
/// provider's pace) and its senders take from it; claims and the senders' outcome marks run in the
/// instance's group commit (<see cref="GroupCommit"/>), so many sends share one commit. A sender
/// waits until its mark is durable before taking the next message, so at most one message per
/// sender is ever sent but not yet recorded. Lanes wake on <see cref="OutboxSignal"/> after each
/// commit and on a timer set for the lane's next due row (a retry fires when it is due), with a
/// periodic sweep as a safety net. At-least-once: a crash between the provider accepting a message
/// and our "sent" mark re-sends that message; what the dead process held is released at once when
/// the instance restarts.
/// </summary>
internal sealed class OutboxDispatcher(
    IDatabase db,
    GroupCommit writes,
    IEnumerable<IChannel> channels,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    DeliveryThrottle throttle,
    Hosting.LaporMetrics metrics,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, IChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Who holds this instance's claims (<see cref="OutboxOptions.InstanceId"/>).</summary>
    public string InstanceId => options.Value.InstanceId;

    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the lanes are running (the previous process's claims released), or at once when the
    /// dispatcher is disabled: the moment from which a queued message is on its way.
    /// </summary>
    public Task Running => _running.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            logger.LogWarning("Outbox dispatcher is disabled (Outbox:DispatcherEnabled=false); messages stay queued");
            _running.TrySetResult();
            return;
        }
        await PrepareAsync(stoppingToken);
        _running.TrySetResult();
        var senders = _lanes.Values
            .SelectMany(lane => Enumerable.Range(0, options.Value.SendersPerChannel).Select(_ => RunSenderAsync(lane, stoppingToken)))
            .ToList();
        try
        {
            await Task.WhenAll(senders);
        }
        finally
        {
            // Claimed in a batch but never begun: give them back without counting an attempt.
            var unsent = _lanes.Values.SelectMany(l => l.TakeAll()).Select(r => r.Id).ToList();
            try
            {
                await OutboxStore.ReleaseClaimsAsync(db, unsent, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Outbox: could not give back {Count} claimed message(s) at shutdown; they are released at the next start", unsent.Count);
            }
        }
    }

    private readonly Dictionary<string, Lane> _lanes = channels.ToDictionary(c => c.Name, c => new Lane(c.Name), StringComparer.Ordinal);

    /// <summary>One channel's claimed messages waiting for a sender, and the gate that lets one sender claim more at a time.</summary>
    private sealed class Lane(string channel)
    {
        private readonly Queue<OutboxRow> _claimed = new();

        public string Channel { get; } = channel;
        public SemaphoreSlim ClaimGate { get; } = new(1, 1);

        public bool TryTake(out OutboxRow row)
        {
            lock (_claimed)
            {
                return _claimed.TryDequeue(out row!);
            }
        }

        public void Add(IEnumerable<OutboxRow> rows)
        {
            lock (_claimed)
            {
                foreach (var r in rows)
                {
                    _claimed.Enqueue(r);
                }
            }
        }

        public List<OutboxRow> TakeAll()
        {
            lock (_claimed)
            {
                var all = _claimed.ToList();
                _claimed.Clear();
                return all;
            }
        }
    }

    /// <summary>Most messages one claim takes.</summary>
    internal const int MaxClaim = 64;

    /// <summary>
    /// How many to claim at once: about 100 ms of sends at the channel's pace, at least one per sender,
    /// at most <see cref="MaxClaim"/>. Few enough that a staff notification queued behind them waits
    /// little, and that a crash holds few.
    /// </summary>
    private int ClaimSize(string channel)
    {
        var senders = options.Value.SendersPerChannel;
        var pace = _channels[channel] is IRateLimitedChannel { MessagesPerSecond: > 0 } r ? r.MessagesPerSecond : double.PositiveInfinity;
        var tenth = double.IsPositiveInfinity(pace) ? MaxClaim : (int)Math.Ceiling(pace / 10);
        return Math.Clamp(Math.Max(tenth, senders), 1, MaxClaim);
    }

    /// <summary>The lane's next claimed message; claims a batch when none is left. Null when nothing is due.</summary>
    private async Task<OutboxRow?> NextAsync(Lane lane, CancellationToken ct)
    {
        if (lane.TryTake(out var row))
        {
            return row;
        }
        await lane.ClaimGate.WaitAsync(ct);
        try
        {
            if (lane.TryTake(out row))
            {
                return row; // another sender claimed a batch while this one waited
            }
            var limit = ClaimSize(lane.Channel);
            var rows = await writes.RunAsync(w => OutboxStore.ClaimAsync(w.Session, lane.Channel, InstanceId, clock.GetUtcNow(), options.Value.Lease, limit), ct);
            if (rows.Count == 0)
            {
                return null;
            }
            lane.Add(rows.Skip(1));
            return rows[0];
        }
        finally
        {
            lane.ClaimGate.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (options.Value.DispatcherEnabled)
        {
            try
            {
                // Sends were cancelled mid-way: let whoever runs next send them without waiting for the lease.
                await OutboxStore.ReleaseClaimsAsync(db, InstanceId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Outbox: could not release this instance's claims at shutdown; they are released at the next start");
            }
        }
    }

    /// <summary>Before the lanes start: release what this instance's previous process held, bury rows of unknown channels.</summary>
    private async Task PrepareAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var released = await OutboxStore.ReleaseClaimsAsync(db, InstanceId, ct);
                if (released > 0)
                {
                    logger.LogWarning("Outbox: released {Count} message(s) claimed by this instance ({Instance}) before it stopped; they are due now",
                        released, InstanceId);
                }
                var buried = await OutboxStore.BuryUnknownChannelsAsync(db, _channels.Keys, clock.GetUtcNow(), ct);
                if (buried > 0)
                {
                    logger.LogWarning("Outbox: {Count} pending message(s) are for channels that are not configured; marked dead", buried);
                }
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                logger.LogWarning(e, "Outbox: start-up clean-up failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }
    }

    private async Task RunSenderAsync(Lane lane, CancellationToken ct)
    {
        await Task.Yield();
        var channel = lane.Channel;
        while (!ct.IsCancellationRequested)
        {
            var wake = signal.Next; // taken before looking, so a commit while we look is not missed
            var sleep = options.Value.SweepInterval;
            try
            {
                if (await NextAsync(lane, ct) is { } row)
                {
                    await SendOneAsync(row, ct);
                    continue;
                }
                if (await OutboxStore.NextDueAsync(db, channel, ct) is { } due)
                {
                    var untilDue = due - clock.GetUtcNow();
                    if (untilDue < sleep)
                    {
                        // A retry or someone else's lease ends soon: wake then (never spin on a past time).
                        sleep = untilDue > MinSleep ? untilDue : MinSleep;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox lane {Channel} failed; retrying at the next signal or sweep", channel);
            }
            try
            {
                await OutboxSignal.WaitAsync(wake, sleep, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(10);

    /// <summary>Claims and sends the next message of one channel due at <paramref name="asOf"/>; false when none is.</summary>
    private async Task<bool> SendNextAsync(string channel, DateTimeOffset asOf, CancellationToken ct)
    {
        var rows = await writes.RunAsync(w => OutboxStore.ClaimAsync(w.Session, channel, InstanceId, asOf, options.Value.Lease, 1), ct);
        if (rows.Count == 0)
        {
            return false;
        }
        await SendOneAsync(rows[0], ct);
        return true;
    }

    /// <summary>
    /// Sends everything that is due now on every channel, one message at a time; returns how many were
    /// handled. For tests and tools that drive delivery step by step (Outbox:DispatcherEnabled=false).
    /// </summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        // What is due when the call starts: a message that fails and is due again a moment later
        // waits for the next call instead of being retried in this one.
        var start = clock.GetUtcNow();
        var handled = await OutboxStore.BuryUnknownChannelsAsync(db, _channels.Keys, start, ct);
        foreach (var channel in _channels.Keys)
        {
            for (var i = 0; i < options.Value.BatchSize && await SendNextAsync(channel, start, ct); i++)
            {
                handled++;
            }
        }
        return handled;
    }

    private async Task SendOneAsync(OutboxRow row, CancellationToken ct)
    {
        var o = options.Value;
        var channel = _channels[row.Channel];
        var message = new OutboundMessage(row.Id, row.Channel, row.Recipient, row.Body, row.QuickReplyList,
            row.LastInboundAt is { } li ? DateTimeOffset.FromUnixTimeMilliseconds(li) : null, row.Attempts, row.ButtonList, row.Attachment, row.TextFormat);
        SendResult result;
        try
        {
            await throttle.WaitAsync(channel, row.Recipient, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping before the send began: give the claim back so it need not wait out the lease.
            await OutboxStore.ReleaseClaimsAsync(db, [row.Id], CancellationToken.None);
            throw;
        }
        if (!await OutboxStore.RenewClaimAsync(db, row, clock.GetUtcNow() + o.Lease, CancellationToken.None))
        {
            // The lease ran out while the message waited for the provider's rate and another sender
            // (possibly another instance) claimed it: it is theirs to send now.
            throttle.Completed(channel, row.Recipient);
            logger.LogInformation("Outbox {Id}: claim expired while waiting for the send rate and was taken over; not sent here", row.Id);
            return;
        }
        try
        {
            // Once begun, a send runs to its end (bounded by the channel's own HTTP timeout) and its
            // outcome is recorded even while stopping: abandoning it would leave a message the
            // provider may have accepted to be sent again.
            result = await channel.SendAsync(message, CancellationToken.None);
        }
        catch (Exception e)
        {
            result = new SendResult.Retryable(e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            throttle.Completed(channel, row.Recipient);
        }
        ct = CancellationToken.None;

        var now = clock.GetUtcNow();
        // Provider error texts may quote the recipient's number or a request URL: mask before storing or logging.
        result = result switch
        {
            SendResult.Retryable r => r with { Error = Redact.All(r.Error) },
            SendResult.Permanent p => p with { Error = Redact.All(p.Error) },
            TemplateRequired t => t with { Error = Redact.All(t.Error) },
            _ => result,
        };
        // The outcome joins the next group-commit batch; the sender goes on only once it is durable. A
        // lost "sent" mark means the message goes out again, so a failed batch (the write lock not
        // obtained in time on a busy machine) is retried: the marks only set values and may repeat.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await writes.RunAsync(w => RecordAsync(w.Session, row, result, now), CancellationToken.None);
                return;
            }
            catch (DbException e) when (attempt < MarkAttempts)
            {
                logger.LogWarning(e, "Outbox {Id}: recording the send's outcome failed (attempt {Attempt} of {Max}); retrying", row.Id, attempt, MarkAttempts);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), CancellationToken.None);
            }
        }
    }

    private const int MarkAttempts = 5;

    private async Task RecordAsync(DbSession s, OutboxRow row, SendResult result, DateTimeOffset now)
    {
        var o = options.Value;
        switch (result)
        {
            case SendResult.Sent sent:
                await OutboxStore.MarkSentAsync(s, row.Id, sent.ProviderMessageId, now);
                metrics.Sent(row.Channel);
                break;
            case TemplateRequired t:
                // The channel found no approved template to fall back on outside WhatsApp's 24-hour window.
                await OutboxStore.MarkDeadAsync(s, row.Id, $"outside the 24-hour window and no template is configured: {t.Error}", now);
                logger.LogWarning("Outbox {Id} via {Channel}: needs a template, none configured; marked dead", row.Id, row.Channel);
                metrics.SendFailed(row.Channel, dead: true);
                break;
            case SendResult.Permanent p:
                await OutboxStore.MarkDeadAsync(s, row.Id, p.Error, now);
                if (p.RecipientUnreachable && row.ReporterId is { } rid)
                {
                    await OutboxStore.MarkReporterUnreachableAsync(s, rid, now);
                }
                logger.LogWarning("Outbox {Id} via {Channel} failed permanently: {Error}", row.Id, row.Channel, p.Error);
                metrics.SendFailed(row.Channel, dead: true);
                break;
            case SendResult.Retryable r when row.Attempts >= o.MaxAttempts:
                await OutboxStore.MarkDeadAsync(s, row.Id, $"gave up after {row.Attempts} attempts: {r.Error}", now);
                logger.LogWarning("Outbox {Id} via {Channel} is dead after {Attempts} attempts: {Error}", row.Id, row.Channel, row.Attempts, r.Error);
                metrics.SendFailed(row.Channel, dead: true);
                break;
            case SendResult.Retryable r:
                var delay = r.RetryAfter ?? Backoff(row.Attempts, o);
                await OutboxStore.MarkRetryAsync(s, row.Id, $"attempt {row.Attempts} of {o.MaxAttempts}: {r.Error}", now + delay, now);
                logger.LogInformation("Outbox {Id} via {Channel}: attempt {Attempt} of {Max} failed ({Error}); next in {Delay}",
                    row.Id, row.Channel, row.Attempts, o.MaxAttempts, r.Error, delay);
                metrics.SendFailed(row.Channel, dead: false);
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
