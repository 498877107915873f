using LaporBot.Complaints;
using LaporBot.Outbox;
using LaporBot.Routing;
using Microsoft.AspNetCore.Mvc;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Pages.Aduan;

/// <summary>One case: every field, the timeline, its outgoing messages and, for operators, the triage desk's actions.</summary>
public sealed class CaseDetailModel : StaffPageModel
{
    internal ComplaintRow? Case { get; private set; }
    internal IReadOnlyList<TimelineEvent> Timeline { get; private set; } = [];
    internal IReadOnlyList<OutboxProblem> Outbox { get; private set; } = [];
    internal IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];
    internal int Attachments { get; private set; }
    internal string? AgencyName { get; private set; }
    internal string MaskedContact { get; private set; } = "";
    internal IReadOnlyList<Privacy.AccessEntry> Accesses { get; private set; } = [];
    internal string StepName { get; private set; } = "";
    internal string SuggestionText { get; private set; } = "";

    protected override bool OpenToAgencyMembers => true;

    /// <summary>An agency member sees a confidential case without the reporter's identity, as on Telegram.</summary>
    internal bool HideIdentity => IsAgencyMember && Case?.Confidential == true;

    public async Task<IActionResult> OnGetAsync(string nomor)
    {
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        Case = await ComplaintStore.FindByNumberAsync(c, nomor);
        // An agency member sees its own agency's cases only: any other number is "not found".
        if (Case is null || (IsAgencyMember && Case.AgencyCode != MemberAgency))
        {
            return NotFound();
        }
        Timeline = await ComplaintStore.TimelineAsync(c, Case.Id);
        Outbox = await StatusQueries.OutboxForComplaintAsync(c, Case.Id);
        Agencies = await AgencyStore.ActiveAsync(c);
        Attachments = await StatusQueries.AttachmentCountAsync(c, Case.Id);
        AgencyName = Case.AgencyCode is null ? null : (await AgencyStore.FindAsync(c, Case.AgencyCode))?.Name;
        var address = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(c, "SELECT address FROM reporters WHERE id = @id", new { id = Case.ReporterId });
        MaskedContact = LaporBot.Channels.Redact.Phone(address);
        // The running step by its workflow name; the legacy step words otherwise.
        StepName = HttpContext.RequestServices.GetRequiredService<StepNames>().Name(Case.AgencyCode, Case.Step);
        SuggestionText = Suggestions(Case.Suggestions, Agencies);
        if (WebActor is { } actor)
        {
            var actions = HttpContext.RequestServices.GetRequiredService<CaseActions>();
            Available = actions.Available(Case, actor).Where(a => a != StaffAction.View).ToList();
            var workflow = HttpContext.RequestServices.GetRequiredService<ComplaintWorkflow>();
            RequiresApproval = workflow.WorkflowOf(Case).RequiresApproval;
            ExtendLimit = workflow.StepOf(Case)?.ExtendLimit is { } limit ? WorkflowFormat.Duration(limit) : null;
            Draft = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(c, "SELECT text FROM complaint_drafts WHERE complaint_id = @id", new { id = Case.Id });
        }
        // Opening a case shows the citizen's personal data: on record, and the record shown to operators.
        if (!HideIdentity)
        {
            await Privacy.AccessLog.RecordAsync(c, null, Now, User.Identity?.Name ?? "?", Privacy.AccessLog.StatusPage, Case.Id, Case.ReporterId,
            WebTexts.T("reason.case_page"));
        }
        if (IsOperator)
        {
            Accesses = await Privacy.AccessLog.ForComplaintAsync(c, Case.Id);
        }
        return Page();
    }

    public Task<IActionResult> OnPostAssignAsync(string nomor, string? agency, string? note) =>
        ActAsync(nomor, StaffAction.Assign, note, null, agency);

    public Task<IActionResult> OnPostReturnAsync(string nomor, string? reason) =>
        ActAsync(nomor, StaffAction.Return, reason, null, null);

    public Task<IActionResult> OnPostCloseAsync(string nomor, string? reason) =>
        ActAsync(nomor, StaffAction.Close, reason, null, null);

    /// <summary>Any step action (accept, reject, forward, draft, approve, revise, answer, extend) from the case page.</summary>
    public Task<IActionResult> OnPostActAsync(string nomor, string? action, string? text, int? days) =>
        ActAsync(nomor, action ?? "", text, days, null);

    public async Task<IActionResult> OnPostRetryAsync(string nomor, long id)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        if (await OutboxStore.RetryDeadAsync(Db, id, Now, HttpContext.RequestAborted))
        {
            HttpContext.RequestServices.GetRequiredService<OutboxSignal>().Notify();
            Flash = WebTexts.T("outbox.retry_done", ("id", id));
        }
        else
        {
            FlashError = WebTexts.T("outbox.retry_refused", ("id", id));
        }
        return RedirectToPage(new { nomor });
    }

    /// <summary>
    /// Who acts from this page, for the one action API every staff channel uses: an agency member in
    /// its role at its agency, an operator as the triage desk; viewers act on nothing.
    /// </summary>
    internal CaseActor? WebActor =>
        IsAgencyMember ? CaseActor.Of("web", User.Identity!.Name!, ShownName, Role, MemberAgency)
        : IsOperator ? CaseActor.Of("web", User.Identity!.Name!, ShownName, StaffRole.Triage, null)
        : null;

    /// <summary>The actions this account can take on the case now (the forms the page shows).</summary>
    internal IReadOnlyList<string> Available { get; private set; } = [];

    /// <summary>The drafted answer travelling with the case, if any (shown to those who approve or send it).</summary>
    internal string? Draft { get; private set; }

    internal bool RequiresApproval { get; private set; }

    internal string? ExtendLimit { get; private set; }

    /// <summary>Actions whose words are required; an empty form gets a sentence for the web, not the Telegram syntax.</summary>
    private static readonly HashSet<string> NeedsText = [StaffAction.Reject, StaffAction.Draft, StaffAction.Revise, StaffAction.Return, StaffAction.Extend];

    private async Task<IActionResult> ActAsync(string nomor, string action, string? text, int? days, string? agency)
    {
        if (WebActor is not { } actor)
        {
            return Forbid();
        }
        var clean = Clean(text);
        if (action == StaffAction.Assign && string.IsNullOrWhiteSpace(agency))
        {
            FlashError = WebTexts.T("case.assign_need_agency");
            return RedirectToPage(new { nomor });
        }
        if ((NeedsText.Contains(action) || action == StaffAction.Close) && clean is null)
        {
            FlashError = WebTexts.T("action.need_text");
            return RedirectToPage(new { nomor });
        }
        if (action == StaffAction.Extend && days is not > 0)
        {
            FlashError = WebTexts.T("action.need_days");
            return RedirectToPage(new { nomor });
        }
        var actions = HttpContext.RequestServices.GetRequiredService<CaseActions>();
        var result = await actions.PerformAsync(nomor, actor, action, new CaseActionArgs(clean, agency?.Trim(), days), HttpContext.RequestAborted);
        if (result.Refusal == "not_found" || (result.Refusal == "not_your_agency" && IsAgencyMember))
        {
            return NotFound();
        }
        if (result.Ok)
        {
            Flash = result.Message;
        }
        else
        {
            FlashError = result.Refusal == "need_text" ? WebTexts.T("action.need_text") : result.Message;
        }
        return RedirectToPage(new { nomor });
    }

    /// <summary>The routing's suggestions (stored as a JSON list of codes) as "CODE – Name, …".</summary>
    internal static string Suggestions(string? json, IReadOnlyList<AgencyRow> agencies)
    {
        List<string>? codes = null;
        try
        {
            codes = string.IsNullOrWhiteSpace(json) ? null : System.Text.Json.JsonSerializer.Deserialize<List<string>>(json);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return codes is not { Count: > 0 }
            ? WebTexts.T("case.suggestions_none")
            : string.Join(", ", codes.Select(code => WebTexts.T("case.suggestion", ("code", code),
                ("name", agencies.FirstOrDefault(a => a.Code == code)?.Name ?? code))));
    }

    private static string? Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is var t && t.Length > 1000 ? t[..1000] : text.Trim();
}
