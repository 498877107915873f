namespace LaporBot.Workflow;

/// <summary>
/// What the clock does outside the workflow file's steps. Every step's standard, reminder and
/// escalation comes from the file (workflows/*.yaml); these cover the citizen's side and the digest.
/// </summary>
internal sealed class SlaOptions
{
    public const string Section = "Sla";

    /// <summary>
    /// The keys that set the old fixed three-step standards. They now live in the workflow file, so
    /// start-up refuses them rather than silently ignoring a deployment's standards.
    /// </summary>
    public static readonly IReadOnlyList<string> MovedToWorkflow = ["Assign", "Accept", "Answer", "Total", "OversightAnswer", "ReminderShare", "UseWorkingTime"];

    /// <summary>An answered complaint without a reply from the citizen closes after this, when the workflow file sets no auto_close.</summary>
    public TimeSpan AutoCloseAfter { get; set; } = TimeSpan.FromDays(10);

    /// <summary>Count AutoCloseAfter in working days (LAPOR!: 10 working days); it must then be whole days.</summary>
    public bool AutoCloseInWorkingDays { get; set; } = true;

    /// <summary>
    /// How long a citizen has to complete a complaint the triage desk returned to them; reminded at
    /// half of it, closed (with a message and a timeline event) when it runs out.
    /// </summary>
    public TimeSpan ReturnedWithin { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Local time of day at which the overdue digest goes to the triage desk.</summary>
    public TimeSpan DigestTime { get; set; } = new(8, 0, 0);
}
