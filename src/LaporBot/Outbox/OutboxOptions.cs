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

    /// <summary>
    /// How long a claimed message stays invisible to other senders (longer than a send can take). A
    /// message is claimed right before it is sent; if the process dies mid-send, the same instance
    /// releases it when it starts again, and another instance takes it after the lease.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Safety-net sweep interval; delivery is signalled right after each commit and retries wake a timer when due.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Off only in tests that drive delivery step by step.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Most messages one <c>DispatchOnceAsync</c> call sends per channel (tools and tests).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// Readiness (/readyz "outbox-backlog") fails when a due message no sender holds has waited longer
    /// than this: the senders are stuck. Retries waiting for their time do not count.
    /// </summary>
    public TimeSpan ReadinessMaxWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many instances send from this database (1 on SQLite). Each instance paces a provider at
    /// its share of the provider's rate (rate / Instances), so together they stay within the limit
    /// whatever the load; while one is down the others send at their share only (slower, never over).
    /// </summary>
    public int Instances { get; set; } = 1;

    /// <summary>
    /// Concurrent senders per channel. Each channel drains on its own, so one channel's backlog never
    /// delays another; several senders keep one chat's per-chat gap from holding up other chats.
    /// The provider's overall rate is still paced by <see cref="DeliveryThrottle"/>.
    /// </summary>
    [Range(1, 64)]
    public int SendersPerChannel { get; set; } = 4;

    /// <summary>
    /// Names the claims this instance holds, so that when it restarts after a crash it releases them at
    /// once. Must be unique among instances sharing a database and stable across restarts of one
    /// (default: the machine name; set it per instance when several run on one host).
    /// </summary>
    public string InstanceId
    {
        get => string.IsNullOrWhiteSpace(_instanceId) ? Environment.MachineName : _instanceId;
        set => _instanceId = value;
    }

    private string? _instanceId;
}
