using LaporBot.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LaporBot.StatusPage.Pages;

/// <summary>What every staff page needs: who is logged in, the clock, a one-shot message after a POST.</summary>
public abstract class StaffPageModel : PageModel
{
    public bool IsOperator => User.IsInRole(StaffRoles.Operator);

    /// <summary>The timeline actor for actions taken on this page.</summary>
    public string Actor => $"web:{User.Identity?.Name}";

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
