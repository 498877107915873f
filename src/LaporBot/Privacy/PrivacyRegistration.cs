using Microsoft.Extensions.Options;
using Quartz;

namespace LaporBot.Privacy;

internal static class PrivacyRegistration
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PrivacyOptions>().Bind(builder.Configuration.GetSection(PrivacyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<PrivacyDesk>();

        return builder;
    }

    /// <summary>The retention round, on the scheduler that routing configures (one Quartz store for every job).</summary>
    public static void AddRetentionJob(IQuartzBuilder q, IConfiguration config)
    {
        var retention = (config.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new PrivacyOptions()).Retention;
        if (!retention.Enabled)
        {
            return;
        }
        q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably().RequestRecovery());
        q.AddTrigger(t => t.ForJob(RetentionJob.Key).WithIdentity("retention", "laporbot")
            .StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
            .WithSimpleSchedule(x => x.WithInterval(retention.Interval).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }
}
