using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Routing;

/// <summary>
/// Routes one complaint: reads it and the agency rules from the database, decides with
/// <see cref="RoutingEngine"/>, and applies the decision in one transaction. Safe to run twice or
/// late: a complaint that is no longer "submitted" is left alone.
/// </summary>
internal sealed class RoutingService(
    IDatabase db, ComplaintWorkflow workflow, OutboxSignal signal, TimeProvider clock, IOptions<RoutingOptions> options,
    ILogger<RoutingService> logger)
{
    public async Task<bool> RouteAsync(long complaintId, CancellationToken ct)
    {
        bool changed;
        await using (var s = await db.BeginAsync(ct))
        {
            var c = await ComplaintStore.FindByIdAsync(s.Connection, complaintId, s.Transaction);
            if (c is null || c.Status != ComplaintStatus.Submitted)
            {
                return false;
            }
            var agencies = await AgencyStore.ActiveAsync(s.Connection, s.Transaction);
            var decision = Decide(c.Text, agencies, options.Value);
            changed = await workflow.RouteAsync(s, c, decision, options.Value.AutoAssign, clock.GetUtcNow());
            await s.CommitAsync(ct);
        }
        if (changed)
        {
            signal.Notify();
            logger.LogInformation("Complaint {ComplaintId} routed", complaintId);
        }
        return changed;
    }

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
