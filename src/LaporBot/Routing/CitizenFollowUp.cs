using System.Text.RegularExpressions;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Routing;

/// <summary>
/// A citizen's message between complaints that is about an earlier one: the completion of a
/// complaint returned to them, or — within the reply window after an answer — a rating 1–5,
/// "puas", "tidak puas …" (reopens the case) or any other comment (forwarded to the agency).
/// </summary>
internal sealed partial class CitizenFollowUp(ComplaintWorkflow workflow, DialogCatalog dialogs, IOptions<RoutingOptions> options) : ITurnInterceptor
{
    [GeneratedRegex(@"(?<![\d])([1-5])(?![\d])")]
    private static partial Regex RatingDigit();

    public async Task<InterceptedReply?> TryHandleAsync(DbSession s, ReporterRow reporter, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var c = await s.Connection.QuerySingleOrDefaultAsync<ComplaintRow>(
            $"""
            SELECT {ComplaintStore.Columns} FROM complaints
            WHERE reporter_id = @reporterId AND status IN ('returned', 'answered')
            ORDER BY updated_at DESC, id DESC LIMIT 1
            """,
            new { reporterId = reporter.Id }, s.Transaction);
        if (c is null)
        {
            return null;
        }
        var d = dialogs.Main;
        var lang = reporter.Language;
        var agencyName = c.AgencyCode is null ? "" :
            await s.Connection.ExecuteScalarAsync<string?>("SELECT name FROM agencies WHERE code = @code", new { code = c.AgencyCode }, s.Transaction) ?? c.AgencyCode;
        string Say(string key, params (string, string)[] args)
        {
            var all = new Dictionary<string, string> { ["tracking_number"] = c.TrackingNumber, ["agency_name"] = agencyName };
            foreach (var (k, v) in args)
            {
                all[k] = v;
            }
            return d.Render(key, lang, all);
        }

        if (c.Status == ComplaintStatus.Returned)
        {
            await workflow.CitizenCompletedAsync(s, c, text, now);
            return new(Say("completion_received"), c.Id);
        }

        if (c.AnsweredAt is not { } answeredAt || now > DateTimeOffset.FromUnixTimeMilliseconds(answeredAt) + options.Value.ReplyWindow)
        {
            return null;
        }
        var lower = text.Trim().ToLowerInvariant();
        var replies = new List<string>();
        // A short message with a digit 1–5 is a rating ("5", "nilai 4", "4 puas").
        var rating = RatingDigit().Match(lower) is { Success: true } m && lower.Length <= 40 ? int.Parse(m.Groups[1].Value) : (int?)null;
        if (rating is { } r)
        {
            await workflow.RateAsync(s, c, r, now);
            replies.Add(Say("rating_thanks", ("rating", r.ToString())));
        }
        if (ContainsAny(lower, d, "unsatisfied"))
        {
            await workflow.ReopenAsync(s, c, text.Trim(), now);
            replies.Add(Say("reopened_notice"));
            return new(string.Join("\n\n", replies), c.Id);
        }
        if (StartsWithAny(lower, d, "satisfied") || (rating is not null && ContainsAny(lower, d, "satisfied")))
        {
            await workflow.SatisfiedAsync(s, c, now);
            replies.Add(Say("satisfied_thanks"));
        }
        if (replies.Count > 0)
        {
            return new(string.Join("\n\n", replies), c.Id);
        }
        await workflow.ForwardCommentAsync(s, c, text.Trim(), now);
        return new(Say("comment_forwarded"), c.Id);
    }

    private static bool StartsWithAny(string lower, DialogDefinition d, string answer) =>
        d.Answers.TryGetValue(answer, out var byLang)
        && byLang.Values.SelectMany(w => w).Any(w => lower == w || lower.StartsWith(w + " ", StringComparison.Ordinal)
            || lower.StartsWith(w + ",", StringComparison.Ordinal) || lower.StartsWith(w + ".", StringComparison.Ordinal)
            || lower.StartsWith(w + "!", StringComparison.Ordinal));

    private static bool ContainsAny(string lower, DialogDefinition d, string answer) =>
        d.Answers.TryGetValue(answer, out var byLang)
        && byLang.Values.SelectMany(w => w).Any(w => Regex.IsMatch(lower, $@"(^|\W){Regex.Escape(w)}(\W|$)"));
}
