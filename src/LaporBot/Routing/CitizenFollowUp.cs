using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Routing;

/// <summary>
/// The citizen's earlier cases as the dialog sees them, and the workflow moves the dialog asks for
/// when the citizen chose them (rating, satisfied, not satisfied → reopened, a comment to the
/// agency, a returned case completed). What a message means is decided in dialogs/lapor.yaml and
/// the dialog engine, never here.
/// </summary>
internal sealed class CitizenFollowUp(ComplaintWorkflow workflow, IOptions<RoutingOptions> options) : ICaseFollowUp
{
    public async Task<IReadOnlyList<CaseFacts>> CasesAsync(DbSession s, ReporterRow reporter, DateTimeOffset now)
    {
        var since = now - options.Value.ReplyWindow;
        var rows = await ComplaintStore.FollowUpCandidatesAsync(s, reporter.Id, since);
        var facts = new List<CaseFacts>();
        foreach (var c in rows)
        {
            var agencyName = c.AgencyCode is null ? null :
                await s.Connection.ExecuteScalarAsync<string?>("SELECT name FROM agencies WHERE code = @code", new { code = c.AgencyCode }, s.Transaction) ?? c.AgencyCode;
            var answered = c.AnsweredAt is { } at && DateTimeOffset.FromUnixTimeMilliseconds(at) >= since && c.Answer is not null;
            facts.Add(new CaseFacts(
                c.TrackingNumber,
                c.Status,
                agencyName,
                AwaitingVerdict: answered && c.Status == ComplaintStatus.Answered,
                // Closed by "puas" still takes its rating; closed by staff or the clock does not.
                Rateable: answered && c.Rating is null && (c.Status == ComplaintStatus.Answered || c.Satisfied == true),
                ReturnReason: c.ReturnReason,
                Fields: c.Status == ComplaintStatus.Returned
                    ? new Dictionary<string, string> { ["name"] = c.Name, ["address"] = c.Address, ["location"] = c.ProblemLocation, ["text"] = c.Text }
                    : null,
                Location: c.Latitude is { } lat && c.Longitude is { } lon ? new GeoPoint(lat, lon, c.LocationLabel) : null,
                Confidential: c.Confidential));
        }
        return facts;
    }

    public async Task<long?> PerformAsync(DbSession s, ReporterRow reporter, CaseAction action, DateTimeOffset now)
    {
        var c = await ComplaintStore.FindForReporterAsync(s, reporter.Id, action.TrackingNumber);
        if (c is null)
        {
            return null; // not theirs (the dialog only offers their own, so this is a stale state)
        }
        switch (action)
        {
            case RateCase r:
                await workflow.RateAsync(s, c, r.Rating, now);
                break;
            case CaseSatisfied:
                await workflow.SatisfiedAsync(s, c, now);
                break;
            case ReopenCase r:
                await workflow.ReopenAsync(s, c, r.Reason, now);
                break;
            case ForwardComment f:
                await workflow.ForwardCommentAsync(s, c, f.Text, now);
                break;
            case ResubmitReturned r:
                await workflow.CitizenCompletedAsync(s, c, r.Draft, now);
                break;
        }
        return c.Id;
    }
}
