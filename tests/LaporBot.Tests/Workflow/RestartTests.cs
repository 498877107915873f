using LaporBot.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using LaporBot.Tests.Routing;
using static LaporBot.Tests.Workflow.DeadlineKit;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// The real Quartz scheduler on the SQLite job store: the service stops with work pending or due
/// and starts again on the same file; every piece of work happens once — nothing lost, nothing
/// doubled. Routing runs in the process right after the submission's commit; the sweep is the safety
/// net for a crash in between, and the guarded claim (routed_at) lets only one router act.
/// </summary>
public class RestartTests
{
    // The sweep may route anything a second old, so it races the immediate routing (and a job left by
    // an earlier version) for the same complaint: the guarded claim must let only one of them act.
    private static readonly Dictionary<string, string?> Fast = new() { ["Routing:SweepAfter"] = "00:00:01" };

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
            var logs = kit.Telegram.EarlierLogs.Concat(kit.Telegram.App.Logs.Lines)
                .Where(l => l.Contains("Outbox", StringComparison.Ordinal) || l.Contains("commit", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase));
            Assert.Fail("sent more than once:\n" + string.Join("\n", doubles) + "\noutbox:\n" + string.Join("\n", rows) + "\nlogs:\n" + string.Join("\n", logs));
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

    /// <summary>The first run routes nothing by itself: as if it crashed between a submission's commit and its routing.</summary>
    private static readonly Dictionary<string, string?> NoRouting = new(Fast) { ["Scheduler:Enabled"] = "false" };

    [Fact]
    public async Task A_complaint_left_unrouted_at_shutdown_is_routed_once_after_restart()
    {
        await using var kit = await RoutingKit.StartAsync(NoRouting);
        var number = await kit.FileComplaintAsync(Jalan);
        Assert.Equal("submitted", await kit.StatusAsync(number));
        await kit.Telegram.StopAppAsync();

        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));
        await AssertRoutedOnceAsync(kit, number); // by the sweep

        // Another restart and another complaint (routed at once): the first is left alone.
        await kit.Telegram.StopAppAsync();
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));
        await kit.FileComplaintAsync(Sampah, citizen: RoutingKit.Citizen + 1);
        await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, "Aduan baru");

        await AssertRoutedOnceAsync(kit, number);
        await AssertNoDoublesAsync(kit);
    }

    [Fact]
    public async Task A_routing_job_left_by_an_earlier_version_and_the_sweep_route_a_complaint_once()
    {
        await using var kit = await RoutingKit.StartAsync(NoRouting);
        var number = await kit.FileComplaintAsync(Jalan);
        await kit.Telegram.StopAppAsync();

        // Earlier versions scheduled a job per submission; an upgraded installation may still hold one.
        // It races the sweep (every second, for anything a second old): one of them routes, once.
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings(Fast));
        var id = await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT id FROM complaints WHERE tracking_number = @number", new { number });
        var scheduler = await kit.Telegram.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var key = new JobKey($"route-{id}", "routing");
        await scheduler.ScheduleJob(
            JobBuilder.Create<LaporBot.Routing.RouteComplaintJob>().WithIdentity(key)
                .UsingJobData(LaporBot.Routing.RouteComplaintJob.ComplaintIdKey, id.ToString()).RequestRecovery().Build(),
            TriggerBuilder.Create().WithIdentity($"route-{id}", "routing").ForJob(key).StartNow().Build());

        await AssertRoutedOnceAsync(kit, number);
        await Db.EventuallyAsync(async () => await RouteTriggersAsync(kit, number) == 0, "the old job ran and its trigger is gone");
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
        Assert.Equal(0, await RouteTriggersAsync(kit, number)); // routed in the process, not through the job store
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

    /// <summary>
    /// Cases stored before the workflow files carry the old fixed steps; start-up moves each to its
    /// step in the file (accepted → the step after accept; assigned → the agency's first step), keeping
    /// the deadline that was running, and the staff can go on from there.
    /// </summary>
    [Fact]
    public async Task Open_cases_from_before_the_workflow_files_are_moved_to_their_steps_at_start_up()
    {
        await using var kit = await RoutingKit.StartAsync();
        var accepted = await kit.FileComplaintAsync(Jalan);
        await kit.WaitForStatusAsync(accepted, "assigned");
        await kit.SayAsync(RoutingKit.PuAdmin, $"/terima {accepted}");
        await kit.WaitForStatusAsync(accepted, "accepted");
        var assigned = await kit.FileComplaintAsync(Sampah, citizen: RoutingKit.Citizen + 1);
        await kit.WaitForStatusAsync(assigned, "assigned");
        await kit.Telegram.StopAppAsync();

        await Db.ExecuteAsync(kit.DatabasePath,
            "UPDATE complaints SET step = CASE status WHEN 'accepted' THEN 'answer' ELSE 'accept' END WHERE tracking_number IN (@accepted, @assigned)",
            new { accepted, assigned });
        var dueBefore = await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT due_at FROM complaints WHERE tracking_number = @accepted", new { accepted });
        await kit.Telegram.StartAppAsync(RoutingKit.AgencySettings());

        await Db.EventuallyAsync(async () =>
            await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT step FROM complaints WHERE tracking_number = @accepted", new { accepted }) == "jawab",
            "the accepted case is at the answering step");
        Assert.Equal("terima", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT step FROM complaints WHERE tracking_number = @assigned", new { assigned }));
        Assert.Equal(dueBefore, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT due_at FROM complaints WHERE tracking_number = @accepted", new { accepted }));

        await kit.SayAsync(RoutingKit.PuAdmin, $"/balas {accepted} Lubang sudah ditambal.");
        await kit.WaitForStatusAsync(accepted, "answered");
        await kit.SayAsync(RoutingKit.DlhAdmin, $"/terima {assigned}");
        await kit.WaitForStatusAsync(assigned, "accepted");
    }
}
