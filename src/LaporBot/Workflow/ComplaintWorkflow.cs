using System.Data.Common;
using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Routing;
using LaporBot.Staff;

namespace LaporBot.Workflow;

/// <summary>
/// Every move of a complaint through its life (DESIGN.md): one guarded UPDATE of the current state,
/// one timeline event with the actor and a readable note, the deadline of the step that starts,
/// and the messages it causes (outbox rows) — all inside the caller's transaction.
/// </summary>
internal sealed class ComplaintWorkflow(DialogCatalog dialogs, SlaPolicy sla, WorkflowCatalog workflows)
{
    /// <summary>Staff talk to LaporBot over Telegram; their private chat id is their user id.</summary>
    public const string StaffChannel = "telegram";

    private static readonly string[] Active = [ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Assigned,
        ComplaintStatus.Accepted, ComplaintStatus.Reopened, ComplaintStatus.Returned];

    public static bool IsOpen(string status) => Active.Contains(status) || status == ComplaintStatus.Answered;

    // ---- routing and disposition ---------------------------------------------------------

    /// <summary>The routing decision for a just-submitted complaint: assign, or hand to the triage desk with suggestions.</summary>
    public async Task<bool> RouteAsync(DbSession s, ComplaintRow c, RoutingDecision decision, bool autoAssign, DateTimeOffset now)
    {
        if (c.Status != ComplaintStatus.Submitted)
        {
            return false; // already routed (the job ran twice, or staff were faster)
        }
        var suggestions = System.Text.Json.JsonSerializer.Serialize(decision.Suggestions.Select(x => x.Code));
        await s.Connection.ExecuteAsync("UPDATE complaints SET suggestions = @suggestions, oversight = @oversight WHERE id = @id",
            new { suggestions, oversight = decision.Oversight ? 1 : 0, id = c.Id }, s.Transaction);
        c = c with { Suggestions = suggestions, Oversight = decision.Oversight };
        if (decision.AgencyCode is { } code && decision.Confident && (autoAssign || decision.Oversight)
            && await AgencyStore.FindAsync(s.Connection, code, s.Transaction) is { Active: true } target)
        {
            if (await NobodyCanActAsync(s, target) is { } role)
            {
                // Nobody is forgotten: an agency nobody can act for would sit on the case unseen; the desk decides instead.
                return await ToTriageAsync(s, c, "sistem:routing", StaffTexts.T("routing.nobody", ("agency", target.Code), ("role", role)), now, restartClock: false);
            }
            // For an oversight case the reason is the misconduct words; the inspectorate's own keywords rarely match.
            var matched = decision.Oversight
                ? decision.OversightMatched
                : decision.Suggestions.FirstOrDefault(x => x.Code == code)?.Matched ?? [];
            var why = decision.Oversight ? "aturan pengawasan" : "aturan kata kunci";
            return await AssignAsync(s, c, code, "sistem:routing",
                $"{why}: {string.Join(", ", matched)}".TrimEnd(' ', ':'), now);
        }
        var reason = decision.Suggestions.Count == 0 ? "tidak ada aturan yang cocok"
            : decision.Confident ? "penugasan otomatis dimatikan"
            : decision.Suggestions.Count == 1 ? "kecocokan aturan lemah"
            : "lebih dari satu instansi mungkin";
        return await ToTriageAsync(s, c, "sistem:routing", reason, now, restartClock: false);
    }

    /// <summary>To the triage desk: after routing, an agency's refusal, or the citizen completing a returned complaint.</summary>
    public async Task<bool> ToTriageAsync(DbSession s, ComplaintRow c, string actor, string reason, DateTimeOffset now, bool restartClock,
        string kind = "to_triage", string? notice = null)
    {
        var stepStart = restartClock ? now : c.Created;
        var d = sla.For(SlaStep.Assign, stepStart, null, c.Oversight);
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'triage', agency_code = NULL, step = 'assign', step_started_at = @start, due_at = @due,
                remind_at = @remind, reminded_at = NULL, overdue_at = NULL, updated_at = @now,
                total_due_at = COALESCE(total_due_at, @total)
            WHERE id = @id AND status IN ('submitted', 'assigned', 'accepted', 'returned', 'reopened')
            """,
            new
            {
                id = c.Id, start = stepStart.ToUnixTimeMilliseconds(), due = d.DueAt.ToUnixTimeMilliseconds(),
                remind = d.RemindAt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
                total = sla.For(SlaStep.Total, c.Created, null, c.Oversight).DueAt.ToUnixTimeMilliseconds(),
            },
            s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, kind, reason);
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        var text = notice ?? StaffTexts.ToTriage(fresh, reason, await SuggestionsAsync(s, fresh), await AttachmentCountAsync(s, c.Id));
        var buttons = (await SuggestionsAsync(s, fresh)).Select(x => new OutboundButton(StaffTexts.T("button.assign", ("code", x.Code)), $"disposisi:{c.TrackingNumber}:{x.Code}")).ToList();
        await NotifyTriageAsync(s, fresh, text, buttons, now);
        return true;
    }

    public async Task<bool> AssignAsync(DbSession s, ComplaintRow c, string agencyCode, string actor, string? note, DateTimeOffset now)
    {
        var agency = await AgencyStore.FindAsync(s.Connection, agencyCode, s.Transaction);
        if (agency is null || !agency.Active || await NobodyCanActAsync(s, agency) is not null)
        {
            return false; // nobody would receive it: callers say why (NobodyCanActAsync) before asking
        }
        var d = sla.For(SlaStep.Accept, now, Overrides(agency), c.Oversight || agency.IsInspectorate);
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'assigned', agency_code = @agency, assigned_at = @now, accepted_at = NULL,
                step = 'accept', step_started_at = @now, due_at = @due, remind_at = @remind, reminded_at = NULL, overdue_at = NULL,
                oversight = CASE WHEN @inspectorate = 1 THEN 1 ELSE oversight END, updated_at = @now,
                total_due_at = COALESCE(total_due_at, @total)
            WHERE id = @id AND status IN ('submitted', 'triage', 'assigned')
            """,
            new
            {
                id = c.Id, agency = agency.Code, now = now.ToUnixTimeMilliseconds(), due = d.DueAt.ToUnixTimeMilliseconds(),
                remind = d.RemindAt.ToUnixTimeMilliseconds(), inspectorate = agency.IsInspectorate ? 1 : 0,
                total = sla.For(SlaStep.Total, c.Created, null, c.Oversight || agency.IsInspectorate).DueAt.ToUnixTimeMilliseconds(),
            },
            s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "assigned", $"ke {agency.Code} ({agency.Name})" + (string.IsNullOrEmpty(note) ? "" : $"; {note}"));
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        var admins = await AgencyStore.AgencyAdminsAsync(s.Connection, agency.Code, s.Transaction);
        var text = StaffTexts.Assigned(fresh, agency.Name, fresh.Confidential, await AttachmentCountAsync(s, c.Id));
        List<OutboundButton> buttons =
        [
            new(StaffTexts.T("button.accept"), $"terima:{c.TrackingNumber}"),
            new(StaffTexts.T("button.reject"), $"tolak:{c.TrackingNumber}"),
            new(StaffTexts.T("button.answer"), $"balas:{c.TrackingNumber}"),
        ];
        var photos = (await s.Connection.QueryAsync<string>(
            "SELECT local_path FROM complaint_attachments WHERE complaint_id = @id AND local_path IS NOT NULL AND content_type LIKE 'image/%' ORDER BY id",
            new { id = c.Id }, s.Transaction)).AsList();
        foreach (var admin in admins)
        {
            await EnqueueStaffAsync(s, admin, fresh.Id, text, buttons, "notify", now);
            // The photos the citizen sent, right after the case (the SOP's disposition carries the evidence).
            for (var i = 0; i < photos.Count; i++)
            {
                await OutboxStore.EnqueueAsync(s, StaffChannel, admin, null, fresh.Id, StaffTexts.T("notify.photo", ("index", i + 1), ("count", photos.Count), ("number", c.TrackingNumber)),
                    [], now, null, "photo", photos[i]);
            }
        }
        return true;
    }

    /// <summary>The agency says it is not theirs: back to triage with the reason, triage told.</summary>
    public async Task<bool> RejectAsync(DbSession s, ComplaintRow c, string actor, string reason, DateTimeOffset now)
    {
        if (c.Status is not (ComplaintStatus.Assigned or ComplaintStatus.Accepted))
        {
            return false;
        }
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        await s.Connection.ExecuteAsync("UPDATE complaints SET return_reason = @reason WHERE id = @id", new { reason, id = c.Id }, s.Transaction);
        return await ToTriageAsync(s, c, actor, $"ditolak {c.AgencyCode}: {reason}", now, restartClock: true, kind: "rejected_by_agency",
            notice: StaffTexts.RejectedByAgency(c, agency?.Name ?? c.AgencyCode ?? "-", reason));
    }

    public async Task<bool> AcceptAsync(DbSession s, ComplaintRow c, string actor, DateTimeOffset now)
    {
        if (c.Status != ComplaintStatus.Assigned || c.AgencyCode is null)
        {
            return false;
        }
        var agency = (await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction))!;
        var d = sla.For(SlaStep.Answer, now, Overrides(agency), c.Oversight);
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'accepted', accepted_at = @now, step = 'answer', step_started_at = @now, due_at = @due,
                remind_at = @remind, reminded_at = NULL, overdue_at = NULL, updated_at = @now
            WHERE id = @id AND status = 'assigned'
            """,
            new { id = c.Id, now = now.ToUnixTimeMilliseconds(), due = d.DueAt.ToUnixTimeMilliseconds(), remind = d.RemindAt.ToUnixTimeMilliseconds() },
            s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "accepted", $"diterima {agency.Code}");
        await NotifyCitizenAsync(s, c, "accepted_notice", new() { ["agency_name"] = agency.Name }, now);
        return true;
    }

    /// <summary>The agency's answer, relayed to the citizen's own chat with the tracking number and a rating prompt.</summary>
    public async Task<bool> AnswerAsync(DbSession s, ComplaintRow c, string actor, string answer, DateTimeOffset now)
    {
        if (c.Status is not (ComplaintStatus.Assigned or ComplaintStatus.Accepted or ComplaintStatus.Reopened) || c.AgencyCode is null)
        {
            return false;
        }
        var agency = (await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction))!;
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'answered', answered_by = @actor, answered_at = @now,
                accepted_at = COALESCE(accepted_at, @now), step = NULL, due_at = NULL, remind_at = NULL, auto_close_at = @close,
                rating = NULL, satisfied = NULL, updated_at = @now
            WHERE id = @id AND status IN ('assigned', 'accepted', 'reopened')
            """,
            new { id = c.Id, actor, now = now.ToUnixTimeMilliseconds(), close = sla.AutoCloseAt(now).ToUnixTimeMilliseconds() },
            s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.SetAnswerAsync(s, c.Id, answer);
        if (c.Status == ComplaintStatus.Assigned)
        {
            await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "accepted", $"diterima {agency.Code} (langsung dijawab)");
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "answered", answer);
        // The rating question: its buttons are the answers the dialog takes (dialogs/lapor.yaml).
        await NotifyCitizenAsync(s, c, "answer_relayed", new() { ["agency_name"] = agency.Name, ["answer"] = answer }, now,
            ["quick_satisfied", "quick_unsatisfied", "quick_new_report"]);
        return true;
    }

    /// <summary>Triage returns an incomplete complaint to the citizen, who is asked in their chat to complete it.</summary>
    public async Task<bool> ReturnToCitizenAsync(DbSession s, ComplaintRow c, string actor, string reason, DateTimeOffset now)
    {
        // The returned case's own standard: the citizen has ReturnedWithin to complete it (no staff step
        // runs, so step stays NULL); reminded at half of it, closed when it runs out (SlaWatch).
        var within = sla.Options.ReturnedWithin;
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'returned', return_reason = @reason, agency_code = NULL, step = NULL, due_at = @due,
                remind_at = @remind, reminded_at = NULL, overdue_at = NULL, updated_at = @now
            WHERE id = @id AND status IN ('submitted', 'triage', 'assigned')
            """,
            new
            {
                id = c.Id, reason, now = now.ToUnixTimeMilliseconds(), due = (now + within).ToUnixTimeMilliseconds(),
                remind = (now + within / 2).ToUnixTimeMilliseconds(),
            }, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "returned_to_citizen", reason);
        await NotifyCitizenAsync(s, c, "returned_to_citizen",
            new() { ["reason"] = reason, ["days"] = Math.Round(within.TotalDays, 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }, now,
            [new Choice("quick_case", new Dictionary<string, string> { ["tracking_number"] = c.TrackingNumber }), "quick_new_report"]);
        return true;
    }

    /// <summary>
    /// The citizen completed a returned complaint and confirmed its summary: the same case (same
    /// number) takes the fields as they now stand and any new photos, and goes back to triage.
    /// </summary>
    public async Task<bool> CitizenCompletedAsync(DbSession s, ComplaintRow c, ComplaintDraft draft, DateTimeOffset now)
    {
        if (c.Status != ComplaintStatus.Returned)
        {
            return false;
        }
        var changes = new List<string>();
        void Compare(string label, string before, string after)
        {
            if (!string.Equals(before.Trim(), after.Trim(), StringComparison.Ordinal))
            {
                changes.Add($"{label}: {after}");
            }
        }
        Compare("Nama", c.Name, draft.Name);
        Compare("Alamat pemohon", c.Address, draft.Address);
        Compare("Lokasi masalah", c.ProblemLocation, draft.ProblemLocation);
        Compare("Aduan", c.Text, draft.Text);
        if (draft.Attachments.Count > 0)
        {
            changes.Add($"Lampiran baru: {draft.Attachments.Count}");
        }
        var moved = draft.Location is { } p && (p.Latitude != c.Latitude || p.Longitude != c.Longitude);
        if (moved)
        {
            changes.Add("Titik lokasi baru");
        }
        // Personal fields live in complaint_personal (erasable, docs/privacy.md); the case keeps the rest.
        await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET problem_location = @location, due_at = NULL, remind_at = NULL, reminded_at = NULL
            WHERE id = @id AND status = 'returned';
            UPDATE complaint_personal SET name = @name, address = @address, text = @text,
                latitude = COALESCE(@lat, latitude), longitude = COALESCE(@lon, longitude), location_label = COALESCE(@label, location_label)
            WHERE complaint_id = @id;
            """,
            new
            {
                id = c.Id, name = draft.Name, address = draft.Address, location = draft.ProblemLocation, text = draft.Text,
                lat = moved ? draft.Location!.Latitude : (double?)null, lon = moved ? draft.Location!.Longitude : (double?)null,
                label = moved ? draft.Location!.Label : null,
            }, s.Transaction);
        await ComplaintStore.AddAttachmentsAsync(s, c.Id, draft.Attachments, now);
        var note = changes.Count == 0 ? "dikirim kembali tanpa perubahan" : string.Join("; ", changes);
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        return await ToTriageAsync(s, fresh, "pelapor", note, now, restartClock: true, kind: "completed_by_citizen",
            notice: StaffTexts.CitizenCompleted(fresh, note));
    }

    /// <summary>Half of the returned case's time has passed: the citizen is reminded, once.</summary>
    public async Task<bool> RemindReturnedAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var changed = await s.Connection.ExecuteAsync(
            "UPDATE complaints SET reminded_at = @now WHERE id = @id AND status = 'returned' AND reminded_at IS NULL",
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "returned_reminder",
            $"pelapor diingatkan untuk melengkapi, batas {StaffTexts.When(c.DueAt)}");
        await NotifyCitizenAsync(s, c, "returned_reminder",
            new() { ["reason"] = c.ReturnReason ?? "", ["date"] = StaffTexts.When(c.DueAt) }, now,
            [new Choice("quick_case", new Dictionary<string, string> { ["tracking_number"] = c.TrackingNumber })]);
        return true;
    }

    /// <summary>The returned case's time ran out without the citizen completing it: closed, citizen told.</summary>
    public Task<bool> ExpireReturnedAsync(DbSession s, ComplaintRow c, DateTimeOffset now) =>
        c.Status != ComplaintStatus.Returned
            ? Task.FromResult(false)
            : CloseAsync(s, c, "sistem:sla", "returned_expired",
                $"tidak dilengkapi pelapor sampai batas {StaffTexts.When(c.DueAt)}", now, "returned_expired");

    public async Task<bool> CloseAsync(DbSession s, ComplaintRow c, string actor, string kind, string? note, DateTimeOffset now, string? citizenMessage)
    {
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'closed', closed_at = @now, step = NULL, due_at = NULL, remind_at = NULL, updated_at = @now
            WHERE id = @id AND status <> 'closed'
            """,
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, kind, note);
        if (citizenMessage is not null)
        {
            await NotifyCitizenAsync(s, c, citizenMessage, new() { ["reason"] = note ?? "" }, now);
        }
        return true;
    }

    public async Task<bool> RateAsync(DbSession s, ComplaintRow c, int rating, DateTimeOffset now)
    {
        if (c.Status is not (ComplaintStatus.Answered or ComplaintStatus.Closed) || c.Answer is null)
        {
            return false;
        }
        await s.Connection.ExecuteAsync("UPDATE complaints SET rating = @rating, updated_at = @now WHERE id = @id",
            new { rating, id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "pelapor", "rated", $"{rating}/5");
        return true;
    }

    public async Task<bool> SatisfiedAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        if (c.Status != ComplaintStatus.Answered)
        {
            return false;
        }
        await s.Connection.ExecuteAsync("UPDATE complaints SET satisfied = 1 WHERE id = @id", new { id = c.Id }, s.Transaction);
        return await CloseAsync(s, c, "pelapor", "satisfied", "pelapor puas dengan jawaban", now, citizenMessage: null);
    }

    /// <summary>Not satisfied: reopened to the same agency with the citizen's comment; a new answer is due.</summary>
    public async Task<bool> ReopenAsync(DbSession s, ComplaintRow c, string comment, DateTimeOffset now)
    {
        if (c.Status != ComplaintStatus.Answered || c.AgencyCode is null)
        {
            return false;
        }
        var agency = (await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction))!;
        var d = sla.For(SlaStep.Answer, now, Overrides(agency), c.Oversight);
        await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'reopened', satisfied = 0, step = 'answer', step_started_at = @now, due_at = @due,
                remind_at = @remind, reminded_at = NULL, overdue_at = NULL, auto_close_at = NULL, updated_at = @now
            WHERE id = @id
            """,
            new { id = c.Id, now = now.ToUnixTimeMilliseconds(), due = d.DueAt.ToUnixTimeMilliseconds(), remind = d.RemindAt.ToUnixTimeMilliseconds() },
            s.Transaction);
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "pelapor", "reopened", comment);
        foreach (var admin in await AgencyStore.AgencyAdminsAsync(s.Connection, agency.Code, s.Transaction))
        {
            await EnqueueStaffAsync(s, admin, c.Id, StaffTexts.Reopened(c, comment), [new(StaffTexts.T("button.answer"), $"balas:{c.TrackingNumber}")], "notify", now);
        }
        return true;
    }

    public async Task ForwardCommentAsync(DbSession s, ComplaintRow c, string comment, DateTimeOffset now)
    {
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "pelapor", "citizen_comment", comment);
        var recipients = c.AgencyCode is null
            ? await AgencyStore.TriageAdminsAsync(s.Connection, s.Transaction)
            : await AgencyStore.AgencyAdminsAsync(s.Connection, c.AgencyCode, s.Transaction);
        foreach (var r in recipients)
        {
            await EnqueueStaffAsync(s, r, c.Id, StaffTexts.CitizenComment(c, comment), [], "notify", now);
        }
    }

    // ---- deadlines ------------------------------------------------------------------------

    public async Task<bool> RemindAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var changed = await s.Connection.ExecuteAsync(
            "UPDATE complaints SET reminded_at = @now WHERE id = @id AND reminded_at IS NULL AND step IS NOT NULL",
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        var step = StaffTexts.StepName(c.Step);
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "reminder", $"pengingat: belum {step}, batas {StaffTexts.When(c.DueAt)}");
        var recipients = c.Step == "assign" || c.AgencyCode is null
            ? await AgencyStore.TriageAdminsAsync(s.Connection, s.Transaction)
            : await AgencyStore.AgencyAdminsAsync(s.Connection, c.AgencyCode, s.Transaction);
        foreach (var r in recipients)
        {
            await EnqueueStaffAsync(s, r, c.Id, StaffTexts.Reminder(c, step), [], "notify", now);
        }
        return true;
    }

    public async Task<bool> MarkOverdueAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var changed = await s.Connection.ExecuteAsync(
            "UPDATE complaints SET overdue_at = @now WHERE id = @id AND overdue_at IS NULL AND step IS NOT NULL",
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        var step = StaffTexts.StepName(c.Step);
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "overdue", $"melewati batas waktu: belum {step} (batas {StaffTexts.When(c.DueAt)})");
        await NotifyTriageAsync(s, c, StaffTexts.Overdue(c, step, agency?.Name), [], now);
        return true;
    }

    /// <summary>Past the total standard (submission → answer): one timeline event and the triage desk told, once per case.</summary>
    public async Task<bool> MarkTotalOverdueAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var seen = await s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = @id AND kind = 'total_overdue'", new { id = c.Id }, s.Transaction);
        if (seen > 0 || c.TotalDueAt is null)
        {
            return false;
        }
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "total_overdue",
            $"melewati standar waktu total (batas {StaffTexts.When(c.TotalDueAt)})");
        await NotifyTriageAsync(s, c, StaffTexts.TotalOverdue(c, agency?.Name), [], now);
        return true;
    }

    // ---- helpers ---------------------------------------------------------------------------

    /// <summary>
    /// The role that would receive a case assigned to <paramref name="agency"/> when none of its members
    /// holds it (nor is an all-roles admin); null when someone can act. The role is the one the
    /// workflow's first agency step (or the oversight step, for the inspectorate) asks for.
    /// </summary>
    public async Task<string?> NobodyCanActAsync(DbSession s, AgencyRow agency)
    {
        var w = workflows.For(agency.Code);
        var step = agency.IsInspectorate && w.OversightStart is { } ov
            ? w.Step(ov)
            : w.FindStep(w.Step(w.Start).Action("assign")?.Target) ?? w.Step(w.Start);
        var roles = (await s.Connection.QueryAsync<string>(
            "SELECT DISTINCT role FROM staff_members WHERE agency_code = @code", new { code = agency.Code }, s.Transaction)).AsList();
        return roles.Contains(StaffRole.Agency) || roles.Contains(step.Role) ? null : step.Role;
    }

    public static AgencySla? Overrides(AgencyRow agency) =>
        agency.AcceptWithin is null && agency.AnswerWithin is null ? null : new AgencySla { Accept = agency.AcceptWithin, Answer = agency.AnswerWithin };

    private static async Task<IReadOnlyList<(string Code, string Name)>> SuggestionsAsync(DbSession s, ComplaintRow c)
    {
        var codes = c.Suggestions is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(c.Suggestions) ?? [];
        var list = new List<(string, string)>();
        foreach (var code in codes)
        {
            if (await AgencyStore.FindAsync(s.Connection, code, s.Transaction) is { Active: true } a)
            {
                list.Add((a.Code, a.Name));
            }
        }
        return list;
    }

    private static async Task<int> AttachmentCountAsync(DbSession s, long complaintId) =>
        (int)await s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM complaint_attachments WHERE complaint_id = @complaintId",
            new { complaintId }, s.Transaction);

    public async Task NotifyTriageAsync(DbSession s, ComplaintRow c, string text, IReadOnlyList<OutboundButton> buttons, DateTimeOffset now)
    {
        foreach (var admin in await AgencyStore.TriageAdminsAsync(s.Connection, s.Transaction))
        {
            await EnqueueStaffAsync(s, admin, c.Id, text, buttons, "notify", now);
        }
    }

    public static Task<long> EnqueueStaffAsync(DbSession s, string telegramUserId, long? complaintId, string text,
        IReadOnlyList<OutboundButton> buttons, string purpose, DateTimeOffset now) =>
        OutboxStore.EnqueueAsync(s, StaffChannel, telegramUserId, null, complaintId, text, [], now, buttons, purpose);

    /// <summary>A message to the citizen in their own chat and language, from the dialog's texts.</summary>
    public async Task NotifyCitizenAsync(DbSession s, ComplaintRow c, string key, Dictionary<string, string> args, DateTimeOffset now,
        IReadOnlyList<Choice>? quickReplies = null)
    {
        var reporter = await s.Connection.QuerySingleAsync<(string Channel, string Address, string Language, long? StoppedAt)>(
            "SELECT channel, address, language, stopped_at FROM reporters WHERE id = @id", new { id = c.ReporterId }, s.Transaction);
        if (reporter.StoppedAt is not null && !Privacy.PrivacyDesk.SentWhenStopped.Contains(key))
        {
            return; // the citizen said BERHENTI: only answers about their open cases still go out
        }
        args["tracking_number"] = c.TrackingNumber;
        var d = dialogs.Main;
        var text = d.Render(key, reporter.Language, args);
        var quick = quickReplies?.Select(q => d.RenderPlain(q.Key, reporter.Language, q.Args)).ToList() ?? [];
        await OutboxStore.EnqueueAsync(s, reporter.Channel, reporter.Address, c.ReporterId, c.Id, text, quick, now, format: TextFormat.Markup);
    }
}
