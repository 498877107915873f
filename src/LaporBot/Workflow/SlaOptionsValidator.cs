using Microsoft.Extensions.Options;

namespace LaporBot.Workflow;

/// <summary>Start-up checks for <see cref="SlaOptions"/>; each message names the key and how to fix it.</summary>
internal sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions o)
    {
        var errors = new List<string?>
        {
            DurationProblem("Sla:Assign", o.Assign),
            DurationProblem("Sla:Accept", o.Accept),
            DurationProblem("Sla:Answer", o.Answer),
            DurationProblem("Sla:Total", o.Total),
            DurationProblem("Sla:OversightAnswer", o.OversightAnswer),
            DurationProblem("Sla:AutoCloseAfter", o.AutoCloseAfter),
        };
        if (!(o.ReminderShare > 0 && o.ReminderShare < 1))
        {
            errors.Add($"Sla:ReminderShare is {o.ReminderShare}; use a share between 0 and 1 (exclusive), e.g. 0.5 to remind halfway.");
        }
        if (o.AutoCloseInWorkingDays && o.AutoCloseAfter > TimeSpan.Zero && o.AutoCloseAfter.Ticks % TimeSpan.TicksPerDay != 0)
        {
            errors.Add($"Sla:AutoCloseAfter is {o.AutoCloseAfter}; with Sla:AutoCloseInWorkingDays it counts working days, so use whole days such as 10.00:00:00.");
        }
        if (o.DigestTime < TimeSpan.Zero || o.DigestTime >= TimeSpan.FromDays(1))
        {
            errors.Add($"Sla:DigestTime is {o.DigestTime}; use a local time of day such as 08:00:00 (hh:mm:ss).");
        }
        return Result(errors);
    }

    /// <summary>Also for the agencies' overrides, so every duration is explained the same way.</summary>
    internal static string? DurationProblem(string key, TimeSpan value) =>
        value > TimeSpan.Zero
            ? null
            : $"{key} is {value}; use a positive duration such as 01:00:00 (hh:mm:ss) or 5.00:00:00 for 5 days.";

    internal static ValidateOptionsResult Result(IEnumerable<string?> errors)
    {
        var found = errors.OfType<string>().ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
