using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;

namespace LaporBot.Workflow;

/// <summary>
/// Open cases stored before the workflow files carry the old fixed steps ('assign' | 'accept' |
/// 'answer'); migration 0010 cannot know the deployment's file, so start-up moves each to its step
/// in the file (<see cref="ComplaintWorkflow.LegacyStep"/>), keeping the deadline already running.
/// Idempotent: a case already at a step of its file is left alone.
/// </summary>
internal static class WorkflowUpgrade
{
    public static async Task<int> MoveLegacyStepsAsync(DbSession s, WorkflowCatalog workflows)
    {
        var rows = (await s.Connection.QueryAsync<(long Id, string Status, string? AgencyCode, long Oversight, string Step)>(
            $"SELECT id, status, agency_code, oversight, step FROM complaints WHERE step IN ('assign', 'accept', 'answer') AND {s.Dialect.InList("status", "@statuses")}",
            new { statuses = ComplaintWorkflow.AtStep }, s.Transaction)).AsList();
        foreach (var r in rows)
        {
            var w = workflows.For(r.AgencyCode);
            if (w.FindStep(r.Step) is not null)
            {
                continue; // a file that happens to name a step 'answer'
            }
            var step = ComplaintWorkflow.LegacyStep(w, r.Status, r.Oversight != 0);
            await s.Connection.ExecuteAsync("UPDATE complaints SET step = @step WHERE id = @id", new { step = step.Id, id = r.Id }, s.Transaction);
        }
        return rows.Count;
    }
}
