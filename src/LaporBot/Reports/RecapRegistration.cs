using LaporBot.StatusPage;
using System.Security.Claims;
using System.Text.Encodings.Web;
using LaporBot.Complaints;
using LaporBot.Routing;
using LaporBot.Workflow;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Quartz;

namespace LaporBot.Reports;

/// <summary>Authorization policy names shared with the staff login (which issues ClaimTypes.Role, see <see cref="StaffRoles"/>).</summary>
internal static class StaffPolicies
{
    /// <summary>Any staff role: every role may look at reports.</summary>
    public const string Viewer = "StaffViewer";
    public const string ViewerRole = StaffRoles.Viewer;
    public const string OperatorRole = StaffRoles.Operator;
}

/// <summary>On the 1st of each month, 01:00 local: last month's report, and the quarter, semester and year that ended. Idempotent.</summary>
[DisallowConcurrentExecution]
internal sealed class MonthlyRecapJob(StoredRecaps recaps) : IJob
{
    public static readonly JobKey Key = new("monthly-recap", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await recaps.ProducePeriodicAsync(cancellationToken);
}

/// <summary>Each morning at Recaps:DailyTime: the daily issue-identification report, on working days, once.</summary>
[DisallowConcurrentExecution]
internal sealed class DailyReportJob(DailyReport daily) : IJob
{
    public static readonly JobKey Key = new("daily-report", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await daily.SendAsync(cancellationToken);
}

/// <summary>The sign-off's reminders, on the SLA watch's rhythm.</summary>
[DisallowConcurrentExecution]
internal sealed class SignOffReminderJob(SignOff signOff) : IJob
{
    public static readonly JobKey Key = new("signoff-reminders", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await signOff.RemindAsync(cancellationToken);
}

internal static class RecapRegistration
{
    public static WebApplicationBuilder AddRecaps(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecapOptions>().Bind(builder.Configuration.GetSection(RecapOptions.Section));
        services.AddSingleton<RecapService>();
        services.AddSingleton<StoredRecaps>();
        services.AddSingleton<SignOffStandards>();
        services.AddSingleton<SignOff>();
        services.AddSingleton<DailyReport>();

        services.AddAuthentication();
        services.AddAuthorization(o => o.AddPolicy(StaffPolicies.Viewer, p => p
            .RequireAuthenticatedUser()
            .RequireRole(StaffRoles.All)));
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
            var zone = DeploymentZone(builder.Configuration);
            var daily = (builder.Configuration.GetSection(RecapOptions.Section).Get<RecapOptions>() ?? new RecapOptions()).DailyTime;
            services.AddQuartz(q =>
            {
                q.AddJob<MonthlyRecapJob>(j => j.WithIdentity(MonthlyRecapJob.Key).StoreDurably().RequestRecovery());
                q.AddTrigger(t => t.ForJob(MonthlyRecapJob.Key).WithIdentity("monthly-recap", "laporbot")
                    .WithSchedule(CronScheduleBuilder.Create("0 0 1 1 * ?")
                        .InTimeZone(zone)
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
                q.AddJob<DailyReportJob>(j => j.WithIdentity(DailyReportJob.Key).StoreDurably().RequestRecovery());
                q.AddTrigger(t => t.ForJob(DailyReportJob.Key).WithIdentity("daily-report", "laporbot")
                    .WithSchedule(CronScheduleBuilder.Create($"0 {daily.Minutes} {daily.Hours} * * ?")
                        .InTimeZone(zone)
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
                q.AddJob<SignOffReminderJob>(j => j.WithIdentity(SignOffReminderJob.Key).StoreDurably());
                q.AddTrigger(t => t.ForJob(SignOffReminderJob.Key).WithIdentity("signoff-reminders", "laporbot").StartNow()
                    .WithSimpleSchedule(x => x.WithInterval(scheduler.WatchInterval).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            });
        }
        return builder;
    }

    /// <summary>The deployment's wall clock (Calendar:TimeZone), as for the overdue digest; Jakarta when unreadable (the validator reports it).</summary>
    private static TimeZoneInfo DeploymentZone(IConfiguration config)
    {
        var id = (config.GetSection(CalendarOptions.Section).Get<CalendarOptions>() ?? new CalendarOptions()).TimeZone;
        try
        {
            return TrackingNumbers.FindZone(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return TrackingNumbers.FindZone("Asia/Jakarta");
        }
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

    /// <summary>The sign-off levels this user's roles check or sign at.</summary>
    public static IReadOnlyList<string> SignOffLevels(this ClaimsPrincipal user) =>
        user.FindAll(ClaimTypes.Role).Select(c => StaffRoles.SignOffLevel(c.Value)).OfType<string>().Distinct().ToList();
}
