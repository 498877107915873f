namespace LaporBot.Workflow;

/// <summary>
/// Service standards (mutu baku). Defaults follow the Cilacap SOP; LAPOR!-style deployments set
/// e.g. Answer to 5.00:00:00 with UseWorkingTime.
/// </summary>
internal sealed class SlaOptions
{
    public const string Section = "Sla";

    /// <summary>Submission → assigned to an agency (disposition).</summary>
    public TimeSpan Assign { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Assigned → the agency accepts it (or sends it back).</summary>
    public TimeSpan Accept { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Accepted → answered.</summary>
    public TimeSpan Answer { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Submission → answered.</summary>
    public TimeSpan Total { get; set; } = new(2, 15, 0);

    /// <summary>Answer and Total for complaints berkadar pengawasan, routed to the inspectorate.</summary>
    public TimeSpan OversightAnswer { get; set; } = TimeSpan.FromDays(60);

    /// <summary>Share of a step's time after which the agency is reminded; between 0 and 1.</summary>
    public double ReminderShare { get; set; } = 0.5;

    /// <summary>
    /// When true, deadlines skip nights, weekends and holidays of the working calendar; the days
    /// part of a duration then counts working days ("5 hari kerja"), the rest working hours.
    /// </summary>
    public bool UseWorkingTime { get; set; }

    /// <summary>An answered complaint without a reply from the citizen closes after this.</summary>
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

/// <summary>Per-agency service standards; null keeps the deployment's value.</summary>
internal sealed record AgencySla(TimeSpan? Accept = null, TimeSpan? Answer = null);
