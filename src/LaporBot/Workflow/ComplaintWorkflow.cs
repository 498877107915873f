using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Routing;
using LaporBot.Staff;
using Microsoft.Extensions.Options;

namespace LaporBot.Workflow;

/// <summary>
/// Every move of a complaint through its life, as the workflow file (workflows/*.yaml) says: one
/// guarded UPDATE of the current step, one timeline event with the actor and a readable note, the
/// deadline and reminder of the step the case enters (its standard, in calendar or working time),
/// the next escalation due, and the messages it causes (outbox rows) — all inside the caller's
/// transaction. Who may ask for a move is decided before, by <see cref="CaseActions"/>; these
/// methods only refuse moves the case's state does not allow.
/// </summary>
internal sealed class ComplaintWorkflow(DialogCatalog dialogs, IOptions<SlaOptions> slaOptions, WorkflowCatalog workflows, WorkflowClock clock)
{
    /// <summary>The staff channel of members linked before channels existed, and of config members.</summary>
    public const string StaffChannel = "telegram";

    /// <summary>Statuses in which a case is at a staff step of the workflow.</summary>
    public static readonly string[] AtStep = [ComplaintStatus.Triage, ComplaintStatus.Assigned, ComplaintStatus.Accepted, ComplaintStatus.Reopened];

    private SlaOptions Sla => slaOptions.Value;

    public static bool IsOpen(string status) => status is not (ComplaintStatus.Closed);

    public WorkflowCatalog Workflows => workflows;

    /// <summary>The workflow a case follows: its agency's (own file or the deployment's); the deployment's at the triage desk.</summary>
    public WorkflowDefinition WorkflowOf(ComplaintRow c) => workflows.For(c.AgencyCode);

    /// <summary>
    /// The step the case is at, or null when no staff step runs (submitted, returned, answered, closed).
    /// Rows from before the workflow files (step 'assign' | 'accept' | 'answer') map to their step in the file.
    /// </summary>
    public WorkflowStep? StepOf(ComplaintRow c)
    {
        var w = WorkflowOf(c);
        if (c.Status == ComplaintStatus.Submitted)
        {
            return w.Step(w.Start);
        }
        if (!AtStep.Contains(c.Status))
        {
            return null;
        }
        return w.FindStep(c.Step) ?? LegacyStep(w, c.Status, c.Oversight);
    }

    /// <summary>Where a case from before the workflow files stands in <paramref name="w"/>.</summary>
    public static WorkflowStep LegacyStep(WorkflowDefinition w, string status, bool oversight)
    {
        var first = FirstAgencyStep(w);
        var oversightStep = oversight && w.OversightStart is { } ov ? w.Step(ov) : null;
        return status switch
        {
            ComplaintStatus.Assigned => oversightStep ?? first,
            ComplaintStatus.Accepted => oversightStep ?? w.FindStep(first.Action("accept")?.Target) ?? first,
            ComplaintStatus.Reopened => oversightStep ?? w.FindStep(w.ReopenStep) ?? AnswerStep(w),
            _ => w.Step(w.Start),
        };
    }

    /// <summary>The agency's first step: where the triage desk's disposition leads.</summary>
    public static WorkflowStep FirstAgencyStep(WorkflowDefinition w) =>
        w.FindStep(w.Step(w.Start).Action("assign")?.Target) ?? w.Steps.First(s => s.Action("assign") is not null);

    private static WorkflowStep AnswerStep(WorkflowDefinition w) =>
        w.MainPath().LastOrDefault(s => s.Action("answer") is not null) ?? w.Steps.First(s => s.Action("answer") is not null);

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
                var roleName = workflows.For(target.Code).Roles.GetValueOrDefault(role, role);
                return await ToTriageAsync(s, c, "sistem:routing", StaffTexts.T("routing.nobody", ("agency", target.Code), ("role", roleName)), now, restartClock: false);
            }
            // For an oversight case the reason is the misconduct words; the inspectorate's own keywords rarely match.
            var matched = decision.Oversight
                ? decision.OversightMatched
                : decision.Suggestions.FirstOrDefault(x => x.Code == code)?.Matched ?? [];
            var why = StaffTexts.T(decision.Oversight ? "note.rule_oversight" : "note.rule_keywords");
            return await AssignAsync(s, c, code, "sistem:routing",
                $"{why}: {string.Join(", ", matched)}".TrimEnd(' ', ':'), now);
        }
        var reason = StaffTexts.T(decision.Suggestions.Count == 0 ? "note.no_rule"
            : decision.Confident ? "note.auto_assign_off"
            : decision.Suggestions.Count == 1 ? "note.weak_match"
            : "note.several_agencies");
        return await ToTriageAsync(s, c, "sistem:routing", reason, now, restartClock: false);
    }

    /// <summary>
    /// To the triage desk: after routing, an agency's refusal (to the step its reject leads to), or the
    /// citizen completing a returned complaint. The desk's first step runs from submission unless
    /// <paramref name="restartClock"/>.
    /// </summary>
    public async Task<bool> ToTriageAsync(DbSession s, ComplaintRow c, string actor, string reason, DateTimeOffset now, bool restartClock,
        string kind = "to_triage", string? notice = null, string? toStep = null)
    {
        var w = workflows.Default;
        var step = w.FindStep(toStep) is { Role: StaffRole.Triage } t ? t : w.Step(w.Start);
        var changed = await EnterAsync(s, c, w, step, restartClock ? now : c.Created, now, ComplaintStatus.Triage, agency: null,
            from: [ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Assigned, ComplaintStatus.Accepted, ComplaintStatus.Returned, ComplaintStatus.Reopened]);
        if (!changed)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, kind, reason);
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        await NotifyStepAsync(s, fresh, w, step, now, why: reason, notice: notice);
        return true;
    }

    /// <summary>
    /// The triage desk's disposition (or routing's): the case enters the agency's first step — the
    /// inspectorate's oversight step for the inspectorate — and whoever holds that step's role there is told.
    /// </summary>
    public async Task<bool> AssignAsync(DbSession s, ComplaintRow c, string agencyCode, string actor, string? note, DateTimeOffset now)
    {
        var agency = await AgencyStore.FindAsync(s.Connection, agencyCode, s.Transaction);
        if (agency is null || !agency.Active || await NobodyCanActAsync(s, agency) is not null)
        {
            return false; // nobody would receive it: callers say why (NobodyCanActAsync) before asking
        }
        var (w, step) = EntryStep(c, agency);
        var changed = await EnterAsync(s, c, w, step, now, now, ComplaintStatus.Assigned, agency.Code,
            from: [ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Assigned],
            extraSet: "assigned_at = @now, accepted_at = NULL, approved_at = NULL, approved_by = NULL, oversight = CASE WHEN @inspectorate = 1 THEN 1 ELSE oversight END",
            extra: new { inspectorate = agency.IsInspectorate ? 1 : 0 });
        if (!changed)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "assigned", StaffTexts.T(string.IsNullOrEmpty(note) ? "note.assigned" : "note.assigned_with", ("code", agency.Code), ("name", agency.Name), ("note", note)));
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        await NotifyStepAsync(s, fresh, w, step, now, headline: StaffTexts.T("headline.assign", ("agency", agency.Name), ("number", c.TrackingNumber)), photos: true);
        return true;
    }

    /// <summary>The step a disposition to <paramref name="agency"/> leads to, in the workflow that agency follows.</summary>
    public (WorkflowDefinition W, WorkflowStep Step) EntryStep(ComplaintRow c, AgencyRow agency)
    {
        var w = workflows.For(agency.Code);
        if (agency.IsInspectorate && w.OversightStart is { } ov)
        {
            return (w, w.Step(ov));
        }
        // The desk's own step may lead elsewhere than the first step (the file's choice); same file only.
        if (ReferenceEquals(w, WorkflowOf(c)) && StepOf(c)?.Action("assign")?.Target is { } target && w.FindStep(target) is { } t)
        {
            return (w, t);
        }
        return (w, FirstAgencyStep(w));
    }

    /// <summary>The agency says it is not theirs: back to the triage step its reject leads to, with the reason, the desk told.</summary>
    public async Task<bool> RejectAsync(DbSession s, ComplaintRow c, string actor, string reason, DateTimeOffset now)
    {
        if (c.Status is not (ComplaintStatus.Assigned or ComplaintStatus.Accepted or ComplaintStatus.Reopened) || c.AgencyCode is null)
        {
            return false;
        }
        var agency = await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        await s.Connection.ExecuteAsync("UPDATE complaints SET return_reason = @reason WHERE id = @id", new { reason, id = c.Id }, s.Transaction);
        await ComplaintDrafts.DeleteAsync(s, c.Id);
        return await ToTriageAsync(s, c, actor, $"ditolak {c.AgencyCode}: {reason}", now, restartClock: true, kind: "rejected_by_agency",
            notice: StaffTexts.RejectedByAgency(c, agency?.Name ?? c.AgencyCode ?? "-", reason), toStep: StepOf(c)?.Action("reject")?.Target);
    }

    /// <summary>The agency takes the case: on to the step its accept leads to; the citizen is told who handles it.</summary>
    public async Task<bool> AcceptAsync(DbSession s, ComplaintRow c, string actor, DateTimeOffset now)
    {
        var w = WorkflowOf(c);
        if (c.Status != ComplaintStatus.Assigned || c.AgencyCode is null || w.FindStep(StepOf(c)?.Action("accept")?.Target) is not { } next)
        {
            return false;
        }
        var agency = (await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction))!;
        if (!await EnterAsync(s, c, w, next, now, now, ComplaintStatus.Accepted, c.AgencyCode, from: [ComplaintStatus.Assigned], extraSet: "accepted_at = @now"))
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "accepted", StaffTexts.T("note.accepted", ("code", agency.Code)));
        await NotifyCitizenAsync(s, c, "accepted_notice", new() { ["agency_name"] = agency.Name }, now);
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        await NotifyStepAsync(s, fresh, w, next, now, headline: StaffTexts.T("headline.accept", ("number", c.TrackingNumber), ("agency", agency.Name)));
        return true;
    }

    /// <summary>Passes the case on to the step the current step's forward leads to, with an optional note.</summary>
    public Task<bool> ForwardAsync(DbSession s, ComplaintRow c, string actor, string? note, DateTimeOffset now) =>
        MoveAsync(s, c, "forward", actor, note, now, "forwarded", "headline.forward");

    /// <summary>The role writes the answer's content (the draft), which travels with the case to the next step.</summary>
    public async Task<bool> DraftAsync(DbSession s, ComplaintRow c, string actor, string text, DateTimeOffset now)
    {
        if (StepOf(c)?.Action("draft") is null)
        {
            return false;
        }
        await ComplaintDrafts.SaveAsync(s, c.Id, text, actor, now);
        return await MoveAsync(s, c, "draft", actor, text, now, "drafted", "headline.draft", extraSet: "approved_at = NULL, approved_by = NULL");
    }

    /// <summary>The head approves the drafted answer: only an approved draft can reach the citizen where the file asks for approval.</summary>
    public async Task<bool> ApproveAsync(DbSession s, ComplaintRow c, string actor, DateTimeOffset now)
    {
        if (StepOf(c)?.Action("approve") is null || await ComplaintDrafts.FindAsync(s, c.Id) is null)
        {
            return false;
        }
        return await MoveAsync(s, c, "approve", actor, null, now, "approved", "headline.approve",
            extraSet: "approved_at = @now, approved_by = @actor", extra: new { actor });
    }

    /// <summary>Back one step (to where the file's revise leads) with a note; an approval given before no longer holds.</summary>
    public Task<bool> ReviseAsync(DbSession s, ComplaintRow c, string actor, string note, DateTimeOffset now) =>
        MoveAsync(s, c, "revise", actor, note, now, "revised", "headline.revise", extraSet: "approved_at = NULL, approved_by = NULL");

    private async Task<bool> MoveAsync(DbSession s, ComplaintRow c, string action, string actor, string? note, DateTimeOffset now,
        string eventKind, string headlineKey, string? extraSet = null, object? extra = null)
    {
        var w = WorkflowOf(c);
        var step = StepOf(c);
        if (step is null || w.FindStep(step.Action(action)?.Target) is not { } next)
        {
            return false;
        }
        if (!await EnterAsync(s, c, w, next, now, now, c.Status, c.AgencyCode, from: [c.Status], extraSet: extraSet, extra: extra, fromStep: c.Step))
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, eventKind, string.IsNullOrWhiteSpace(note) || action == "draft"
            ? StaffTexts.T("note.moved", ("from", step.Name), ("to", next.Name))
            : StaffTexts.T("note.moved_with", ("from", step.Name), ("to", next.Name), ("note", note)));
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        await NotifyStepAsync(s, fresh, w, next, now, headline: StaffTexts.T(headlineKey, ("number", c.TrackingNumber)), note: action == "draft" ? null : note);
        return true;
    }

    /// <summary>
    /// Extends the current step by <paramref name="more"/> (days count working days on a working-time
    /// step) up to the file's <c>extend</c> limit; the deadline and reminder move, an overdue mark clears.
    /// </summary>
    public async Task<ExtendOutcome> ExtendAsync(DbSession s, ComplaintRow c, string actor, TimeSpan more, string reason, DateTimeOffset now)
    {
        var w = WorkflowOf(c);
        var step = StepOf(c);
        if (step?.ExtendLimit is not { } limit || step.Standard is not { } standard || c.StepStartedAt is not { } started)
        {
            return new ExtendOutcome(false, null, null);
        }
        var current = c.StepAllowedSeconds is { } sec ? TimeSpan.FromSeconds(sec) : standard.Duration;
        if (!WorkflowClock.CanExtend(step, current, more, out var extended))
        {
            return new ExtendOutcome(false, limit, current);
        }
        var d = clock.For(w, step, DateTimeOffset.FromUnixTimeMilliseconds(started), extended);
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET step_allowed_seconds = @allowed, extension_reason = @reason, due_at = @due, remind_at = @remind,
                reminded_at = CASE WHEN @remind > @now THEN NULL ELSE reminded_at END, overdue_at = CASE WHEN @due > @now THEN NULL ELSE overdue_at END,
                updated_at = @now
            WHERE id = @id AND step = @step
            """,
            new
            {
                id = c.Id, step = c.Step, allowed = (long)extended.TotalSeconds, reason, due = d.DueAt.ToUnixTimeMilliseconds(),
                remind = d.RemindAt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
            }, s.Transaction);
        if (changed == 0)
        {
            return new ExtendOutcome(false, null, null);
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "extended", StaffTexts.T("note.extended", ("step", step.Name),
            ("more", StaffTexts.Duration(more)), ("allowed", StaffTexts.Duration(extended)), ("limit", StaffTexts.Duration(limit)),
            ("due", StaffTexts.When(d.DueAt.ToUnixTimeMilliseconds())), ("reason", reason)));
        await RescheduleEscalationAsync(s, c.Id, now);
        return new ExtendOutcome(true, limit, extended) { DueAt = d.DueAt };
    }

    public sealed record ExtendOutcome(bool Done, TimeSpan? Limit, TimeSpan? Allowed)
    {
        public DateTimeOffset? DueAt { get; init; }
    }

    /// <summary>
    /// The answer reaches the citizen's own chat with the tracking number and a rating prompt. Where the
    /// file routes answers through an approval, only the approved draft can be sent, word for word.
    /// </summary>
    public async Task<bool> AnswerAsync(DbSession s, ComplaintRow c, string actor, string? answer, DateTimeOffset now)
    {
        if (c.Status is not (ComplaintStatus.Assigned or ComplaintStatus.Accepted or ComplaintStatus.Reopened) || c.AgencyCode is null)
        {
            return false;
        }
        var w = WorkflowOf(c);
        var draft = await ComplaintDrafts.FindAsync(s, c.Id);
        if (w.RequiresApproval)
        {
            if (c.ApprovedAt is null || draft is null || (!string.IsNullOrWhiteSpace(answer) && answer.Trim() != draft.Text.Trim()))
            {
                return false; // the approval gate: nothing unapproved reaches the citizen
            }
            answer = draft.Text;
        }
        answer = string.IsNullOrWhiteSpace(answer) ? draft?.Text : answer.Trim();
        if (string.IsNullOrWhiteSpace(answer))
        {
            return false;
        }
        var agency = (await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction))!;
        var close = clock.AutoCloseAt(w, now) ?? DefaultAutoCloseAt(now);
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'answered', answered_by = @actor, answered_at = @now,
                accepted_at = COALESCE(accepted_at, @now), step = NULL, due_at = NULL, remind_at = NULL, escalate_at = NULL,
                step_allowed_seconds = NULL, extension_reason = NULL, auto_close_at = @close,
                rating = NULL, satisfied = NULL, updated_at = @now
            WHERE id = @id AND status IN ('assigned', 'accepted', 'reopened')
            """,
            new { id = c.Id, actor, now = now.ToUnixTimeMilliseconds(), close = close.ToUnixTimeMilliseconds() },
            s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintStore.SetAnswerAsync(s, c.Id, answer);
        await ComplaintDrafts.DeleteAsync(s, c.Id);
        if (c.Status == ComplaintStatus.Assigned)
        {
            await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "accepted", StaffTexts.T("note.accepted_answered", ("code", agency.Code)));
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, actor, "answered", answer);
        // The rating question: its buttons are the answers the dialog takes (dialogs/lapor.yaml).
        await NotifyCitizenAsync(s, c, "answer_relayed", new() { ["agency_name"] = agency.Name, ["answer"] = answer }, now,
            ["quick_satisfied", "quick_unsatisfied", "quick_new_report"]);
        return true;
    }

    private DateTimeOffset DefaultAutoCloseAt(DateTimeOffset answeredAt) =>
        Sla.AutoCloseInWorkingDays
            ? clock.Due(answeredAt, Sla.AutoCloseAfter, TimeBasis.Working)
            : answeredAt + Sla.AutoCloseAfter;

    /// <summary>Triage returns an incomplete complaint to the citizen, who is asked in their chat to complete it.</summary>
    public async Task<bool> ReturnToCitizenAsync(DbSession s, ComplaintRow c, string actor, string reason, DateTimeOffset now)
    {
        // The returned case's own standard: the citizen has ReturnedWithin to complete it (no staff step
        // runs, so step stays NULL); reminded at half of it, closed when it runs out (SlaWatch).
        var within = Sla.ReturnedWithin;
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'returned', return_reason = @reason, agency_code = NULL, step = NULL, due_at = @due,
                remind_at = @remind, reminded_at = NULL, overdue_at = NULL, escalate_at = NULL, step_allowed_seconds = NULL,
                extension_reason = NULL, updated_at = @now
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
            StaffTexts.T("note.returned_reminder", ("due", StaffTexts.When(c.DueAt))));
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
                StaffTexts.T("note.returned_expired", ("due", StaffTexts.When(c.DueAt))), now, "returned_expired");

    public async Task<bool> CloseAsync(DbSession s, ComplaintRow c, string actor, string kind, string? note, DateTimeOffset now, string? citizenMessage)
    {
        var changed = await s.Connection.ExecuteAsync(
            """
            UPDATE complaints SET status = 'closed', closed_at = @now, step = NULL, due_at = NULL, remind_at = NULL, escalate_at = NULL,
                step_allowed_seconds = NULL, extension_reason = NULL, updated_at = @now
            WHERE id = @id AND status <> 'closed'
            """,
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await ComplaintDrafts.DeleteAsync(s, c.Id);
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
        return await CloseAsync(s, c, "pelapor", "satisfied", StaffTexts.T("note.satisfied"), now, citizenMessage: null);
    }

    /// <summary>Not satisfied: reopened to the same agency at the file's reopen step, with the citizen's comment.</summary>
    public async Task<bool> ReopenAsync(DbSession s, ComplaintRow c, string comment, DateTimeOffset now)
    {
        if (c.Status != ComplaintStatus.Answered || c.AgencyCode is null)
        {
            return false;
        }
        var w = WorkflowOf(c);
        var step = LegacyStep(w, ComplaintStatus.Reopened, c.Oversight);
        if (!await EnterAsync(s, c, w, step, now, now, ComplaintStatus.Reopened, c.AgencyCode, from: [ComplaintStatus.Answered],
                extraSet: "satisfied = 0, auto_close_at = NULL, approved_at = NULL, approved_by = NULL"))
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "pelapor", "reopened", comment);
        var fresh = (await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction))!;
        await NotifyStepAsync(s, fresh, w, step, now, headline: StaffTexts.Reopened(c, comment));
        return true;
    }

    public async Task ForwardCommentAsync(DbSession s, ComplaintRow c, string comment, DateTimeOffset now)
    {
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "pelapor", "citizen_comment", comment);
        var recipients = StepOf(c) is { } step
            ? await HoldersAsync(s, step.Role, c.AgencyCode)
            : c.AgencyCode is null
                ? await HoldersAsync(s, StaffRole.Triage, null)
                : await AgencyStore.AgencyMembersAsync(s.Connection, c.AgencyCode, s.Transaction);
        foreach (var r in recipients)
        {
            await EnqueueStaffAsync(s, r, c.Id, StaffTexts.CitizenComment(c, comment), [], "notify", now);
        }
    }

    // ---- deadlines, reminders, escalation -------------------------------------------------------

    /// <summary>The share of the step's time the file names has passed: whoever holds the step's role is reminded, once.</summary>
    public async Task<bool> RemindAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var step = StepOf(c);
        var changed = await s.Connection.ExecuteAsync(
            "UPDATE complaints SET reminded_at = @now WHERE id = @id AND reminded_at IS NULL AND step IS NOT NULL",
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0 || step is null)
        {
            return false;
        }
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "reminder", StaffTexts.T("note.reminder", ("step", step.Name), ("due", StaffTexts.When(c.DueAt))));
        foreach (var r in await HoldersAsync(s, step.Role, c.AgencyCode))
        {
            await EnqueueStaffAsync(s, r, c.Id, StaffTexts.Reminder(c, step.Name), StepButtons(c, WorkflowOf(c), step), "notify", now);
        }
        return true;
    }

    /// <summary>The step's deadline passed: marked once, on the timeline, and its role holders told (the file's escalations tell others).</summary>
    public async Task<bool> MarkOverdueAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var step = StepOf(c);
        var changed = await s.Connection.ExecuteAsync(
            "UPDATE complaints SET overdue_at = @now WHERE id = @id AND overdue_at IS NULL AND step IS NOT NULL",
            new { id = c.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (changed == 0 || step is null)
        {
            return false;
        }
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:sla", "overdue", StaffTexts.T("note.overdue", ("step", step.Name), ("due", StaffTexts.When(c.DueAt))));
        foreach (var r in await HoldersAsync(s, step.Role, c.AgencyCode))
        {
            await EnqueueStaffAsync(s, r, c.Id, StaffTexts.Overdue(c, step.Name, agency?.Name), StepButtons(c, WorkflowOf(c), step), "notify", now);
        }
        return true;
    }

    /// <summary>
    /// The file's escalations that fell due for this case: each once (per step for those counted from
    /// a step's deadline), on the timeline with the note, and whoever holds the named roles told.
    /// </summary>
    public async Task<int> EscalateAsync(DbSession s, ComplaintRow c, DateTimeOffset now)
    {
        var w = WorkflowOf(c);
        var step = StepOf(c);
        var fired = await FiredAsync(s, c.Id);
        var n = 0;
        for (var i = 0; i < w.Escalations.Count; i++)
        {
            var e = w.Escalations[i];
            if (EscalationAt(w, c, i, fired) is not { } at || at > now)
            {
                continue;
            }
            var key = EscalationKey(i, e, c);
            await s.Connection.ExecuteAsync("INSERT INTO complaint_escalations (complaint_id, entry, at) VALUES (@id, @key, @at) ON CONFLICT DO NOTHING",
                new { id = c.Id, key, at = now.ToUnixTimeMilliseconds() }, s.Transaction);
            var roles = string.Join(", ", e.To.Select(r => w.Roles.GetValueOrDefault(r, r)));
            var stepName = step?.Name ?? "-";
            await ComplaintStore.AppendEventAsync(s, c.Id, now, "sistem:eskalasi", "escalated",
                StaffTexts.T(e.From == "submitted" ? "note.escalated_submitted" : "note.escalated_overdue", ("roles", roles), ("note", e.Note), ("step", stepName)));
            var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
            var text = StaffTexts.T("notify.escalation", ("number", c.TrackingNumber), ("note", e.Note), ("step", stepName),
                ("agency", agency?.Name ?? "-"), ("due", StaffTexts.When(c.DueAt)), ("status", StaffTexts.StatusName(c.Status)));
            var sent = new HashSet<StaffAddress>();
            foreach (var role in e.To)
            {
                foreach (var r in await HoldersAsync(s, role, c.AgencyCode))
                {
                    if (sent.Add(r))
                    {
                        await EnqueueStaffAsync(s, r, c.Id, text, [], "notify", now);
                    }
                }
            }
            fired.Add(key);
            n++;
        }
        await RescheduleEscalationAsync(s, c.Id, now);
        return n;
    }

    private static string EscalationKey(int i, Escalation e, ComplaintRow c) =>
        e.From == "submitted" ? $"e{i}" : $"e{i}@{c.Step}@{c.StepStartedAt}";

    /// <summary>When escalation <paramref name="i"/> falls due for the case as it stands; null when it does not apply or already fired.</summary>
    private static DateTimeOffset? EscalationAt(WorkflowDefinition w, ComplaintRow c, int i, ISet<string> fired)
    {
        var e = w.Escalations[i];
        if (fired.Contains(EscalationKey(i, e, c)) || c.Step is null || !AtStep.Contains(c.Status))
        {
            return null;
        }
        if (e.From == "submitted")
        {
            // The total counts to the first answer; a reopened case has its steps' deadlines. An oversight
            // case has its own (longer) standard: a total shorter than that path does not apply to it.
            if (c.Status == ComplaintStatus.Reopened || (c.Oversight && w.OversightStart is { } ov && e.After < w.Total(ov)))
            {
                return null;
            }
            return c.Created + e.After;
        }
        return c.DueAt is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) + e.After : null;
    }

    private static async Task<HashSet<string>> FiredAsync(DbSession s, long id) =>
        (await s.Connection.QueryAsync<string>("SELECT entry FROM complaint_escalations WHERE complaint_id = @id", new { id }, s.Transaction)).ToHashSet();

    /// <summary>Sets <c>escalate_at</c> to the next escalation still to come for the case as it now stands.</summary>
    private async Task RescheduleEscalationAsync(DbSession s, long id, DateTimeOffset now)
    {
        var c = (await ComplaintStore.FindByIdAsync(s.Connection, id, s.Transaction))!;
        var w = WorkflowOf(c);
        var fired = await FiredAsync(s, id);
        DateTimeOffset? next = null;
        for (var i = 0; i < w.Escalations.Count; i++)
        {
            if (EscalationAt(w, c, i, fired) is { } at && (next is null || at < next))
            {
                next = at;
            }
        }
        await s.Connection.ExecuteAsync("UPDATE complaints SET escalate_at = @next WHERE id = @id",
            new { id, next = next?.ToUnixTimeMilliseconds() }, s.Transaction);
    }

    // ---- the one way into a step -------------------------------------------------------------

    /// <summary>
    /// Puts the case at <paramref name="step"/>: its deadline and reminder from <paramref name="stepStart"/>
    /// by the step's standard, no extension, no overdue mark, the SOP's total set once, the next
    /// escalation scheduled. Guarded by the status (and step) the caller read.
    /// </summary>
    private async Task<bool> EnterAsync(DbSession s, ComplaintRow c, WorkflowDefinition w, WorkflowStep step, DateTimeOffset stepStart, DateTimeOffset now,
        string status, string? agency, string[] from, string? extraSet = null, object? extra = null, string? fromStep = null)
    {
        var d = step.Standard is null ? null : clock.For(w, step, stepStart);
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            id = c.Id, status, agency, step = step.Id, start = stepStart.ToUnixTimeMilliseconds(), due = d?.DueAt.ToUnixTimeMilliseconds(),
            remind = d?.RemindAt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(), total = TotalDue(c).ToUnixTimeMilliseconds(),
            from, fromStep,
        });
        var changed = await s.Connection.ExecuteAsync(
            $"""
            UPDATE complaints SET status = @status, agency_code = @agency, step = @step, step_started_at = @start, due_at = @due,
                remind_at = @remind, reminded_at = NULL, overdue_at = NULL, step_allowed_seconds = NULL, extension_reason = NULL,
                updated_at = @now, total_due_at = COALESCE(total_due_at, @total){(extraSet is null ? "" : ", " + extraSet)}
            WHERE id = @id AND {s.Dialect.InList("status", "@from")}{(fromStep is null ? "" : " AND step = @fromStep")}
            """, p, s.Transaction);
        if (changed == 0)
        {
            return false;
        }
        await RescheduleEscalationAsync(s, c.Id, now);
        return true;
    }

    /// <summary>The SOP's total for this case: each step of the forward path after the other, from submission (oversight: via the inspectorate).</summary>
    private DateTimeOffset TotalDue(ComplaintRow c)
    {
        var w = workflows.Default;
        IReadOnlyList<WorkflowStep> path = c.Oversight && w.OversightStart is { } ov
            ? [w.Step(w.Start), .. w.MainPath(ov)]
            : w.MainPath();
        var t = c.Created;
        foreach (var step in path.Where(x => x.Standard is not null))
        {
            t = clock.Due(t, step.Standard!.Duration, step.Standard.Basis);
        }
        return t;
    }

    // ---- who is told -------------------------------------------------------------------------

    /// <summary>
    /// The role that would receive a case assigned to <paramref name="agency"/> when none of its members
    /// holds it (nor is an all-roles admin); null when someone can act. The role is the one the
    /// workflow's first agency step (or the oversight step, for the inspectorate) asks for.
    /// </summary>
    public async Task<string?> NobodyCanActAsync(DbSession s, AgencyRow agency)
    {
        var w = workflows.For(agency.Code);
        var step = agency.IsInspectorate && w.OversightStart is { } ov ? w.Step(ov) : FirstAgencyStep(w);
        return (await HoldersAsync(s, step.Role, agency.Code)).Count > 0 ? null : step.Role;
    }

    /// <summary>
    /// Whoever holds <paramref name="role"/> for a case at <paramref name="agencyCode"/>: the triage desk
    /// for triage; the inspectorate's members for inspektorat; otherwise the agency's members in that role
    /// and its all-roles admins.
    /// </summary>
    public static async Task<IReadOnlyList<StaffAddress>> HoldersAsync(DbSession s, string role, string? agencyCode)
    {
        if (role == StaffRole.Triage)
        {
            return (await s.Connection.QueryAsync<StaffAddress>(
                "SELECT DISTINCT channel, telegram_user_id AS address FROM staff_members WHERE role = 'triage' ORDER BY channel, telegram_user_id",
                transaction: s.Transaction)).AsList();
        }
        if (role == "inspektorat")
        {
            return (await s.Connection.QueryAsync<StaffAddress>(
                """
                SELECT DISTINCT m.channel, m.telegram_user_id AS address FROM staff_members m JOIN agencies a ON a.code = m.agency_code
                WHERE (a.is_inspectorate = 1 OR a.code = @agencyCode) AND m.role IN ('inspektorat', 'agency')
                  AND (a.is_inspectorate = 1 OR m.role = 'inspektorat')
                ORDER BY m.channel, m.telegram_user_id
                """, new { agencyCode }, s.Transaction)).AsList();
        }
        if (agencyCode is null)
        {
            return [];
        }
        return (await s.Connection.QueryAsync<StaffAddress>(
            """
            SELECT DISTINCT channel, telegram_user_id AS address FROM staff_members
            WHERE agency_code = @agencyCode AND role IN (@role, 'agency') ORDER BY channel, telegram_user_id
            """, new { agencyCode, role }, s.Transaction)).AsList();
    }

    /// <summary>Tells whoever holds the step's role that the case is now at their step, with its deadline and what they can do.</summary>
    private async Task NotifyStepAsync(DbSession s, ComplaintRow c, WorkflowDefinition w, WorkflowStep step, DateTimeOffset now,
        string? headline = null, string? note = null, string? why = null, string? notice = null, bool photos = false)
    {
        var holders = await HoldersAsync(s, step.Role, c.AgencyCode);
        if (holders.Count == 0)
        {
            return;
        }
        var attachments = await AttachmentCountAsync(s, c.Id);
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        var draft = await ComplaintDrafts.FindAsync(s, c.Id);
        // What the step offers, as the staff channel offers it: commands to type in a chat (Telegram, the
        // simulator), the page's buttons on the web, where nobody types commands.
        string HintsFor(string channel) => StatusPage.WebInboxChannel.IsWeb(channel)
            ? StaffTexts.WebHints(c, step, w.RequiresApproval)
            : StaffTexts.Hints(c, step, w.RequiresApproval);
        Func<string, string> textFor;
        List<OutboundButton> buttons;
        if (step.Role == StaffRole.Triage && step.Action("assign") is not null && c.AgencyCode is null)
        {
            var suggestions = await SuggestionsAsync(s, c);
            textFor = channel => notice ?? StaffTexts.ToTriage(c, why, suggestions, attachments, HintsFor(channel));
            buttons = suggestions.Select(x => new OutboundButton(StaffTexts.T("button.assign", ("code", x.Code)), $"disposisi:{c.TrackingNumber}:{x.Code}")).ToList();
        }
        else
        {
            var card = StaffTexts.Card(c, agency?.Name, c.Confidential && step.Role != StaffRole.Triage, attachments, draft: draft?.Text, approved: c.ApprovedAt is not null);
            // On the web the case page is one click away: the notice, the step and what to press, without the card.
            textFor = channel => StaffTexts.AtStep(c, headline ?? notice ?? StaffTexts.T("headline.forward", ("number", c.TrackingNumber)), step.Name,
                w.Roles.GetValueOrDefault(step.Role, step.Role), note, StatusPage.WebInboxChannel.IsWeb(channel) ? null : card, HintsFor(channel));
            buttons = StepButtons(c, w, step);
        }
        var photoPaths = photos
            ? (await s.Connection.QueryAsync<string>(
                "SELECT local_path FROM complaint_attachments WHERE complaint_id = @id AND local_path IS NOT NULL AND content_type LIKE 'image/%' ORDER BY id",
                new { id = c.Id }, s.Transaction)).AsList()
            : [];
        foreach (var r in holders)
        {
            var web = StatusPage.WebInboxChannel.IsWeb(r.Channel);
            await EnqueueStaffAsync(s, r, c.Id, textFor(r.Channel), buttons, "notify", now);
            // The photos the citizen sent, right after the case (the SOP's disposition carries the evidence);
            // the case page shows them to a member on the web.
            for (var i = 0; i < (web ? 0 : photoPaths.Count); i++)
            {
                await OutboxStore.EnqueueAsync(s, r.Channel, r.Address, null, c.Id,
                    StaffTexts.T("notify.photo", ("index", i + 1), ("count", photoPaths.Count), ("number", c.TrackingNumber)), [], now, null, "photo", photoPaths[i]);
            }
        }
    }

    /// <summary>The buttons for what the step's role can do there, in the file's order.</summary>
    public static List<OutboundButton> StepButtons(ComplaintRow c, WorkflowDefinition w, WorkflowStep step)
    {
        var list = new List<OutboundButton>();
        foreach (var a in step.Actions)
        {
            var data = a.Kind switch
            {
                "accept" => "terima",
                "reject" => "tolak",
                "forward" => "teruskan",
                "draft" => "draf",
                "approve" => "setujui",
                "revise" => "revisi",
                "answer" => "balas",
                "extend" => "perpanjang",
                "return" => "kembalikan",
                _ => null, // assign: the suggestion buttons, or /disposisi
            };
            if (data is not null)
            {
                list.Add(new OutboundButton(StaffTexts.T("button." + a.Kind), $"{data}:{c.TrackingNumber}"));
            }
        }
        return list;
    }

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
        foreach (var admin in await HoldersAsync(s, StaffRole.Triage, null))
        {
            await EnqueueStaffAsync(s, admin, c.Id, text, buttons, "notify", now);
        }
    }

    /// <summary>A message to a staff member; chat buttons are left off on the web, where the case page has its own.</summary>
    public static Task<long> EnqueueStaffAsync(DbSession s, StaffAddress to, long? complaintId, string text,
        IReadOnlyList<OutboundButton> buttons, string purpose, DateTimeOffset now) =>
        OutboxStore.EnqueueAsync(s, to.Channel, to.Address, null, complaintId, text, [], now,
            StatusPage.WebInboxChannel.IsWeb(to.Channel) ? [] : buttons, purpose);

    /// <summary>To a Telegram staff member by user id (their private chat id).</summary>
    public static Task<long> EnqueueStaffAsync(DbSession s, string telegramUserId, long? complaintId, string text,
        IReadOnlyList<OutboundButton> buttons, string purpose, DateTimeOffset now) =>
        EnqueueStaffAsync(s, new StaffAddress(StaffChannel, telegramUserId), complaintId, text, buttons, purpose, now);

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

/// <summary>Where a staff member is reached: the staff channel (telegram, simulator) and their address on it.</summary>
internal sealed record StaffAddress(string Channel, string Address);

/// <summary>The drafted answer travelling with a case until it is sent (then it is the answer) or the case closes.</summary>
internal static class ComplaintDrafts
{
    public sealed record Draft(string Text, string DraftedBy, long DraftedAt);

    public static Task<Draft?> FindAsync(DbSession s, long complaintId) =>
        s.Connection.QuerySingleOrDefaultAsync<Draft>("SELECT text, drafted_by, drafted_at FROM complaint_drafts WHERE complaint_id = @complaintId",
            new { complaintId }, s.Transaction);

    public static Task SaveAsync(DbSession s, long complaintId, string text, string by, DateTimeOffset at) =>
        s.Connection.ExecuteAsync(
            """
            INSERT INTO complaint_drafts (complaint_id, text, drafted_by, drafted_at) VALUES (@complaintId, @text, @by, @at)
            ON CONFLICT (complaint_id) DO UPDATE SET text = excluded.text, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at
            """, new { complaintId, text, by, at = at.ToUnixTimeMilliseconds() }, s.Transaction);

    public static Task DeleteAsync(DbSession s, long complaintId) =>
        s.Connection.ExecuteAsync("DELETE FROM complaint_drafts WHERE complaint_id = @complaintId", new { complaintId }, s.Transaction);
}
