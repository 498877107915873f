using Dapper;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Routing;
using LaporBot.Workflow;
using Microsoft.Extensions.Options;
using static LaporBot.Reports.ReportTexts;

namespace LaporBot.Reports;

internal sealed record ReportState
{
    public string Period { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Stage { get; init; } = "";
    public string Snapshot { get; init; } = "";
    public long StageStartedAt { get; init; }
    public long? DueAt { get; init; }
    public long? RemindedAt { get; init; }
    public string? SectionHeadBy { get; init; }
    public long? SectionHeadAt { get; init; }
    public string? DivisionHeadBy { get; init; }
    public long? DivisionHeadAt { get; init; }
    public string? PersonInChargeBy { get; init; }
    public long? PersonInChargeAt { get; init; }
    public long? SentAt { get; init; }
    public long CreatedAt { get; init; }

    public bool Frozen => Stage == SignOff.Stages.Archived;
}

internal sealed record ReportEvent
{
    public long Id { get; init; }
    public string Period { get; init; } = "";
    public long At { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Level { get; init; }
    public string? Note { get; init; }
}

internal enum SignOffOutcome { Done, NotFound, NotYourTurn, NoteRequired }

/// <summary>
/// The reporting SOP's sign-off: a stored report waits for the section head's initials (3 h), then the
/// division head's (3 h), then the person in charge's signature (2 days); each level may instead return
/// it one level down with a note (the section head returns it to the admin, who compiles it again). Every
/// step is a guarded update plus a history row, and re-prints the files with the approvals so far; the
/// signature writes them a last time and freezes them (archived). Late levels get one reminder per stage.
/// </summary>
internal sealed class SignOff(IDatabase db, StoredRecaps store, RecapService recaps, TimeProvider clock, OutboxSignal signal,
    IOptions<RecapOptions> options, SignOffStandards standards, ILogger<SignOff> logger)
{
    public static class Stages
    {
        public const string None = "none";
        public const string Draft = "draft";
        public const string SectionHead = SignOffLevels.SectionHead;
        public const string DivisionHead = SignOffLevels.DivisionHead;
        public const string PersonInCharge = SignOffLevels.PersonInCharge;
        public const string Archived = "archived";
    }

    private const string Columns =
        "period, kind, stage, snapshot, stage_started_at, due_at, reminded_at, section_head_by, section_head_at, division_head_by, division_head_at, " +
        "person_in_charge_by, person_in_charge_at, sent_at, created_at";

    public async Task<ReportState?> FindAsync(string period, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ReportState>($"SELECT {Columns} FROM reports WHERE period = @period", new { period });
    }

    public async Task<IReadOnlyList<ReportState>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ReportState>($"SELECT {Columns} FROM reports ORDER BY created_at DESC")).AsList();
    }

    public async Task<IReadOnlyList<ReportEvent>> HistoryAsync(string period, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ReportEvent>("SELECT id, period, at, actor, action, level, note FROM report_events WHERE period = @period ORDER BY id",
            new { period })).AsList();
    }

    internal static Task AppendAsync(DbSession s, string period, DateTimeOffset at, string actor, string action, string? level, string? note) =>
        s.Connection.ExecuteAsync("INSERT INTO report_events (period, at, actor, action, level, note) VALUES (@period, @at, @actor, @action, @level, @note)",
            new { period, at = at.ToUnixTimeMilliseconds(), actor, action, level, note }, s.Transaction);

    private static string Next(string level) => level switch
    {
        Stages.SectionHead => Stages.DivisionHead,
        Stages.DivisionHead => Stages.PersonInCharge,
        _ => Stages.Archived,
    };

    private static string Previous(string level) => level switch
    {
        Stages.PersonInCharge => Stages.DivisionHead,
        Stages.DivisionHead => Stages.SectionHead,
        _ => Stages.Draft,
    };

    /// <summary>Initials (section and division head) or signature (person in charge) of <paramref name="level"/>.</summary>
    public async Task<SignOffOutcome> ApproveAsync(string period, string actor, string level, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var s = await db.BeginAsync(ct);
        var next = Next(level);
        var changed = await s.Connection.ExecuteAsync(
            $"""
            UPDATE reports SET stage = @next, stage_started_at = @now, due_at = @due, reminded_at = NULL,
                {level}_by = @actor, {level}_at = @now, updated_at = @now
            WHERE period = @period AND stage = @level
            """,
            new
            {
                period, level, next, actor, now = now.ToUnixTimeMilliseconds(),
                due = next == Stages.Archived ? (long?)null : standards.Due(next, now).ToUnixTimeMilliseconds(),
            }, s.Transaction);
        if (changed == 0)
        {
            return await ExistsAsync(s, period) ? SignOffOutcome.NotYourTurn : SignOffOutcome.NotFound;
        }
        await AppendAsync(s, period, now, actor, "approved", level, null);
        await ReprintAsync(s, period, now, freeze: next == Stages.Archived, ct);
        await s.CommitAsync(ct);
        logger.LogInformation("Report {Period}: {Level} approved; now {Stage}", period, level, next);
        return SignOffOutcome.Done;
    }

    /// <summary>Returns the report from <paramref name="level"/> to the level before, with the reason.</summary>
    public async Task<SignOffOutcome> ReturnAsync(string period, string actor, string level, string? note, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return SignOffOutcome.NoteRequired;
        }
        var now = clock.GetUtcNow();
        var previous = Previous(level);
        await using var s = await db.BeginAsync(ct);
        // The level it goes back to checks again: its earlier initials no longer count (the history keeps them).
        var clear = previous == Stages.Draft ? "" : $", {previous}_by = NULL, {previous}_at = NULL";
        var changed = await s.Connection.ExecuteAsync(
            $"""
            UPDATE reports SET stage = @previous, stage_started_at = @now, due_at = @due, reminded_at = NULL, updated_at = @now{clear}
            WHERE period = @period AND stage = @level
            """,
            new
            {
                period, level, previous, now = now.ToUnixTimeMilliseconds(),
                due = previous == Stages.Draft ? (long?)null : standards.Due(previous, now).ToUnixTimeMilliseconds(),
            }, s.Transaction);
        if (changed == 0)
        {
            return await ExistsAsync(s, period) ? SignOffOutcome.NotYourTurn : SignOffOutcome.NotFound;
        }
        await AppendAsync(s, period, now, actor, "returned", level, note.Trim());
        await ReprintAsync(s, period, now, freeze: false, ct);
        await s.CommitAsync(ct);
        return SignOffOutcome.Done;
    }

    /// <summary>The admin compiles a returned report again from today's data and reports it to the section head.</summary>
    public async Task<SignOffOutcome> RebuildAsync(string period, string actor, CancellationToken ct = default)
    {
        var state = await FindAsync(period, ct);
        if (state is null || !RecapPeriod.TryParseKey(period, out var p) && !TryParseRange(period, out p))
        {
            return SignOffOutcome.NotFound;
        }
        if (state.Stage != Stages.Draft)
        {
            return SignOffOutcome.NotYourTurn;
        }
        var report = await recaps.BuildAsync(p, identity: null, kind: Enum.Parse<ReportKind>(state.Kind), cancellationToken: ct);
        var now = clock.GetUtcNow();
        await using var s = await db.BeginAsync(ct);
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE reports SET stage = @stage, snapshot = @snapshot, stage_started_at = @now, due_at = @due, reminded_at = NULL, updated_at = @now
            WHERE period = @period AND stage = 'draft'
            """,
            new
            {
                period, stage = Stages.SectionHead, snapshot = report.ToJson(), now = now.ToUnixTimeMilliseconds(),
                due = standards.Due(Stages.SectionHead, now).ToUnixTimeMilliseconds(),
            }, s.Transaction);
        if (changed == 0)
        {
            return SignOffOutcome.NotYourTurn;
        }
        await AppendAsync(s, period, now, actor, "rebuilt", null, null);
        await ReprintAsync(s, period, now, freeze: false, ct);
        await s.CommitAsync(ct);
        return SignOffOutcome.Done;
    }

    private static bool TryParseRange(string key, out RecapPeriod period)
    {
        period = null!;
        var parts = key.Split('_');
        if (parts.Length == 2 && RecapPeriod.TryParseDay(parts[0], out var f) && RecapPeriod.TryParseDay(parts[1], out var t) && f <= t)
        {
            period = RecapPeriod.Range(f, t);
            return true;
        }
        return false;
    }

    internal static bool TryParseStoredKey(string key, out RecapPeriod period) => RecapPeriod.TryParseKey(key, out period) || TryParseRange(key, out period);

    /// <summary>
    /// One reminder per stage once its time standard has passed: a history row and a Telegram message to
    /// the people of that level (Recaps:Approvers), or to the triage desk when none are configured.
    /// </summary>
    public async Task<int> RemindAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var sent = 0;
        await using var s = await db.BeginAsync(ct);
        var late = (await s.Connection.QueryAsync<ReportState>(
            $"SELECT {Columns} FROM reports WHERE due_at <= @now AND reminded_at IS NULL AND stage IN ('section_head', 'division_head', 'person_in_charge')",
            new { now = now.ToUnixTimeMilliseconds() }, s.Transaction)).AsList();
        var triage = late.Count == 0 ? [] : await AgencyStore.TriageAdminsAsync(s.Connection, s.Transaction);
        foreach (var r in late)
        {
            if (await s.Connection.ExecuteAsync("UPDATE reports SET reminded_at = @now WHERE period = @period AND reminded_at IS NULL AND stage = @stage",
                    new { now = now.ToUnixTimeMilliseconds(), period = r.Period, stage = r.Stage }, s.Transaction) == 0)
            {
                continue;
            }
            await AppendAsync(s, r.Period, now, StoredRecaps.System_, "reminder", r.Stage, null);
            var label = SignOffTitle(r);
            var text = T("reminder.message", label, r.Period, T("stage." + r.Stage).ToLowerInvariant(),
                recaps.Local(r.DueAt!.Value).ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            var approvers = options.Value.Approvers.For(r.Stage);
            foreach (var person in approvers.Count > 0 ? approvers : triage)
            {
                await ComplaintWorkflow.EnqueueStaffAsync(s, person, null, text, [], "notify", now);
            }
            sent++;
        }
        await s.CommitAsync(ct);
        if (sent > 0)
        {
            signal.Notify();
        }
        return sent;
    }

    public static string SignOffTitle(ReportState r) => T("title." + r.Kind);

    /// <summary>The approvals as the report prints them.</summary>
    public IReadOnlyList<ReportApproval> Approvals(ReportState r)
    {
        var list = new List<ReportApproval>();
        if (r.SectionHeadBy is { } a && r.SectionHeadAt is { } at)
        {
            list.Add(new(SignOffLevels.SectionHead, a, recaps.Local(at)));
        }
        if (r.DivisionHeadBy is { } b && r.DivisionHeadAt is { } bt)
        {
            list.Add(new(SignOffLevels.DivisionHead, b, recaps.Local(bt)));
        }
        if (r.PersonInChargeBy is { } c && r.PersonInChargeAt is { } ct)
        {
            list.Add(new(SignOffLevels.PersonInCharge, c, recaps.Local(ct)));
        }
        return list;
    }

    private async Task ReprintAsync(DbSession s, string period, DateTimeOffset now, bool freeze, CancellationToken ct)
    {
        var state = await s.Connection.QuerySingleAsync<ReportState>($"SELECT {Columns} FROM reports WHERE period = @period", new { period }, s.Transaction);
        if (!TryParseStoredKey(period, out var p))
        {
            throw new InvalidOperationException($"Stored report with an unreadable period {period}");
        }
        var report = RecapReport.FromJson(state.Snapshot);
        await store.WriteFilesAsync(s, p, report, new ReportContext(options.Value.Institution, Approvals(state)), now, freeze, ct);
    }

    private static async Task<bool> ExistsAsync(DbSession s, string period) =>
        await s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reports WHERE period = @period", new { period }, s.Transaction) > 0;
}
