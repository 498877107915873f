using LaporBot.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using LaporBot.Tests.Routing;
using static LaporBot.Tests.Workflow.DeadlineKit;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// The real Quartz scheduler on the SQLite job store: the service stops with work pending or due
/// and starts again on the same file; every job's work happens once — nothing lost, nothing doubled.
/// </summary>
public class RestartTests
{
    // The sweep may route anything a second old, so after a restart the recovered job and the
    // sweep race for the same complaint: the guarded update must let only one of them act.
    private static readonly Dictionary<string, string?> Fast = new() { ["Routing:SweepAfter"] = "00:00:01" };

    /// <summary>
    /// The scheduler keeps storing triggers but fires none. The hosted service may start it after the
    /// host is up, which would undo an earlier standby, so wait for that start first.
    /// </summary>
    private static async Task StandbyAsync(RoutingKit kit)
    {
        var scheduler = await kit.Telegram.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await Db.EventuallyAsync(() => Task.FromResult(scheduler.Status == SchedulerStatus.Running), "the scheduler has started");
        await scheduler.Standby();
        Assert.Equal(SchedulerStatus.Standby, scheduler.Status);
    }

    private static Task<long> RouteTriggersAsync(RoutingKit kit, string number) =>
        Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'routing' AND TRIGGER_NAME = 'route-' || (SELECT id FROM complaints WHERE tracking_number = @number)",
            new { number });

    /// <summary>Every text that reached the fake Telegram more than once in the same chat.</summary>
    private static List<string> Doubles(RoutingKit kit) =>
        kit.Fake.CallsTo("sendMessage").Select(c => c.Json)
            .GroupBy(j => (j.GetProperty("chat_id").GetInt64(), j.GetProperty("text").GetString()))
            .Where(g => g.Count() > 1).Select(g => $"{g.Key.Item1}: {g.Key.Item2} (×{g.Count()})").ToList();

    /// <summary>No text reached a chat twice; when one did, the outbox rows say how (attempts, errors, who held the claim).</summary>
    private static async Task AssertNoDoublesAsync(RoutingKit kit)
    {
        var doubles = Doubles(kit);
        if (doubles.Count > 0)
        {
            var rows = await Db.QueryAsync<(long Id, string Recipient, string Status, long Attempts, string? ClaimedBy, string? LastError, long? ComplaintId)>(
                kit.DatabasePath, "SELECT id, recipient, status, attempts, claimed_by, last_error, complaint_id FROM outbox ORDER BY id");
            Assert.Fail("sent more than once:\n" + string.Join("\n", doubles) + "\noutbox:\n" + string.Join("\n", rows));
        }
    }

    private static async Task AssertRoutedOnceAsync(RoutingKit kit, string number)
    {
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.WaitForMessageAsync(RoutingKit.PuAdmin, number);
        var routing = (await kit.TimelineAsync(number)).Where(e => e.Kind is "assigned" or "to_triage").ToList();
        Assert.Equal([("sistem:routing", "assigned")], routing.Select(e => (e.Actor, e.Kind)));
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.tracking_number = @number AND o.recipient = @admin",
            new { number, admin = RoutingKit.PuAdmin.ToString() }));
    }

    [Fact]
    public async Task A_routing_job_still_pending_at_shutdown_runs_once_after_restart()
    {
        await using var kit = await RoutingKit.StartAsync(Fast);
        await StandbyAsync(kit); // the scheduler stores triggers but fires none: the job stays pending
        var number = await kit.FileComplaintAsync(Jalan);
        Assert.Equal(1, await RouteTriggersAsync(kit, number));
        Assert.Equal("submitted", await kit.StatusAsync(number));

        await kit.Telegram.StopAppAsync();
        Assert.Equal(1, await RouteTriggersAsync(kit, number)); // survived the shutdown in the job store
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));

        await AssertRoutedOnceAsync(kit, number);
        await Db.EventuallyAsync(async () => await RouteTriggersAsync(kit, number) == 0, "the one-shot routing trigger is done and removed");
        // Give the sweep (every second, SweepAfter 1 s) a round at the complaint it can now see.
        await kit.Telegram.StopAppAsync();
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));
        await kit.FileComplaintAsync(Sampah, citizen: RoutingKit.Citizen + 1);
        await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, "Aduan baru");

        await AssertRoutedOnceAsync(kit, number);
        await AssertNoDoublesAsync(kit);
    }

    [Fact]
    public async Task A_complaint_whose_routing_job_was_lost_is_routed_once_by_the_sweep_after_restart()
    {
        await using var kit = await RoutingKit.StartAsync(Fast);
        await StandbyAsync(kit);
        var number = await kit.FileComplaintAsync(Jalan);
        await kit.Telegram.StopAppAsync();

        // The job store lost it (e.g. a crash between the complaint's commit and the scheduling).
        foreach (var table in new[] { "QRTZ_SIMPLE_TRIGGERS", "QRTZ_TRIGGERS", "QRTZ_JOB_DETAILS" })
        {
            var nameColumn = table == "QRTZ_JOB_DETAILS" ? "JOB_NAME" : "TRIGGER_NAME";
            var groupColumn = table == "QRTZ_JOB_DETAILS" ? "JOB_GROUP" : "TRIGGER_GROUP";
            await Db.ExecuteAsync(kit.DatabasePath, $"DELETE FROM {table} WHERE {groupColumn} = 'routing'");
        }
        Assert.Equal(0, await RouteTriggersAsync(kit, number));

        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));
        await AssertRoutedOnceAsync(kit, number);
        await AssertNoDoublesAsync(kit);
    }

    [Fact]
    public async Task Submitting_and_stopping_at_once_routes_the_complaint_exactly_once_whatever_the_job_had_done()
    {
        await using var kit = await RoutingKit.StartAsync(Fast);
        var number = await kit.FileComplaintAsync(Jalan);
        await kit.Telegram.StopAppAsync(); // before, during or after the routing job: timing is not controlled here
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));

        await AssertRoutedOnceAsync(kit, number);
        await Db.EventuallyAsync(async () => await RouteTriggersAsync(kit, number) == 0, "no routing trigger left behind");
        await AssertNoDoublesAsync(kit);
    }

    /// <summary>
    /// As if <paramref name="by"/> had passed for the complaint (while the service was down): its
    /// instants move back. Quartz runs on the app's TimeProvider (see <see cref="LaporApp"/>), so a
    /// restart test keeps real time and moves the data instead of the clock.
    /// </summary>
    private static Task AgeAsync(RoutingKit kit, string number, TimeSpan by) =>
        Db.ExecuteAsync(kit.DatabasePath,
            """
            UPDATE complaints SET created_at = created_at - @ms, assigned_at = assigned_at - @ms, step_started_at = step_started_at - @ms,
                remind_at = remind_at - @ms, due_at = due_at - @ms, total_due_at = total_due_at - @ms, escalate_at = escalate_at - @ms
            WHERE tracking_number = @number
            """, new { ms = (long)by.TotalMilliseconds, number });

    [Fact]
    public async Task Deadlines_that_fell_due_while_the_service_was_down_are_acted_on_once_after_restart()
    {
        await using var kit = await RoutingKit.StartAsync();
        var number = await kit.FileComplaintAsync(Jalan);
        await kit.WaitForStatusAsync(number, "assigned"); // by the immediate job
        await kit.WaitForMessageAsync(RoutingKit.PuAdmin, number);
        await kit.Telegram.StopAppAsync();

        // Down for 8 minutes: the reminder fell due meanwhile.
        await AgeAsync(kit, number, TimeSpan.FromMinutes(8));
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings());
        await kit.WaitForMessageAsync(RoutingKit.PuAdmin, "Pengingat");

        // Down again, now past the deadline: the breach once, the reminder not again.
        await kit.Telegram.StopAppAsync();
        await AgeAsync(kit, number, TimeSpan.FromMinutes(8));
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings());
        await kit.WaitForMessageAsync(RoutingKit.PuAdmin, "melewati batas waktu"); // the step's role holder

        // A later round that certainly ran: the next complaint's reminder. It must find nothing left to do for the first.
        var second = await kit.FileComplaintAsync(Sampah, citizen: RoutingKit.Citizen + 1);
        await kit.WaitForStatusAsync(second, "assigned");
        await AgeAsync(kit, second, TimeSpan.FromMinutes(8));
        await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, "Pengingat");

        var sla = (await kit.TimelineAsync(number)).Where(e => e.Actor == "sistem:sla").Select(e => e.Kind).ToList();
        Assert.Equal(["reminder", "overdue"], sla);
        Assert.Single(kit.SentTo(RoutingKit.PuAdmin), m => m.GetProperty("text").GetString()!.Contains("Pengingat"));
        Assert.Single(kit.SentTo(RoutingKit.PuAdmin), m => m.GetProperty("text").GetString()!.Contains("melewati batas waktu"));
        await AssertNoDoublesAsync(kit);
    }
}
