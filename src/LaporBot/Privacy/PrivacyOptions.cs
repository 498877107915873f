using Microsoft.Extensions.Options;

namespace LaporBot.Privacy;

/// <summary>
/// The controller's privacy settings (UU No. 27/2022): who answers citizens' questions about their
/// data, and how long each kind of personal data is kept. docs/privacy.md explains each default.
/// </summary>
internal sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>The data controller as citizens know it, shown in the full notice (privasi).</summary>
    public string Controller { get; set; } = "Dinas Komunikasi dan Informatika";

    /// <summary>How to reach the data protection officer (pejabat pelindungan data pribadi): e-mail, phone, office.</summary>
    public string DpoContact { get; set; } = "Pejabat Pelindungan Data Pribadi, Dinas Komunikasi dan Informatika (kontak belum diatur)";

    public RetentionOptions Retention { get; set; } = new();
}

internal sealed class RetentionOptions
{
    /// <summary>Run the retention job (Quartz) at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs. Hourly: a citizen's erasure finishes soon after their last open case closes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A closed case's personal data (name, address, text, location, answer, notes, attachments), counted from closure.</summary>
    public TimeSpan ClosedCases { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Raw inbound messages and their files, from receipt.</summary>
    public TimeSpan InboundMessages { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Outgoing message bodies and recipients once no longer pending (sent, delivered, read, failed, dead).</summary>
    public TimeSpan OutboxMessages { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An unfinished (or idle) conversation's state, from its last change.</summary>
    public TimeSpan Conversations { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Staff commands as typed on Telegram (they may quote a citizen), from receipt.</summary>
    public TimeSpan StaffCommands { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A reporter's chat address and profile name, once none of their cases holds personal data and they have been silent this long.</summary>
    public TimeSpan InactiveReporters { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Rows erased per transaction, so a large backlog never holds the write lock for long.</summary>
    public int BatchSize { get; set; } = 200;
}

internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DpoContact))
        {
            errors.Add("Privacy:DpoContact is empty; give the data protection officer's contact (e-mail or phone) that citizens see in 'privasi'.");
        }
        void AtLeast(string key, TimeSpan value, TimeSpan min)
        {
            if (value < min)
            {
                errors.Add($"Privacy:Retention:{key} is {value}; use at least {min} (days.hh:mm:ss, e.g. 30.00:00:00).");
            }
        }
        var r = o.Retention;
        AtLeast(nameof(r.ClosedCases), r.ClosedCases, TimeSpan.FromDays(1));
        AtLeast(nameof(r.InboundMessages), r.InboundMessages, TimeSpan.FromDays(1));
        AtLeast(nameof(r.OutboxMessages), r.OutboxMessages, TimeSpan.FromDays(1));
        AtLeast(nameof(r.Conversations), r.Conversations, TimeSpan.FromDays(2)); // longer than the dialog's own 24-hour expiry
        AtLeast(nameof(r.StaffCommands), r.StaffCommands, TimeSpan.FromDays(1));
        AtLeast(nameof(r.InactiveReporters), r.InactiveReporters, TimeSpan.FromDays(1));
        AtLeast(nameof(r.Interval), r.Interval, TimeSpan.FromMinutes(1));
        if (r.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Privacy:Retention:BatchSize is {r.BatchSize}; use 1–10000 (200 is a good default).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
