using LaporBot.Complaints;
using Microsoft.Extensions.Options;

namespace LaporBot.Workflow;

/// <summary>Start-up checks for <see cref="CalendarOptions"/>, run even while the calendar is off so a typo in next year's holidays fails before someone turns it on.</summary>
internal sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions o)
    {
        var errors = new List<string?>();
        try
        {
            TrackingNumbers.FindZone(o.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            errors.Add($"Calendar:TimeZone '{o.TimeZone}' is not a known time zone; use an IANA id such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura.");
        }
        if (o.WorkdayStart < TimeSpan.Zero || o.WorkdayStart >= TimeSpan.FromDays(1))
        {
            errors.Add($"Calendar:WorkdayStart is {o.WorkdayStart}; use a local time of day such as 07:30:00 (hh:mm:ss).");
        }
        if (o.WorkdayEnd <= TimeSpan.Zero || o.WorkdayEnd > TimeSpan.FromDays(1))
        {
            errors.Add($"Calendar:WorkdayEnd is {o.WorkdayEnd}; use a local time of day such as 16:00:00 (hh:mm:ss).");
        }
        else if (o.WorkdayEnd <= o.WorkdayStart)
        {
            errors.Add($"Calendar:WorkdayEnd ({o.WorkdayEnd}) must be after Calendar:WorkdayStart ({o.WorkdayStart}); a working day cannot cross midnight.");
        }
        if (o.WorkingDays is { Length: 0 })
        {
            errors.Add("Calendar:WorkingDays is empty; list at least one day, e.g. [\"Monday\", \"Tuesday\", \"Wednesday\", \"Thursday\", \"Friday\"], or remove the key for Monday–Friday.");
        }
        for (var i = 0; i < (o.WorkingDays?.Length ?? 0); i++)
        {
            if (!WorkingCalendar.TryParseDay(o.WorkingDays![i], out _))
            {
                errors.Add($"Calendar:WorkingDays:{i} is '{o.WorkingDays[i]}'; use an English day name such as Monday or Saturday.");
            }
        }
        for (var i = 0; i < o.Holidays.Length; i++)
        {
            if (!WorkingCalendar.TryParseHoliday(o.Holidays[i], out _))
            {
                errors.Add($"Calendar:Holidays:{i} is '{o.Holidays[i]}'; use a date as yyyy-MM-dd, e.g. 2026-12-25.");
            }
        }
        return SlaOptionsValidator.Result(errors);
    }
}
