using System.Collections.Concurrent;
using System.Diagnostics;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// kill -9 of the real service process under load (defect 4 of issue 9), with group commit on (issue
/// 14), on SQLite and on PostgreSQL: nothing acknowledged is lost, no inbound message is stored
/// twice, only messages the dead process held are sent twice and at most the ones in flight, and what
/// it held is sent within seconds of the restart instead of after its lease.
/// </summary>
public abstract class CrashDrillTests(ITestOutputHelper output)
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite(ITestOutputHelper output) : CrashDrillTests(output)
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres(ITestOutputHelper output) : CrashDrillTests(output)
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    /// <summary>Senders per channel; each has at most OutboxDispatcher.MarksInFlight messages sent but not yet recorded.</summary>
    private const int Senders = 4;

    [SkippableFact]
    public async Task Kill_minus_9_under_load_loses_nothing_acknowledged_and_resumes_at_once()
    {
        await using var kit = await DrillKit.StartAsync(new Dictionary<string, string>
        {
            ["Twilio:TimeoutSeconds"] = "10",
            ["Outbox:SendersPerChannel"] = Senders.ToString(),
            // A long lease, so "sent because the restart released it" and "sent because the lease ran
            // out" are minutes apart whatever the machine's load.
            ["Outbox:Lease"] = "00:10:00",
        }, Backend);
        // Each send takes a moment, so some are in flight when the process dies.
        kit.Twilio.Handle(r => kit.TwilioReply(r) with { Delay = TimeSpan.FromMilliseconds(40) });
        var citizens = 60 * DrillKit.Scale;
        var acknowledged = new ConcurrentBag<string>();
        var unacknowledged = new ConcurrentBag<int>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task PostAsync(HttpClient http, int i)
        {
            var sid = $"SMdrill{i:D27}";
            try
            {
                using var request = DrillKit.TwilioInbound($"whatsapp:+6281300{i:D6}", "halo", sid);
                var r = await http.SendAsync(request);
                if (r.IsSuccessStatusCode)
                {
                    acknowledged.Add(sid);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            unacknowledged.Add(i); // the provider would retry it
        }

        var http = kit.Http;
        var next = 0;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next) - 1) < citizens)
            {
                if (i == citizens / 2)
                {
                    // Half-way, and with replies being sent: kill -9.
                    await Db.EventuallyAsync(() => Task.FromResult(kit.Twilio.To("/Messages.json").Count > 0), "replies are being sent", 120_000);
                    kit.App.Kill();
                    killed.SetResult();
                }
                await PostAsync(http, i);
            }
        }).ToList();
        await Task.WhenAll(workers);
        await killed.Task;

        // What the dead process held, and whether everything it acknowledged is stored.
        SqliteConnection.ClearAllPools();
        var stored = await Db.QueryAsync<string>(kit.DatabasePath, "SELECT provider_message_id FROM inbound_messages");
        var lost = acknowledged.Where(sid => !stored.Contains(sid)).ToList();
        var held = await Db.QueryAsync<(long Id, string Recipient)>(kit.DatabasePath,
            "SELECT id, recipient FROM outbox WHERE status = 'pending' AND claimed_until IS NOT NULL");
        var sentBeforeRestart = kit.Twilio.To("/Messages.json").Count;
        output.WriteLine($"[{Backend}] acknowledged {acknowledged.Count}, stored {stored.Count}, lost {lost.Count}, unacknowledged {unacknowledged.Count}; " +
            $"claims held by the dead process: {held.Count}; sends before the kill: {sentBeforeRestart}");
        Assert.Empty(lost);
        Assert.Equal(stored.Count, stored.Distinct().Count());

        var restart = Stopwatch.StartNew();
        await kit.RestartAsync();
        var listeningAfter = restart.Elapsed;
        foreach (var i in unacknowledged)
        {
            await PostAsync(kit.Http, i); // the provider's retries
        }
        // The held messages must not wait for their lease (ten minutes): the restarted instance
        // releases its own claims at start-up. Half the lease is a bound no loaded machine reaches
        // when the claims are released, and one every run reaches when they are not.
        var heldList = string.Join(",", held.Select(h => h.Id).DefaultIfEmpty(-1));
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(kit.DatabasePath,
            $"SELECT COUNT(*) FROM outbox WHERE id IN ({heldList}) AND status = 'sent'") == held.Count, "the held messages are sent before half their lease", 300_000);
        var heldSentAfter = restart.Elapsed;
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio' AND status = 'sent'") == citizens, "every reply is sent", 300_000);
        var drainedAfter = restart.Elapsed;

        // Every citizen stored once, answered once in the outbox.
        Assert.Equal(citizens, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(citizens, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(DISTINCT provider_message_id) FROM inbound_messages"));
        Assert.Equal(citizens, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM reporters WHERE channel = 'twilio'"));
        Assert.Equal(citizens, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio'"));
        var perCitizen = kit.Twilio.To("/Messages.json").GroupBy(r => r.Form["To"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(citizens, perCitizen.Count);
        var doubled = perCitizen.Where(p => p.Value > 1).ToList();
        var duplicates = doubled.Sum(p => p.Value - 1);
        output.WriteLine($"[{Backend}] restarted process listening after {listeningAfter.TotalSeconds:0.0} s; held messages sent {heldSentAfter.TotalSeconds:0.0} s after the restart began " +
            $"({(heldSentAfter - listeningAfter).TotalSeconds:0.0} s after listening, provider retries included); all {citizens} replies {drainedAfter.TotalSeconds:0.0} s after; " +
            $"duplicate sends {duplicates} (claims held at the kill: {held.Count})");
        // Only a message the dead process held can go twice, and only one a sender had begun: a sender
        // sends its next message while the previous outcome commits, so two per sender at most.
        static string Digits(string address) => new(address.Where(char.IsAsciiDigit).ToArray());
        var heldRecipients = held.Select(h => Digits(h.Recipient)).ToHashSet();
        Assert.All(doubled, d => Assert.Contains(Digits(d.Key), heldRecipients));
        var inFlight = Senders * LaporBot.Outbox.OutboxDispatcher.MarksInFlight;
        Assert.True(duplicates <= inFlight, $"{duplicates} duplicate sends; at most the messages in flight ({Senders} senders × {LaporBot.Outbox.OutboxDispatcher.MarksInFlight}) may repeat");
    }
}
