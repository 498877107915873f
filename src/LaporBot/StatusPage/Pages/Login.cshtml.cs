using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LaporBot.StatusPage.Pages;

[EnableRateLimiting(LoginThrottle.Policy)]
public sealed class LoginModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kembali { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var accounts = HttpContext.RequestServices.GetRequiredService<StaffAccounts>();
        var time = HttpContext.RequestServices.GetRequiredService<LocalTime>();
        var (result, account, lockedUntil) = await accounts.LoginAsync(Username ?? "", Password ?? "", HttpContext.RequestAborted);
        switch (result)
        {
            case LoginResult.Success:
                await HttpContext.SignInAsync(StatusPageRegistration.Scheme, StatusPageRegistration.Principal(account!));
                // Only back to a staff page of this site: never an open redirect.
                var target = Kembali is { } k && k.StartsWith("/status", StringComparison.Ordinal) && !k.StartsWith("//", StringComparison.Ordinal) && Url.IsLocalUrl(k)
                    ? k : "/status";
                return LocalRedirect(target);
            case LoginResult.TooMany:
                Error = $"{LoginThrottle.TooManyTitle}. {LoginThrottle.TooManyText}";
                Password = null;
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = "60";
                return Page();
            case LoginResult.Locked:
                Error = $"Akun dikunci sementara karena terlalu banyak percobaan yang gagal. Coba lagi setelah {time.Format(lockedUntil!.Value.ToUnixTimeMilliseconds())}.";
                break;
            default:
                Error = "Nama pengguna atau kata sandi salah.";
                break;
        }
        Password = null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
