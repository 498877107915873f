using Quartz;

namespace LaporBot.Routing;

/// <summary>
/// Routes a complaint the moment the turn that submitted it has committed: the routing joins the
/// group commit's next batch, so the agency's notification is queued a batch later (milliseconds),
/// not after a round trip through the scheduler's job store. The webhook's answer does not wait for
/// it. A crash between the commit and the routing leaves the complaint "submitted"; the sweep in
/// the clock's round (<see cref="Workflow.SlaWatchJob"/>) routes it then, once
/// (<see cref="RoutingService"/>).
/// </summary>
internal sealed class ImmediateRouting(RoutingService routing, ILogger<ImmediateRouting> logger) : Conversations.IComplaintSubmittedHandler
{
    public Task OnSubmittedAsync(long complaintId, CancellationToken cancellationToken)
    {
        // Not the webhook's token: the routing goes on after the provider has its answer.
        _ = RouteAsync(complaintId);
        return Task.CompletedTask;
    }

    private async Task RouteAsync(long complaintId)
    {
        try
        {
            await routing.RouteAsync(complaintId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Complaint {ComplaintId}: immediate routing failed; the sweep routes it", complaintId);
        }
    }
}

/// <summary>
/// The routing job earlier versions scheduled in Quartz for every submission. None are scheduled now
/// (<see cref="ImmediateRouting"/>); one still stored in the job store of an upgraded installation
/// runs once and routes its complaint like the sweep would (harmless if it was routed meanwhile).
/// </summary>
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
