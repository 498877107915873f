using System.Globalization;
using LaporBot.Routing;
using Microsoft.Extensions.Configuration;
using LaporBot.Workflow;

namespace LaporBot.Tests.Workflow;

// Working hours 07:30–16:00 WIB (8 h 30 min a day), Monday–Friday. 2026-11-20 and 2026-12-25 are
// Fridays; 2026-12-24 is cuti bersama for Natal, 2026-12-25 Natal, 2027-01-01 Tahun Baru and
// 2026-08-17 Hari Kemerdekaan (a Monday).
public class WorkingCalendarTests
{
    private static readonly string[] YearEndHolidays = ["2026-12-24", "2026-12-25", "2027-01-01"];

    internal static WorkingCalendar Calendar(bool enabled = true, params string[] holidays) =>
        new(new CalendarOptions { Enabled = enabled, Holidays = holidays });

    internal static DateTimeOffset T(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Friday 15:30 + 60 min: 30 min on Friday, 30 on Monday", "2026-11-20T15:30+07:00", "01:00:00", "2026-11-23T08:00+07:00")]
    [InlineData("Saturday starts counting on Monday 07:30", "2026-11-21T10:00+07:00", "01:00:00", "2026-11-23T08:30+07:00")]
    [InlineData("night starts counting the next morning", "2026-11-24T22:00+07:00", "00:15:00", "2026-11-25T07:45+07:00")]
    [InlineData("before opening starts counting at 07:30", "2026-11-24T05:00+07:00", "00:15:00", "2026-11-24T07:45+07:00")]
    [InlineData("inside the working day", "2026-11-24T10:00+07:00", "01:00:00", "2026-11-24T11:00+07:00")]
    [InlineData("time running out at closing ends on that day", "2026-11-24T15:00+07:00", "01:00:00", "2026-11-24T16:00+07:00")]
    [InlineData("a whole working day from opening", "2026-11-24T07:30+07:00", "08:30:00", "2026-11-24T16:00+07:00")]
    [InlineData("one minute more spills into the next day", "2026-11-24T07:30+07:00", "08:31:00", "2026-11-25T07:31+07:00")]
    [InlineData("skips cuti bersama, Natal and the weekend", "2026-12-23T15:30+07:00", "01:00:00", "2026-12-28T08:00+07:00")]
    [InlineData("starting on Natal", "2026-12-25T09:00+07:00", "02:00:00", "2026-12-28T09:30+07:00")]
    [InlineData("5 working days of time across the weekend and Natal", "2026-12-21T07:30+07:00", "1.18:30:00", "2026-12-29T16:00+07:00")]
    [InlineData("UTC input, local answer (00:30Z is 07:30 WIB)", "2026-11-24T00:30Z", "00:30:00", "2026-11-24T08:00+07:00")]
    [InlineData("zero returns the start, even outside hours", "2026-11-21T10:00+07:00", "00:00:00", "2026-11-21T10:00+07:00")]
    public void Add_counts_only_working_time(string label, string start, string workingTime, string expected)
    {
        var due = Calendar(true, YearEndHolidays).Add(T(start), TimeSpan.Parse(workingTime, CultureInfo.InvariantCulture));
        Assert.True(T(expected) == due, $"{label}: expected {expected}, got {due:O}");
    }

    // 60 days of working time is 1440 h = 169 whole days of 8 h 30 min plus 3 h 30 min, so it ends
    // at 11:00 on the 170th working day: 34 weeks from Monday 5 January is Friday 28 August.
    // Add computes this with binary searches over whole days (no loop per minute or per day), so
    // the same call works for centuries, which the last row checks against its own inverse.
    [Theory]
    [InlineData(new string[0], "2026-08-28T11:00+07:00")]
    [InlineData(new[] { "2026-08-17" }, "2026-08-31T11:00+07:00")]
    [InlineData(new[] { "2026-08-17", "2026-08-22", "2027-01-01" }, "2026-08-31T11:00+07:00")] // a Saturday and a later holiday change nothing
    public void Add_of_sixty_days_of_working_time_lands_on_the_170th_working_day(string[] holidays, string expected)
    {
        var calendar = Calendar(true, holidays);
        Assert.Equal(T(expected), calendar.Add(T("2026-01-05T07:30+07:00"), TimeSpan.FromDays(60)));
    }

    [Fact]
    public void Add_handles_centuries_of_working_time_in_closed_form()
    {
        var calendar = Calendar(true, YearEndHolidays);
        var start = T("2026-01-05T07:30+07:00");
        var due = calendar.Add(start, TimeSpan.FromDays(36_500));
        // 876,000 h = 103,058 days of 8 h 30 min + 7 h: the 103,059th working day, i.e. weekday
        // number 103,062 counting the three holidays (20,612 weeks + 2 days), at 14:30.
        Assert.Equal(T("2421-01-19T14:30+07:00"), due);
        Assert.Equal(TimeSpan.FromDays(36_500), calendar.WorkingTimeBetween(start, due));
    }

    [Theory]
    [InlineData("2026-11-20T15:30+07:00", "1.00:00:00")]
    [InlineData("2026-11-20T15:30+07:00", "5.00:00:00")]
    [InlineData("2026-11-21T03:00+07:00", "00:00:01")]
    [InlineData("2026-12-23T12:00+07:00", "3.07:45:00")]
    [InlineData("2026-12-24T12:00+07:00", "00:01:00")]
    [InlineData("2026-11-24T16:00+07:00", "60.00:00:00")]
    public void WorkingTimeBetween_undoes_Add(string start, string workingTime)
    {
        var calendar = Calendar(true, YearEndHolidays);
        var d = TimeSpan.Parse(workingTime, CultureInfo.InvariantCulture);
        var due = calendar.Add(T(start), d);
        Assert.Equal(d, calendar.WorkingTimeBetween(T(start), due));
        Assert.Equal(-d, calendar.WorkingTimeBetween(due, T(start)));
    }

    [Theory]
    [InlineData("2026-11-20T15:30+07:00", "2026-11-23T08:00+07:00", "01:00:00")]
    [InlineData("2026-11-21T08:00+07:00", "2026-11-22T15:00+07:00", "00:00:00")] // weekend only
    [InlineData("2026-11-24T06:00+07:00", "2026-11-24T20:00+07:00", "08:30:00")] // whole day from outside hours
    [InlineData("2026-11-24T10:00+07:00", "2026-11-24T10:45+07:00", "00:45:00")]
    [InlineData("2026-12-23T08:00+07:00", "2026-12-28T08:00+07:00", "08:30:00")] // 24 and 25 are holidays
    [InlineData("2026-11-23T00:00+07:00", "2026-11-30T00:00+07:00", "1.18:30:00")] // one week = 5 × 8 h 30
    public void WorkingTimeBetween_counts_working_hours_only(string from, string to, string expected)
    {
        Assert.Equal(TimeSpan.Parse(expected, CultureInfo.InvariantCulture),
            Calendar(true, YearEndHolidays).WorkingTimeBetween(T(from), T(to)));
    }

    [Theory]
    [InlineData("Wednesday, no holidays: ten weekdays later", false, "2026-12-16T10:00+07:00", 10, "2026-12-30T10:00+07:00")]
    [InlineData("Wednesday across cuti bersama, Natal and Tahun Baru", true, "2026-12-16T10:00+07:00", 10, "2027-01-04T10:00+07:00")]
    [InlineData("Saturday: Monday is the first working day", true, "2026-11-21T10:00+07:00", 1, "2026-11-23T10:00+07:00")]
    [InlineData("keeps the time of day outside working hours", true, "2026-11-20T20:15+07:00", 1, "2026-11-23T20:15+07:00")]
    [InlineData("zero days", true, "2026-11-21T10:00+07:00", 0, "2026-11-21T10:00+07:00")]
    public void AddWorkingDays_keeps_the_local_time_and_skips_days_off(string label, bool holidays, string start, int days, string expected)
    {
        var calendar = holidays ? Calendar(true, YearEndHolidays) : Calendar(true);
        var result = calendar.AddWorkingDays(T(start), days);
        Assert.True(T(expected) == result, $"{label}: expected {expected}, got {result:O}");
        Assert.Equal(TimeSpan.FromHours(7), result.Offset);
    }

    [Theory]
    [InlineData("2026-11-23T07:30+07:00", true)]
    [InlineData("2026-11-23T07:29:59+07:00", false)]
    [InlineData("2026-11-23T15:59:59+07:00", true)]
    [InlineData("2026-11-23T16:00+07:00", false)] // closing time belongs to the evening
    [InlineData("2026-11-21T10:00+07:00", false)] // Saturday
    [InlineData("2026-12-24T10:00+07:00", false)] // cuti bersama
    [InlineData("2026-11-23T00:30Z", true)] // 07:30 WIB
    [InlineData("2026-11-23T09:00Z", false)] // 16:00 WIB
    public void IsWorkingTime_follows_hours_days_and_holidays(string t, bool expected)
    {
        Assert.Equal(expected, Calendar(true, YearEndHolidays).IsWorkingTime(T(t)));
    }

    [Fact]
    public void A_disabled_calendar_is_plain_arithmetic()
    {
        var calendar = Calendar(false, YearEndHolidays);
        var saturdayNight = T("2026-12-26T23:00+07:00");
        Assert.Equal(saturdayNight + TimeSpan.FromDays(60), calendar.Add(saturdayNight, TimeSpan.FromDays(60)));
        Assert.Equal(saturdayNight.AddDays(10), calendar.AddWorkingDays(saturdayNight, 10));
        Assert.Equal(TimeSpan.FromHours(33), calendar.WorkingTimeBetween(T("2026-12-24T00:00+07:00"), T("2026-12-25T09:00+07:00")));
        Assert.True(calendar.IsWorkingTime(T("2026-12-25T03:00+07:00")));
        Assert.Equal(saturdayNight, calendar.NextWorkingMoment(saturdayNight));
    }

    [Theory]
    [InlineData("2026-11-24T10:00+07:00", "2026-11-24T10:00+07:00")]
    [InlineData("2026-11-24T06:00+07:00", "2026-11-24T07:30+07:00")]
    [InlineData("2026-11-20T16:00+07:00", "2026-11-23T07:30+07:00")]
    [InlineData("2026-12-23T18:00+07:00", "2026-12-28T07:30+07:00")]
    public void NextWorkingMoment_moves_only_outside_working_hours(string t, string expected)
    {
        Assert.Equal(T(expected), Calendar(true, YearEndHolidays).NextWorkingMoment(T(t)));
    }

    [Fact]
    public void Working_days_and_hours_are_configurable()
    {
        // Some offices work Monday–Saturday 08:00–14:00.
        var calendar = new WorkingCalendar(new CalendarOptions
        {
            Enabled = true,
            WorkdayStart = new(8, 0, 0),
            WorkdayEnd = new(14, 0, 0),
            WorkingDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "saturday"],
        });
        Assert.Equal(T("2026-11-21T09:00+07:00"), calendar.Add(T("2026-11-20T13:30+07:00"), TimeSpan.FromMinutes(90)));
        Assert.Equal(T("2026-11-23T09:00+07:00"), calendar.Add(T("2026-11-21T13:30+07:00"), TimeSpan.FromMinutes(90)));
    }

    [Fact]
    public void Binding_replaces_the_default_working_days_instead_of_adding_to_them()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendar:Enabled"] = "true",
            ["Calendar:WorkdayStart"] = "08:00:00",
            ["Calendar:WorkingDays:0"] = "Tuesday",
            ["Calendar:Holidays:0"] = "2026-11-24",
        }).Build();
        var options = config.GetSection(CalendarOptions.Section).Get<CalendarOptions>()!;
        var calendar = new WorkingCalendar(options);

        Assert.Equal(new TimeSpan(8, 0, 0), options.WorkdayStart);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 11, 23))); // a Monday: not configured
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 11, 24))); // a Tuesday, but a holiday
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public void Defaults_are_Monday_to_Friday_in_Jakarta()
    {
        var calendar = new WorkingCalendar(new CalendarOptions { Enabled = true });
        Assert.Equal(TimeSpan.FromHours(7), calendar.Zone.GetUtcOffset(new DateTime(2026, 7, 1)));
        Assert.Equal(
            [true, true, true, true, true, false, false],
            Enumerable.Range(23, 7).Select(d => calendar.IsWorkingDay(new DateOnly(2026, 11, d))).ToArray());
    }

    [Fact]
    public void Negative_durations_are_refused()
    {
        var calendar = Calendar(true);
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.Add(T("2026-11-24T10:00+07:00"), TimeSpan.FromMinutes(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddWorkingDays(T("2026-11-24T10:00+07:00"), -1));
    }
}
