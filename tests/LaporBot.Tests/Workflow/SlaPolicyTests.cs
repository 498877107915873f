using System.Globalization;
using LaporBot.Routing;
using LaporBot.Workflow;
using static LaporBot.Tests.Workflow.WorkingCalendarTests;

namespace LaporBot.Tests.Workflow;

// Defaults: Cilacap (Assign 15 min, Accept 15 min, Answer 60 min, Total 2 h 15 min), reminders at
// half-time, working hours 07:30–16:00 WIB Monday–Friday. 2026-11-20 is a Friday; 2026-12-24
// (cuti bersama), 2026-12-25 (Natal) and 2027-01-01 are holidays where a test says so.
public class SlaPolicyTests
{
    private static readonly string[] YearEndHolidays = ["2026-12-24", "2026-12-25", "2027-01-01"];

    private static SlaPolicy Policy(bool workingTime, bool calendarOn = true, Action<SlaOptions>? configure = null, params string[] holidays)
    {
        var options = new SlaOptions { UseWorkingTime = workingTime };
        configure?.Invoke(options);
        return new SlaPolicy(options, Calendar(calendarOn, holidays));
    }

    private static TimeSpan D(string s) => TimeSpan.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Assign", "2026-11-20T16:05+07:00", "2026-11-20T15:57:30+07:00", "00:15:00")]
    [InlineData("Accept", "2026-11-20T16:05+07:00", "2026-11-20T15:57:30+07:00", "00:15:00")]
    [InlineData("Answer", "2026-11-20T16:50+07:00", "2026-11-20T16:20+07:00", "01:00:00")]
    [InlineData("Total", "2026-11-20T18:05+07:00", "2026-11-20T16:57:30+07:00", "02:15:00")]
    public void Wall_clock_deadlines_follow_the_Cilacap_defaults(string step, string due, string remind, string allowed)
    {
        var d = Policy(workingTime: false).For(Enum.Parse<SlaStep>(step), T("2026-11-20T15:50+07:00"), null, oversight: false);
        Assert.Equal(new Deadline(T(due), T(remind), D(allowed)), d);
    }

    [Theory]
    [InlineData("Answer from Friday 15:30", "Answer", "2026-11-20T15:30+07:00", "2026-11-23T08:00+07:00", "2026-11-20T16:00+07:00")]
    [InlineData("Assign from Friday 15:50", "Assign", "2026-11-20T15:50+07:00", "2026-11-23T07:35+07:00", "2026-11-20T15:57:30+07:00")]
    [InlineData("Total from Friday 15:30", "Total", "2026-11-20T15:30+07:00", "2026-11-23T09:15+07:00", "2026-11-23T08:07:30+07:00")]
    [InlineData("Answer from Saturday", "Answer", "2026-11-21T11:00+07:00", "2026-11-23T08:30+07:00", "2026-11-23T08:00+07:00")]
    [InlineData("Answer from the night before cuti bersama", "Answer", "2026-12-23T21:00+07:00", "2026-12-28T08:30+07:00", "2026-12-28T08:00+07:00")]
    public void Working_time_deadlines_skip_nights_weekends_and_holidays(string label, string step, string start, string due, string remind)
    {
        var d = Policy(workingTime: true, holidays: YearEndHolidays).For(Enum.Parse<SlaStep>(step), T(start), null, oversight: false);
        Assert.True(T(due) == d.DueAt, $"{label}: due {d.DueAt:O}, expected {due}");
        Assert.True(T(remind) == d.RemindAt, $"{label}: remind {d.RemindAt:O}, expected {remind}");
    }

    [Fact]
    public void Working_time_with_the_calendar_off_is_wall_clock_time()
    {
        var d = Policy(workingTime: true, calendarOn: false).For(SlaStep.Answer, T("2026-11-20T15:30+07:00"), null, false);
        Assert.Equal(T("2026-11-20T16:30+07:00"), d.DueAt);
    }

    // LAPOR!: 5 working days to answer. The days part counts working days at the same time of day.
    [Theory]
    [InlineData("Monday across the weekend, cuti bersama and Natal", "2026-12-21T10:00+07:00", "2026-12-30T10:00+07:00", "2026-12-23T14:15+07:00")]
    [InlineData("Saturday counts from Monday 07:30", "2026-12-19T10:00+07:00", "2026-12-30T07:30+07:00", "2026-12-23T11:45+07:00")]
    public void Five_working_days_to_answer(string label, string start, string due, string remind)
    {
        var policy = Policy(workingTime: true, configure: o => o.Answer = TimeSpan.FromDays(5), holidays: YearEndHolidays);
        var d = policy.For(SlaStep.Answer, T(start), null, oversight: false);
        Assert.True(T(due) == d.DueAt, $"{label}: due {d.DueAt:O}");
        Assert.True(T(remind) == d.RemindAt, $"{label}: remind {d.RemindAt:O}");
        Assert.Equal(TimeSpan.FromDays(5), d.Allowed);
    }

    [Theory]
    [InlineData(false, "Answer", "2026-03-06T10:00+07:00")]
    [InlineData(false, "Total", "2026-03-06T10:00+07:00")]
    [InlineData(true, "Answer", "2026-03-30T10:00+07:00")] // 60 working days = 12 weeks
    [InlineData(true, "Total", "2026-03-30T10:00+07:00")]
    public void Oversight_complaints_get_sixty_days_to_answer_and_in_total(bool workingTime, string step, string due)
    {
        var d = Policy(workingTime).For(Enum.Parse<SlaStep>(step), T("2026-01-05T10:00+07:00"), null, oversight: true);
        Assert.Equal(T(due), d.DueAt);
        Assert.Equal(TimeSpan.FromDays(60), d.Allowed);
    }

    [Theory]
    [InlineData("Assign", false, "00:15:00")] // not the agency's step
    [InlineData("Accept", false, "01:00:00")]
    [InlineData("Answer", false, "3.00:00:00")]
    [InlineData("Total", false, "3.01:15:00")] // stretched to Assign + Accept + Answer
    [InlineData("Accept", true, "01:00:00")] // oversight keeps the agency's accept time
    [InlineData("Answer", true, "60.00:00:00")] // but not its answer time
    [InlineData("Total", true, "60.00:00:00")]
    public void Per_agency_overrides_win_except_over_the_oversight_rule(string step, bool oversight, string allowed)
    {
        var overrides = new AgencySla(Accept: TimeSpan.FromHours(1), Answer: TimeSpan.FromDays(3));
        var start = T("2026-11-24T10:00+07:00");
        var d = Policy(workingTime: false).For(Enum.Parse<SlaStep>(step), start, overrides, oversight);
        Assert.Equal(D(allowed), d.Allowed);
        Assert.Equal(start + D(allowed), d.DueAt);
    }

    [Fact]
    public void An_override_of_one_step_keeps_the_default_of_the_other()
    {
        var policy = Policy(workingTime: false);
        var overrides = new AgencySla(Answer: TimeSpan.FromHours(2));
        Assert.Equal(TimeSpan.FromMinutes(15), policy.For(SlaStep.Accept, T("2026-11-24T10:00+07:00"), overrides, false).Allowed);
        Assert.Equal(TimeSpan.FromHours(2), policy.For(SlaStep.Answer, T("2026-11-24T10:00+07:00"), overrides, false).Allowed);
        Assert.Equal(new TimeSpan(2, 30, 0), policy.For(SlaStep.Total, T("2026-11-24T10:00+07:00"), overrides, false).Allowed);
    }

    [Fact]
    public void A_non_positive_override_is_refused_rather_than_giving_a_deadline_in_the_past()
    {
        var policy = Policy(workingTime: false);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            policy.For(SlaStep.Answer, T("2026-11-24T10:00+07:00"), new AgencySla(Answer: TimeSpan.Zero), false));
    }

    [Theory]
    [InlineData(false, 0.8, "2026-11-24T10:48+07:00")]
    [InlineData(false, 0.25, "2026-11-24T10:15+07:00")]
    [InlineData(true, 0.8, "2026-11-25T07:48+07:00")] // 48 working minutes from Tuesday 15:30: 30 that day, 18 on Wednesday
    [InlineData(true, 0.5, "2026-11-24T16:00+07:00")]
    public void Reminders_come_at_the_configured_share(bool workingTime, double share, string remind)
    {
        var start = workingTime ? T("2026-11-24T15:30+07:00") : T("2026-11-24T10:00+07:00");
        var d = Policy(workingTime, configure: o => o.ReminderShare = share).For(SlaStep.Answer, start, null, false);
        Assert.Equal(T(remind), d.RemindAt);
    }

    [Theory]
    [InlineData(true, true, "2027-01-04T10:00+07:00")] // 10 working days across cuti bersama, Natal and Tahun Baru
    [InlineData(false, true, "2026-12-26T10:00+07:00")] // calendar days when asked
    [InlineData(true, false, "2026-12-26T10:00+07:00")] // calendar off: every day counts
    public void AutoCloseAt_counts_working_days_when_configured(bool inWorkingDays, bool calendarOn, string expected)
    {
        var policy = Policy(workingTime: false, calendarOn, o => o.AutoCloseInWorkingDays = inWorkingDays, YearEndHolidays);
        Assert.Equal(T(expected), policy.AutoCloseAt(T("2026-12-16T10:00+07:00")));
    }

    [Theory]
    [InlineData(true, "2026-11-20T09:00+07:00", "2026-11-23T08:00+07:00")] // Friday after the digest: Monday
    [InlineData(false, "2026-11-20T09:00+07:00", "2026-11-21T08:00+07:00")] // calendar off: Saturday
    [InlineData(true, "2026-11-23T07:00+07:00", "2026-11-23T08:00+07:00")]
    [InlineData(true, "2026-11-23T08:00+07:00", "2026-11-24T08:00+07:00")] // the digest just sent schedules the next day
    [InlineData(true, "2026-11-23T00:59Z", "2026-11-23T08:00+07:00")] // 07:59 WIB
    [InlineData(true, "2026-12-23T09:00+07:00", "2026-12-28T08:00+07:00")] // over cuti bersama, Natal and the weekend
    [InlineData(false, "2026-12-23T09:00+07:00", "2026-12-24T08:00+07:00")]
    public void NextDigestAt_skips_days_off_only_when_the_calendar_is_on(bool calendarOn, string now, string expected)
    {
        var next = Policy(workingTime: false, calendarOn, holidays: YearEndHolidays).NextDigestAt(T(now));
        Assert.Equal(T(expected), next);
        Assert.Equal(TimeSpan.FromHours(7), next.Offset);
    }

    [Theory]
    [InlineData(false, "2026-11-20T15:30+07:00", "2026-11-20T16:30+07:00", true)]
    [InlineData(false, "2026-11-20T15:30+07:00", "2026-11-20T16:31+07:00", false)]
    [InlineData(true, "2026-11-20T15:30+07:00", "2026-11-21T12:00+07:00", true)] // Saturday, before Monday 08:00
    [InlineData(true, "2026-11-20T15:30+07:00", "2026-11-23T08:00+07:00", true)]
    [InlineData(true, "2026-11-20T15:30+07:00", "2026-11-23T08:01+07:00", false)]
    [InlineData(true, "2026-11-20T15:00+07:00", "2026-11-21T10:00+07:00", false)] // due Friday 16:00; Saturday is late
    public void IsOnTime_measures_against_the_same_deadline(bool workingTime, string start, string done, bool expected)
    {
        Assert.Equal(expected, Policy(workingTime).IsOnTime(T(start), T(done), TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IsOnTime_agrees_with_DueAt(bool workingTime)
    {
        var policy = Policy(workingTime, configure: o => o.Answer = new TimeSpan(2, 3, 7, 0), holidays: YearEndHolidays);
        var start = T("2026-12-22T13:10+07:00");
        var d = policy.For(SlaStep.Answer, start, null, false);
        Assert.True(policy.IsOnTime(start, d.DueAt, d.Allowed));
        Assert.False(policy.IsOnTime(start, d.DueAt.AddTicks(1), d.Allowed));
    }
}
