using LaporBot.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LaporBot.StatusPage.Pages;

/// <summary>What every staff page needs: who is logged in, the clock, a one-shot message after a POST.</summary>
public abstract class StaffPageModel : PageModel
{
    public bool IsOperator => User.IsInRole(StaffRoles.Operator);

    /// <summary>The agency an agency member's account acts for; null for Diskominfo's accounts.</summary>
    public string? MemberAgency => User.FindFirst(StatusPageRegistration.AgencyClaim)?.Value;

    /// <summary>An agency member working from the web: sees only its agency's cases (its task list and their pages).</summary>
    public bool IsAgencyMember => MemberAgency is not null;

    /// <summary>The member's workflow role (admin, penghubung, kepala, …).</summary>
    public string Role => User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "";

    /// <summary>The role as it reads (an agency member's by its agency's workflow file).</summary>
    public string RoleName => StaffRoles.LabelOf(User, HttpContext.RequestServices);

    /// <summary>The name the timeline shows for this account.</summary>
    public string ShownName => User.FindFirst(StatusPageRegistration.DisplayNameClaim)?.Value ?? User.Identity?.Name ?? "?";

    /// <summary>The timeline actor for actions taken on this page.</summary>
    public string Actor => $"web:{User.Identity?.Name}";

    /// <summary>Pages an agency member may open (its task list and its agency's cases); every other page sends it to its tasks.</summary>
    protected virtual bool OpenToAgencyMembers => false;

    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        if (IsAgencyMember && !OpenToAgencyMembers)
        {
            context.Result = HttpMethods.IsGet(Request.Method) ? new RedirectResult(TasksPath) : Forbid();
        }
    }

    public const string TasksPath = "/status/tugas";

    [TempData]
    public string? Flash { get; set; }

    [TempData]
    public string? FlashError { get; set; }

    internal IDatabase Db => HttpContext.RequestServices.GetRequiredService<IDatabase>();

    internal LocalTime Time => HttpContext.RequestServices.GetRequiredService<LocalTime>();

    private DateTimeOffset? _now;

    /// <summary>One instant per request, so everything on a page is computed against the same "now".</summary>
    internal DateTimeOffset Now => _now ??= HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    public static string Excerpt(string? text, int max = 90) =>
        string.IsNullOrEmpty(text) ? "" : text.Length <= max ? text : text[..max] + "…";

    /// <summary>Viewers may look but not act: 403 for every action POST.</summary>
    protected IActionResult? RequireOperator() => IsOperator ? null : Forbid();
}
