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
        services.AddHostedService<PrivacyTextsCheck>();
        if (builder.Configuration.GetValue("Scheduler:Enabled", true))
        {
            // AddQuartz is additive: one more job on the scheduler the workflow configures.
            services.AddQuartz(q => AddRetentionJob(q, builder.Configuration));
        }

        return builder;
    }

    /// <summary>The retention round, on the one Quartz store every job uses.</summary>
    private static void AddRetentionJob(IQuartzBuilder q, IConfiguration config)
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

/// <summary>Loads dialogs/privacy/privasi.yaml at start-up, so a broken file stops the service instead of a citizen's turn.</summary>
internal sealed class PrivacyTextsCheck(PrivacyDesk desk, ILogger<PrivacyTextsCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Privacy texts loaded in {Languages}", string.Join(", ", desk.Texts.Languages));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
