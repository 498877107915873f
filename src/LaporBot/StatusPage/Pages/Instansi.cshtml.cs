using LaporBot.Channels.Telegram;
using LaporBot.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Pages;

public sealed class AgenciesModel : StaffPageModel
{
    internal IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];

    internal IReadOnlyDictionary<string, long> AdminCounts { get; private set; } = new Dictionary<string, long>();
    internal HashSet<string> Configured { get; private set; } = [];
    internal List<string> Errors { get; } = [];
    internal IReadOnlyList<StaffAccount> WebMembers { get; private set; } = [];

    /// <summary>A status-page account for an agency member who works from the web.</summary>
    public sealed record MemberInput(string? Agency, string? Role, string? Username, string? DisplayName, string? Password);

    public async Task<IActionResult> OnPostMemberAsync(MemberInput input)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        var username = input.Username?.Trim() ?? "";
        var role = input.Role?.Trim().ToLowerInvariant() ?? "";
        if (!StaffRoles.IsAgencyRole(role))
        {
            Errors.Add(WebTexts.T("member.invalid_role"));
        }
        else if (StaffAccounts.Problem(username, role, input.Password ?? "", input.Agency) is not null)
        {
            Errors.Add(WebTexts.T("member.invalid"));
        }
        else
        {
            try
            {
                if (await HttpContext.RequestServices.GetRequiredService<StaffAccounts>()
                        .CreateAsync(username, role, input.Password!, input.Agency, input.DisplayName, HttpContext.RequestAborted))
                {
                    Flash = WebTexts.T("member.added", ("username", username), ("role", StaffRoles.Label(role, Workflows.For(input.Agency))), ("agency", input.Agency!.Trim().ToUpperInvariant()));
                    return RedirectToPage();
                }
                Errors.Add(WebTexts.T("member.taken", ("username", username)));
            }
            catch (ArgumentException)
            {
                Errors.Add(WebTexts.T("agency.inactive"));
            }
        }
        await LoadAsync();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    [TempData] public string? InviteCode { get; set; }
    [TempData] public string? InviteFor { get; set; }
    [TempData] public string? InviteUntil { get; set; }
    [TempData] public string? InviteLink { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync(AgencyInput input)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        Errors.AddRange(input.Validate());
        if (Errors.Count == 0 && !await AgencyAdmin.AddAsync(Db, input, Now))
        {
            Errors.Add(WebTexts.T("agency.code_taken", ("code", input.Code.Trim().ToUpperInvariant())));
        }
        if (Errors.Count > 0)
        {
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Flash = WebTexts.T("agency.added", ("code", input.Code.Trim().ToUpperInvariant()));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEditAsync(AgencyInput input)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        Errors.AddRange(input.Validate());
        if (Errors.Count == 0 && !await AgencyAdmin.UpdateAsync(Db, input, Now))
        {
            Errors.Add(WebTexts.T("agency.not_found", ("code", input.Code)));
        }
        if (Errors.Count > 0)
        {
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Flash = WebTexts.T("agency.updated", ("code", input.Code.Trim().ToUpperInvariant()));
        return RedirectToPage();
    }

    internal WorkflowDefinition WorkflowOf(string? agencyCode) => Workflows.For(agencyCode);

    private WorkflowCatalog Workflows => HttpContext.RequestServices.GetRequiredService<WorkflowCatalog>();

    /// <summary>
    /// The roles an invite for this agency can carry: the workflow roles of the file the agency follows
    /// (named as the file names them; the inspectorate's for an inspectorate, the others for an OPD),
    /// then the agency-wide admin who acts in every role.
    /// </summary>
    internal IReadOnlyList<(string Id, string Name)> InviteRoles(AgencyRow agency)
    {
        var w = Workflows.For(agency.Code);
        return [.. w.Roles.Keys.Where(r => r != StaffRole.Triage && w.UsedRoles.Contains(r) && (r == "inspektorat") == agency.IsInspectorate)
                .Select(r => (r, StaffRoles.Label(r, w))),
            (StaffRole.Agency, StaffRoles.Label(StaffRole.Agency))];
    }

    /// <summary>The roles a web account can hold, from the deployment's workflow file.</summary>
    internal IReadOnlyList<(string Id, string Name)> MemberRoles =>
        [.. StaffRoles.AgencyRoles.Where(r => Workflows.Default.UsedRoles.Contains(r)).Select(r => (r, StaffRoles.Label(r, Workflows.Default)))];

    /// <summary>
    /// A one-time code an agency member (or a triage desk member) sends to the bot as /start CODE. An
    /// agency's code carries the role picked on the page, one of its workflow's roles.
    /// </summary>
    public async Task<IActionResult> OnPostInviteAsync(string? code, string? role)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        var services = HttpContext.RequestServices;
        var triage = string.Equals(code, "triage", StringComparison.OrdinalIgnoreCase);
        string? agencyCode = null;
        string? agencyName = null;
        if (!triage)
        {
            await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
            if (string.IsNullOrWhiteSpace(code) || await AgencyStore.FindAsync(c, code.Trim()) is not { Active: true } agency)
            {
                FlashError = WebTexts.T("agency.inactive");
                return RedirectToPage();
            }
            agencyCode = agency.Code;
            agencyName = agency.Name;
            role = string.IsNullOrWhiteSpace(role) ? StaffRole.Agency : role.Trim().ToLowerInvariant();
            if (!InviteRoles(agency).Any(r => r.Id == role))
            {
                FlashError = WebTexts.T("invite.invalid_role", ("roles", string.Join(", ", InviteRoles(agency).Select(r => r.Name))));
                return RedirectToPage();
            }
        }
        var validFor = services.GetRequiredService<IOptions<RoutingOptions>>().Value.InviteValidFor;
        var now = Now;
        var invite = await AgencyStore.CreateInviteAsync(Db, triage ? StaffRole.Triage : role!, agencyCode, Actor, validFor, now);
        var bot = services.GetRequiredService<IOptions<TelegramOptions>>().Value.BotUsername.TrimStart('@');
        InviteCode = invite;
        InviteFor = triage ? WebTexts.T("invite.for_triage")
            : WebTexts.T("invite.for_agency", ("role", StaffRoles.Label(role!, Workflows.For(agencyCode))), ("code", agencyCode), ("name", agencyName));
        InviteUntil = Time.Format((now + validFor).ToUnixTimeMilliseconds());
        InviteLink = bot.Length > 0 ? $"https://t.me/{bot}?start={invite}" : null;
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        Agencies = await AgencyAdmin.ListAsync(c);
        AdminCounts = await AgencyAdmin.AdminCountsAsync(c);
        WebMembers = await StaffAccounts.AgencyMembersAsync(c, null);
        Configured = HttpContext.RequestServices.GetRequiredService<IOptions<List<AgencyConfig>>>().Value
            .Select(a => a.Code.Trim().ToUpperInvariant()).ToHashSet();
    }
}
