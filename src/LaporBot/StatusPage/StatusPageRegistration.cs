using System.Security.Claims;
using LaporBot.Data;
using LaporBot.Routing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.StatusPage;

/// <summary>
/// The staff pages under /status: Razor Pages rooted at StatusPage/Pages, a cookie session for
/// staff accounts, and the viewer/operator roles. Every page needs a login except the login page.
/// </summary>
internal static class StatusPageRegistration
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string LoginPath = "/status/masuk";
    public const string StylesheetPath = "/status/assets/status.css";
    public const string OperatorPolicy = "operator";

    public static WebApplicationBuilder AddStatusPage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StaffOptions>().Bind(builder.Configuration.GetSection(StaffOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StaffOptions>, StaffOptionsValidator>();
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<LoginThrottle>();
        services.TryAddSingleton<IPasswordHasher<StaffAccount>, PasswordHasher<StaffAccount>>();
        var staff = builder.Configuration.GetSection(StaffOptions.Section).Get<StaffOptions>() ?? new StaffOptions();
        services.AddRateLimiter(o => LoginThrottle.AddPolicy(o, staff));
        services.AddSingleton<LocalTime>();
        InsertAfterAgencySeeder(services);

        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/StatusPage/Pages";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Login");
        });
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "laporbot.staf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // The app sits behind a TLS-terminating proxy; with forwarded headers the request is https and the cookie Secure.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/status";
            o.LoginPath = LoginPath;
            o.LogoutPath = "/status/keluar";
            o.ReturnUrlParameter = "kembali";
            o.SlidingExpiration = true;
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                // A viewer posting an operator action gets a plain 403, not a redirect to a page.
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = ValidatePrincipalAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<StaffOptions>>((o, staff) =>
            o.ExpireTimeSpan = staff.Value.SessionIdleTimeout);
        services.AddAuthorizationBuilder().AddPolicy(OperatorPolicy, p => p.RequireRole(StaffRoles.Operator));
        // The antiforgery cookie is only needed by the staff forms.
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "laporbot.af";
            o.Cookie.Path = "/status";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    public static WebApplication MapStatusPage(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(StylesheetPath, () => Results.Text(Stylesheet.Value, "text/css; charset=utf-8"))
            .AllowAnonymous()
            .AddEndpointFilter(async (ctx, next) =>
            {
                ctx.HttpContext.Response.Headers.CacheControl = "public, max-age=86400";
                return await next(ctx);
            });
        app.MapRazorPages();
        return app;
    }

    private static readonly Lazy<string> Stylesheet = new(() =>
    {
        using var stream = typeof(StatusPageRegistration).Assembly.GetManifestResourceStream("LaporBot.StatusPage.status.css")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Ends a session whose account was removed or whose role changed since login.</summary>
    private static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext ctx)
    {
        if (!long.TryParse(ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            ctx.RejectPrincipal();
            return;
        }
        var db = ctx.HttpContext.RequestServices.GetRequiredService<IDatabase>();
        await using var c = await db.OpenAsync(ctx.HttpContext.RequestAborted);
        var account = await StaffAccounts.FindByIdAsync(c, id);
        if (account is null || !ctx.Principal!.IsInRole(account.Role))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Scheme);
        }
    }

    public static ClaimsPrincipal Principal(StaffAccount account) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, account.Username),
            new Claim(ClaimTypes.Role, account.Role),
        ], Scheme));

    /// <summary>
    /// AgencySeeder deactivates every agency that is not configured; page-added ones are switched
    /// back on by a hosted service that runs right after it (before the scheduler starts routing).
    /// </summary>
    private static void InsertAfterAgencySeeder(IServiceCollection services)
    {
        var reactivate = ServiceDescriptor.Singleton<IHostedService, PageAgencyReactivation>();
        var bootstrap = ServiceDescriptor.Singleton<IHostedService, StaffBootstrap>();
        var at = services.ToList().FindIndex(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(AgencySeeder));
        if (at < 0)
        {
            services.Add(reactivate);
        }
        else
        {
            services.Insert(at + 1, reactivate);
        }
        services.Add(bootstrap);
    }
}

internal sealed class PageAgencyReactivation(IDatabase db) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await AgencyAdmin.ReactivatePageAgenciesAsync(c);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class StaffOptionsValidator : IValidateOptions<StaffOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffOptions o)
    {
        var errors = new List<string>();
        if (o.MaxFailedLogins is < 1 or > 100)
        {
            errors.Add($"Staff:MaxFailedLogins is {o.MaxFailedLogins}; use 1–100 (default 5).");
        }
        if (o.LockoutDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Staff:LockoutDuration is {o.LockoutDuration}; use at least 00:00:01 (default 00:15:00).");
        }
        if (o.SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            errors.Add($"Staff:SessionIdleTimeout is {o.SessionIdleTimeout}; use at least 00:01:00 (default 08:00:00).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
