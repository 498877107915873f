using System.Collections.Concurrent;
using System.Diagnostics;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// kill -9 of the real service process under load (defect 4 of issue 9): nothing acknowledged is
/// lost, no inbound message is stored twice, at most the messages in flight are sent twice, and the
/// messages the dead process held are sent within seconds of the restart instead of after the lease.
/// </summary>
public class CrashDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_minus_9_under_load_loses_nothing_acknowledged_and_resumes_at_once()
    {
        await using var kit = await DrillKit.StartAsync(new Dictionary<string, string> { ["Twilio:TimeoutSeconds"] = "10" });
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
                    await Db.EventuallyAsync(() => Task.FromResult(kit.Twilio.To("/Messages.json").Count > 0), "replies are being sent");
                    kit.App.Kill();
                    killed.SetResult();
                }
                await PostAsync(http, i);
            }
        }).ToList();
        await Task.WhenAll(workers);
        await killed.Task;

        // What the dead process held, and whether everything it acknowledged is on disk.
        SqliteConnection.ClearAllPools();
        var stored = (await Db.QueryAsync<string>(kit.DatabasePath, "SELECT provider_message_id FROM inbound_messages")).ToHashSet();
        var lost = acknowledged.Where(sid => !stored.Contains(sid)).ToList();
        var held = await Db.QueryAsync<long>(kit.DatabasePath, "SELECT id FROM outbox WHERE status = 'pending' AND claimed_until IS NOT NULL");
        var sentBeforeRestart = kit.Twilio.To("/Messages.json").Count;
        output.WriteLine($"acknowledged {acknowledged.Count}, stored {stored.Count}, lost {lost.Count}, unacknowledged {unacknowledged.Count}; " +
            $"claims held by the dead process: {held.Count}");
        Assert.Empty(lost);

        var restart = Stopwatch.StartNew();
        await kit.RestartAsync();
        var listeningAfter = restart.Elapsed;
        foreach (var i in unacknowledged)
        {
            await PostAsync(kit.Http, i); // the provider's retries
        }
        var heldList = string.Join(",", held.DefaultIfEmpty(-1));
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(kit.DatabasePath,
            $"SELECT COUNT(*) FROM outbox WHERE id IN ({heldList}) AND status = 'sent'") == held.Count, "the held messages are sent", 110_000);
        var heldSentAfter = restart.Elapsed;
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio' AND status = 'sent'") == citizens, "every reply is sent", 120_000);
        var drainedAfter = restart.Elapsed;

        Assert.Equal(citizens, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(citizens, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio'"));
        var perCitizen = kit.Twilio.To("/Messages.json").GroupBy(r => r.Form["To"]).Select(g => g.Count()).ToList();
        Assert.Equal(citizens, perCitizen.Count);
        var duplicates = perCitizen.Sum(n => n - 1);
        output.WriteLine($"restarted process listening after {listeningAfter.TotalSeconds:0.0} s; held messages sent {heldSentAfter.TotalSeconds:0.0} s after the restart began ({(heldSentAfter - listeningAfter).TotalSeconds:0.0} s after listening, provider retries included); all {citizens} replies " +
            $"{drainedAfter.TotalSeconds:0.0} s after; duplicate sends {duplicates} (sends before the kill: {sentBeforeRestart})");
        var inFlight = 4 * LaporBot.Outbox.OutboxDispatcher.MarksInFlight; // Outbox:SendersPerChannel = 4, each with its marks in flight
        Assert.True(duplicates <= inFlight, $"{duplicates} duplicate sends; at most the messages in flight ({inFlight}) may repeat");
        // The lease is two minutes: what the dead process held must not wait for it.
        Assert.True(heldSentAfter < TimeSpan.FromSeconds(100), $"held messages waited {heldSentAfter}");
    }
}
