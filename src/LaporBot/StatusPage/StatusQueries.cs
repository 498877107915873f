using System.Data.Common;
using System.Text;
using Dapper;
using LaporBot.Complaints;

namespace LaporBot.StatusPage;

internal sealed record StatusCount(string Status, long Today, long Month);

internal sealed record AgencyStats
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public long Open { get; init; }
    public long Overdue { get; init; }
    public TimeSpan? MedianToAnswer { get; init; }
    public long Answered { get; init; }
    public long AnsweredOnTime { get; init; }
    public double? AverageRating { get; init; }

    public double? OnTimeShare => Answered == 0 ? null : (double)AnsweredOnTime / Answered;
}


internal sealed record Dashboard(
    IReadOnlyList<StatusCount> ByStatus, long TotalToday, long TotalMonth, long Open, long OverdueCount,
    IReadOnlyList<ComplaintRow> Overdue, IReadOnlyList<AgencyStats> Agencies,
    IReadOnlyList<ChartBar> Daily, IReadOnlyList<ChartBar> Monthly, int Year, IReadOnlyList<ComplaintRow> Latest);

internal sealed record CaseFilter
{
    public string? Status { get; init; }
    public string? Agency { get; init; }
    public string? Channel { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public bool OverdueOnly { get; init; }
    public string? Query { get; init; }
    public int Page { get; init; } = 1;
}

internal sealed record CasePage(IReadOnlyList<ComplaintRow> Rows, long Total, int Page, int PageSize)
{
    public int Pages => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
}

internal sealed record OutboxProblem
{
    public long Id { get; init; }
    public string Channel { get; init; } = "";
    public string Recipient { get; init; } = "";
    public string Body { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long NextAttemptAt { get; init; }
    public string? TrackingNumber { get; init; }
    public string? Purpose { get; init; }
    public string? DeliveryStatus { get; init; }
    public string Format { get; init; } = "plain";

    /// <summary>The body as staff read it: the dialogs' markup as plain text.</summary>
    public string Text => Format == "markup" ? Channels.Markup.ToPlain(Body) : Body;

    public bool Retryable => Status is "dead" or "failed";
}

/// <summary>Read-only queries behind the staff pages. Times are Unix ms; "overdue" means the running step's deadline has passed.</summary>
internal static class StatusQueries
{
    private const string Cols =
        "c.id, c.tracking_number, c.reporter_id, c.channel, c.name, c.address, c.text, c.latitude, c.longitude, c.location_label, c.language, c.status, " +
        "c.agency_code, c.confidential, c.created_at, c.updated_at, c.oversight, c.suggestions, c.assigned_at, c.accepted_at, c.answered_at, c.closed_at, " +
        "c.step, c.step_started_at, c.due_at, c.remind_at, c.reminded_at, c.overdue_at, c.total_due_at, c.answer, c.answered_by, c.auto_close_at, " +
        "c.rating, c.satisfied, c.return_reason, c.personal_erased_at";

    // A step with a deadline is running only while the case is open; the workflow clears due_at when it ends.
    private const string OverdueSql = "(c.due_at IS NOT NULL AND c.due_at <= @now AND c.status <> 'closed')";
    private const string OpenAtAgencySql = "c.status IN ('assigned', 'accepted', 'reopened')";

    public const int PageSize = 25;

    public static async Task<Dashboard> DashboardAsync(DbConnection c, LocalTime time, DateTimeOffset now)
    {
        var today = time.Today(now);
        var dayStart = time.StartOf(today).ToUnixTimeMilliseconds();
        var monthStart = time.StartOf(new DateOnly(today.Year, today.Month, 1)).ToUnixTimeMilliseconds();
        var yearStart = time.StartOf(new DateOnly(today.Year, 1, 1)).ToUnixTimeMilliseconds();
        var n = now.ToUnixTimeMilliseconds();

        var byStatus = (await c.QueryAsync<(string Status, long Today, long Month)>(
            """
            SELECT status, SUM(CASE WHEN created_at >= @dayStart THEN 1 ELSE 0 END), COUNT(*)
            FROM complaints WHERE created_at >= @monthStart GROUP BY status
            """, new { dayStart, monthStart })).ToDictionary(x => x.Status);
        var counts = Labels.Statuses.Select(s => byStatus.TryGetValue(s, out var v) ? new StatusCount(s, v.Today, v.Month) : new StatusCount(s, 0, 0)).ToList();

        var open = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM complaints WHERE status NOT IN ('closed')");
        var overdueCount = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM complaints c WHERE {OverdueSql}", new { now = n });
        var overdue = (await c.QueryAsync<ComplaintRow>(
            $"SELECT {Cols} FROM complaint_details c WHERE {OverdueSql} ORDER BY c.due_at LIMIT 10", new { now = n })).AsList();
        var latest = (await c.QueryAsync<ComplaintRow>($"SELECT {Cols} FROM complaint_details c ORDER BY c.id DESC LIMIT 5")).AsList();

        var agencies = await AgencyStatsAsync(c, yearStart, n);

        // Per local day, with the zone's fixed offset (Indonesia has no daylight saving): one small
        // grouped query for the whole year (≤ 366 rows) feeds both charts.
        var offsetMs = (long)time.Zone.GetUtcOffset(now).TotalMilliseconds;
        var thirtyStart = time.StartOf(today.AddDays(-29)).ToUnixTimeMilliseconds();
        var since = Math.Min(thirtyStart, yearStart);
        var perDay = (await c.QueryAsync<(long Day, long Count)>(
            "SELECT (created_at + @offsetMs) / 86400000 AS day, COUNT(*) FROM complaints WHERE created_at >= @since GROUP BY (created_at + @offsetMs) / 86400000",
            new { offsetMs, since })).ToDictionary(x => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)x.Day), x => x.Count);

        var daily = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).Select(d =>
        {
            var v = perDay.GetValueOrDefault(d);
            return new ChartBar(d.Day.ToString(System.Globalization.CultureInfo.InvariantCulture), v, WebTexts.T("chart.bar", ("label", time.FormatDate(d)), ("count", v)));
        }).ToList();
        var monthly = Enumerable.Range(1, 12).Select(m =>
        {
            var v = perDay.Where(p => p.Key.Year == today.Year && p.Key.Month == m).Sum(p => p.Value);
            return new ChartBar(LocalTime.MonthName(m), v, WebTexts.T("chart.bar", ("label", $"{LocalTime.MonthName(m)} {today.Year}"), ("count", v)));
        }).ToList();

        return new Dashboard(counts, counts.Sum(x => x.Today), counts.Sum(x => x.Month), open, overdueCount, overdue, agencies,
            daily, monthly, today.Year, latest);
    }

    private static async Task<IReadOnlyList<AgencyStats>> AgencyStatsAsync(DbConnection c, long since, long now)
    {
        var rows = (await c.QueryAsync<AgencyStats>(
            $"""
            SELECT a.code, a.name,
                (SELECT COUNT(*) FROM complaints c WHERE c.agency_code = a.code AND {OpenAtAgencySql}) AS open,
                (SELECT COUNT(*) FROM complaints c WHERE c.agency_code = a.code AND {OverdueSql}) AS overdue,
                (SELECT COUNT(*) FROM complaints c WHERE c.agency_code = a.code AND c.answered_at IS NOT NULL AND c.created_at >= @since) AS answered,
                (SELECT COUNT(*) FROM complaints c WHERE c.agency_code = a.code AND c.answered_at IS NOT NULL AND c.created_at >= @since
                    AND c.total_due_at IS NOT NULL AND c.answered_at <= c.total_due_at) AS answered_on_time,
                (SELECT AVG(c.rating * 1.0) FROM complaints c WHERE c.agency_code = a.code AND c.rating IS NOT NULL AND c.created_at >= @since) AS average_rating
            FROM agencies a
            WHERE a.active = 1 OR EXISTS (SELECT 1 FROM complaints c WHERE c.agency_code = a.code)
            ORDER BY a.code
            """, new { since, now })).AsList();

        // Median in code: portable across databases, and a year of answered cases is small.
        var durations = (await c.QueryAsync<(string Code, long Ms)>(
            """
            SELECT agency_code, answered_at - COALESCE(assigned_at, created_at) FROM complaints
            WHERE agency_code IS NOT NULL AND answered_at IS NOT NULL AND created_at >= @since
            """, new { since })).GroupBy(x => x.Code).ToDictionary(g => g.Key, g => g.Select(x => x.Ms).Order().ToList());
        return rows.Select(r => durations.TryGetValue(r.Code, out var list) ? r with { MedianToAnswer = Median(list) } : r).ToList();
    }

    internal static TimeSpan? Median(IReadOnlyList<long> sortedMs)
    {
        if (sortedMs.Count == 0)
        {
            return null;
        }
        var mid = sortedMs.Count / 2;
        var ms = sortedMs.Count % 2 == 1 ? sortedMs[mid] : (sortedMs[mid - 1] + sortedMs[mid]) / 2;
        return TimeSpan.FromMilliseconds(ms);
    }

    public static async Task<CasePage> CasesAsync(DbConnection c, CaseFilter f, LocalTime time, DateTimeOffset now)
    {
        var where = new StringBuilder("1 = 1");
        var p = new DynamicParameters();
        p.Add("now", now.ToUnixTimeMilliseconds());
        if (!string.IsNullOrWhiteSpace(f.Status))
        {
            where.Append(" AND c.status = @status");
            p.Add("status", f.Status);
        }
        if (!string.IsNullOrWhiteSpace(f.Agency))
        {
            if (f.Agency == "-")
            {
                where.Append(" AND c.agency_code IS NULL");
            }
            else
            {
                where.Append(" AND c.agency_code = @agency");
                p.Add("agency", f.Agency.ToUpperInvariant());
            }
        }
        if (!string.IsNullOrWhiteSpace(f.Channel))
        {
            where.Append(" AND c.channel = @channel");
            p.Add("channel", f.Channel);
        }
        if (f.From is { } from)
        {
            where.Append(" AND c.created_at >= @from");
            p.Add("from", time.StartOf(from).ToUnixTimeMilliseconds());
        }
        if (f.To is { } to)
        {
            where.Append(" AND c.created_at < @to");
            p.Add("to", time.StartOf(to.AddDays(1)).ToUnixTimeMilliseconds());
        }
        if (f.OverdueOnly)
        {
            where.Append($" AND {OverdueSql}");
        }
        if (!string.IsNullOrWhiteSpace(f.Query))
        {
            // LIKE with the wildcards of the search text escaped; lower() on both sides so it behaves the same on PostgreSQL.
            var q = f.Query.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
            where.Append(@" AND (lower(c.tracking_number) LIKE lower(@q) ESCAPE '\' OR lower(c.name) LIKE lower(@q) ESCAPE '\' OR lower(c.text) LIKE lower(@q) ESCAPE '\')");
            p.Add("q", $"%{q}%");
        }
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM complaint_details c WHERE {where}", p);
        var pages = (int)Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(f.Page, 1, pages);
        p.Add("limit", PageSize);
        p.Add("offset", (page - 1) * PageSize);
        var rows = (await c.QueryAsync<ComplaintRow>(
            $"SELECT {Cols} FROM complaint_details c WHERE {where} ORDER BY c.id DESC LIMIT @limit OFFSET @offset", p)).AsList();
        return new CasePage(rows, total, page, PageSize);
    }

    public static bool IsOverdue(ComplaintRow c, DateTimeOffset now) =>
        c.DueAt is { } due && due <= now.ToUnixTimeMilliseconds() && c.Status != ComplaintStatus.Closed;

    public static async Task<int> AttachmentCountAsync(DbConnection c, long complaintId) =>
        (int)await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM complaint_attachments WHERE complaint_id = @complaintId", new { complaintId });

    private const string OutboxCols =
        "o.id, o.channel, o.recipient, o.body, o.status, o.attempts, o.last_error, o.created_at, o.updated_at, o.next_attempt_at, o.purpose, o.delivery_status, o.format, " +
        "c.tracking_number";

    public static async Task<IReadOnlyList<OutboxProblem>> OutboxForComplaintAsync(DbConnection c, long complaintId) =>
        (await c.QueryAsync<OutboxProblem>(
            $"SELECT {OutboxCols} FROM outbox o LEFT JOIN complaints c ON c.id = o.complaint_id WHERE o.complaint_id = @complaintId ORDER BY o.id",
            new { complaintId })).AsList();

    /// <summary>Messages that need a person: dead (retries exhausted) and pending ones that already failed at least once.</summary>
    public static async Task<(IReadOnlyList<OutboxProblem> Dead, IReadOnlyList<OutboxProblem> Retrying)> OutboxProblemsAsync(DbConnection c, int limit)
    {
        var dead = (await c.QueryAsync<OutboxProblem>(
            $"SELECT {OutboxCols} FROM outbox o LEFT JOIN complaints c ON c.id = o.complaint_id WHERE o.status IN ('dead', 'failed') ORDER BY o.id DESC LIMIT @limit",
            new { limit })).AsList();
        var retrying = (await c.QueryAsync<OutboxProblem>(
            $"SELECT {OutboxCols} FROM outbox o LEFT JOIN complaints c ON c.id = o.complaint_id WHERE o.status = 'pending' AND o.last_error IS NOT NULL ORDER BY o.id LIMIT @limit",
            new { limit })).AsList();
        return (dead, retrying);
    }

    /// <summary>An agency's open cases (everything not closed), the most urgent deadline first.</summary>
    public static async Task<IReadOnlyList<ComplaintRow>> OpenForAgencyAsync(DbConnection c, string agencyCode) =>
        (await c.QueryAsync<ComplaintRow>(
            $"SELECT {Cols} FROM complaint_details c WHERE c.agency_code = @agencyCode AND c.status <> 'closed' " +
            "ORDER BY CASE WHEN c.due_at IS NULL THEN 1 ELSE 0 END, c.due_at, c.id",
            new { agencyCode })).AsList();
}
