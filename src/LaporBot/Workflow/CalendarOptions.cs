namespace LaporBot.Workflow;

internal sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>
    /// Off by default: a calendar switched on without this year's holidays would count Natal as a
    /// working day, so a deployment opts in once it has listed its holidays.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>IANA id; working hours and the digest time are wall-clock times in this zone.</summary>
    public string TimeZone { get; set; } = "Asia/Jakarta";

    public TimeSpan WorkdayStart { get; set; } = new(7, 30, 0);

    public TimeSpan WorkdayEnd { get; set; } = new(16, 0, 0);

    /// <summary>
    /// English day names, e.g. ["Monday", …, "Saturday"]; null means Monday–Friday. The default
    /// lives in <see cref="DefaultWorkingDays"/> rather than in this property because the
    /// configuration binder appends to an existing array instead of replacing it.
    /// </summary>
    public string[]? WorkingDays { get; set; }

    /// <summary>Dates (yyyy-MM-dd) on which no one works: national holidays and cuti bersama alike.</summary>
    public string[] Holidays { get; set; } = [];

    public static readonly IReadOnlyList<DayOfWeek> DefaultWorkingDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
}
