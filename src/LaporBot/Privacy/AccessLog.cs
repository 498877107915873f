using System.Data.Common;
using Dapper;
using LaporBot.Data;

namespace LaporBot.Privacy;

/// <summary>One view of a case's personal data by staff.</summary>
internal sealed record AccessEntry
{
    public long Id { get; init; }
    public long At { get; init; }
    public string Staff { get; init; } = "";
    public string Via { get; init; } = "";
    public long? ComplaintId { get; init; }
    public string? TrackingNumber { get; init; }
    public long? ReporterId { get; init; }
    public string Purpose { get; init; } = "";
    public string? Detail { get; init; }
}

/// <summary>
/// Every staff view of a case's personal data is recorded: who, when, which case, through what, why
/// (UU PDP: the controller must be able to show who processed a citizen's data). Entries hold ids, not
/// personal data, and are never erased with the case.
/// </summary>
internal static class AccessLog
{
    public const string StatusPage = "status_page";
    public const string Telegram = "telegram";
    public const string Export = "export";

    public static Task RecordAsync(DbConnection c, DbTransaction? tx, DateTimeOffset at, string staff, string via,
        long? complaintId, long? reporterId, string purpose, string? detail = null) =>
        c.ExecuteAsync(
            """
            INSERT INTO personal_data_access (at, staff, via, complaint_id, reporter_id, purpose, detail)
            VALUES (@at, @staff, @via, @complaintId, @reporterId, @purpose, @detail)
            """,
            new { at = at.ToUnixTimeMilliseconds(), staff, via, complaintId, reporterId, purpose, detail }, tx);

    public static async Task RecordAsync(IDatabase db, DateTimeOffset at, string staff, string via, long? complaintId, long? reporterId,
        string purpose, string? detail = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await RecordAsync(c, null, at, staff, via, complaintId, reporterId, purpose, detail);
    }

    private const string Select =
        """
        SELECT a.id, a.at, a.staff, a.via, a.complaint_id, c.tracking_number, a.reporter_id, a.purpose, a.detail
        FROM personal_data_access a LEFT JOIN complaints c ON c.id = a.complaint_id
        """;

    public static async Task<IReadOnlyList<AccessEntry>> ForComplaintAsync(DbConnection c, long complaintId, int limit = 200) =>
        (await c.QueryAsync<AccessEntry>($"{Select} WHERE a.complaint_id = @complaintId ORDER BY a.id DESC LIMIT @limit",
            new { complaintId, limit })).AsList();

    public static async Task<IReadOnlyList<AccessEntry>> ForReporterAsync(DbConnection c, long reporterId) =>
        (await c.QueryAsync<AccessEntry>(
            $"{Select} WHERE a.reporter_id = @reporterId OR c.reporter_id = @reporterId ORDER BY a.id",
            new { reporterId })).AsList();
}
