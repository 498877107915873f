using LaporBot.Data;
using LaporBot.Hosting;
using Microsoft.Extensions.Options;

namespace LaporBot.Outbox;

/// <summary>
/// Readiness: the outbox drains. Fails when a message has been due, with no sender holding it, for
/// longer than <see cref="OutboxOptions.ReadinessMaxWait"/>: the senders are stuck or stopped.
/// A provider outage does not fail it (failed messages wait for their retry time, which does not
/// count), and neither does a message being sent.
/// </summary>
internal sealed class OutboxBacklogCheck(IDatabase db, TimeProvider clock, IOptions<OutboxOptions> options) : IReadinessCheck
{
    public string Name => "outbox-backlog";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var limit = options.Value.ReadinessMaxWait;
        if (await OutboxStore.OldestWaitingAsync(db, now, cancellationToken) is not { } since)
        {
            return ReadinessResult.Ok("nothing waiting");
        }
        var waited = now - since;
        return waited <= limit
            ? ReadinessResult.Ok($"oldest due message waiting {Seconds(waited)} s (limit {Seconds(limit)} s)")
            : ReadinessResult.Fail($"a message has waited {Seconds(waited)} s to be sent (limit {Seconds(limit)} s): are the senders running?");
    }

    private static string Seconds(TimeSpan t) => Math.Max(0, t.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
