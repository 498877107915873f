using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Routing;
using Microsoft.Extensions.Options;
using Quartz;

namespace LaporBot.Workflow;

internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Run Quartz (off only in tests that drive the jobs' work directly).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the SLA round runs (reminders, breaches, auto-close, missed routing).</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(30);
}

internal static class WorkflowRegistration
{
    /// <summary>The case lifecycle: the agency directory, service standards, the calendar, the SLA watch and the scheduler that runs the jobs.</summary>
    public static WebApplicationBuilder AddWorkflow(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<TriageOptions>().Bind(config.GetSection(TriageOptions.Section));
        services.AddOptions<List<AgencyConfig>>().Bind(config.GetSection("Agencies"));
        services.AddOptions<SlaOptions>().Bind(config.GetSection(SlaOptions.Section)).ValidateOnStart();
        services.AddOptions<CalendarOptions>().Bind(config.GetSection(CalendarOptions.Section)).ValidateOnStart();
        services.AddOptions<SchedulerOptions>().Bind(config.GetSection(SchedulerOptions.Section));
        services.AddSingleton<IValidateOptions<SlaOptions>>(sp => new SlaOptionsValidator(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IValidateOptions<CalendarOptions>, CalendarOptionsValidator>();
        services.AddSingleton<IValidateOptions<List<AgencyConfig>>, AgencyConfigValidator>();
        services.AddOptions<WorkflowOptions>().Bind(config.GetSection(WorkflowOptions.Section));
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton(sp => new WorkingCalendar(sp.GetRequiredService<IOptions<CalendarOptions>>().Value));
        services.AddSingleton<WorkflowClock>();
        services.AddSingleton<ComplaintWorkflow>();
        services.AddSingleton<CaseActions>();
        services.AddSingleton<SlaWatch>();
        services.AddHostedService<AgencySeeder>();

        var scheduler = config.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (!scheduler.Enabled)
        {
            return builder;
        }
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "LaporBot";
                // Unique per process (host:pid:random): clustered Quartz tells instances apart by it
                // ("AUTO" is taken literally by this configuration path).
                o.InstanceId = Leases.Me;
            });
            // Quartz is the clock that wakes jobs; business time comes from the app's TimeProvider inside them.
            // On the default (unnamed) scheduler this registers the container's TimeProvider, i.e. the same
            // one the app uses: whoever replaces TimeProvider (a test's manual clock) moves Quartz's clock too.
            q.UseTimeProvider(TimeProvider.System);
            q.UsePersistentStore(store =>
            {
                store.UseLaporDatabase(builder.Configuration, builder.Environment.ContentRootPath);
                store.UseSerializer<Quartz.Impl.SystemTextJsonObjectSerializer>();
            });
            q.AddJob<SlaWatchJob>(j => j.WithIdentity(SlaWatchJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(t => t.ForJob(SlaWatchJob.Key).WithIdentity("sla-watch", "laporbot").StartNow()
                .WithSimpleSchedule(x => x.WithInterval(scheduler.WatchInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            var sla = config.GetSection(SlaOptions.Section).Get<SlaOptions>() ?? new SlaOptions();
            q.AddJob<OverdueDigestJob>(j => j.WithIdentity(OverdueDigestJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(t => t.ForJob(OverdueDigestJob.Key).WithIdentity("overdue-digest", "laporbot")
                .WithSchedule(CronScheduleBuilder.Create($"0 {sla.DigestTime.Minutes} {sla.DigestTime.Hours} * * ?")
                    .InTimeZone(LocalZone.FromConfiguration(config).Zone)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}

/// <summary>
/// Upserts the configured agencies and staff after migrations, before the scheduler starts. The
/// directory warnings wait until every hosted service has started, so members added at start-up by
/// others (the Development demo's simulator staff and status-page accounts) count.
/// </summary>
internal sealed class AgencySeeder(IDatabase db, IOptions<List<AgencyConfig>> agencies, IOptions<TriageOptions> triage, WorkflowCatalog workflows,
    TimeProvider clock, ILogger<AgencySeeder> logger) : IHostedLifecycleService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the catalog loads and validates the workflow files: a broken one stops start-up here with its file:line.
        logger.LogInformation("Workflow {Workflow} ({Name}) from {File}", workflows.Default.Id, workflows.Default.Name, workflows.Default.SourcePath);
        await using (var s = await db.BeginAsync(cancellationToken))
        {
            await AgencyStore.SeedAsync(s, agencies.Value, triage.Value, clock.GetUtcNow());
            var moved = await WorkflowUpgrade.MoveLegacyStepsAsync(s, workflows);
            await s.CommitAsync(cancellationToken);
            if (moved > 0)
            {
                logger.LogInformation("Workflow: {Count} open cases from before the workflow files moved to their steps in the file", moved);
            }
        }
        logger.LogInformation("Agency directory: {Agencies} agencies, {Triage} triage admins from configuration", agencies.Value.Count, triage.Value.AdminTelegramIds.Count);
    }

    public async Task StartedAsync(CancellationToken cancellationToken) => await WarnAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nobody is forgotten: agencies without members, no inspectorate, a workflow role nobody holds.</summary>
    public async Task<IReadOnlyList<string>> WarnAsync(CancellationToken cancellationToken)
    {
        var warnings = await DirectoryWarnings.CheckAsync(db, workflows, cancellationToken);
        foreach (var w in warnings)
        {
            logger.LogWarning("Directory: {Warning}", w);
        }
        return warnings;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class AgencyConfigValidator : IValidateOptions<List<AgencyConfig>>
{
    public ValidateOptionsResult Validate(string? name, List<AgencyConfig> agencies)
    {
        var errors = new List<string>();
        for (var i = 0; i < agencies.Count; i++)
        {
            var a = agencies[i];
            if (!System.Text.RegularExpressions.Regex.IsMatch(a.Code ?? "", "^[A-Za-z0-9_-]{2,20}$"))
            {
                errors.Add($"Agencies:{i}:Code is '{a.Code}'; use 2–20 letters, digits, '-' or '_' (e.g. DPUPR). Staff type it in /disposisi.");
            }
            if (a.AcceptWithin is not null || a.AnswerWithin is not null)
            {
                errors.Add($"Agencies:{i}:AcceptWithin/AnswerWithin are no longer read: an agency with its own standards gets its own workflow file " +
                    $"(Agencies:{i}:Workflow, e.g. a copy of workflows/cilacap.yaml with its times; see workflows/README.md).");
            }
            if (string.IsNullOrWhiteSpace(a.Name))
            {
                errors.Add($"Agencies:{i}:Name is empty; give the agency's name as citizens know it (e.g. Dinas Pekerjaan Umum dan Penataan Ruang).");
            }
        }
        foreach (var dup in agencies.GroupBy(a => a.Code?.Trim().ToUpperInvariant()).Where(g => g.Count() > 1))
        {
            errors.Add($"Agencies: the code '{dup.Key}' is used {dup.Count()} times; each agency needs its own code.");
        }
        for (var i = 0; i < agencies.Count; i++)
        {
            for (var m = 0; m < agencies[i].Members.Count; m++)
            {
                var member = agencies[i].Members[m];
                if (member.TelegramId <= 0)
                {
                    errors.Add($"Agencies:{i}:Members:{m}:TelegramId is missing; give the member's numeric Telegram user id.");
                }
                if (!StaffRole.AgencyRoles.Contains(member.Role?.Trim().ToLowerInvariant()) || member.Role == StaffRole.Agency)
                {
                    errors.Add($"Agencies:{i}:Members:{m}:Role is '{member.Role}'; use one of admin, penghubung, kepala, pelaksana, inspektorat.");
                }
            }
        }
        if (agencies.Count(a => a.IsInspectorate) > 1)
        {
            errors.Add("Agencies: more than one agency has IsInspectorate=true; mark only the inspectorate (APIP).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
