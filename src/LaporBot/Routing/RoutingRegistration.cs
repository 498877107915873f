using LaporBot.Conversations;
using LaporBot.Workflow;

namespace LaporBot.Routing;

internal static class RoutingRegistration
{
    /// <summary>
    /// Rule-based routing of submitted complaints: right after the submitting turn's commit, and by the
    /// sweep in the workflow scheduler's round. With Scheduler:Enabled=false (tests that drive the clock
    /// themselves) nothing routes on its own.
    /// </summary>
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
            services.AddSingleton<IComplaintSubmittedHandler, ImmediateRouting>();
        }
        return builder;
    }
}
