using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Staff;

namespace LaporBot.Workflow;

/// <summary>The actions staff take on a case, by the names the workflow files use (plus view and close).</summary>
internal static class StaffAction
{
    public const string View = "view";
    public const string Assign = "assign";
    public const string Return = "return";
    public const string Accept = "accept";
    public const string Reject = "reject";
    public const string Forward = "forward";
    public const string Draft = "draft";
    public const string Approve = "approve";
    public const string Revise = "revise";
    public const string Answer = "answer";
    public const string Extend = "extend";
    public const string Close = "close";

    /// <summary>Every action a staff channel can ask for.</summary>
    public static readonly IReadOnlyList<string> All = [View, Assign, Return, Accept, Reject, Forward, Draft, Approve, Revise, Answer, Extend, Close];

    /// <summary>The actions a workflow step offers (the rest are the desk's: view and close).</summary>
    public static readonly IReadOnlyList<string> StepActions = [Assign, Return, Accept, Reject, Forward, Draft, Approve, Revise, Answer, Extend];
}

/// <summary>One role a person holds: the triage desk (no agency), or a role at an agency ("agency" = every role there).</summary>
internal sealed record StaffGrant(string Role, string? AgencyCode);

/// <summary>
/// Who asks for an action, from any staff channel: <paramref name="Kind"/> telegram | web | simulator,
/// their id on it, the name the timeline shows, and the roles they hold.
/// </summary>
internal sealed record CaseActor(string Kind, string Id, string Name, IReadOnlyList<StaffGrant> Grants)
{
    public static CaseActor Of(string kind, string id, string name, string role, string? agency) =>
        new(kind, id, name, [new StaffGrant(role, role == StaffRole.Triage ? null : agency?.ToUpperInvariant())]);

    public bool IsTriage => Grants.Any(g => g.Role == StaffRole.Triage);

    public bool ActsFor(string? agencyCode) =>
        agencyCode is not null && Grants.Any(g => g.Role != StaffRole.Triage && string.Equals(g.AgencyCode, agencyCode, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the actor holds <paramref name="role"/> for a case at <paramref name="agencyCode"/>.</summary>
    public bool Holds(string role, string? agencyCode) =>
        role == StaffRole.Triage
            ? IsTriage
            : Grants.Any(g => (g.Role == role || g.Role == StaffRole.Agency) && agencyCode is not null
                && string.Equals(g.AgencyCode, agencyCode, StringComparison.OrdinalIgnoreCase));
}

/// <param name="Text">The reason, note, answer or draft the action carries.</param>
/// <param name="Agency">assign: the agency's code.</param>
/// <param name="Days">extend: how many days more.</param>
internal sealed record CaseActionArgs(string? Text = null, string? Agency = null, int? Days = null);

/// <summary>What became of an action: done, or refused with a reason code and a sentence for the staff member (staff.yaml).</summary>
internal sealed record CaseActionResult(bool Ok, string Message, string? Refusal = null)
{
    public ComplaintRow? Case { get; init; }

    /// <summary>view: the case card with its history, for the one who asked.</summary>
    public string? Card { get; init; }
}

/// <summary>
/// The one way staff act on a case, whatever the channel (Telegram, the status page, the simulator):
/// authorization — which action the current step offers × the role the actor holds × the case's agency —
/// then the transition through <see cref="ComplaintWorkflow"/>, in one transaction with its messages.
/// A refused action changes nothing.
/// </summary>
internal sealed class CaseActions(IDatabase db, ComplaintWorkflow workflow, OutboxSignal signal, TimeProvider clock, ILogger<CaseActions> logger)
{
    public const int MinText = 3;

    /// <summary>Performs <paramref name="action"/> on case <paramref name="caseNo"/> in its own transaction; staff messages go out at once.</summary>
    public async Task<CaseActionResult> PerformAsync(string caseNo, CaseActor actor, string action, CaseActionArgs? args = null, CancellationToken ct = default)
    {
        CaseActionResult result;
        await using (var s = await db.BeginAsync(ct))
        {
            result = await PerformAsync(s, caseNo, actor, action, args ?? new(), clock.GetUtcNow());
            if (result.Ok)
            {
                await s.CommitAsync(ct);
            }
        }
        if (result.Ok)
        {
            signal.Notify();
        }
        return result;
    }

    /// <summary>The same inside the caller's transaction (the Telegram desk adds its reply to the same commit).</summary>
    public async Task<CaseActionResult> PerformAsync(DbSession s, string caseNo, CaseActor actor, string action, CaseActionArgs args, DateTimeOffset now)
    {
        var c = await ComplaintStore.FindByNumberAsync(s.Connection, caseNo, s.Transaction);
        if (c is null)
        {
            return Refused("not_found", StaffTexts.T("not_found", ("number", caseNo.Trim().ToUpperInvariant())));
        }
        if (Refuse(c, actor, action) is { } refusal)
        {
            logger.LogInformation("Refused {Action} on complaint {ComplaintId} for {Kind} actor: {Refusal}", action, c.Id, actor.Kind, refusal.Refusal);
            return refusal;
        }
        var text = args.Text?.Trim();
        var number = c.TrackingNumber;
        var step = workflow.StepOf(c);
        bool done;
        string ok;
        switch (action)
        {
            case StaffAction.View:
                // Opening a case shows the citizen's personal data: on record, in the same transaction.
                await Privacy.AccessLog.RecordAsync(s.Connection, s.Transaction, now, $"{actor.Kind}:{actor.Id}",
                    actor.Kind switch { "telegram" => Privacy.AccessLog.Telegram, "web" => Privacy.AccessLog.StatusPage, var k => k },
                    c.Id, c.ReporterId, StaffTexts.T(actor.Kind == "web" ? "access.case_action" : "access.view_command"));
                return new CaseActionResult(true, await StaffCards.ViewAsync(s, c, actor.IsTriage, workflow)) { Case = c };
            case StaffAction.Accept:
                done = await workflow.AcceptAsync(s, c, Label(actor), now);
                ok = StaffTexts.T("accept.done", ("number", number), ("next", NextName(c, step, action)));
                break;
            case StaffAction.Reject when Short(text):
                return Refused("need_text", StaffTexts.T("reject.need_reason", ("number", number)));
            case StaffAction.Reject:
                done = await workflow.RejectAsync(s, c, Label(actor), text!, now);
                ok = StaffTexts.T("reject.done", ("number", number), ("reason", text));
                break;
            case StaffAction.Forward:
                done = await workflow.ForwardAsync(s, c, Label(actor), string.IsNullOrWhiteSpace(text) ? null : text, now);
                ok = StaffTexts.T("forward.done", ("number", number), ("next", NextName(c, step, action)));
                break;
            case StaffAction.Draft when Short(text):
                return Refused("need_text", StaffTexts.T("draft.need_text", ("number", number)));
            case StaffAction.Draft:
                done = await workflow.DraftAsync(s, c, Label(actor), text!, now);
                ok = StaffTexts.T("draft.done", ("number", number), ("next", NextName(c, step, action)));
                break;
            case StaffAction.Approve:
                if (await ComplaintDrafts.FindAsync(s, c.Id) is null)
                {
                    return Refused("no_draft", StaffTexts.T("approve.no_draft", ("number", number)));
                }
                done = await workflow.ApproveAsync(s, c, Label(actor), now);
                ok = StaffTexts.T("approve.done", ("number", number), ("next", NextName(c, step, action)));
                break;
            case StaffAction.Revise when Short(text):
                return Refused("need_text", StaffTexts.T("revise.need_note", ("number", number)));
            case StaffAction.Revise:
                done = await workflow.ReviseAsync(s, c, Label(actor), text!, now);
                ok = StaffTexts.T("revise.done", ("number", number), ("next", NextName(c, step, action)));
                break;
            case StaffAction.Answer:
                var w = workflow.WorkflowOf(c);
                var draft = await ComplaintDrafts.FindAsync(s, c.Id);
                if (w.RequiresApproval && (c.ApprovedAt is null || draft is null))
                {
                    return Refused("approval_required", StaffTexts.T("answer.not_approved", ("number", number)));
                }
                if (w.RequiresApproval && !string.IsNullOrWhiteSpace(text) && text != draft!.Text.Trim())
                {
                    return Refused("approval_required", StaffTexts.T("answer.only_approved", ("number", number)));
                }
                if (!w.RequiresApproval && Short(text) && draft is null)
                {
                    return Refused("need_text", StaffTexts.T("answer.need_text", ("number", number)));
                }
                done = await workflow.AnswerAsync(s, c, Label(actor), string.IsNullOrWhiteSpace(text) ? null : text, now);
                ok = StaffTexts.T("answer.done", ("number", number));
                break;
            case StaffAction.Extend:
                if (args.Days is not { } days || days <= 0 || days > 366 || Short(text))
                {
                    return Refused("need_text", StaffTexts.T("extend.need_args", ("number", number),
                        ("limit", StaffTexts.Duration(step?.ExtendLimit ?? TimeSpan.Zero))));
                }
                var extended = await workflow.ExtendAsync(s, c, Label(actor), TimeSpan.FromDays(days), text!, now);
                if (!extended.Done && extended.Limit is { } limit)
                {
                    return Refused("extend_beyond", StaffTexts.T("extend.beyond", ("number", number), ("days", days),
                        ("limit", StaffTexts.Duration(limit)), ("allowed", StaffTexts.Duration(extended.Allowed ?? TimeSpan.Zero)),
                        ("left", StaffTexts.Duration(limit - (extended.Allowed ?? TimeSpan.Zero)))));
                }
                done = extended.Done;
                ok = StaffTexts.T("extend.done", ("number", number), ("days", days),
                    ("due", extended.DueAt is { } due ? StaffTexts.When(due.ToUnixTimeMilliseconds()) : "-"));
                break;
            case StaffAction.Assign:
                var code = (args.Agency ?? "").Trim().ToUpperInvariant();
                if (code.Length == 0 || await AgencyStore.FindAsync(s.Connection, code, s.Transaction) is not { Active: true } agency)
                {
                    var codes = string.Join(", ", (await AgencyStore.ActiveAsync(s.Connection, s.Transaction)).Select(a => a.Code));
                    return Refused("unknown_agency", StaffTexts.T("assign.unknown_agency", ("code", code), ("codes", codes)));
                }
                if (await workflow.NobodyCanActAsync(s, agency) is { } role)
                {
                    logger.LogInformation("Refused assign of complaint {ComplaintId} to {Agency}: nobody holds {Role}", c.Id, agency.Code, role);
                    return Refused("nobody", StaffTexts.T("assign.nobody", ("number", number), ("agency", agency.Name), ("role", role),
                        ("role_name", workflow.Workflows.For(agency.Code).Roles.GetValueOrDefault(role, role)), ("code", agency.Code)));
                }
                done = await workflow.AssignAsync(s, c, agency.Code, Label(actor), string.IsNullOrWhiteSpace(text) ? null : text, now);
                ok = StaffTexts.T("assign.done", ("number", number), ("agency", agency.Name));
                break;
            case StaffAction.Return when Short(text):
                return Refused("need_text", StaffTexts.T("return.need_reason", ("number", number)));
            case StaffAction.Return:
                done = await workflow.ReturnToCitizenAsync(s, c, Label(actor), text!, now);
                ok = StaffTexts.T("return.done", ("number", number));
                break;
            case StaffAction.Close:
                done = await workflow.CloseAsync(s, c, Label(actor), "closed_by_staff", string.IsNullOrWhiteSpace(text) ? null : text, now,
                    citizenMessage: "closed_notice");
                ok = StaffTexts.T("close.done", ("number", number));
                break;
            default:
                return Refused("unknown_action", StaffTexts.Help);
        }
        if (!done)
        {
            return Refused("wrong_status", StaffTexts.T("wrong_status", ("number", number), ("status", StaffTexts.StatusName(c.Status))));
        }
        return new CaseActionResult(true, ok) { Case = await ComplaintStore.FindByIdAsync(s.Connection, c.Id, s.Transaction) };
    }

    /// <summary>
    /// The authorization matrix, in one place: null when <paramref name="actor"/> may ask for
    /// <paramref name="action"/> on the case as it stands, else the refusal. View: the triage desk any
    /// case, an agency's members that agency's cases. Close: the triage desk. Every other action: the
    /// current step must offer it and the actor must hold the step's role — the triage desk's steps for
    /// the desk, an agency's steps for that agency's members in that role (or its all-roles admins).
    /// </summary>
    public CaseActionResult? Refuse(ComplaintRow c, CaseActor actor, string action)
    {
        if (!StaffAction.All.Contains(action))
        {
            return Refused("unknown_action", StaffTexts.Help);
        }
        var number = c.TrackingNumber;
        switch (action)
        {
            case StaffAction.View:
                return actor.IsTriage || actor.ActsFor(c.AgencyCode) ? null : Refused("not_your_agency", StaffTexts.NotYourAgency);
            case StaffAction.Close:
                return actor.IsTriage ? null : Refused("triage_only", StaffTexts.TriageOnly);
            case StaffAction.Assign or StaffAction.Return when !actor.IsTriage:
                return Refused("triage_only", StaffTexts.TriageOnly);
        }
        var w = workflow.WorkflowOf(c);
        var step = workflow.StepOf(c);
        if (step is null)
        {
            return actor.IsTriage || actor.ActsFor(c.AgencyCode)
                ? Refused("wrong_status", StaffTexts.T("wrong_status", ("number", number), ("status", StaffTexts.StatusName(c.Status))))
                : Refused("not_your_agency", StaffTexts.NotYourAgency);
        }
        if (!actor.Holds(step.Role, c.AgencyCode))
        {
            if (!actor.IsTriage && !actor.ActsFor(c.AgencyCode))
            {
                return Refused("not_your_agency", StaffTexts.NotYourAgency);
            }
            return Refused("not_your_step", StaffTexts.T("not_your_step", ("number", number), ("step", step.Name),
                ("role", w.Roles.GetValueOrDefault(step.Role, step.Role))));
        }
        if (step.Action(action) is null)
        {
            return Refused("not_at_step", StaffTexts.T("not_at_step", ("number", number), ("step", step.Name),
                ("hints", StaffTexts.Hints(c, step, w.RequiresApproval))));
        }
        return null;
    }

    /// <summary>What <paramref name="actor"/> can do on the case now (for buttons on the status page and in the simulator).</summary>
    public IReadOnlyList<string> Available(ComplaintRow c, CaseActor actor) =>
        StaffAction.All.Where(a => Refuse(c, actor, a) is null).ToList();

    /// <summary>The name the timeline shows: Telegram staff as before ("staf:ID (Admin Utama)"), others by channel and name.</summary>
    public static string Label(CaseActor a) =>
        a.Kind == "telegram" ? $"staf:{a.Id} ({a.Name})" : $"{a.Kind}:{a.Name}";

    private string NextName(ComplaintRow c, WorkflowStep? step, string action) =>
        workflow.WorkflowOf(c).FindStep(step?.Action(action)?.Target)?.Name ?? "-";

    private static bool Short(string? text) => string.IsNullOrWhiteSpace(text) || text.Trim().Length < MinText;

    private static CaseActionResult Refused(string code, string message) => new(false, message, code);
}
