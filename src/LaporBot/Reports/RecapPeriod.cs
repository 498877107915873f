using LaporBot.StatusPage;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LaporBot.Reports;

/// <summary>What a period is, and so which of the SOPs' reports it makes.</summary>
internal enum ReportKind { Range, Day, Month, Quarter, Semester, Year }

/// <summary>
/// A span of local calendar days (the deployment's zone), both ends inclusive, with the label printed
/// on the report. <see cref="Key"/> names stored reports: 2026-11-24 (day), 2026-11 (month), 2026-Q4
/// (quarter), 2026-S2 (semester), 2026 (year) or a range 2026-11-20_2026-11-22.
/// </summary>
internal sealed partial record RecapPeriod(DateOnly From, DateOnly To, string Key, string Label)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public ReportKind Kind => Key.Length switch
    {
        4 => ReportKind.Year,
        7 when Key[5] == 'S' => ReportKind.Semester,
        7 when Key[5] == 'Q' => ReportKind.Quarter,
        7 => ReportKind.Month,
        10 => ReportKind.Day,
        _ => ReportKind.Range,
    };

    public static RecapPeriod Day(DateOnly day) => new(day, day, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), FormatDay(day));

    public static RecapPeriod Quarter(int year, int quarter)
    {
        if (quarter is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(quarter), quarter, "A quarter is 1 to 4.");
        }
        var from = new DateOnly(year, quarter * 3 - 2, 1);
        return new(from, from.AddMonths(3).AddDays(-1), $"{year:D4}-Q{quarter}", ReportTexts.T("period.quarter", Roman[quarter - 1], year));
    }

    private static readonly string[] Roman = ["I", "II", "III", "IV"];

    /// <summary>The month names printed on reports (report-texts.json "months", comma-separated).</summary>
    internal static IReadOnlyList<string> MonthNames => Months.Value;

    private static readonly Lazy<string[]> Months = new(() =>
    {
        var names = ReportTexts.T("months").Split(',', StringSplitOptions.TrimEntries);
        return names.Length == 12 ? names : throw new InvalidOperationException("report-texts.json 'months' must list 12 month names");
    });

    public static RecapPeriod Month(int year, int month)
    {
        var from = new DateOnly(year, month, 1);
        return new(from, from.AddMonths(1).AddDays(-1), $"{year:D4}-{month:D2}", $"{MonthNames[month - 1]} {year}");
    }

    public static RecapPeriod Semester(int year, int half) => half switch
    {
        1 => new(new DateOnly(year, 1, 1), new DateOnly(year, 6, 30), $"{year:D4}-S1", ReportTexts.T("period.semester", "I", year)),
        2 => new(new DateOnly(year, 7, 1), new DateOnly(year, 12, 31), $"{year:D4}-S2", ReportTexts.T("period.semester", "II", year)),
        _ => throw new ArgumentOutOfRangeException(nameof(half), half, "A semester is 1 or 2."),
    };

    public static RecapPeriod Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), $"{year:D4}", ReportTexts.T("period.year", year));

    /// <summary>Any range; named as a month, semester or year when it is exactly one.</summary>
    public static RecapPeriod Range(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException("The end of the period is before its start.", nameof(to));
        }
        if (from == to)
        {
            return Day(from);
        }
        if (from.Day == 1 && to == from.AddMonths(1).AddDays(-1))
        {
            return Month(from.Year, from.Month);
        }
        if (from.Year == to.Year && from.DayOfYear == 1 && to.Month == 12 && to.Day == 31)
        {
            return Year(from.Year);
        }
        if (from.Year == to.Year && from.Day == 1 && (from.Month, to.Month, to.Day) is (1, 6, 30) or (7, 12, 31))
        {
            return Semester(from.Year, from.Month == 1 ? 1 : 2);
        }
        if (from.Day == 1 && from.Month % 3 == 1 && to == from.AddMonths(3).AddDays(-1))
        {
            return Quarter(from.Year, (from.Month + 2) / 3);
        }
        return new(from, to, $"{from:yyyy-MM-dd}_{to:yyyy-MM-dd}", $"{FormatDay(from)} – {FormatDay(to)}");
    }

    /// <summary>The month before the one <paramref name="localToday"/> is in: what the job on the 1st reports.</summary>
    public static RecapPeriod PreviousMonth(DateOnly localToday)
    {
        var first = new DateOnly(localToday.Year, localToday.Month, 1).AddMonths(-1);
        return Month(first.Year, first.Month);
    }

    /// <summary>The quarter, semester and year containing <paramref name="day"/>, and the previous ones.</summary>
    public static RecapPeriod QuarterOf(DateOnly day) => Quarter(day.Year, (day.Month + 2) / 3);

    public static RecapPeriod SemesterOf(DateOnly day) => Semester(day.Year, day.Month <= 6 ? 1 : 2);

    public static RecapPeriod MonthOf(DateOnly day) => Month(day.Year, day.Month);

    /// <summary>
    /// Years a period may name. Complaints are not older than 2000, and a bound well inside what a
    /// date can hold keeps "9999-12-31 plus a day" from throwing: an absurd date is a 400, not a 500.
    /// </summary>
    public const int MinYear = 2000, MaxYear = 2999;

    [GeneratedRegex(@"^(\d{4})(?:-(\d{2})|-S([12])|-Q([1-4]))?$")]
    private static partial Regex KeyPattern();

    /// <summary>Parses 2026-11-24, 2026-11, 2026-Q4, 2026-S2 or 2026.</summary>
    public static bool TryParseKey(string? text, out RecapPeriod period)
    {
        period = null!;
        if (TryParseDay(text, out var day))
        {
            period = Day(day);
            return day.Year >= 2000;
        }
        var m = KeyPattern().Match(text?.Trim() ?? "");
        if (!m.Success)
        {
            return false;
        }
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (year is < MinYear or > MaxYear)
        {
            return false;
        }
        if (m.Groups[2].Success)
        {
            var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12)
            {
                return false;
            }
            period = Month(year, month);
        }
        else
        {
            period = m.Groups[3].Success ? Semester(year, m.Groups[3].Value == "1" ? 1 : 2)
                : m.Groups[4].Success ? Quarter(year, m.Groups[4].Value[0] - '0')
                : Year(year);
        }
        return true;
    }

    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
        && day.Year is >= MinYear and <= MaxYear;

    /// <summary>The instants the period covers in <paramref name="zone"/>: [start, end).</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Instants(TimeZoneInfo zone) =>
        (StartOf(From, zone), StartOf(To.AddDays(1), zone));

    /// <summary>"1 November 2026 s.d. 30 November 2026", or one day.</summary>
    public string Dates => From == To ? FormatDay(From) : ReportTexts.T("period.dates", FormatDay(From), FormatDay(To));

    public static string FormatDay(DateOnly d) => $"{d.Day} {MonthNames[d.Month - 1]} {d.Year}";

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
