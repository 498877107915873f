using System.Globalization;
using System.Text;

namespace LaporBot.Workflow;

/// <summary>Whether a step's standard counts every hour (calendar) or only working hours and days.</summary>
internal enum TimeBasis { Calendar, Working }

/// <summary>A service standard (mutu baku): "15m", "1d", "5d" in working time. The days part of a working standard counts working days.</summary>
internal sealed record Standard(TimeSpan Duration, TimeBasis Basis)
{
    public override string ToString() => WorkflowFormat.Duration(Duration) + (Basis == TimeBasis.Working ? " (waktu kerja)" : "");
}

/// <summary>What a role can do at a step. <see cref="Target"/> is the step the case moves to (null: it leaves the agency, e.g. answered).</summary>
internal sealed record StepAction(string Kind, string? Target, int Line);

/// <param name="Limit">extend: the longest the step may take in total once extended (Bontang: 14 days for hard cases).</param>
internal sealed record WorkflowStep(
    string Id, string Name, string Role, Standard? Standard, IReadOnlyList<StepAction> Actions, TimeSpan? ExtendLimit, double? RemindShare, int Line)
{
    public StepAction? Action(string kind) => Actions.FirstOrDefault(a => a.Kind == kind);
}

/// <summary>Who is told (and recorded on the timeline) when a case has waited too long.</summary>
/// <param name="From">"submitted" (since the complaint came in) or "overdue" (since the step's deadline passed).</param>
internal sealed record Escalation(TimeSpan After, string From, IReadOnlyList<string> To, string Note, int Line);

/// <summary>One government's complaint procedure (SOP) as data: roles, steps, standards, reminders, escalation.</summary>
internal sealed record WorkflowDefinition(
    string Id,
    string Name,
    string Source,
    IReadOnlyDictionary<string, string> Roles,
    IReadOnlyList<WorkflowStep> Steps,
    string Start,
    string? OversightStart,
    string? ReopenStep,
    double RemindShare,
    Standard? AutoClose,
    IReadOnlyList<Escalation> Escalations,
    string SourcePath)
{
    public WorkflowStep Step(string id) => Steps.First(s => s.Id == id);

    public WorkflowStep? FindStep(string? id) => id is null ? null : Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>Whether the file routes answers through an approval (then no answer reaches a citizen unapproved).</summary>
    public bool RequiresApproval => Steps.Any(s => s.Action("approve") is not null);

    /// <summary>The path a case takes when every step goes forward: start → … → answer (no returns or revisions).</summary>
    public IReadOnlyList<WorkflowStep> MainPath(string? from = null)
    {
        var path = new List<WorkflowStep>();
        var seen = new HashSet<string>();
        for (var step = FindStep(from ?? Start); step is not null && seen.Add(step.Id);)
        {
            path.Add(step);
            var next = step.Actions.FirstOrDefault(a => a.Kind is "assign" or "accept" or "forward" or "draft" or "approve" && a.Target is not null);
            step = next is null ? null : FindStep(next.Target);
        }
        return path;
    }

    /// <summary>The sum of the main path's standards: what the SOP promises from submission to answer.</summary>
    public TimeSpan Total(string? from = null) =>
        MainPath(from).Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.Standard?.Duration ?? TimeSpan.Zero));

    /// <summary>Roles held per agency (everything but the triage desk, which is one for the whole deployment).</summary>
    public IEnumerable<string> UsedRoles => Steps.Select(s => s.Role).Distinct();
}

internal static class WorkflowFormat
{
    /// <summary>"2h15m", "4d8h30m", "60d": the shortest form that says the whole duration.</summary>
    public static string Duration(TimeSpan t)
    {
        if (t == TimeSpan.Zero)
        {
            return "0m";
        }
        var sb = new StringBuilder();
        if (t.Days > 0)
        {
            sb.Append(t.Days.ToString(CultureInfo.InvariantCulture)).Append('d');
        }
        if (t.Hours > 0)
        {
            sb.Append(t.Hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (t.Minutes > 0)
        {
            sb.Append(t.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        return sb.ToString();
    }

    /// <summary>Parses "15m", "1h30m", "3d", "4d8h30m"; null when the text is not such a duration.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var m = System.Text.RegularExpressions.Regex.Match(text.Trim(), @"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$");
        if (!m.Success || m.Length == 0 || (!m.Groups[1].Success && !m.Groups[2].Success && !m.Groups[3].Success))
        {
            return null;
        }
        int G(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        var t = new TimeSpan(G(1), G(2), G(3), 0);
        return t > TimeSpan.Zero ? t : null;
    }
}
