using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LaporBot.StatusPage.Pages;

/// <summary>Logout is a POST (with the antiforgery token) so a link on another site cannot end a session.</summary>
public sealed class LogoutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(StatusPageRegistration.Scheme);
        return LocalRedirect(StatusPageRegistration.LoginPath);
    }
}
