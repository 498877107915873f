using System.Security.Claims;
using System.Text.Encodings.Web;
using LaporBot.Complaints;
using LaporBot.Routing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Quartz;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Recaps;

/// <summary>Authorization policy names shared with the staff login (which issues ClaimTypes.Role = viewer | operator).</summary>
internal static class StaffPolicies
{
    public const string Viewer = "StaffViewer";
    public const string ViewerRole = "viewer";
    public const string OperatorRole = "operator";
}

/// <summary>On the 1st of each month, 01:00 WIB: last month's recap in every format. Idempotent.</summary>
[DisallowConcurrentExecution]
internal sealed class MonthlyRecapJob(StoredRecaps recaps) : IJob
{
    public static readonly JobKey Key = new("monthly-recap", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await recaps.ProduceLastMonthAsync(cancellationToken);
}

internal static class RecapRegistration
{
    public static WebApplicationBuilder AddRecaps(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecapOptions>().Bind(builder.Configuration.GetSection(RecapOptions.Section));
        services.AddSingleton<RecapService>();
        services.AddSingleton<StoredRecaps>();

        services.AddAuthentication();
        services.AddAuthorization(o => o.AddPolicy(StaffPolicies.Viewer, p => p
            .RequireAuthenticatedUser()
            .RequireRole(StaffPolicies.ViewerRole, StaffPolicies.OperatorRole)));
        // Until a staff login scheme is registered (cookie login, or a test handler), staff pages answer
        // 401 instead of failing with "no DefaultChallengeScheme".
        services.PostConfigure<AuthenticationOptions>(o =>
        {
            if (o.DefaultScheme is null && o.DefaultChallengeScheme is null && o.DefaultAuthenticateScheme is null)
            {
                o.AddScheme<NoLoginHandler>(NoLoginHandler.Name, null);
                o.DefaultScheme = NoLoginHandler.Name;
            }
        });

        var scheduler = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (scheduler.Enabled)
        {
            // AddQuartz is additive: this adds one job to the scheduler RoutingRegistration configures.
            // A server down at 01:00 on the 1st makes the recap when it is back (fire and proceed).
            services.AddQuartz(q =>
            {
                q.AddJob<MonthlyRecapJob>(j => j.WithIdentity(MonthlyRecapJob.Key).StoreDurably().RequestRecovery());
                q.AddTrigger(t => t.ForJob(MonthlyRecapJob.Key).WithIdentity("monthly-recap", "laporbot")
                    .WithSchedule(CronScheduleBuilder.Create("0 0 1 1 * ?")
                        .InTimeZone(TrackingNumbers.FindZone("Asia/Jakarta"))
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            });
        }
        return builder;
    }
}

/// <summary>Authenticates nobody; stands in while no staff login is configured.</summary>
internal sealed class NoLoginHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "NoStaffLogin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
}

internal static class StaffUser
{
    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(StaffPolicies.OperatorRole);
}
