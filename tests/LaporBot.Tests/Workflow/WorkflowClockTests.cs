using LaporBot.Tests.Fakes;
using LaporBot.Workflow;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// Each shipped SOP walked step by step on a fake clock: every deadline is the SOP's standard (in
/// working time where the SOP says so), the reminder falls halfway, escalations fire when the
/// file says, and acting at each deadline adds up to the SOP's total.
/// </summary>
public class WorkflowClockTests
{
    private static WorkingCalendar Calendar(bool enabled = true) => new(new CalendarOptions
    {
        Enabled = enabled,
        TimeZone = "Asia/Jakarta",
        WorkdayStart = new TimeSpan(7, 30, 0),
        WorkdayEnd = new TimeSpan(16, 0, 0),
        Holidays = ["2026-12-25"],
    });

    private static WorkflowDefinition Shipped(string id) => WorkflowLoader.LoadFile(Path.Combine(TestPaths.Workflows, id + ".yaml"));

    private static DateTimeOffset Wib(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.FromHours(7));

    /// <summary>Walks the forward path, each role acting exactly at its deadline; returns each step's (start, due, remind).</summary>
    private static List<(WorkflowStep Step, DateTimeOffset Start, Deadline D)> Walk(WorkflowDefinition w, WorkflowClock clock, ManualClock time, string? from = null)
    {
        var list = new List<(WorkflowStep, DateTimeOffset, Deadline)>();
        foreach (var step in w.MainPath(from))
        {
            var start = time.GetUtcNow();
            var d = clock.For(w, step, start);
            list.Add((step, start, d));
            time.Set(d.DueAt); // the role acts at the last allowed moment
        }
        return list;
    }

    [Fact]
    public void Cilacap_EveryStepDueAfterItsMinutes_RemindedHalfway_FinishedIn2h15m()
    {
        var w = Shipped("cilacap");
        var submitted = Wib(2026, 11, 20, 15, 50); // Friday, late afternoon: Cilacap counts plain minutes
        var time = new ManualClock(submitted);
        var walk = Walk(w, new WorkflowClock(Calendar()), time);

        Assert.Equal([15, 15, 15, 60, 15, 15], walk.Select(x => (int)(x.D.DueAt - x.Start).TotalMinutes));
        Assert.All(walk, x => Assert.Equal(x.Start + (x.D.DueAt - x.Start) / 2, x.D.RemindAt));
        Assert.Equal(submitted + new TimeSpan(2, 15, 0), time.GetUtcNow());
        Assert.Equal(new[] { "triage", "admin", "penghubung", "kepala", "penghubung", "admin" }, walk.Select(x => x.Step.Role));

        var total = Assert.Single(w.Escalations);
        Assert.Equal(submitted + new TimeSpan(2, 15, 0), WorkflowClock.EscalateAt(total, submitted, walk[0].D.DueAt));
        Assert.Equal(["triage", "kepala"], total.To);
    }

    [Fact]
    public void Bontang_4Days8h30m_ApprovalByTheHeadInOneDay_DraftExtendableTo14Days()
    {
        var w = Shipped("bontang");
        var submitted = Wib(2026, 11, 23, 8, 0);
        var time = new ManualClock(submitted);
        var walk = Walk(w, new WorkflowClock(Calendar()), time);

        Assert.Equal([60, 60, 60, 60, 60, 60, 3 * 24 * 60, 24 * 60, 60, 30, 60], walk.Select(x => (int)(x.D.DueAt - x.Start).TotalMinutes));
        Assert.Equal(submitted + new TimeSpan(4, 8, 30, 0), time.GetUtcNow());
        Assert.Equal("setujui", walk[7].Step.Id);
        Assert.NotNull(walk[7].Step.Action("approve"));

        // Hard cases: the draft may take up to 14 days, not more.
        var draft = w.Step("susun_tanggapan");
        Assert.True(WorkflowClock.CanExtend(draft, draft.Standard!.Duration, TimeSpan.FromDays(11), out var extended));
        Assert.Equal(TimeSpan.FromDays(14), extended);
        Assert.Equal(walk[6].Start + TimeSpan.FromDays(14), new WorkflowClock(Calendar()).For(w, draft, walk[6].Start, extended).DueAt);
        Assert.False(WorkflowClock.CanExtend(draft, draft.Standard.Duration, TimeSpan.FromDays(12), out _));
        Assert.False(WorkflowClock.CanExtend(w.Step("setujui"), TimeSpan.FromDays(1), TimeSpan.FromDays(1), out _)); // no extension offered there

        // A late step is reported at its deadline to the head and Diskominfo.
        var late = Assert.Single(w.Escalations);
        Assert.Equal(walk[3].D.DueAt, WorkflowClock.EscalateAt(late, submitted, walk[3].D.DueAt));
    }

    [Fact]
    public void MuaraEnim_2Days_1Day_12Days_1Day_OversightSixtyDays_AutoCloseAfterTenDays()
    {
        var w = Shipped("muara-enim");
        var clock = new WorkflowClock(Calendar());
        var submitted = Wib(2026, 12, 1, 9, 0);
        var time = new ManualClock(submitted);
        var walk = Walk(w, clock, time);

        Assert.Equal([2, 1, 12, 1], walk.Select(x => (int)(x.D.DueAt - x.Start).TotalDays));
        Assert.Equal(submitted + TimeSpan.FromDays(16), time.GetUtcNow());
        Assert.Equal(submitted + TimeSpan.FromDays(10) + TimeSpan.FromDays(16), clock.AutoCloseAt(w, time.GetUtcNow()));

        var apip = Walk(w, clock, new ManualClock(submitted), w.OversightStart);
        Assert.Equal(submitted + TimeSpan.FromDays(60), Assert.Single(apip).D.DueAt);
        Assert.Equal("inspektorat", apip[0].Step.Role);

        // APIP is told when an agency's step runs late.
        var monitor = Assert.Single(w.Escalations);
        Assert.Equal(["inspektorat"], monitor.To);
        Assert.Equal(walk[2].D.DueAt, WorkflowClock.EscalateAt(monitor, submitted, walk[2].D.DueAt));
    }

    [Fact]
    public void Disporbudpar_FiveWorkingDaysSkipWeekendAndHoliday_OmbudsmanAfter60Days()
    {
        var w = Shipped("disporbudpar");
        var clock = new WorkflowClock(Calendar());
        var step = w.Step("tindak_lanjut");

        // Monday 21 Dec 2026 10:00 WIB + 5 working days, Friday 25 Dec (Natal) off → Tuesday 29 Dec 10:00.
        var start = Wib(2026, 12, 21, 10, 0);
        var d = clock.For(w, step, start);
        Assert.Equal(Wib(2026, 12, 29, 10, 0), d.DueAt);
        // Reminder halfway through the working time, never on a weekend.
        Assert.True(d.RemindAt > start && d.RemindAt < d.DueAt);
        Assert.True(Calendar().IsWorkingTime(d.RemindAt));

        // The minute standards are plain calendar minutes, as the SOP's "30–60 menit".
        var telaah = w.Step("telaah");
        Assert.Equal(start + TimeSpan.FromMinutes(60), clock.For(w, telaah, start).DueAt);

        var ombudsman = Assert.Single(w.Escalations);
        Assert.Equal(start + TimeSpan.FromDays(60), WorkflowClock.EscalateAt(ombudsman, start, d.DueAt));
        // Auto-close: 10 working days after the answer.
        Assert.Equal(Wib(2027, 1, 5, 10, 0), clock.AutoCloseAt(w, start)); // 22, 23, 24, 28, 29, 30, 31 Dec, 1, 4, 5 Jan (1 Jan is not in this test's holidays)
    }

    [Fact]
    public void WorkingStandard_WithCalendarOff_CountsPlainDays()
    {
        var w = Shipped("disporbudpar");
        var start = Wib(2026, 12, 21, 10, 0);
        Assert.Equal(start + TimeSpan.FromDays(5), new WorkflowClock(Calendar(enabled: false)).For(w, w.Step("tindak_lanjut"), start).DueAt);
    }
}
