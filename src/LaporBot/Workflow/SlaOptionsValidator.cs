using Microsoft.Extensions.Options;

namespace LaporBot.Workflow;

/// <summary>Start-up checks for <see cref="SlaOptions"/>; each message names the key and how to fix it.</summary>
internal sealed class SlaOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions o)
    {
        var errors = new List<string?>
        {
            DurationProblem("Sla:AutoCloseAfter", o.AutoCloseAfter),
            DurationProblem("Sla:ReturnedWithin", o.ReturnedWithin),
        };
        if (o.AutoCloseInWorkingDays && o.AutoCloseAfter > TimeSpan.Zero && o.AutoCloseAfter.Ticks % TimeSpan.TicksPerDay != 0)
        {
            errors.Add($"Sla:AutoCloseAfter is {o.AutoCloseAfter}; with Sla:AutoCloseInWorkingDays it counts working days, so use whole days such as 10.00:00:00.");
        }
        if (o.DigestTime < TimeSpan.Zero || o.DigestTime >= TimeSpan.FromDays(1))
        {
            errors.Add($"Sla:DigestTime is {o.DigestTime}; use a local time of day such as 08:00:00 (hh:mm:ss).");
        }
        // The old fixed standards: one way to set a step's time, the workflow file.
        foreach (var key in SlaOptions.MovedToWorkflow.Where(k => configuration?[$"{SlaOptions.Section}:{k}"] is not null))
        {
            errors.Add($"Sla:{key} is no longer read: every step's standard, reminder share and working/calendar time is set in the workflow file " +
                "(Workflow:File, see workflows/README.md). Remove Sla:" + key + " and adapt the file instead.");
        }
        return Result(errors);
    }

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
