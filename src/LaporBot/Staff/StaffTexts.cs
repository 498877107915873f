using System.Globalization;
using LaporBot.Complaints;
using LaporBot.Conversations;

namespace LaporBot.Staff;

/// <summary>
/// What the bot says to staff. The sentences live in workflows/texts/staff.yaml (like the citizens'
/// in dialogs/); this class only picks the sentence and fills it in.
/// </summary>
internal static class StaffTexts
{
    /// <summary>Every key the code renders; the file must define exactly these.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "card.number", "card.status", "card.status_agency", "card.step", "card.received", "card.due", "card.due_late", "card.extended", "card.reporter_hidden", "card.reporter",
        "card.address", "card.problem_location", "card.contact", "card.confidential_note", "card.location", "card.attachments", "card.oversight", "card.text", "card.answer",
        "card.draft", "card.draft_approved", "card.history", "card.event", "card.event_note", "actor.triage",
        "headline.assign", "headline.accept", "headline.forward", "headline.draft", "headline.approve", "headline.revise",
        "notify.step", "notify.step_short", "notify.step_note", "notify.to_triage", "notify.to_triage_why", "notify.suggestions", "notify.no_suggestions", "notify.rejected_by_agency",
        "notify.citizen_completed", "notify.reopened", "notify.citizen_comment", "notify.reminder", "notify.overdue", "notify.overdue_where",
        "notify.escalation", "notify.photo", "assign.nobody", "routing.nobody",
        "digest.none", "digest.some", "digest.line", "digest.agency",
        "hint.assign", "hint.return", "hint.accept", "hint.reject", "hint.forward", "hint.draft", "hint.approve", "hint.revise", "hint.answer", "hint.answer_approved",
        "hint.extend", "hint.reply_draft", "hint.reply_answer", "hint.reply_forward", "hint.separator", "hint.web",
        "button.accept", "button.reject", "button.answer", "button.assign", "button.assign_page", "button.refused", "button.forward", "button.draft", "button.approve", "button.revise", "button.extend", "button.return",
        "help", "not_staff", "not_your_agency", "not_your_step", "not_at_step", "triage_only", "invite.linked", "invite.who_triage", "invite.who_agency", "invite.expired", "invite.used",
        "unknown_button", "plain_text", "need_number", "not_found", "wrong_status", "accept.done", "reject.need_reason", "reject.done",
        "forward.done", "draft.need_text", "draft.done", "approve.no_draft", "approve.done", "revise.need_note", "revise.done",
        "answer.need_text", "answer.not_approved", "answer.only_approved", "answer.done", "extend.need_args", "extend.beyond", "extend.done",
        "assign.unknown_agency", "assign.done", "return.need_reason", "return.done", "close.done",
        "ask.reason", "ask.answer", "ask.draft", "ask.revise", "ask.extend", "ask.return", "list.empty", "list.header", "list.line",
        "duration.days", "duration.hours", "duration.minutes", "duration.separator",
        "note.submitted", "note.submitted_confidential", "note.rule_oversight", "note.rule_keywords", "note.no_rule", "note.auto_assign_off", "note.weak_match", "note.several_agencies",
        "note.assigned", "note.assigned_with", "note.accepted", "note.accepted_answered", "note.returned_reminder", "note.returned_expired", "note.satisfied",
        "note.auto_closed_after_reply", "note.auto_closed", "note.digest", "access.case_action", "access.view_command",
        "note.moved", "note.moved_with", "note.extended", "note.reminder", "note.overdue", "note.escalated_submitted", "note.escalated_overdue",
    ];

    private static StaffTextCatalog? _catalog;

    /// <summary>Loaded at start-up by <see cref="StaffRegistration"/>; on first use otherwise (tools, tests).</summary>
    public static StaffTextCatalog Catalog
    {
        get => _catalog ??= StaffTextCatalog.LoadFile(StaffTextCatalog.ResolvePath(AppContext.BaseDirectory), Keys);
        set => _catalog = value;
    }

    public static string T(string key, params (string, object?)[] args) => Catalog.Render(key, args);

    /// <summary>
    /// The deployment's clock (Deployment:TimeZone), set at start-up with the catalog. Static like the
    /// catalog because one process serves one deployment; tests that start apps in other zones run alone.
    /// </summary>
    public static LocalZone Zone { get; set; } = LocalZone.Jakarta;

    public static string When(long? unixMs) =>
        unixMs is { } ms ? Zone.Format(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : "-";

    /// <summary>One name per status everywhere: the citizen dialog's (dialogs/lapor.yaml).</summary>
    public static string StatusName(string status) => StatusVocabulary.Name(status);

    /// <summary>The case as staff see it; identity hidden for confidential reports shown to agencies.</summary>
    /// <param name="contact">The reporter's channel and chat address, shown to the triage desk only.</param>
    /// <param name="stepName">The workflow step the case is at (from the file), shown under the status.</param>
    /// <param name="draft">The drafted answer travelling with the case; <paramref name="approved"/> once the head approved it.</param>
    public static string Card(ComplaintRow c, string? agencyName, bool hideIdentity, int attachments, string? contact = null,
        string? draft = null, bool approved = false, string? stepName = null)
    {
        var lines = new List<string>
        {
            T("card.number", ("number", c.TrackingNumber)),
            agencyName is null ? T("card.status", ("status", StatusName(c.Status))) : T("card.status_agency", ("status", StatusName(c.Status)), ("agency", agencyName)),
        };
        if (stepName is not null)
        {
            lines.Add(T("card.step", ("step", stepName)));
        }
        lines.Add(T("card.received", ("date", When(c.CreatedAt)), ("channel", StatusPage.WebTexts.Channel(c.Channel))));
        if (c.DueAt is { } due)
        {
            lines.Add(T(c.OverdueAt is not null ? "card.due_late" : "card.due", ("date", When(due))));
            if (c.ExtensionReason is { } why && c.Status != ComplaintStatus.Returned)
            {
                lines.Add(T("card.extended", ("reason", why)));
            }
        }
        lines.Add(hideIdentity ? T("card.reporter_hidden") : T("card.reporter", ("name", c.Name)));
        if (!hideIdentity)
        {
            lines.Add(T("card.address", ("address", c.Address)));
            if (contact is not null)
            {
                lines.Add(T("card.contact", ("contact", contact)));
            }
            if (c.Confidential)
            {
                lines.Add(T("card.confidential_note"));
            }
        }
        // Where the problem is: never hidden; a confidential report hides who reported it, not where to act.
        if (!string.IsNullOrWhiteSpace(c.ProblemLocation))
        {
            lines.Add(T("card.problem_location", ("location", c.ProblemLocation)));
        }
        if (c.Latitude is { } lat && c.Longitude is { } lon)
        {
            lines.Add(T("card.location", ("url", string.Create(CultureInfo.InvariantCulture, $"https://maps.google.com/?q={lat:0.######},{lon:0.######}"))));
        }
        if (attachments > 0)
        {
            lines.Add(T("card.attachments", ("count", attachments)));
        }
        if (c.Oversight)
        {
            lines.Add(T("card.oversight"));
        }
        lines.Add("");
        lines.Add(T("card.text", ("text", c.Text)));
        if (draft is not null)
        {
            lines.Add("");
            lines.Add(T("card.draft", ("approved", approved ? T("card.draft_approved") : ""), ("draft", draft)));
        }
        if (c.Answer is not null)
        {
            lines.Add("");
            lines.Add(T("card.answer", ("answer", c.Answer)));
        }
        return string.Join("\n", lines);
    }

    /// <summary>
    /// A case reaching someone's step: what happened, the step and its deadline, the case, what they can
    /// do. Without a <paramref name="card"/> (the web, where the case page shows it) the short form.
    /// </summary>
    public static string AtStep(ComplaintRow c, string headline, string stepName, string roleName, string? note, string? card, string hints) =>
        T(card is null ? "notify.step_short" : "notify.step", ("headline", headline), ("step", stepName), ("role", roleName), ("due", When(c.DueAt)),
            ("note", string.IsNullOrWhiteSpace(note) ? "" : T("notify.step_note", ("note", note))), ("card", card), ("hints", hints), ("number", c.TrackingNumber));

    /// <summary>The commands the step offers, as the staff member types them, then what replying to the message does.</summary>
    public static string Hints(ComplaintRow c, Workflow.WorkflowStep step, bool requiresApproval)
    {
        var n = ("number", (object?)c.TrackingNumber);
        var hints = new List<string>();
        foreach (var a in step.Actions)
        {
            hints.Add(a.Kind switch
            {
                "answer" when requiresApproval => T("hint.answer_approved", n),
                "extend" => T("hint.extend", n, ("limit", Duration(step.ExtendLimit ?? TimeSpan.Zero))),
                var k => T("hint." + k, n),
            });
        }
        var reply = step.Action("draft") is not null ? "hint.reply_draft"
            : step.Action("answer") is not null && !requiresApproval ? "hint.reply_answer"
            : step.Action("forward") is not null ? "hint.reply_forward"
            : null;
        return string.Join(T("hint.separator"), hints) + (reply is null ? "" : "\n" + T(reply));
    }

    /// <summary>What the step offers to a member on the web: the case page's buttons for it, no commands to type.</summary>
    public static string WebHints(ComplaintRow c, Workflow.WorkflowStep step, bool requiresApproval) =>
        T("hint.web", ("number", c.TrackingNumber), ("actions", string.Join(T("hint.separator"), step.Actions.Select(a => T(a.Kind == "assign" ? "button.assign_page" : "button." + a.Kind)))));

    public static string ToTriage(ComplaintRow c, string? why, IReadOnlyList<(string Code, string Name)> suggestions, int attachments, string hints) =>
        T("notify.to_triage",
            ("why", why is null ? "" : T("notify.to_triage_why", ("why", why))),
            ("card", Card(c, null, false, attachments)),
            ("suggestions", suggestions.Count > 0
                ? T("notify.suggestions", ("list", string.Join(", ", suggestions.Select(s => $"{s.Code} ({s.Name})"))))
                : T("notify.no_suggestions")),
            ("hints", hints),
            ("number", c.TrackingNumber));

    public static string RejectedByAgency(ComplaintRow c, string agencyName, string reason) =>
        T("notify.rejected_by_agency", ("agency", agencyName), ("number", c.TrackingNumber), ("reason", reason));

    public static string CitizenCompleted(ComplaintRow c, string addition) =>
        T("notify.citizen_completed", ("number", c.TrackingNumber), ("addition", addition));

    public static string Reopened(ComplaintRow c, string comment) =>
        T("notify.reopened", ("number", c.TrackingNumber), ("comment", comment));

    public static string CitizenComment(ComplaintRow c, string comment) =>
        T("notify.citizen_comment", ("number", c.TrackingNumber), ("comment", comment));

    public static string Reminder(ComplaintRow c, string step) =>
        T("notify.reminder", ("number", c.TrackingNumber), ("step", step), ("due", When(c.DueAt)));

    public static string Overdue(ComplaintRow c, string step, string? agencyName) =>
        T("notify.overdue", ("number", c.TrackingNumber), ("step", step),
            ("where", agencyName is null ? "" : T("notify.overdue_where", ("agency", agencyName))), ("due", When(c.DueAt)));

    public static string Digest(IReadOnlyList<(ComplaintRow C, string? Agency)> overdue, DateTimeOffset now) =>
        overdue.Count == 0
            ? T("digest.none", ("date", Zone.Format(now)))
            : T("digest.some", ("date", Zone.Format(now)), ("count", overdue.Count)) + "\n" +
              string.Join("\n", overdue.Select(o => T("digest.line", ("number", o.C.TrackingNumber), ("status", StatusName(o.C.Status)),
                  ("agency", o.Agency is null ? "" : T("digest.agency", ("agency", o.Agency))), ("due", When(o.C.DueAt)))));

    /// <summary>A standard or an extension as staff read it: "14 hari", "2 jam 15 menit".</summary>
    public static string Duration(TimeSpan t)
    {
        var parts = new List<string>();
        if (t.Days > 0)
        {
            parts.Add(T("duration.days", ("n", t.Days)));
        }
        if (t.Hours > 0)
        {
            parts.Add(T("duration.hours", ("n", t.Hours)));
        }
        if (t.Minutes > 0 || parts.Count == 0)
        {
            parts.Add(T("duration.minutes", ("n", t.Minutes)));
        }
        return string.Join(T("duration.separator"), parts);
    }

    public static string Help => T("help");

    public static string NotStaff => T("not_staff");

    public static string NotYourAgency => T("not_your_agency");

    public static string TriageOnly => T("triage_only");
}
