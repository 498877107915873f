using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Staff;

namespace LaporBot.Workflow;

/// <summary>
/// The clock's rounds, reading everything from the database: reminders at the workflow file's share
/// of each step's time, overdue marking with the step's role holders told, the file's escalations,
/// auto-closing answered cases nobody replied to, and the daily overdue digest. Every action is a guarded update plus a timeline event, so a
/// round run twice, late, or on two servers does each thing once.
/// </summary>
internal sealed class SlaWatch(IDatabase db, ComplaintWorkflow workflow, WorkingCalendar calendar, OutboxSignal signal, TimeProvider clock, ILogger<SlaWatch> logger)
{
    public sealed record Round(int Reminded, int Overdue, int AutoClosed)
    {
        /// <summary>Escalations of the workflow file that fired in this round (each once per case, or per step).</summary>
        public int Escalated { get; init; }

        /// <summary>Returned cases whose citizen was reminded / that closed uncompleted in this round (the latter also in AutoClosed).</summary>
        public int ReturnedReminded { get; init; }

        public int ReturnedClosed { get; init; }
    }

    public async Task<Round> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        var reminded = await ForEachAsync(
            "status IN ('triage', 'assigned', 'accepted', 'reopened') AND remind_at <= @at AND reminded_at IS NULL AND overdue_at IS NULL AND step IS NOT NULL",
            at, (s, c) => workflow.RemindAsync(s, c, now), ct);
        var overdue = await ForEachAsync(
            "status IN ('triage', 'assigned', 'accepted', 'reopened') AND due_at <= @at AND overdue_at IS NULL AND step IS NOT NULL",
            at, (s, c) => workflow.MarkOverdueAsync(s, c, now), ct);
        var closed = await ForEachAsync(
            "status = 'answered' AND auto_close_at <= @at",
            at, async (s, c) =>
            {
                // A rating or a comment is a reply, just not one that takes the case further (that is
                // "tidak puas"), so the case still closes — but telling that citizen nobody replied would be false.
                var replied = await CitizenRepliedAsync(s, c);
                return await workflow.CloseAsync(s, c, "sistem:sla", "auto_closed",
                    StaffTexts.T(replied ? "note.auto_closed_after_reply" : "note.auto_closed"),
                    now, replied ? "auto_closed_after_reply" : "auto_closed");
            }, ct);
        // The file's escalations (Cilacap: past the total 2 h 15 min from submission; Muara Enim: the
        // inspectorate once a step is late): escalate_at is the next one due for each case.
        var escalated = 0;
        await ForEachAsync(
            "status IN ('triage', 'assigned', 'accepted', 'reopened') AND escalate_at <= @at",
            at, async (s, c) =>
            {
                var n = await workflow.EscalateAsync(s, c, now);
                escalated += n;
                return true; // escalate_at moved on even when nothing fired (the case changed since it was set)
            }, ct);
        // A case returned to the citizen has its own standard (Sla:ReturnedWithin): the citizen is
        // reminded at half of it, and it closes when it runs out.
        var returnedReminded = await ForEachAsync(
            "status = 'returned' AND remind_at <= @at AND reminded_at IS NULL AND due_at > @at",
            at, (s, c) => workflow.RemindReturnedAsync(s, c, now), ct);
        var returnedClosed = await ForEachAsync(
            "status = 'returned' AND due_at <= @at",
            at, (s, c) => workflow.ExpireReturnedAsync(s, c, now), ct);
        closed += returnedClosed;
        if (reminded + overdue + closed + escalated + returnedReminded > 0)
        {
            signal.Notify();
            logger.LogInformation("SLA round: {Reminded} reminded, {Overdue} overdue, {Closed} auto-closed, {Escalated} escalations",
                reminded, overdue, closed, escalated);
        }
        return new Round(reminded, overdue, closed) { Escalated = escalated, ReturnedReminded = returnedReminded, ReturnedClosed = returnedClosed };
    }

    /// <summary>Whether the citizen rated or commented on the current answer (a new answer clears the rating).</summary>
    private static async Task<bool> CitizenRepliedAsync(DbSession s, ComplaintRow c) =>
        c.Rating is not null
        || await s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = @id AND actor = 'pelapor' AND kind IN ('rated', 'citizen_comment') AND at >= @answeredAt",
            new { id = c.Id, answeredAt = c.AnsweredAt ?? 0 }, s.Transaction) > 0;

    private async Task<int> ForEachAsync(string where, long at, Func<DbSession, ComplaintRow, Task<bool>> act, CancellationToken ct)
    {
        List<long> ids;
        await using (var c = await db.OpenAsync(ct))
        {
            ids = (await c.QueryAsync<long>($"SELECT id FROM complaints WHERE {where} ORDER BY id LIMIT 500", new { at })).AsList();
        }
        var n = 0;
        foreach (var id in ids)
        {
            await using var s = await db.BeginAsync(ct);
            // Re-read inside the write transaction: another round may have acted since the scan.
            var row = await s.Connection.QuerySingleOrDefaultAsync<ComplaintRow>(
                $"SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View} complaints WHERE id = @id AND {where}", new { id, at }, s.Transaction);
            if (row is not null && await act(s, row))
            {
                await s.CommitAsync(ct);
                n++;
            }
        }
        return n;
    }

    /// <summary>The daily list of overdue cases for the triage desk; once per local day however often it fires.</summary>
    public async Task<bool> SendDigestAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // With the working calendar on, no digest on weekends and holidays (the cron fires daily).
        if (calendar.Enabled && !calendar.IsWorkingDay(calendar.Local(now).Day))
        {
            return false;
        }
        // The deployment's own zone: in Jayapura (UTC+9) 00:30 is a new day while Jakarta is still on the old one.
        var day = calendar.Local(now).Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using (var s = await db.BeginAsync(ct))
        {
            var first = await s.Connection.ExecuteAsync("INSERT INTO digests (day, sent_at) VALUES (@day, @at) ON CONFLICT DO NOTHING",
                new { day, at = now.ToUnixTimeMilliseconds() }, s.Transaction);
            if (first == 0)
            {
                return false;
            }
            var overdue = (await s.Connection.QueryAsync<ComplaintRow>(
                $"SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View} WHERE overdue_at IS NOT NULL AND step IS NOT NULL ORDER BY due_at, id",
                transaction: s.Transaction)).AsList();
            var list = new List<(ComplaintRow, string?)>();
            foreach (var c in overdue)
            {
                var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
                list.Add((c, agency?.Name));
                await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "digest", StaffTexts.T("note.digest", ("day", day)));
            }
            var text = StaffTexts.Digest(list, now);
            foreach (var admin in await AgencyStore.TriageAdminsAsync(s.Connection, s.Transaction))
            {
                await ComplaintWorkflow.EnqueueStaffAsync(s, admin, null, text, [], "notify", now);
            }
            await s.CommitAsync(ct);
        }
        signal.Notify();
        return true;
    }
}
