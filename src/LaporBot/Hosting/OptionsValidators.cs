using System.Text.RegularExpressions;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Hosting;

/// <summary>
/// Start-up checks that name the bad key and say how to fix it, so a misconfigured server fails
/// at once with a readable message instead of misbehaving later.
/// </summary>
internal sealed partial class LaporOptionsValidator :
    IValidateOptions<DatabaseOptions>, IValidateOptions<ComplaintOptions>, IValidateOptions<ConversationOptions>,
    IValidateOptions<OutboxOptions>
{
    [GeneratedRegex("^[A-Z]{2,10}$")]
    private static partial Regex Prefix();

    public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
    {
        var errors = new List<string>();
        if (!o.Provider.Equals(DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase)
            && !o.Provider.Equals(DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Database:Provider is '{o.Provider}'; use Sqlite (default, one server) or Postgres (ConnectionStrings:LaporBot is then an Npgsql connection string).");
        }
        if (o.SqliteSynchronous.ToUpperInvariant() is not ("FULL" or "NORMAL" or "EXTRA"))
        {
            errors.Add($"Database:SqliteSynchronous is '{o.SqliteSynchronous}'; use Full (default, survives power loss), Normal (faster) or Extra.");
        }
        if (o.BusyTimeoutMs is < 100 or > 600_000)
        {
            errors.Add($"Database:BusyTimeoutMs is {o.BusyTimeoutMs}; use a value between 100 and 600000 (milliseconds).");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, ComplaintOptions o)
    {
        var errors = new List<string>();
        if (!Prefix().IsMatch(o.TrackingPrefix ?? ""))
        {
            errors.Add($"Complaints:TrackingPrefix is '{o.TrackingPrefix}'; use 2–10 capital letters A–Z, e.g. LPR.");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, ConversationOptions o)
    {
        var errors = new List<string>();
        if (o.ExpireAfter < TimeSpan.FromMinutes(1))
        {
            errors.Add($"Conversations:ExpireAfter is {o.ExpireAfter}; use at least 00:01:00 (hh:mm:ss), default 1.00:00:00 (24 hours).");
        }
        if (o.MaxMessageLength is < 100 or > 4096)
        {
            errors.Add($"Conversations:MaxMessageLength is {o.MaxMessageLength}; use 100–4096 characters (WhatsApp and Telegram cap a message at 4096).");
        }
        if (string.IsNullOrWhiteSpace(o.Dialog))
        {
            errors.Add("Conversations:Dialog is empty; set it to the id of the citizen dialog (default: lapor).");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, OutboxOptions o)
    {
        var errors = new List<string>();
        if (o.Instances is < 1 or > 64)
        {
            errors.Add($"Outbox:Instances is {o.Instances}; set it to the number of LaporBot instances sharing the database (1–64).");
        }
        if (o.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Outbox:MaxAttempts is {o.MaxAttempts}; use 1–100.");
        }
        if (o.InitialBackoff <= TimeSpan.Zero || o.MaxBackoff < o.InitialBackoff)
        {
            errors.Add($"Outbox:InitialBackoff ({o.InitialBackoff}) must be positive and not above Outbox:MaxBackoff ({o.MaxBackoff}).");
        }
        if (o.Lease < TimeSpan.FromSeconds(5))
        {
            errors.Add($"Outbox:Lease is {o.Lease}; use at least 00:00:05 so a slow provider call does not get sent twice.");
        }
        if (o.SweepInterval < TimeSpan.FromMilliseconds(50))
        {
            errors.Add($"Outbox:SweepInterval is {o.SweepInterval}; use at least 00:00:00.05.");
        }
        if (o.SendersPerChannel is < 1 or > 64)
        {
            errors.Add($"Outbox:SendersPerChannel is {o.SendersPerChannel}; use 1–64.");
        }
        return Result(errors);
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
