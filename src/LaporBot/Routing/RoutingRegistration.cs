using LaporBot.Conversations;
using LaporBot.Workflow;

namespace LaporBot.Routing;

internal static class RoutingRegistration
{
    /// <summary>Rule-based routing of submitted complaints (the scheduler that runs its jobs is the workflow's).</summary>
    public static WebApplicationBuilder AddRouting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<RoutingOptions>().Bind(config.GetSection(RoutingOptions.Section)).ValidateOnStart();
        services.AddSingleton<RoutingService>();
        services.AddSingleton<ICaseFollowUp, CitizenFollowUp>();
        var scheduler = config.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (scheduler.Enabled)
        {
            services.AddSingleton<IComplaintSubmittedHandler, RoutingScheduler>();
        }
        return builder;
    }
}
