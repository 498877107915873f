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
        "status.submitted", "status.triage", "status.assigned", "status.accepted", "status.returned", "status.answered", "status.reopened", "status.closed",
        "step.assign", "step.accept", "step.answer", "step.other",
        "card.number", "card.status", "card.status_agency", "card.received", "card.due", "card.due_late", "card.reporter_hidden", "card.reporter",
        "card.address", "card.problem_location", "card.contact", "card.confidential_note", "card.location", "card.attachments", "card.oversight", "card.text", "card.answer",
        "card.history", "card.event", "card.event_note",
        "notify.assigned", "notify.to_triage", "notify.to_triage_why", "notify.suggestions", "notify.no_suggestions", "notify.rejected_by_agency",
        "notify.citizen_completed", "notify.reopened", "notify.citizen_comment", "notify.reminder", "notify.overdue", "notify.overdue_where",
        "notify.total_overdue", "notify.total_overdue_where", "notify.photo", "assign.nobody", "routing.nobody",
        "digest.none", "digest.some", "digest.line", "digest.agency",
        "button.accept", "button.reject", "button.answer", "button.assign",
        "help", "not_staff", "not_your_agency", "triage_only", "invite.linked", "invite.who_triage", "invite.who_agency", "invite.expired", "invite.used",
        "unknown_button", "plain_text", "need_number", "not_found", "wrong_status", "accept.done", "reject.need_reason", "reject.done",
        "answer.need_text", "answer.done", "assign.unknown_agency", "assign.done", "return.need_reason", "return.done", "close.done",
        "ask.reason", "ask.answer", "list.empty", "list.header", "list.line",
    ];

    private static StaffTextCatalog? _catalog;

    /// <summary>Loaded at start-up by <see cref="StaffRegistration"/>; on first use otherwise (tools, tests).</summary>
    public static StaffTextCatalog Catalog
    {
        get => _catalog ??= StaffTextCatalog.LoadFile(StaffTextCatalog.ResolvePath(AppContext.BaseDirectory), Keys);
        set => _catalog = value;
    }

    public static string T(string key, params (string, object?)[] args) => Catalog.Render(key, args);

    public static string When(long? unixMs) =>
        unixMs is { } ms ? ReplyComposer.FormatDate(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : "-";

    public static string StatusName(string status) =>
        Catalog.Has("status." + status) ? T("status." + status) : status;

    /// <summary>The case as staff see it; identity hidden for confidential reports shown to agencies.</summary>
    /// <param name="contact">The reporter's channel and chat address, shown to the triage desk only.</param>
    public static string Card(ComplaintRow c, string? agencyName, bool hideIdentity, int attachments, string? contact = null)
    {
        var lines = new List<string>
        {
            T("card.number", ("number", c.TrackingNumber)),
            agencyName is null ? T("card.status", ("status", StatusName(c.Status))) : T("card.status_agency", ("status", StatusName(c.Status)), ("agency", agencyName)),
            T("card.received", ("date", When(c.CreatedAt)), ("channel", c.Channel)),
        };
        if (c.DueAt is { } due)
        {
            lines.Add(T(c.OverdueAt is not null ? "card.due_late" : "card.due", ("date", When(due))));
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
        if (c.Answer is not null)
        {
            lines.Add("");
            lines.Add(T("card.answer", ("answer", c.Answer)));
        }
        return string.Join("\n", lines);
    }

    public static string Assigned(ComplaintRow c, string agencyName, bool hideIdentity, int attachments) =>
        T("notify.assigned", ("agency", agencyName), ("card", Card(c, null, hideIdentity, attachments)), ("number", c.TrackingNumber));

    public static string ToTriage(ComplaintRow c, string? why, IReadOnlyList<(string Code, string Name)> suggestions, int attachments) =>
        T("notify.to_triage",
            ("why", why is null ? "" : T("notify.to_triage_why", ("why", why))),
            ("card", Card(c, null, false, attachments)),
            ("suggestions", suggestions.Count > 0
                ? T("notify.suggestions", ("list", string.Join(", ", suggestions.Select(s => $"{s.Code} ({s.Name})"))))
                : T("notify.no_suggestions")),
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

    public static string TotalOverdue(ComplaintRow c, string? agencyName) =>
        T("notify.total_overdue", ("number", c.TrackingNumber),
            ("where", agencyName is null ? "" : T("notify.total_overdue_where", ("agency", agencyName))),
            ("due", When(c.TotalDueAt)), ("status", StatusName(c.Status)));

    public static string Digest(IReadOnlyList<(ComplaintRow C, string? Agency)> overdue, DateTimeOffset now) =>
        overdue.Count == 0
            ? T("digest.none", ("date", ReplyComposer.FormatDate(now)))
            : T("digest.some", ("date", ReplyComposer.FormatDate(now)), ("count", overdue.Count)) + "\n" +
              string.Join("\n", overdue.Select(o => T("digest.line", ("number", o.C.TrackingNumber), ("status", StatusName(o.C.Status)),
                  ("agency", o.Agency is null ? "" : T("digest.agency", ("agency", o.Agency))), ("due", When(o.C.DueAt)))));

    public static string StepName(string? step) => step is "assign" or "accept" or "answer" ? T("step." + step) : T("step.other");

    public static string Help => T("help");

    public static string NotStaff => T("not_staff");

    public static string NotYourAgency => T("not_your_agency");

    public static string TriageOnly => T("triage_only");
}
