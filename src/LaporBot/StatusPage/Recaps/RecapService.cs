using System.Data.Common;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Routing;
using Microsoft.Extensions.Options;
using LaporBot.Staff;

namespace LaporBot.StatusPage.Recaps;

/// <summary>One case as the recap lists it. Times are local (WIB); durations in minutes from receipt.</summary>
internal sealed record RecapCase(
    string Number,
    DateTime ReceivedLocal,
    string Channel,
    string? AgencyCode,
    string AgencyName,
    string Reporter,
    string ReporterAddress,
    string Summary,
    string Status,
    string StatusLabel,
    double? MinutesToAssign,
    double? MinutesToAnswer,
    int? Rating,
    bool? AnsweredOnTime,
    bool Confidential);

internal sealed record RecapAgencyStats(
    string? Code, string Name, int Received, int Answered, int AnsweredOnTime, double? OnTimeShare, double? AverageRating, int Rated);

internal sealed record RecapStatusCount(string Status, string Label, int Count);

internal sealed record RecapReport(
    RecapPeriod Period,
    DateTime GeneratedLocal,
    bool IncludeIdentity,
    IReadOnlyList<RecapCase> Cases,
    IReadOnlyList<RecapAgencyStats> Agencies,
    IReadOnlyList<RecapStatusCount> Statuses,
    int Total,
    int Answered,
    int AnsweredOnTime,
    double? OnTimeShare,
    double? AverageRating);

/// <summary>
/// Reads the cases received in a period (local WIB days) and computes the recap the reporting SOP
/// asks for. "Answered within the service standard" means answered_at ≤ total_due_at, the total
/// standard fixed when the case was first dispositioned; the on-time share is over answered cases.
/// </summary>
internal sealed class RecapService(IDatabase db, IOptions<ComplaintOptions> complaints, TimeProvider clock)
{
    public const string Unassigned = "(belum didisposisi)";
    public const string Masked = "(disamarkan)";
    public const string Confidential = "(dirahasiakan)";
    private const int SummaryLength = 120;

    public TimeZoneInfo Zone { get; } = TrackingNumbers.FindZone(complaints.Value.TimeZone);

    public DateTime Local(long unixMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), Zone).DateTime;

    public DateOnly LocalToday() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);

    /// <param name="includeIdentity">Show reporters' names and addresses; confidential reports stay masked whatever this says.</param>
    public async Task<RecapReport> BuildAsync(RecapPeriod period, bool includeIdentity, CancellationToken cancellationToken = default)
    {
        var (start, end) = period.Instants(Zone);
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<ComplaintRow>(new CommandDefinition(
            $"SELECT {ComplaintStore.Columns} FROM complaints WHERE created_at >= @start AND created_at < @end ORDER BY created_at, id",
            new { start = start.ToUnixTimeMilliseconds(), end = end.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken))).AsList();
        var agencies = await AgencyNamesAsync(c);
        var cases = rows.Select(r => ToCase(r, agencies, includeIdentity)).ToList();
        return Summarise(period, cases, includeIdentity);
    }

    public static async Task<Dictionary<string, string>> AgencyNamesAsync(DbConnection c) =>
        (await c.QueryAsync<(string Code, string Name)>("SELECT code, name FROM agencies")).ToDictionary(a => a.Code, a => a.Name);

    public RecapCase ToCase(ComplaintRow r, IReadOnlyDictionary<string, string> agencies, bool includeIdentity)
    {
        var showIdentity = includeIdentity && !r.Confidential;
        return new RecapCase(
            r.TrackingNumber,
            Local(r.CreatedAt),
            r.Channel,
            r.AgencyCode,
            r.AgencyCode is null ? Unassigned : agencies.GetValueOrDefault(r.AgencyCode, r.AgencyCode),
            r.Confidential ? Confidential : showIdentity ? r.Name : MaskName(r.Name),
            r.Confidential ? Confidential : showIdentity ? r.Address : Masked,
            Summarise(r.Text),
            r.Status,
            StatusLabel(r.Status),
            Minutes(r.CreatedAt, r.AssignedAt),
            Minutes(r.CreatedAt, r.AnsweredAt),
            r.Rating,
            r.AnsweredAt is { } a ? r.TotalDueAt is { } due && a <= due : null,
            r.Confidential);
    }

    public RecapReport Summarise(RecapPeriod period, IReadOnlyList<RecapCase> cases, bool includeIdentity)
    {
        var agencies = cases
            .GroupBy(x => x.AgencyCode)
            .Select(g => Stats(g.Key, g.First().AgencyName, g.ToList()))
            .OrderBy(a => a.Code is null ? 1 : 0).ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
        var statuses = StatusOrder
            .Select(s => new RecapStatusCount(s, StatusLabel(s), cases.Count(x => x.Status == s)))
            .Concat(cases.Where(x => !StatusOrder.Contains(x.Status)).GroupBy(x => x.Status)
                .Select(g => new RecapStatusCount(g.Key, StatusLabel(g.Key), g.Count())))
            .ToList();
        var all = Stats(null, "Semua", cases);
        return new RecapReport(period, TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime, includeIdentity, cases, agencies, statuses,
            all.Received, all.Answered, all.AnsweredOnTime, all.OnTimeShare, all.AverageRating);
    }

    internal static readonly string[] StatusOrder =
    [
        ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Returned, ComplaintStatus.Assigned, ComplaintStatus.Accepted,
        ComplaintStatus.Answered, ComplaintStatus.Reopened, ComplaintStatus.Closed,
    ];

    public static string StatusLabel(string status)
    {
        var name = StaffTexts.StatusName(status);
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>"Siti Rahayu" → "S*** R*****": enough for staff to tell cases apart, not to identify anyone.</summary>
    public static string MaskName(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? Masked : string.Join(' ', parts.Select(p => p[..1].ToUpperInvariant() + new string('*', Math.Max(2, p.Length - 1))));
    }

    public static string Summarise(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= SummaryLength ? flat : flat[..(SummaryLength - 1)].TrimEnd() + "…";
    }

    private static RecapAgencyStats Stats(string? code, string name, IReadOnlyList<RecapCase> cases)
    {
        var answered = cases.Count(x => x.AnsweredOnTime is not null);
        var onTime = cases.Count(x => x.AnsweredOnTime == true);
        var rated = cases.Where(x => x.Rating is not null).Select(x => (double)x.Rating!.Value).ToList();
        return new RecapAgencyStats(code, name, cases.Count, answered, onTime,
            answered == 0 ? null : Math.Round((double)onTime / answered, 4),
            rated.Count == 0 ? null : Math.Round(rated.Average(), 2),
            rated.Count);
    }

    private static double? Minutes(long from, long? to) => to is { } t ? Math.Round((t - from) / 60_000.0, 1) : null;
}
