using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.StatusPage;
using LaporBot.StatusPage.Tracking;
using Microsoft.Extensions.Options;
using static LaporBot.Reports.ReportTexts;

namespace LaporBot.Reports;

/// <summary>
/// One case as every report lists it. Times are local (the deployment's zone); durations are minutes
/// from receipt; <see cref="MinutesStandard"/> is the SOP's total standard for the case (receipt → answer).
/// </summary>
internal sealed record RecapCase(
    string Number,
    DateTime ReceivedLocal,
    string Channel,
    string? AgencyCode,
    string AgencyName,
    string Reporter,
    string ReporterAddress,
    string Location,
    string Summary,
    string Status,
    string StatusLabel,
    double? MinutesToAssign,
    double? MinutesToAccept,
    double? MinutesToAnswer,
    double? MinutesStandard,
    bool? AnsweredOnTime,
    string AnswerSummary,
    DateTime? AnsweredLocal,
    DateTime? ClosedLocal,
    int? Rating,
    bool Confidential,
    bool Oversight,
    string Topic,
    DateTime? OverdueDueLocal,
    string? OverdueStep);

internal sealed record RecapAgencyStats(
    string? Code, string Name, int Received, int Answered, int AnsweredOnTime, double? OnTimeShare, double? AverageRating, int Rated);

internal sealed record RecapStatusCount(string Status, string Label, int Count);

/// <summary>A labelled count: per day, per month, per topic, per rating.</summary>
internal sealed record RecapCount(string Label, int Count);

internal sealed record RecapReport(
    RecapPeriod Period,
    string? AgencyCode,
    string? AgencyName,
    DateTime GeneratedLocal,
    string ZoneAbbreviation,
    bool IncludeIdentity,
    string? IdentityRequestedBy,
    string? IdentityReason,
    IReadOnlyList<RecapCase> Cases,
    IReadOnlyList<RecapAgencyStats> Agencies,
    IReadOnlyList<RecapStatusCount> Statuses,
    IReadOnlyList<RecapCount> Timeline,
    bool TimelineByMonth,
    IReadOnlyList<RecapCount> Topics,
    IReadOnlyList<RecapCount> Ratings,
    IReadOnlyList<RecapCase> Overdue,
    int Total,
    int Answered,
    int AnsweredOnTime,
    double? OnTimeShare,
    double? AverageRating,
    int OversightCount,
    ReportKind Kind)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string Title => T("title." + Kind);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RecapReport FromJson(string json) => JsonSerializer.Deserialize<RecapReport>(json, Json)!;
}

/// <summary>Who asked for the reporters' identities, and why (the report prints both).</summary>
internal sealed record IdentityRequest(string RequestedBy, string Reason);

/// <summary>
/// The one set of queries behind every report: the cases received in a period (local days of the
/// deployment's zone), optionally of one agency, and the statistics the SOPs ask for.
/// "Answered within the service standard" means answered_at ≤ total_due_at, the total standard fixed
/// when the case was first dispositioned; the on-time share is over answered cases.
/// </summary>
internal sealed class RecapService(IDatabase db, LocalZone zone, TimeProvider clock, StepNames steps)
{
    public static string Unassigned => T("unassigned");
    public static string Masked => T("masked");
    public static string Confidential => T("confidential");
    private const int SummaryLength = 120;

    public TimeZoneInfo Zone { get; } = zone.Zone;

    public DateTime Local(long unixMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), Zone).DateTime;

    public DateOnly LocalToday() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);

    internal sealed record AgencyInfo(string Code, string Name, string Categories, long Active);

    public static async Task<Dictionary<string, string>> AgencyNamesAsync(DbConnection c) =>
        (await c.QueryAsync<(string Code, string Name)>("SELECT code, name FROM agencies")).ToDictionary(a => a.Code, a => a.Name);

    /// <summary>One case with agencies known by name only (the staff API's lists).</summary>
    public RecapCase ToCase(ComplaintRow r, IReadOnlyDictionary<string, string> agencyNames, bool includeIdentity) =>
        ToCase(r, agencyNames.ToDictionary(a => a.Key, a => new AgencyInfo(a.Key, a.Value, "[]", 1)), includeIdentity, null);

    /// <param name="identity">Show reporters' names and addresses; confidential reports stay masked whatever this says.</param>
    /// <param name="kind">Which report; by default the period's own kind (a daily report may span a weekend).</param>
    public async Task<RecapReport> BuildAsync(RecapPeriod period, IdentityRequest? identity, string? agencyCode = null,
        ReportKind? kind = null, CancellationToken cancellationToken = default)
    {
        var reportKind = kind ?? period.Kind;
        var (start, end) = period.Instants(Zone);
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<ComplaintRow>(new CommandDefinition(
            $"""
            SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View}
            WHERE created_at >= @start AND created_at < @end AND (@agency IS NULL OR agency_code = @agency)
            ORDER BY created_at, id
            """,
            new { start = start.ToUnixTimeMilliseconds(), end = end.ToUnixTimeMilliseconds(), agency = agencyCode },
            cancellationToken: cancellationToken))).AsList();
        var overdueRows = reportKind == ReportKind.Day
            ? (await c.QueryAsync<ComplaintRow>(new CommandDefinition(
                $"""
                SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View}
                WHERE overdue_at IS NOT NULL AND step IS NOT NULL AND (@agency IS NULL OR agency_code = @agency)
                ORDER BY due_at, id
                """, new { agency = agencyCode }, cancellationToken: cancellationToken))).AsList()
            : [];
        var agencies = (await c.QueryAsync<AgencyInfo>("SELECT code, name, categories, active FROM agencies")).ToDictionary(a => a.Code);
        var reporterAddresses = identity is null ? null : await ChatAddressesAsync(c, rows);
        var cases = rows.Select(r => ToCase(r, agencies, identity is not null, reporterAddresses)).ToList();
        var overdue = overdueRows.Select(r => ToCase(r, agencies, false, null)).ToList();
        var active = agencies.Values.Where(a => a.Active == 1 && (agencyCode is null || a.Code == agencyCode))
            .Select(a => (a.Code, a.Name)).ToList();
        return Summarise(period, cases, overdue, active, agencyCode,
            agencyCode is null ? null : agencies.TryGetValue(agencyCode, out var a) ? a.Name : agencyCode, identity, reportKind);
    }

    private static async Task<Dictionary<long, string>> ChatAddressesAsync(DbConnection c, IReadOnlyList<ComplaintRow> rows)
    {
        var ids = rows.Select(r => r.ReporterId).Distinct().ToArray();
        return ids.Length == 0
            ? []
            : (await c.QueryAsync<(long Id, string Address)>($"SELECT id, address FROM reporters WHERE {SqlDialect.Of(c).InList("id", "@ids")}", new { ids }))
                .ToDictionary(x => x.Id, x => x.Address);
    }

    internal RecapCase ToCase(ComplaintRow r, IReadOnlyDictionary<string, AgencyInfo> agencies, bool includeIdentity,
        IReadOnlyDictionary<long, string>? chatAddresses)
    {
        var showIdentity = includeIdentity && !r.Confidential;
        var agency = r.AgencyCode is null ? null : agencies.GetValueOrDefault(r.AgencyCode);
        // An agency's answer may quote the reporter; outside an identity request it is redacted like on the public tracking page.
        var answer = r.Answer is null ? "" : showIdentity
            ? r.Answer
            : TrackingApi.Redact(r.Answer, r.Name, r.Address, chatAddresses?.GetValueOrDefault(r.ReporterId));
        return new RecapCase(
            r.TrackingNumber,
            Local(r.CreatedAt),
            Labels.Channel(r.Channel),
            r.AgencyCode,
            r.AgencyCode is null ? Unassigned : agency?.Name ?? r.AgencyCode,
            r.Confidential ? Confidential : showIdentity ? r.Name : MaskName(r.Name),
            r.Confidential ? Confidential : showIdentity ? r.Address : Masked,
            r.LocationLabel ?? (r.Latitude is { } lat && r.Longitude is { } lon
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{lat:0.#####}, {lon:0.#####}") : ""),
            Summarise(r.Text),
            r.Status,
            StatusLabel(r.Status),
            Minutes(r.CreatedAt, r.AssignedAt),
            Minutes(r.CreatedAt, r.AcceptedAt),
            Minutes(r.CreatedAt, r.AnsweredAt),
            Minutes(r.CreatedAt, r.TotalDueAt),
            r.AnsweredAt is { } a ? r.TotalDueAt is { } due && a <= due : null,
            Summarise(answer),
            r.AnsweredAt is { } at ? Local(at) : null,
            r.ClosedAt is { } ct ? Local(ct) : null,
            r.Rating,
            r.Confidential,
            r.Oversight,
            Topic(agency?.Categories),
            r.OverdueAt is not null && r.DueAt is { } d ? Local(d) : null,
            r.OverdueAt is not null ? steps.Name(r.AgencyCode, r.Step) : null);
    }

    private static string Topic(string? categoriesJson)
    {
        try
        {
            var list = string.IsNullOrEmpty(categoriesJson) ? null : JsonSerializer.Deserialize<string[]>(categoriesJson);
            return list is { Length: > 0 } ? list[0] : T("issues.otherTopic");
        }
        catch (JsonException)
        {
            return T("issues.otherTopic");
        }
    }

    public RecapReport Summarise(RecapPeriod period, IReadOnlyList<RecapCase> cases, IReadOnlyList<RecapCase> overdue,
        IReadOnlyList<(string Code, string Name)> activeAgencies, string? agencyCode, string? agencyName, IdentityRequest? identity, ReportKind kind)
    {
        var agencies = cases
            .GroupBy(x => x.AgencyCode)
            .Select(g => Stats(g.Key, g.First().AgencyName, g.ToList()))
            .Concat(activeAgencies.Where(a => cases.All(x => x.AgencyCode != a.Code)).Select(a => Stats(a.Code, a.Name, [])))
            .OrderBy(a => a.Code is null ? 1 : 0).ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
        var statuses = StatusOrder
            .Select(s => new RecapStatusCount(s, StatusLabel(s), cases.Count(x => x.Status == s)))
            .Concat(cases.Where(x => !StatusOrder.Contains(x.Status)).GroupBy(x => x.Status)
                .Select(g => new RecapStatusCount(g.Key, StatusLabel(g.Key), g.Count())))
            .ToList();
        var byMonth = period.To.DayNumber - period.From.DayNumber >= 62;
        var timeline = new List<RecapCount>();
        if (byMonth)
        {
            for (var m = new DateOnly(period.From.Year, period.From.Month, 1); m <= period.To; m = m.AddMonths(1))
            {
                timeline.Add(new($"{RecapPeriod.MonthNames[m.Month - 1]} {m.Year}", cases.Count(x => x.ReceivedLocal.Year == m.Year && x.ReceivedLocal.Month == m.Month)));
            }
        }
        else
        {
            for (var d = period.From; d <= period.To; d = d.AddDays(1))
            {
                timeline.Add(new(RecapPeriod.FormatDay(d), cases.Count(x => DateOnly.FromDateTime(x.ReceivedLocal) == d)));
            }
        }
        var topics = cases.GroupBy(x => x.AgencyCode is null ? T("issues.otherTopic") : x.Topic)
            .Select(g => new RecapCount(g.Key, g.Count())).OrderByDescending(x => x.Count).ThenBy(x => x.Label, StringComparer.Ordinal).ToList();
        var ratings = Enumerable.Range(1, 5).Select(n => new RecapCount(n.ToString(System.Globalization.CultureInfo.InvariantCulture), cases.Count(x => x.Rating == n))).ToList();
        var all = Stats(null, "", cases);
        return new RecapReport(period, agencyCode, agencyName, TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime, zone.Abbreviation,
            identity is not null, identity?.RequestedBy, identity?.Reason, cases, agencies, statuses, timeline, byMonth, topics, ratings, overdue,
            all.Received, all.Answered, all.AnsweredOnTime, all.OnTimeShare, all.AverageRating, cases.Count(x => x.Oversight), kind);
    }

    internal static readonly string[] StatusOrder =
    [
        ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Returned, ComplaintStatus.Assigned, ComplaintStatus.Accepted,
        ComplaintStatus.Answered, ComplaintStatus.Reopened, ComplaintStatus.Closed,
    ];

    /// <summary>The status page's name for a status: one name per status everywhere staff read.</summary>
    public static string StatusLabel(string status) => Labels.Status(status);

    /// <summary>"Siti Rahayu" → "S*** R*****": enough for staff to tell cases apart, not to identify anyone.</summary>
    public static string MaskName(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? Masked : string.Join(' ', parts.Select(p => p[..1].ToUpperInvariant() + new string('*', Math.Max(2, p.Length - 1))));
    }

    /// <summary>One line of at most 120 characters, phone numbers masked (citizens often write theirs into the text).</summary>
    public static string Summarise(string text)
    {
        var flat = LaporBot.Channels.Redact.Phones(string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
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
