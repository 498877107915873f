using Quartz;

namespace LaporBot.Routing;

/// <summary>Routes one complaint right after it is submitted. Recovered after a crash; harmless if run twice.</summary>
internal sealed class RouteComplaintJob(RoutingService routing) : IJob
{
    public const string ComplaintIdKey = "complaintId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (long.TryParse(context.MergedJobDataMap.GetString(ComplaintIdKey), out var id))
        {
            await routing.RouteAsync(id, cancellationToken);
        }
    }
}

/// <summary>Schedules the routing job the moment a complaint is committed (not at the next polling round).</summary>
internal sealed class RoutingScheduler(ISchedulerFactory schedulers, ILogger<RoutingScheduler> logger) : Conversations.IComplaintSubmittedHandler
{
    public async Task OnSubmittedAsync(long complaintId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new JobKey($"route-{complaintId}", "routing");
        var job = JobBuilder.Create<RouteComplaintJob>()
            .WithIdentity(key)
            .UsingJobData(RouteComplaintJob.ComplaintIdKey, complaintId.ToString())
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"route-{complaintId}", "routing").ForJob(key).StartNow().Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, default, cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            logger.LogInformation("Routing job for complaint {ComplaintId} already scheduled", complaintId);
        }
    }
}
