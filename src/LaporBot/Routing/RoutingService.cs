using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Routing;

/// <summary>
/// Routes one complaint: reads it and the agency rules, decides with <see cref="RoutingEngine"/>,
/// and applies the decision, as one unit of the instance's group commit (<see cref="GroupCommit"/>):
/// the single writer that also stores the webhook turns, so routing never waits for the write lock
/// behind it. Runs right after the submitting turn's commit (<see cref="ImmediateRouting"/>) and
/// from the sweep (a crash between that commit and the routing). Exactly once: the status check and
/// the change happen in one transaction under the write lock, so a complaint that is no longer
/// "submitted" is left alone, whoever comes second.
/// </summary>
internal sealed class RoutingService(
    IDatabase db, GroupCommit writes, ComplaintWorkflow workflow, OutboxSignal signal, TimeProvider clock, IOptions<RoutingOptions> options,
    ILogger<RoutingService> logger)
{
    public async Task<bool> RouteAsync(long complaintId, CancellationToken ct)
    {
        var changed = await writes.RunAsync(w => RouteInAsync(w.Session, complaintId), ct);
        if (changed)
        {
            signal.Notify();
            logger.LogInformation("Complaint {ComplaintId} routed", complaintId);
        }
        return changed;
    }

    private async Task<bool> RouteInAsync(DbSession s, long complaintId)
    {
        if (!await ClaimAsync(s, complaintId, clock.GetUtcNow()))
        {
            return false; // routed already (by the sweep, an old job, this very path) or taken by staff
        }
        var c = await ComplaintStore.FindByIdAsync(s.Connection, complaintId, s.Transaction);
        if (c is null || c.Status != ComplaintStatus.Submitted)
        {
            return false;
        }
        var agencies = await AgencyStore.ActiveAsync(s.Connection, s.Transaction);
        var decision = Decide(c.Text, agencies, options.Value);
        return await workflow.RouteAsync(s, c, decision, options.Value.AutoAssign, clock.GetUtcNow());
    }

    /// <summary>
    /// Takes the complaint for routing: true for exactly one caller over the complaint's life (the
    /// guarded UPDATE is atomic on its own on both databases), false when it was routed before or is no
    /// longer "submitted". Inside the routing's transaction, so a routing that fails gives it back.
    /// </summary>
    internal static async Task<bool> ClaimAsync(DbSession s, long complaintId, DateTimeOffset now) =>
        await s.Connection.ExecuteAsync(
            "UPDATE complaints SET routed_at = @now WHERE id = @id AND routed_at IS NULL AND status = 'submitted'",
            new { id = complaintId, now = now.ToUnixTimeMilliseconds() }, s.Transaction) == 1;

    public static RoutingDecision Decide(string text, IReadOnlyList<AgencyRow> agencies, RoutingOptions options)
    {
        var rules = agencies.Where(a => !a.IsInspectorate || a.KeywordList.Count > 0)
            .Select(a => new AgencyRule(a.Code, a.Name, a.KeywordList, a.CategoryList)).ToList();
        var inspectorate = agencies.FirstOrDefault(a => a.IsInspectorate)?.Code ?? OversightRules.DefaultInspectorateCode;
        var oversight = (OversightRules.Default with { InspectorateCode = inspectorate }).Extend(options.OversightKeywords, null);
        return RoutingEngine.Decide(text, rules, oversight);
    }

    /// <summary>Complaints still "submitted" a while after submission: their immediate routing job was lost (e.g. a crash).</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var before = (clock.GetUtcNow() - options.Value.SweepAfter).ToUnixTimeMilliseconds();
        List<long> ids;
        await using (var c = await db.OpenAsync(ct))
        {
            ids = (await c.QueryAsync<long>("SELECT id FROM complaints WHERE status = 'submitted' AND created_at <= @before ORDER BY id LIMIT 100",
                new { before })).AsList();
        }
        var n = 0;
        foreach (var id in ids)
        {
            if (await RouteAsync(id, ct))
            {
                n++;
            }
        }
        return n;
    }
}
