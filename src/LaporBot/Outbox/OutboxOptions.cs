using System.ComponentModel.DataAnnotations;

namespace LaporBot.Outbox;

internal sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Attempts before a message is marked dead (visible to staff, retryable by hand).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles each attempt (with ±20% jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a claimed message stays invisible to other senders; a crash mid-send makes it due again after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Safety-net sweep interval; normal delivery is signalled right after each commit.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Off only in tests that drive delivery step by step.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How many instances send from this database (1 on SQLite). Each instance paces a provider at
    /// its share of the provider's rate (rate / Instances), so together they stay within the limit
    /// whatever the load; while one is down the others send at their share only (slower, never over).
    /// </summary>
    public int Instances { get; set; } = 1;
}
