using System.Data.Common;
using Dapper;
using LaporBot.Conversations;
using LaporBot.Data;

namespace LaporBot.Complaints;

// Rows are property bags (not positional records) so Dapper converts column types the same way on
// every database (SQLite gives Int64 where PostgreSQL may give Int32).
internal sealed record ComplaintRow
{
    public long Id { get; init; }
    public string TrackingNumber { get; init; } = "";
    public long ReporterId { get; init; }
    public string Channel { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The applicant's own address.</summary>
    public string Address { get; init; } = "";
    /// <summary>Where the problem is (text); coordinates, when shared, in <see cref="Latitude"/>/<see cref="Longitude"/>.</summary>
    public string ProblemLocation { get; init; } = "";
    public string Text { get; init; } = "";
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? LocationLabel { get; init; }
    public string Language { get; init; } = "id";
    public string Status { get; init; } = "";
    public string? AgencyCode { get; init; }
    public bool Confidential { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public bool Oversight { get; init; }
    public string? Suggestions { get; init; }
    public long? AssignedAt { get; init; }
    public long? AcceptedAt { get; init; }
    public long? AnsweredAt { get; init; }
    public long? ClosedAt { get; init; }
    public string? Step { get; init; }
    public long? StepStartedAt { get; init; }
    public long? DueAt { get; init; }
    public long? RemindAt { get; init; }
    public long? RemindedAt { get; init; }
    public long? OverdueAt { get; init; }
    public long? TotalDueAt { get; init; }
    public string? Answer { get; init; }
    public string? AnsweredBy { get; init; }
    public long? AutoCloseAt { get; init; }
    public int? Rating { get; init; }
    public bool? Satisfied { get; init; }
    public string? ReturnReason { get; init; }
    public long? PersonalErasedAt { get; init; }
    /// <summary>The current step's allowance once extended (/perpanjang), in seconds; null = the step's standard.</summary>
    public long? StepAllowedSeconds { get; init; }
    public string? ExtensionReason { get; init; }
    /// <summary>When the next escalation of the workflow file falls due for this case.</summary>
    public long? EscalateAt { get; init; }
    /// <summary>When the drafted answer was approved; null when not (yet), or sent back for revision.</summary>
    public long? ApprovedAt { get; init; }
    public string? ApprovedBy { get; init; }

    public DateTimeOffset Created => DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt);
}

internal sealed record TimelineEvent
{
    public long Id { get; init; }
    public long ComplaintId { get; init; }
    public long At { get; init; }
    public string Actor { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Note { get; init; }

    public DateTimeOffset When => DateTimeOffset.FromUnixTimeMilliseconds(At);
}

/// <summary>
/// Complaints and their append-only timeline. SQL sits next to the method that runs it.
/// Personal data lives apart (complaint_personal, complaint_event_notes; migration 0011) so it can be
/// erased; reads go through the complaint_details view, which joins it back (empty once erased).
/// </summary>
internal static class ComplaintStore
{
    /// <summary>The view to read cases from: the skeleton plus its personal data.</summary>
    internal const string View = "complaint_details";

    internal const string Columns =
        "id, tracking_number, reporter_id, channel, name, address, text, latitude, longitude, location_label, language, status, agency_code, confidential, created_at, updated_at, " +
        "oversight, suggestions, assigned_at, accepted_at, answered_at, closed_at, step, step_started_at, due_at, remind_at, reminded_at, overdue_at, " +
        "total_due_at, answer, answered_by, auto_close_at, rating, satisfied, return_reason, problem_location, personal_erased_at, " +
        "step_allowed_seconds, extension_reason, escalate_at, approved_at, approved_by";

    public static async Task<ComplaintRow> InsertAsync(
        DbSession s, string trackingNumber, long reporterId, string channel, ComplaintDraft draft, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        var id = await s.Connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO complaints (tracking_number, reporter_id, channel, problem_location, language, status, confidential, created_at, updated_at)
            VALUES (@trackingNumber, @reporterId, @channel, @problemLocation, @language, @status, @confidential, @at, @at)
            RETURNING id
            """,
            new
            {
                trackingNumber, reporterId, channel, problemLocation = draft.ProblemLocation, language = draft.Language, status = ComplaintStatus.Submitted,
                confidential = draft.Confidential ? 1 : 0, at,
            },
            s.Transaction);
        await s.Connection.ExecuteAsync(
            """
            INSERT INTO complaint_personal (complaint_id, name, address, text, latitude, longitude, location_label)
            VALUES (@id, @name, @address, @text, @lat, @lon, @label)
            """,
            new
            {
                id, name = draft.Name, address = draft.Address, text = draft.Text,
                lat = draft.Location?.Latitude, lon = draft.Location?.Longitude, label = draft.Location?.Label,
            },
            s.Transaction);
        foreach (var a in draft.Attachments)
        {
            await s.Connection.ExecuteAsync(
                "INSERT INTO complaint_attachments (complaint_id, source_url, content_type, local_path, created_at) VALUES (@id, @url, @type, @path, @at)",
                new { id, url = a.SourceUrl, type = a.ContentType, path = a.LocalPath, at },
                s.Transaction);
        }
        return new ComplaintRow
        {
            Id = id, TrackingNumber = trackingNumber, ReporterId = reporterId, Channel = channel, Name = draft.Name,
            Address = draft.Address, ProblemLocation = draft.ProblemLocation, Text = draft.Text, Latitude = draft.Location?.Latitude, Longitude = draft.Location?.Longitude,
            LocationLabel = draft.Location?.Label, Language = draft.Language, Status = ComplaintStatus.Submitted,
            Confidential = draft.Confidential, CreatedAt = at, UpdatedAt = at,
        };
    }

    /// <summary>Appends an event; its note (free text, may quote the citizen) goes to the erasable complaint_event_notes.</summary>
    public static async Task AppendEventAsync(DbSession s, long complaintId, DateTimeOffset at, string actor, string kind, string? note)
    {
        var id = await s.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO complaint_events (complaint_id, at, actor, kind) VALUES (@complaintId, @at, @actor, @kind) RETURNING id",
            new { complaintId, at = at.ToUnixTimeMilliseconds(), actor, kind },
            s.Transaction);
        if (!string.IsNullOrEmpty(note))
        {
            await s.Connection.ExecuteAsync(
                "INSERT INTO complaint_event_notes (event_id, complaint_id, note) VALUES (@id, @complaintId, @note)",
                new { id, complaintId, note }, s.Transaction);
        }
    }

    /// <summary>Adds to what the citizen wrote (completing a returned case).</summary>
    public static Task AppendTextAsync(DbSession s, long complaintId, string addition) =>
        s.Connection.ExecuteAsync("UPDATE complaint_personal SET text = text || @addition WHERE complaint_id = @complaintId",
            new { complaintId, addition }, s.Transaction);

    /// <summary>Stores the agency's answer beside the citizen's own data (it is addressed to them and may quote them).</summary>
    public static Task SetAnswerAsync(DbSession s, long complaintId, string answer) =>
        s.Connection.ExecuteAsync("UPDATE complaint_personal SET answer = @answer WHERE complaint_id = @complaintId",
            new { complaintId, answer }, s.Transaction);

    /// <summary>Adds the attachments a citizen sent with a complaint (at submission, or completing a returned case).</summary>
    public static async Task AddAttachmentsAsync(DbSession s, long id, IReadOnlyList<Channels.InboundAttachment> attachments, DateTimeOffset now)
    {
        foreach (var a in attachments)
        {
            await s.Connection.ExecuteAsync(
                "INSERT INTO complaint_attachments (complaint_id, source_url, content_type, local_path, created_at) VALUES (@id, @url, @type, @path, @at)",
                new { id, url = a.SourceUrl, type = a.ContentType, path = a.LocalPath, at = now.ToUnixTimeMilliseconds() },
                s.Transaction);
        }
    }

    /// <summary>
    /// The reporter's cases the conversation may talk about, newest first: those waiting for the
    /// citizen (returned; answered inside the reply window) and the latest answered ones for a rating.
    /// </summary>
    public static async Task<IReadOnlyList<ComplaintRow>> FollowUpCandidatesAsync(DbSession s, long reporterId, DateTimeOffset answeredSince) =>
        (await s.Connection.QueryAsync<ComplaintRow>(
            $"""
            SELECT {Columns} FROM {View}
            WHERE reporter_id = @reporterId
              AND (status = 'returned' OR (answered_at >= @since AND status IN ('answered', 'closed')))
            ORDER BY updated_at DESC, id DESC LIMIT 10
            """,
            new { reporterId, since = answeredSince.ToUnixTimeMilliseconds() },
            s.Transaction)).AsList();

    public static Task<ComplaintRow?> FindForReporterAsync(DbSession s, long reporterId, string trackingNumber) =>
        s.Connection.QuerySingleOrDefaultAsync<ComplaintRow>(
            $"SELECT {Columns} FROM {View} WHERE reporter_id = @reporterId AND tracking_number = @trackingNumber",
            new { reporterId, trackingNumber },
            s.Transaction);

    public static async Task<IReadOnlyList<ComplaintRow>> LatestForReporterAsync(DbSession s, long reporterId, int count) =>
        (await s.Connection.QueryAsync<ComplaintRow>(
            $"SELECT {Columns} FROM {View} WHERE reporter_id = @reporterId ORDER BY id DESC LIMIT @count",
            new { reporterId, count },
            s.Transaction)).AsList();

    public static Task<ComplaintRow?> FindAsync(DbConnection c, string trackingNumber) =>
        c.QuerySingleOrDefaultAsync<ComplaintRow>(
            $"SELECT {Columns} FROM {View} WHERE tracking_number = @trackingNumber", new { trackingNumber });

    public static async Task<IReadOnlyList<ComplaintRow>> LatestAsync(DbConnection c, int count) =>
        (await c.QueryAsync<ComplaintRow>($"SELECT {Columns} FROM {View} ORDER BY id DESC LIMIT @count", new { count })).AsList();

    public static Task<ComplaintRow?> FindByIdAsync(DbConnection c, long id, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<ComplaintRow>($"SELECT {Columns} FROM {View} WHERE id = @id", new { id }, tx);

    public static Task<ComplaintRow?> FindByNumberAsync(DbConnection c, string trackingNumber, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<ComplaintRow>($"SELECT {Columns} FROM {View} WHERE tracking_number = @trackingNumber",
            new { trackingNumber = trackingNumber.Trim().ToUpperInvariant() }, tx);

    public static async Task<IReadOnlyList<TimelineEvent>> TimelineAsync(DbConnection c, long complaintId, DbTransaction? tx = null) =>
        (await c.QueryAsync<TimelineEvent>(
            """
            SELECT e.id, e.complaint_id, e.at, e.actor, e.kind, n.note
            FROM complaint_events e LEFT JOIN complaint_event_notes n ON n.event_id = e.id
            WHERE e.complaint_id = @complaintId ORDER BY e.id
            """,
            new { complaintId }, tx)).AsList();
}
