using System.Globalization;
using LaporBot.Complaints;

namespace LaporBot.StatusPage;

/// <summary>The status page's view of the deployment's clock (<see cref="LocalZone"/>): day and month boundaries, and the one way times are written.</summary>
internal sealed class LocalTime(LocalZone zone)
{
    private static readonly CultureInfo Id = CultureInfo.GetCultureInfo("id-ID");

    public TimeZoneInfo Zone => zone.Zone;

    /// <summary>WIB, WITA or WIT.</summary>
    public string Abbreviation => zone.Abbreviation;

    public DateTimeOffset ToLocal(DateTimeOffset t) => zone.ToLocal(t);

    public DateTimeOffset ToLocal(long ms) => zone.ToLocal(ms);

    /// <summary>Midnight of the local date, as an instant.</summary>
    public DateTimeOffset StartOf(DateOnly day) => zone.StartOf(day);

    public DateOnly Today(DateTimeOffset now) => zone.Today(now);

    /// <summary>"24-11-2026 09:05 WIB"; "–" when there is none.</summary>
    public string Format(long? ms) => zone.Format(ms);

    /// <summary>A wall-clock time already local (report sign-offs).</summary>
    public string FormatLocal(DateTime local) => zone.FormatLocal(local);

    public string FormatDate(DateOnly d) => LocalZone.FormatDate(d);

    public static string MonthName(int month) => Id.DateTimeFormat.GetAbbreviatedMonthName(month);

    /// <summary>"2 hari 3 jam", "1 jam 15 mnt", "12 mnt".</summary>
    public static string Duration(TimeSpan? span)
    {
        if (span is not { } d)
        {
            return "–";
        }
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }
        if (d.TotalDays >= 1)
        {
            return WebTexts.T("duration.days", ("days", (int)d.TotalDays), ("hours", d.Hours));
        }
        return d.TotalHours >= 1
            ? WebTexts.T("duration.hours", ("hours", (int)d.TotalHours), ("minutes", d.Minutes))
            : WebTexts.T("duration.minutes", ("minutes", Math.Max(0, (int)Math.Round(d.TotalMinutes))));
    }
}

/// <summary>What staff read for the stored words (names from workflows/texts/web.yaml and dialogs/lapor.yaml, see <see cref="WebTexts"/>).</summary>
internal static class Labels
{
    public static readonly IReadOnlyList<string> Statuses =
    [
        ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Assigned, ComplaintStatus.Accepted,
        ComplaintStatus.Returned, ComplaintStatus.Answered, ComplaintStatus.Reopened, ComplaintStatus.Closed,
    ];

    public static readonly IReadOnlyList<string> Channels = ["twilio", "meta", "telegram", "simulator"];

    public static string Status(string status) => WebTexts.Status(status);

    public static string Channel(string channel) => WebTexts.Channel(channel);

    public static string Step(string? step) => WebTexts.Step(step);

    public static string AccessVia(string via) => WebTexts.AccessVia(via);

    public static string Outbox(string status) => WebTexts.Outbox(status);

    public static string Event(string kind) => WebTexts.Event(kind);

    public static string Actor(string actor) => WebTexts.Actor(actor);
}
