using System.Globalization;
using LaporBot.Complaints;

namespace LaporBot.Workflow;

/// <summary>
/// Working-time arithmetic for service standards: working hours on working days, minus holidays.
/// Everything is computed on wall-clock time in the configured zone (Indonesian zones have no
/// daylight saving) and in closed form over whole days, so a 60-day span costs a few binary
/// searches rather than a walk over every minute or day.
/// </summary>
internal sealed class WorkingCalendar
{
    private readonly bool _enabled;
    private readonly TimeSpan _start;
    private readonly TimeSpan _end;
    private readonly TimeSpan _dayLength;
    private readonly bool[] _isWorkingWeekday = new bool[7];
    private readonly int _workingDaysPerWeek;

    // Day numbers of holidays that fall on working weekdays, sorted and distinct, so counting the
    // holidays inside a range is two binary searches.
    private readonly int[] _holidays;

    public WorkingCalendar(CalendarOptions options)
    {
        _enabled = options.Enabled;
        Zone = TrackingNumbers.FindZone(options.TimeZone);
        _start = options.WorkdayStart;
        _end = options.WorkdayEnd;
        _dayLength = _end - _start;
        if (_start < TimeSpan.Zero || _end > TimeSpan.FromDays(1) || _dayLength <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The working day {_start}–{_end} is not a range within one day.", nameof(options));
        }

        foreach (var name in options.WorkingDays ?? [])
        {
            _isWorkingWeekday[(int)(TryParseDay(name, out var day) ? day
                : throw new ArgumentException($"'{name}' is not a day of the week.", nameof(options)))] = true;
        }
        if (options.WorkingDays is null)
        {
            foreach (var day in CalendarOptions.DefaultWorkingDays)
            {
                _isWorkingWeekday[(int)day] = true;
            }
        }
        _workingDaysPerWeek = _isWorkingWeekday.Count(w => w);
        if (_workingDaysPerWeek == 0)
        {
            throw new ArgumentException("A working calendar needs at least one working day.", nameof(options));
        }

        _holidays = options.Holidays
            .Select(h => TryParseHoliday(h, out var date) ? date
                : throw new ArgumentException($"'{h}' is not a yyyy-MM-dd date.", nameof(options)))
            .Where(d => _isWorkingWeekday[(int)d.DayOfWeek])
            .Select(d => d.DayNumber)
            .Distinct()
            .Order()
            .ToArray();
    }

    public TimeZoneInfo Zone { get; }

    public bool Enabled => _enabled;

    public bool IsWorkingDay(DateOnly date) =>
        !_enabled || (_isWorkingWeekday[(int)date.DayOfWeek] && Array.BinarySearch(_holidays, date.DayNumber) < 0);

    public bool IsWorkingTime(DateTimeOffset t)
    {
        if (!_enabled)
        {
            return true;
        }
        var (day, time) = Local(t);
        return IsWorkingDay(day) && time >= _start && time < _end;
    }

    /// <summary>
    /// The earliest instant by which <paramref name="workingTime"/> of working time has passed
    /// since <paramref name="start"/>. Time runs out at the end of a working day rather than at
    /// the start of the next one, so 30 minutes from Friday 15:30 is Friday 16:00.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        if (!_enabled)
        {
            return start + workingTime;
        }
        if (workingTime == TimeSpan.Zero)
        {
            return start;
        }

        var (day, time) = Local(start);
        var remaining = workingTime;
        if (IsWorkingDay(day) && time < _end)
        {
            var from = time > _start ? time : _start;
            var leftToday = _end - from;
            if (remaining <= leftToday)
            {
                return At(day, from + remaining);
            }
            remaining -= leftToday;
        }

        // Whole working days first, then the part of the last day (in (0, day length]).
        var fullDays = (remaining.Ticks - 1) / _dayLength.Ticks;
        var lastDay = NthWorkingDay(day.DayNumber + 1, fullDays + 1);
        return At(lastDay, _start + (remaining - TimeSpan.FromTicks(fullDays * _dayLength.Ticks)));
    }

    /// <summary>
    /// The same local time of day <paramref name="days"/> working days later; from a weekend or
    /// a holiday the first following working day counts as one.
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        if (!_enabled)
        {
            return start.AddDays(days);
        }
        if (days == 0)
        {
            return start;
        }
        var (day, time) = Local(start);
        return At(NthWorkingDay(day.DayNumber + 1, days), time);
    }

    /// <summary>
    /// Working time from <paramref name="from"/> to <paramref name="to"/>; negative when
    /// <paramref name="to"/> comes first, so it always undoes <see cref="Add"/>.
    /// </summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (!_enabled)
        {
            return to - from;
        }
        if (to < from)
        {
            return -WorkingTimeBetween(to, from);
        }
        var (fromDay, fromTime) = Local(from);
        var (toDay, toTime) = Local(to);
        // Whole working days from the start of fromDay to the start of toDay, corrected by what
        // had already passed on fromDay and what has passed on toDay.
        var wholeDays = CountWorkingDays(fromDay.DayNumber, toDay.DayNumber);
        return TimeSpan.FromTicks(wholeDays * _dayLength.Ticks) - WorkedBy(fromDay, fromTime) + WorkedBy(toDay, toTime);
    }

    /// <summary><paramref name="t"/> itself during working hours, otherwise the start of the next working period.</summary>
    public DateTimeOffset NextWorkingMoment(DateTimeOffset t)
    {
        if (IsWorkingTime(t))
        {
            return t;
        }
        var (day, time) = Local(t);
        return IsWorkingDay(day) && time < _start
            ? At(day, _start)
            : At(NthWorkingDay(day.DayNumber + 1, 1), _start);
    }

    /// <summary>The local date and time of day of <paramref name="t"/>, for callers scheduling at a local time of day.</summary>
    public (DateOnly Day, TimeSpan Time) Local(DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, Zone).DateTime;
        return (DateOnly.FromDateTime(local), local.TimeOfDay);
    }

    /// <summary>The instant of a local wall-clock time in the calendar's zone.</summary>
    public DateTimeOffset At(DateOnly day, TimeSpan time)
    {
        var wall = day.ToDateTime(TimeOnly.MinValue) + time;
        return new DateTimeOffset(wall, Zone.GetUtcOffset(wall));
    }

    internal static bool TryParseDay(string? name, out DayOfWeek day) =>
        // Enum.TryParse would also take "1" or "Monday, Friday"; only a plain English name is meant.
        Enum.TryParse(name, ignoreCase: true, out day) && name!.All(char.IsAsciiLetter);

    internal static bool TryParseHoliday(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private TimeSpan WorkedBy(DateOnly day, TimeSpan time)
    {
        if (!IsWorkingDay(day) || time <= _start)
        {
            return TimeSpan.Zero;
        }
        return (time < _end ? time : _end) - _start;
    }

    /// <summary>Working days among the day numbers [from, to).</summary>
    private long CountWorkingDays(int from, int to)
    {
        if (to <= from)
        {
            return 0;
        }
        long span = to - from;
        var count = span / 7 * _workingDaysPerWeek;
        for (var d = from + (int)(span / 7 * 7); d < to; d++)
        {
            if (_isWorkingWeekday[(int)DateOnly.FromDayNumber(d).DayOfWeek])
            {
                count++;
            }
        }
        return count - (LowerBound(to) - LowerBound(from));
    }

    /// <summary>The <paramref name="n"/>-th working day (n ≥ 1) on or after day number <paramref name="from"/>.</summary>
    private DateOnly NthWorkingDay(int from, long n)
    {
        // Exponential then binary search over the count, which is monotonic in the end day.
        var max = DateOnly.MaxValue.DayNumber;
        long step = Math.Max(7, n / _workingDaysPerWeek * 7 + 7);
        long hi = from + step;
        while (hi <= max && CountWorkingDays(from, (int)hi) < n)
        {
            step *= 2;
            hi = from + step;
        }
        if (hi > max && CountWorkingDays(from, max + 1) < n)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "The result would be after 9999-12-31.");
        }
        long lo = from;
        hi = Math.Min(hi, max + 1);
        // Smallest end with n working days in [from, end); the working day wanted is end - 1.
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (CountWorkingDays(from, (int)mid) >= n)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return DateOnly.FromDayNumber((int)lo - 1);
    }

    private int LowerBound(int dayNumber)
    {
        var i = Array.BinarySearch(_holidays, dayNumber);
        return i >= 0 ? i : ~i;
    }
}
