namespace LaporBot.Workflow;

/// <param name="DueAt">When the step becomes overdue.</param>
/// <param name="RemindAt">When its role holders are reminded (the file's share of the step's time).</param>
/// <param name="Allowed">The standard that applied, or its extended allowance.</param>
internal sealed record Deadline(DateTimeOffset DueAt, DateTimeOffset RemindAt, TimeSpan Allowed);

/// <summary>
/// Turns a workflow step's standard into instants: the deadline, the reminder, the escalations.
/// Calendar standards count every hour; working standards count working days, then working hours,
/// of the deployment's calendar (SOPs say "5 hari kerja", never "40 working hours").
/// </summary>
internal sealed class WorkflowClock(WorkingCalendar calendar)
{
    /// <param name="allowed">The step's standard, or its extended allowance after /perpanjang.</param>
    public Deadline For(WorkflowDefinition w, WorkflowStep step, DateTimeOffset start, TimeSpan? allowed = null)
    {
        var standard = step.Standard ?? throw new InvalidOperationException($"Step {step.Id} has no standard.");
        var span = allowed ?? standard.Duration;
        var due = Due(start, span, standard.Basis);
        var share = step.RemindShare ?? w.RemindShare;
        var remind = standard.Basis == TimeBasis.Working && calendar.Enabled
            ? calendar.Add(start, calendar.WorkingTimeBetween(start, due) * share)
            : start + (due - start) * share;
        return new Deadline(due, remind, span);
    }

    public DateTimeOffset Due(DateTimeOffset start, TimeSpan span, TimeBasis basis)
    {
        if (basis == TimeBasis.Calendar || !calendar.Enabled)
        {
            return start + span;
        }
        var from = calendar.NextWorkingMoment(start);
        return calendar.Add(calendar.AddWorkingDays(from, span.Days), span - TimeSpan.FromDays(span.Days));
    }

    /// <summary>When an escalation fires for a case submitted at <paramref name="submitted"/> whose current step is due at <paramref name="stepDue"/>.</summary>
    public static DateTimeOffset EscalateAt(Escalation e, DateTimeOffset submitted, DateTimeOffset stepDue) =>
        (e.From == "submitted" ? submitted : stepDue) + e.After;

    /// <summary>An extension is allowed when the step offers one and the new total stays within its limit.</summary>
    public static bool CanExtend(WorkflowStep step, TimeSpan currentAllowed, TimeSpan more, out TimeSpan extended)
    {
        extended = currentAllowed + more;
        return step.ExtendLimit is { } limit && more > TimeSpan.Zero && extended <= limit;
    }

    /// <summary>When an answered case closes by itself if the citizen does not reply (null: the file leaves it to Sla:AutoCloseAfter).</summary>
    public DateTimeOffset? AutoCloseAt(WorkflowDefinition w, DateTimeOffset answeredAt) =>
        w.AutoClose is { } a ? Due(answeredAt, a.Duration, a.Basis) : null;
}
