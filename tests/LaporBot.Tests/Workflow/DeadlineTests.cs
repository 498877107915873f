using LaporBot.Complaints;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using static LaporBot.Tests.Workflow.DeadlineKit;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// Service standards from the workflow file (the pre-workflow three steps as a file: 15 min to
/// dispose, 15 min to accept, 60 min to answer, escalation past 2 h 15 min) applied by the real SLA
/// rounds to complaints that came in over Telegram; the clock is moved by hand, nothing sleeps. The
/// shipped SOPs are walked in <see cref="SopLifecycleTests"/>.
/// </summary>
public class DeadlineTests
{
    // A Tuesday morning, far from any weekend or holiday.
    private static readonly DateTimeOffset T = Wib(2026, 3, 10, 9, 0);

    [Fact]
    public async Task The_agency_is_reminded_once_at_half_the_accept_time_and_the_case_is_overdue_once_after_15_minutes()
    {
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Jalan);
        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Assigned, "DPUPR", "terima"), (row.Status, row.AgencyCode, row.Step));
        Assert.Equal(T.AddMinutes(15), Time(row.DueAt));
        Assert.Equal(T.AddMinutes(7.5), Time(row.RemindAt));

        k.At(T.AddMinutes(7));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        Assert.Empty(await k.EventsAsync(number, "reminder"));

        k.At(T.AddMinutes(8));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());
        var reminder = await k.Kit.WaitForMessageAsync(RoutingKit.PuAdmin, "Pengingat");
        Assert.Contains(number, reminder.GetProperty("text").GetString());
        Assert.Contains("Instansi menerima disposisi", reminder.GetProperty("text").GetString());
        Assert.Equal(T.AddMinutes(8), Time((await k.RowAsync(number)).RemindedAt));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        k.At(T.AddMinutes(14));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        Assert.Single(await k.EventsAsync(number, "reminder"));
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.PuAdmin, "Pengingat"));
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.DlhAdmin, "Pengingat")); // only the agency it was assigned to

        k.At(T.AddMinutes(15).AddSeconds(-1));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        k.At(T.AddMinutes(16));
        Assert.Equal(new(0, 1, 0), await k.RoundAsync());
        Assert.Equal(T.AddMinutes(16), Time((await k.RowAsync(number)).OverdueAt));
        // The step's own role holders are told; the file's escalations tell others.
        var told = await k.Kit.WaitForMessageAsync(RoutingKit.PuAdmin, "melewati batas waktu");
        Assert.Contains(number, told.GetProperty("text").GetString());
        Assert.Contains("Dinas Pekerjaan Umum", told.GetProperty("text").GetString());
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.Triage, "melewati batas waktu"));

        k.At(T.AddMinutes(30));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        k.At(T.AddHours(5));
        // Past the file's escalation (2 h 15 min from submission, to the triage desk): told once.
        Assert.Equal(new(0, 0, 0) { Escalated = 1 }, await k.RoundAsync());
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        Assert.Equal("sistem:eskalasi", Assert.Single(await k.EventsAsync(number, "escalated")).Actor);
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Triage, "melewati standar total 2 jam 15 menit"));
        Assert.Single(await k.EventsAsync(number, "overdue"));
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.PuAdmin, "melewati batas waktu"));

        var sla = (await k.Kit.TimelineAsync(number)).Where(e => e.Kind is "reminder" or "overdue").ToList();
        Assert.Equal([("sistem:sla", "reminder"), ("sistem:sla", "overdue")], sla.Select(e => (e.Actor, e.Kind)));
        Assert.Contains("Instansi menerima disposisi", sla[1].Note);
    }

    [Fact]
    public async Task A_round_that_first_runs_after_the_deadline_reminds_and_marks_overdue_once_each()
    {
        // E.g. the service was down over the whole accept period: the first round sees both due.
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Jalan);

        k.At(T.AddMinutes(40));
        Assert.Equal(new(1, 1, 0), await k.RoundAsync());
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());

        Assert.Equal(["reminder", "overdue"], (await k.Kit.TimelineAsync(number)).Where(e => e.Actor == "sistem:sla").Select(e => e.Kind));
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.PuAdmin, "Pengingat"));
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.PuAdmin, "melewati batas waktu"));
    }

    [Fact]
    public async Task Accepting_restarts_the_clock_with_60_minutes_to_answer_and_an_answer_in_time_is_never_overdue()
    {
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Jalan);
        k.At(T.AddMinutes(8));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());

        k.At(T.AddMinutes(10));
        await k.Kit.PressAsync(RoutingKit.PuAdmin, $"terima:{number}");
        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Accepted, "jawab"), (row.Status, row.Step));
        Assert.Equal(T.AddMinutes(10), Time(row.StepStartedAt));
        Assert.Equal(T.AddMinutes(70), Time(row.DueAt));
        Assert.Equal(T.AddMinutes(40), Time(row.RemindAt));
        Assert.Null(row.RemindedAt); // the accept step's reminder does not count for the answer step

        // Past the old accept deadline: nothing, the answer step has its own clock.
        k.At(T.AddMinutes(25));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        k.At(T.AddMinutes(41));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.PuAdmin, "(Instansi menjawab pelapor)"));

        k.At(T.AddMinutes(69));
        await k.Kit.SayAsync(RoutingKit.PuAdmin, $"/balas {number} Lubang sudah ditambal oleh tim UPT jalan pagi ini.");
        row = await k.RowAsync(number);
        Assert.Equal(ComplaintStatus.Answered, row.Status);
        Assert.Null(row.Step);
        Assert.Null(row.DueAt);

        foreach (var later in new[] { T.AddMinutes(70), T.AddHours(3), T.AddDays(2) })
        {
            k.At(later);
            Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        }
        Assert.Empty(await k.EventsAsync(number, "overdue"));
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.Triage, "melewati batas waktu"));
        Assert.Equal(2, (await k.EventsAsync(number, "reminder")).Count);
    }

    [Fact]
    public async Task An_accepted_case_not_answered_is_overdue_60_minutes_after_acceptance()
    {
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Jalan);
        k.At(T.AddMinutes(12));
        await k.Kit.PressAsync(RoutingKit.PuAdmin, $"terima:{number}");

        k.At(T.AddMinutes(72).AddSeconds(-1));
        Assert.Equal(0, (await k.RoundAsync()).Overdue);
        k.At(T.AddMinutes(72));
        Assert.Equal(1, (await k.RoundAsync()).Overdue);
        Assert.Equal(0, (await k.RoundAsync()).Overdue);

        var overdue = Assert.Single(await k.EventsAsync(number, "overdue"));
        Assert.Equal("sistem:sla", overdue.Actor);
        Assert.Contains("Instansi menjawab pelapor", overdue.Note);
        var told = await k.Kit.WaitForMessageAsync(RoutingKit.PuAdmin, "melewati batas waktu");
        Assert.Contains("\"Instansi menjawab pelapor\"", told.GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_unclear_complaint_waiting_at_the_triage_desk_is_timed_from_submission()
    {
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Unclear);
        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Triage, "disposisi"), (row.Status, row.Step));
        Assert.Equal(T.AddMinutes(15), Time(row.DueAt));

        k.At(T.AddMinutes(8));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Triage, "(Disposisi Admin Utama)"));
        k.At(T.AddMinutes(15));
        Assert.Equal(new(0, 1, 0), await k.RoundAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Triage, "melewati batas waktu"));

        // Dispositioned late: the agency gets a fresh accept step, no longer overdue.
        k.At(T.AddMinutes(20));
        await k.Kit.PressAsync(RoutingKit.Triage, $"disposisi:{number}:DLH");
        row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Assigned, "terima", (long?)null), (row.Status, row.Step, row.OverdueAt));
        Assert.Equal(T.AddMinutes(35), Time(row.DueAt));
        k.At(T.AddMinutes(34));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.DlhAdmin, "Pengingat"));
    }

    [Fact]
    public async Task An_agencys_own_workflow_file_changes_only_that_agencys_deadlines()
    {
        await using var k = await StartAsync(T, new Dictionary<string, string?>
        {
            ["Agencies:1:Workflow"] = Path.Combine(TestPaths.TestData, "workflows", "three-step-slow.yaml"), // 1 h to accept, 4 h to answer
        });
        var jalan = await k.FileAndRouteAsync(Jalan);
        var sampah = await k.FileAndRouteAsync(Sampah, citizen: RoutingKit.Citizen + 1);
        Assert.Equal("DLH", await k.Kit.AgencyAsync(sampah));
        Assert.Equal(T.AddMinutes(15), Time((await k.RowAsync(jalan)).DueAt));
        Assert.Equal(T.AddHours(1), Time((await k.RowAsync(sampah)).DueAt));

        k.At(T.AddMinutes(16));
        Assert.Equal(new(1, 1, 0), await k.RoundAsync()); // DPUPR: its reminder and its breach; DLH: neither (reminder at 30 min)
        Assert.Single(await k.EventsAsync(jalan, "overdue"));
        Assert.Empty(await k.EventsAsync(sampah, "overdue"));

        await k.Kit.PressAsync(RoutingKit.PuAdmin, $"terima:{jalan}");
        await k.Kit.PressAsync(RoutingKit.DlhAdmin, $"terima:{sampah}");
        Assert.Equal(T.AddMinutes(16 + 60), Time((await k.RowAsync(jalan)).DueAt));
        Assert.Equal(T.AddMinutes(16).AddHours(4), Time((await k.RowAsync(sampah)).DueAt));

        k.At(T.AddMinutes(16 + 61));
        await k.RoundAsync();
        Assert.Equal(2, (await k.EventsAsync(jalan, "overdue")).Count);
        Assert.Empty(await k.EventsAsync(sampah, "overdue"));

        k.At(T.AddMinutes(16).AddHours(4));
        Assert.Equal(1, (await k.RoundAsync()).Overdue);
        Assert.Single(await k.EventsAsync(sampah, "overdue"));
    }

    [Fact]
    public async Task An_oversight_complaint_goes_to_the_inspectorate_with_60_days_to_answer()
    {
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Pungli);
        var row = await k.RowAsync(number);
        Assert.Equal(("INSPEKTORAT", true), (row.AgencyCode, row.Oversight));
        // Straight to the file's oversight step: 60 days; the total is the desk's 15 minutes plus those.
        Assert.Equal((ComplaintStatus.Assigned, "pengawasan"), (row.Status, row.Step));
        Assert.Equal(T.AddDays(60).AddMinutes(15), Time(row.TotalDueAt));
        Assert.Null(row.EscalateAt); // the 2 h 15 min total is shorter than the oversight path: not for this case

        var accepted = T;
        Assert.Equal(accepted.AddDays(60), Time(row.DueAt));
        Assert.Equal(accepted.AddDays(30), Time(row.RemindAt));

        k.At(accepted.AddDays(30).AddMinutes(-1));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        k.At(accepted.AddDays(30));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.InspAdmin, "Pengingat"));
        k.At(accepted.AddDays(60).AddMinutes(-1));
        var beforeDue = await k.RoundAsync(); // the 60-day total (from submission) may pass in this round
        Assert.Equal((0, 0, 0), (beforeDue.Reminded, beforeDue.Overdue, beforeDue.AutoClosed));
        k.At(accepted.AddDays(60));
        var due = await k.RoundAsync();
        Assert.Equal((0, 1, 0, 0), (due.Reminded, due.Overdue, due.AutoClosed, due.Escalated));
        Assert.Empty(await k.EventsAsync(number, "escalated"));
        var told = await k.Kit.WaitForMessageAsync(RoutingKit.InspAdmin, "melewati batas waktu");
        Assert.Contains("Inspektorat Daerah", told.GetProperty("text").GetString());
    }
}

/// <summary>Deadlines in working time: WIB office hours 07:30–16:00, Monday–Friday, minus listed holidays.</summary>
public class WorkingTimeDeadlineTests
{
    [Fact]
    public async Task A_complaint_assigned_Friday_1550_is_not_overdue_over_the_weekend_and_is_overdue_Monday_at_0735()
    {
        var friday = Wib(2026, 3, 13, 15, 50);
        await using var k = await StartAsync(friday, WorkingTime);
        var number = await k.FileAndRouteAsync(Jalan);
        var row = await k.RowAsync(number);
        // 10 minutes left on Friday, the other 5 on Monday morning.
        Assert.Equal(Wib(2026, 3, 16, 7, 35), Time(row.DueAt));
        Assert.Equal(Wib(2026, 3, 13, 15, 57, 30), Time(row.RemindAt));

        k.At(Wib(2026, 3, 13, 15, 58));
        Assert.Equal(new(1, 0, 0), await k.RoundAsync());
        foreach (var t in new[] { Wib(2026, 3, 13, 16, 30), Wib(2026, 3, 14, 10, 0), Wib(2026, 3, 15, 23, 59), Wib(2026, 3, 16, 7, 0), Wib(2026, 3, 16, 7, 34, 59) })
        {
            k.At(t);
            Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        }
        Assert.Null((await k.RowAsync(number)).OverdueAt);

        k.At(Wib(2026, 3, 16, 7, 35));
        Assert.Equal(new(0, 1, 0), await k.RoundAsync());
        Assert.Equal(Wib(2026, 3, 16, 7, 35), Time((await k.RowAsync(number)).OverdueAt));
        Assert.Equal("sistem:sla", Assert.Single(await k.EventsAsync(number, "overdue")).Actor);
    }

    [Fact]
    public async Task Cuti_bersama_and_Christmas_do_not_count_towards_the_deadline()
    {
        // Wednesday 23 December 2026; 24 (cuti bersama) and 25 (Natal) are holidays, then a weekend.
        await using var k = await StartAsync(Wib(2026, 12, 23, 15, 50), WorkingTime);
        var number = await k.FileAndRouteAsync(Sampah);
        var row = await k.RowAsync(number);
        Assert.Equal(Wib(2026, 12, 28, 7, 35), Time(row.DueAt));

        foreach (var t in new[] { Wib(2026, 12, 24, 10, 0), Wib(2026, 12, 25, 10, 0), Wib(2026, 12, 27, 12, 0), Wib(2026, 12, 28, 7, 34) })
        {
            k.At(t);
            Assert.Equal(0, (await k.RoundAsync()).Overdue);
        }
        k.At(Wib(2026, 12, 28, 7, 35));
        Assert.Equal(1, (await k.RoundAsync()).Overdue);

        // Accepted Monday 15:30: the 60-minute answer runs 30 minutes on Monday and 30 on Tuesday.
        k.At(Wib(2026, 12, 28, 15, 30));
        await k.Kit.PressAsync(RoutingKit.DlhAdmin, $"terima:{number}");
        row = await k.RowAsync(number);
        Assert.Equal(Wib(2026, 12, 29, 8, 0), Time(row.DueAt));
        Assert.Null(row.OverdueAt);
        k.At(Wib(2026, 12, 29, 7, 59));
        Assert.Equal(0, (await k.RoundAsync()).Overdue);
        k.At(Wib(2026, 12, 29, 8, 0));
        Assert.Equal(1, (await k.RoundAsync()).Overdue);
    }
}

/// <summary>Answered cases close by themselves when the citizen does not take the matter further.</summary>
public class AutoCloseTests
{
    private static readonly DateTimeOffset T = Wib(2026, 3, 10, 9, 0);

    private static async Task<(DeadlineKit, string)> AnsweredAsync(DateTimeOffset at, IDictionary<string, string?>? extra = null)
    {
        var k = await StartAsync(at, extra);
        var number = await k.FileAndRouteAsync(Jalan);
        await k.Kit.SayAsync(RoutingKit.PuAdmin, $"/balas {number} Lubang sudah ditambal oleh tim UPT jalan pagi ini.");
        Assert.Equal(ComplaintStatus.Answered, await k.Kit.StatusAsync(number));
        await k.Kit.WaitForMessageAsync(RoutingKit.Citizen, "Lubang sudah ditambal");
        return (k, number);
    }

    [Fact]
    public async Task A_returned_case_not_completed_is_reminded_at_half_its_3_days_then_closes_with_a_message_and_an_event()
    {
        await using var k = await StartAsync(T);
        var number = await k.FileAndRouteAsync(Unclear); // at the desk's step, which can return it
        await k.Kit.SayAsync(RoutingKit.Triage, $"/kembalikan {number} sebutkan RT/RW lokasinya");
        Assert.Equal(ComplaintStatus.Returned, await k.Kit.StatusAsync(number));

        k.At(T.AddHours(35));
        Assert.Equal(0, (await k.RoundAsync()).ReturnedReminded);
        k.At(T.AddHours(36));
        Assert.Equal(1, (await k.RoundAsync()).ReturnedReminded);
        Assert.Equal(0, (await k.RoundAsync()).ReturnedReminded); // once
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Citizen, "Pengingat: aduan"));
        Assert.Single(await k.EventsAsync(number, "returned_reminder"));

        k.At(T.AddDays(3).AddMinutes(-1));
        Assert.Equal(0, (await k.RoundAsync()).ReturnedClosed);
        k.At(T.AddDays(3));
        Assert.Equal(1, (await k.RoundAsync()).ReturnedClosed);
        Assert.Equal(ComplaintStatus.Closed, await k.Kit.StatusAsync(number));
        Assert.Single(await k.EventsAsync(number, "returned_expired"));
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Citizen, "kami tutup karena tidak dilengkapi dalam batas waktu"));
        Assert.Equal(0, (await k.RoundAsync()).ReturnedClosed);
    }

    [Fact]
    public async Task An_answer_without_a_reply_closes_after_10_days_and_the_citizen_is_told()
    {
        var (k, number) = await AnsweredAsync(T);
        await using var _ = k;
        Assert.Equal(T.AddDays(10), Time((await k.RowAsync(number)).AutoCloseAt));

        k.At(T.AddDays(10).AddMinutes(-1));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        k.At(T.AddDays(10));
        Assert.Equal(new(0, 0, 1), await k.RoundAsync());
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());

        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Closed, T.AddDays(10)), (row.Status, Time(row.ClosedAt)));
        Assert.Equal("sistem:sla", Assert.Single(await k.EventsAsync(number, "auto_closed")).Actor);
        var told = await k.Kit.WaitForMessageAsync(RoutingKit.Citizen, "kami tutup");
        Assert.Contains(number, told.GetProperty("text").GetString());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Citizen, "kami tutup"));
    }

    [Fact]
    public async Task With_the_calendar_on_auto_close_counts_10_working_days_skipping_holidays()
    {
        // Answered Friday 11 December 2026: ten working days, skipping two weekends and 24–25 December.
        var answered = Wib(2026, 12, 11, 10, 0);
        var (k, number) = await AnsweredAsync(answered, WorkingTime);
        await using var _ = k;
        Assert.Equal(Wib(2026, 12, 29, 10, 0), Time((await k.RowAsync(number)).AutoCloseAt));

        foreach (var t in new[] { answered.AddDays(10), Wib(2026, 12, 25, 10, 0), Wib(2026, 12, 29, 9, 59) })
        {
            k.At(t);
            Assert.Equal(0, (await k.RoundAsync()).AutoClosed);
        }
        k.At(Wib(2026, 12, 29, 10, 0));
        Assert.Equal(1, (await k.RoundAsync()).AutoClosed);
        Assert.Equal(ComplaintStatus.Closed, await k.Kit.StatusAsync(number));
        Assert.Single(await k.EventsAsync(number, "auto_closed"));
    }

    [Fact]
    public async Task A_rating_alone_does_not_stop_auto_close_and_the_citizen_is_not_told_they_never_replied()
    {
        var (k, number) = await AnsweredAsync(T);
        await using var _ = k;
        k.At(T.AddDays(1));
        await k.Kit.SayAsync(RoutingKit.Citizen, "4");
        Assert.Equal(4, (await k.RowAsync(number)).Rating);
        Assert.Equal(ComplaintStatus.Answered, await k.Kit.StatusAsync(number));

        k.At(T.AddDays(10));
        Assert.Equal(1, (await k.RoundAsync()).AutoClosed);

        Assert.Equal(ComplaintStatus.Closed, await k.Kit.StatusAsync(number));
        var closed = Assert.Single(await k.EventsAsync(number, "auto_closed"));
        Assert.Equal("sistem:sla", closed.Actor);
        Assert.DoesNotContain("tidak ada tanggapan", closed.Note);
        var told = await k.Kit.WaitForMessageAsync(RoutingKit.Citizen, "kami tutup");
        var text = told.GetProperty("text").GetString()!;
        Assert.Contains(number, text);
        Assert.DoesNotContain("tidak ada tanggapan", text); // they did answer: with a 4/5
        Assert.Contains("Terima kasih atas tanggapan", text);
    }

    [Fact]
    public async Task A_comment_is_forwarded_to_the_agency_and_the_case_still_closes_on_time_as_one_the_citizen_replied_to()
    {
        var (k, number) = await AnsweredAsync(T);
        await using var _ = k;
        k.At(T.AddDays(3));
        await k.Kit.SayAsync(RoutingKit.Citizen, "Terima kasih, nanti sore saya lewat sana untuk melihat hasilnya");
        // Held until the citizen says which case it is about (the clarifying question), then forwarded once.
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.PuAdmin, "nanti sore saya lewat"));
        await k.Kit.SayAsync(RoutingKit.Citizen, number);
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.PuAdmin, "nanti sore saya lewat"));

        k.At(T.AddDays(10));
        Assert.Equal(1, (await k.RoundAsync()).AutoClosed);
        var text = (await k.Kit.WaitForMessageAsync(RoutingKit.Citizen, "kami tutup")).GetProperty("text").GetString()!;
        Assert.Contains("Terima kasih atas tanggapan", text);
    }

    [Fact]
    public async Task Puas_closes_the_case_at_once_and_auto_close_has_nothing_left_to_do()
    {
        var (k, number) = await AnsweredAsync(T);
        await using var _ = k;
        k.At(T.AddDays(1));
        await k.Kit.SayAsync(RoutingKit.Citizen, "puas");
        await k.Kit.SayAsync(RoutingKit.Citizen, "5");
        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Closed, 5, true), (row.Status, row.Rating, row.Satisfied));

        k.At(T.AddDays(10));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        Assert.Empty(await k.EventsAsync(number, "auto_closed"));
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.Citizen, "kami tutup karena"));
        Assert.Equal(["satisfied", "rated"], (await k.Kit.TimelineAsync(number)).Where(e => e.Actor == "pelapor").Select(e => e.Kind));
    }

    [Fact]
    public async Task Tidak_puas_reopens_the_case_which_then_does_not_auto_close_but_has_60_minutes_for_a_new_answer()
    {
        var (k, number) = await AnsweredAsync(T);
        await using var _ = k;
        var reopened = T.AddDays(2);
        k.At(reopened);
        await k.Kit.SayAsync(RoutingKit.Citizen, "tidak puas, lubang di sisi utara belum ditambal");
        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Reopened, (long?)null), (row.Status, row.AutoCloseAt));
        Assert.Equal(reopened.AddHours(1), Time(row.DueAt));

        k.At(reopened.AddHours(1));
        Assert.Equal(new(1, 1, 0), await k.RoundAsync());
        k.At(T.AddDays(10));
        Assert.Equal(new(0, 0, 0), await k.RoundAsync());
        Assert.Equal(ComplaintStatus.Reopened, await k.Kit.StatusAsync(number));
    }
}

/// <summary>The triage desk's daily list of overdue cases.</summary>
public class DigestTests
{
    private static async Task<(DeadlineKit, string)> OverdueAsync(DateTimeOffset at, IDictionary<string, string?>? extra = null)
    {
        var k = await StartAsync(at, extra);
        var number = await k.FileAndRouteAsync(Jalan);
        k.At(at.AddMinutes(16));
        Assert.Equal(1, (await k.RoundAsync()).Overdue);
        return (k, number);
    }

    [Fact]
    public async Task The_digest_goes_to_the_triage_desk_once_per_local_day()
    {
        // 05:00 WIB is still the previous day in UTC: the day that counts is the local one.
        var (k, number) = await OverdueAsync(Wib(2026, 3, 10, 5, 0));
        await using var _ = k;

        k.At(Wib(2026, 3, 10, 6, 0));
        Assert.True(await k.DigestAsync());
        var digest = await k.Kit.WaitForMessageAsync(RoutingKit.Triage, "Rekap harian");
        var text = digest.GetProperty("text").GetString()!;
        Assert.Contains("1 aduan terlambat", text);
        Assert.Contains(number, text);
        Assert.Contains("Dinas Pekerjaan Umum", text);

        foreach (var t in new[] { Wib(2026, 3, 10, 8, 0), Wib(2026, 3, 10, 23, 59) })
        {
            k.At(t);
            Assert.False(await k.DigestAsync());
        }
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Triage, "Rekap harian"));
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.PuAdmin, "Rekap harian"));

        k.At(Wib(2026, 3, 11, 8, 0));
        Assert.True(await k.DigestAsync());
        Assert.False(await k.DigestAsync());
        Assert.Equal(2, await k.QueuedAsync(RoutingKit.Triage, "Rekap harian"));

        var events = await k.EventsAsync(number, "digest");
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("sistem:sla", e.Actor));
        Assert.Contains("2026-03-10", events[0].Note);
        Assert.Contains("2026-03-11", events[1].Note);
    }

    [Fact]
    public async Task A_case_answered_after_it_was_overdue_leaves_the_digest()
    {
        var (k, number) = await OverdueAsync(Wib(2026, 3, 10, 9, 0));
        await using var _ = k;
        await k.Kit.SayAsync(RoutingKit.PuAdmin, $"/balas {number} Sudah ditambal.");

        k.At(Wib(2026, 3, 11, 8, 0));
        Assert.True(await k.DigestAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Triage, "tidak ada aduan yang terlambat"));
        Assert.Empty(await k.EventsAsync(number, "digest"));
    }

    [Fact]
    public async Task With_the_calendar_on_there_is_no_digest_on_Saturday_and_Sunday_but_there_is_on_Monday()
    {
        var (k, number) = await OverdueAsync(Wib(2026, 3, 13, 9, 0), WorkingTime); // Friday
        await using var _ = k;

        foreach (var t in new[] { Wib(2026, 3, 14, 8, 0), Wib(2026, 3, 15, 8, 0) })
        {
            k.At(t);
            Assert.False(await k.DigestAsync());
        }
        Assert.Equal(0, await k.QueuedAsync(RoutingKit.Triage, "Rekap harian"));

        k.At(Wib(2026, 3, 16, 8, 0));
        Assert.True(await k.DigestAsync());
        Assert.Equal(1, await k.QueuedAsync(RoutingKit.Triage, "Rekap harian"));
        Assert.Single(await k.EventsAsync(number, "digest"));
    }

    [Fact]
    public async Task The_digest_day_is_the_local_day_of_the_configured_time_zone()
    {
        // Jayapura (WIT, UTC+9): 00:30 on Wednesday is still Tuesday in Jakarta.
        var (k, _) = await OverdueAsync(Wib(2026, 3, 10, 6, 0), new Dictionary<string, string?> { ["Calendar:TimeZone"] = "Asia/Jayapura" });
        await using var _k = k;
        var wit = TimeSpan.FromHours(9);

        k.At(new DateTimeOffset(2026, 3, 10, 8, 0, 0, wit));
        Assert.True(await k.DigestAsync());
        k.At(new DateTimeOffset(2026, 3, 11, 0, 30, 0, wit));
        Assert.True(await k.DigestAsync());
        k.At(new DateTimeOffset(2026, 3, 11, 8, 0, 0, wit));
        Assert.False(await k.DigestAsync());
        Assert.Equal(2, await k.QueuedAsync(RoutingKit.Triage, "Rekap harian"));
    }
}
