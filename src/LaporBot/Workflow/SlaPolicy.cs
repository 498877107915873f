namespace LaporBot.Workflow;

internal enum SlaStep
{
    Assign,
    Accept,
    Answer,
    Total,
}

/// <param name="DueAt">When the step becomes overdue.</param>
/// <param name="RemindAt">When the agency is reminded (the configured share of the step's time).</param>
/// <param name="Allowed">The service standard that applied, after overrides.</param>
internal sealed record Deadline(DateTimeOffset DueAt, DateTimeOffset RemindAt, TimeSpan Allowed);

/// <summary>
/// Turns the service standards into instants. With <see cref="SlaOptions.UseWorkingTime"/> the
/// days part of a duration counts working days and the rest working hours, because SOPs say
/// "5 hari kerja" or "60 hari", never "120 working hours".
/// </summary>
internal sealed class SlaPolicy(SlaOptions options, WorkingCalendar calendar)
{
    public WorkingCalendar Calendar => calendar;

    public SlaOptions Options => options;

    public Deadline For(SlaStep step, DateTimeOffset stepStart, AgencySla? overrides, bool oversight)
    {
        var allowed = Allowed(step, overrides, oversight);
        var due = Due(stepStart, allowed);
        return new Deadline(due, RemindAt(stepStart, due), allowed);
    }

    public DateTimeOffset AutoCloseAt(DateTimeOffset answeredAt) =>
        options.AutoCloseInWorkingDays
            ? calendar.AddWorkingDays(answeredAt, options.AutoCloseAfter.Days) + (options.AutoCloseAfter - TimeSpan.FromDays(options.AutoCloseAfter.Days))
            : answeredAt + options.AutoCloseAfter;

    /// <summary>
    /// The first local <see cref="SlaOptions.DigestTime"/> strictly after <paramref name="now"/>,
    /// so a digest sent at 08:00 schedules the next one for another day.
    /// </summary>
    public DateTimeOffset NextDigestAt(DateTimeOffset now)
    {
        var (day, _) = calendar.Local(now);
        var next = calendar.At(day, options.DigestTime);
        if (next <= now)
        {
            day = day.AddDays(1);
        }
        // Terminates: the calendar validator insists on at least one working weekday and the holidays are finite.
        while (!calendar.IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }
        return calendar.At(day, options.DigestTime);
    }

    /// <summary>Done no later than the deadline <paramref name="allowed"/> gives from <paramref name="start"/>.</summary>
    public bool IsOnTime(DateTimeOffset start, DateTimeOffset done, TimeSpan allowed) => done <= Due(start, allowed);

    private TimeSpan Allowed(SlaStep step, AgencySla? overrides, bool oversight)
    {
        var accept = Positive(overrides?.Accept, "Accept") ?? options.Accept;
        // Oversight cases follow the 60-day rule for the kind of case, whatever the agency's own standard.
        var answer = oversight ? options.OversightAnswer : Positive(overrides?.Answer, "Answer") ?? options.Answer;
        return step switch
        {
            SlaStep.Assign => options.Assign,
            SlaStep.Accept => accept,
            SlaStep.Answer => answer,
            SlaStep.Total when oversight => options.OversightAnswer,
            // An agency allowed longer than the deployment's total must not be late on the total
            // while on time on every step, so the total stretches to cover the steps.
            SlaStep.Total => Max(options.Total, options.Assign + accept + answer),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
        };
    }

    private DateTimeOffset Due(DateTimeOffset start, TimeSpan allowed)
    {
        if (!options.UseWorkingTime)
        {
            return start + allowed;
        }
        var from = calendar.NextWorkingMoment(start);
        var days = allowed.Days;
        return calendar.Add(calendar.AddWorkingDays(from, days), allowed - TimeSpan.FromDays(days));
    }

    private DateTimeOffset RemindAt(DateTimeOffset start, DateTimeOffset due)
    {
        if (!options.UseWorkingTime)
        {
            return start + (due - start) * options.ReminderShare;
        }
        // Share of the working time actually available, so a reminder never lands in a weekend.
        return calendar.Add(start, calendar.WorkingTimeBetween(start, due) * options.ReminderShare);
    }

    private static TimeSpan? Positive(TimeSpan? value, string name) =>
        value is { } v && v <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(name, v, $"An agency's {name} override must be positive.")
            : value;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
