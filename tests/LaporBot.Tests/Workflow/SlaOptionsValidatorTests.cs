using LaporBot.Routing;
using Microsoft.Extensions.Configuration;
using LaporBot.Workflow;

namespace LaporBot.Tests.Workflow;

public class SlaOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(SlaOptions o) =>
        new SlaOptionsValidator().Validate(null, o).Failures?.ToList() ?? [];

    private static IReadOnlyList<string> Errors(CalendarOptions o) =>
        new CalendarOptionsValidator().Validate(null, o).Failures?.ToList() ?? [];

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new SlaOptionsValidator().Validate(null, new SlaOptions()).Succeeded);
        Assert.True(new CalendarOptionsValidator().Validate(null, new CalendarOptions()).Succeeded);
    }

    [Fact]
    public void A_zero_duration_names_the_key_and_shows_the_format()
    {
        Assert.Equal(
            ["Sla:ReturnedWithin is 00:00:00; use a positive duration such as 01:00:00 (hh:mm:ss) or 5.00:00:00 for 5 days."],
            Errors(new SlaOptions { ReturnedWithin = TimeSpan.Zero }));
    }

    [Theory]
    [InlineData("ReturnedWithin", "Sla:ReturnedWithin is -00:05:00")]
    [InlineData("AutoCloseAfter", "Sla:AutoCloseAfter is -00:05:00")]
    public void Every_duration_must_be_positive(string property, string expectedStart)
    {
        var o = new SlaOptions();
        typeof(SlaOptions).GetProperty(property)!.SetValue(o, TimeSpan.FromMinutes(-5));
        var error = Assert.Single(Errors(o));
        Assert.StartsWith(expectedStart, error);
        Assert.Contains("positive duration", error);
    }

    /// <summary>The old fixed standards are refused, not ignored: a deployment's times must not silently change.</summary>
    [Theory]
    [InlineData("Assign", "00:15:00")]
    [InlineData("Accept", "00:15:00")]
    [InlineData("Answer", "5.00:00:00")]
    [InlineData("Total", "02:15:00")]
    [InlineData("OversightAnswer", "60.00:00:00")]
    [InlineData("ReminderShare", "0.5")]
    [InlineData("UseWorkingTime", "true")]
    public void The_old_step_standards_are_refused_with_a_pointer_to_the_workflow_file(string key, string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Sla:{key}"] = value }).Build();
        var error = Assert.Single(new SlaOptionsValidator(config).Validate(null, new SlaOptions()).Failures!);
        Assert.StartsWith($"Sla:{key} is no longer read", error);
        Assert.Contains("workflow file", error);
        Assert.True(new SlaOptionsValidator(new ConfigurationBuilder().Build()).Validate(null, new SlaOptions()).Succeeded);
    }

    [Fact]
    public void AutoCloseAfter_in_working_days_must_be_whole_days()
    {
        var error = Assert.Single(Errors(new SlaOptions { AutoCloseAfter = new TimeSpan(10, 12, 0, 0) }));
        Assert.Equal("Sla:AutoCloseAfter is 10.12:00:00; with Sla:AutoCloseInWorkingDays it counts working days, so use whole days such as 10.00:00:00.", error);
        Assert.Empty(Errors(new SlaOptions { AutoCloseAfter = new TimeSpan(10, 12, 0, 0), AutoCloseInWorkingDays = false }));
    }

    [Theory]
    [InlineData("-01:00:00")]
    [InlineData("1.00:00:00")]
    public void DigestTime_must_be_a_time_of_day(string value)
    {
        var error = Assert.Single(Errors(new SlaOptions { DigestTime = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.StartsWith("Sla:DigestTime is ", error);
    }

    [Fact]
    public void Several_problems_are_reported_together()
    {
        Assert.Equal(2, Errors(new SlaOptions { ReturnedWithin = TimeSpan.Zero, DigestTime = TimeSpan.FromHours(-1) }).Count);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("")]
    public void An_unknown_time_zone_is_named(string zone)
    {
        var error = Assert.Single(Errors(new CalendarOptions { TimeZone = zone }));
        Assert.StartsWith($"Calendar:TimeZone '{zone}' is not a known time zone", error);
        Assert.Contains("Asia/Jakarta", error);
    }

    [Theory]
    [InlineData("16:00:00", "07:30:00", "Calendar:WorkdayEnd (07:30:00) must be after Calendar:WorkdayStart (16:00:00)")]
    [InlineData("07:30:00", "07:30:00", "Calendar:WorkdayEnd (07:30:00) must be after Calendar:WorkdayStart (07:30:00)")]
    [InlineData("-00:30:00", "16:00:00", "Calendar:WorkdayStart is -00:30:00")]
    [InlineData("07:30:00", "1.01:00:00", "Calendar:WorkdayEnd is 1.01:00:00")]
    public void Working_hours_must_be_a_range_within_one_day(string start, string end, string expectedStart)
    {
        var error = Assert.Single(Errors(new CalendarOptions
        {
            WorkdayStart = TimeSpan.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            WorkdayEnd = TimeSpan.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
        }));
        Assert.StartsWith(expectedStart, error);
    }

    [Fact]
    public void At_least_one_working_day_is_needed()
    {
        var error = Assert.Single(Errors(new CalendarOptions { WorkingDays = [] }));
        Assert.StartsWith("Calendar:WorkingDays is empty;", error);
    }

    [Theory]
    [InlineData("Senin")]
    [InlineData("1")]
    [InlineData("Monday, Friday")]
    public void Working_days_must_be_English_day_names(string day)
    {
        var error = Assert.Single(Errors(new CalendarOptions { WorkingDays = ["Monday", day] }));
        Assert.Equal($"Calendar:WorkingDays:1 is '{day}'; use an English day name such as Monday or Saturday.", error);
    }

    [Theory]
    [InlineData("25-12-2026")]
    [InlineData("2026-02-30")]
    [InlineData("Natal")]
    public void Holidays_must_be_dates(string holiday)
    {
        var error = Assert.Single(Errors(new CalendarOptions { Holidays = ["2026-12-24", holiday] }));
        Assert.Equal($"Calendar:Holidays:1 is '{holiday}'; use a date as yyyy-MM-dd, e.g. 2026-12-25.", error);
    }

    [Fact]
    public void What_the_validator_accepts_the_calendar_can_be_built_from()
    {
        var o = new CalendarOptions
        {
            Enabled = true,
            WorkdayStart = TimeSpan.Zero,
            WorkdayEnd = TimeSpan.FromDays(1),
            WorkingDays = ["sunday"],
            Holidays = ["2026-12-27"],
        };
        Assert.Empty(Errors(o));
        var calendar = new WorkingCalendar(o);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 12, 27)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 1, 3)));
    }
}
