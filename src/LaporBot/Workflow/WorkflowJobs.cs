using Quartz;

using LaporBot.Routing;

namespace LaporBot.Workflow;

/// <summary>The clock's round: route anything the immediate job missed, then reminders, breaches and auto-close.</summary>
[DisallowConcurrentExecution]
internal sealed class SlaWatchJob(RoutingService routing, SlaWatch watch) : IJob
{
    public static readonly JobKey Key = new("sla-watch", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await routing.SweepAsync(cancellationToken);
        await watch.RunOnceAsync(cancellationToken);
    }
}

/// <summary>The daily digest of overdue cases for the triage desk.</summary>
[DisallowConcurrentExecution]
internal sealed class OverdueDigestJob(SlaWatch watch) : IJob
{
    public static readonly JobKey Key = new("overdue-digest", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await watch.SendDigestAsync(cancellationToken);
}
