using Dapper;

namespace LaporBot.Data;

/// <summary>
/// Leader leases in the database: a named role (Telegram long polling) held by one instance at a
/// time. The holder renews before the lease runs out; an instance that dies stops renewing and
/// another takes the role over as soon as the lease has expired. Expiry is judged on the clock of
/// the instance asking, so servers sharing a database must keep their clocks in sync (NTP): a skew
/// of S seconds lets a takeover happen up to S seconds early or late.
/// </summary>
internal static class Leases
{
    /// <summary>This process's holder name: host, process id, and a random part (a restarted process is a new holder).</summary>
    public static readonly string Me = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Takes the lease when it is free or expired, or renews it when <paramref name="holder"/> has it; true when held afterwards.</summary>
    public static async Task<bool> TryAcquireAsync(IDatabase db, string name, string holder, DateTimeOffset now, TimeSpan ttl, CancellationToken ct)
    {
        // One atomic statement on a plain connection: a lease must not queue behind the write lock
        // busy units of work hold, or a loaded holder would lose it for no reason.
        await using var c = await db.OpenAsync(ct);
        var got = await c.ExecuteScalarAsync<string?>(
            """
            INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES (@name, @holder, @until, @now)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            RETURNING holder
            """,
            new { name, holder, now = now.ToUnixTimeMilliseconds(), until = (now + ttl).ToUnixTimeMilliseconds() });
        return got == holder;
    }

    /// <summary>Gives the lease up (graceful shutdown), so another instance need not wait for it to expire.</summary>
    public static async Task ReleaseAsync(IDatabase db, string name, string holder, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder });
    }

    public static async Task<string?> HolderAsync(IDatabase db, string name, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT holder FROM leases WHERE name = @name AND expires_at > @now",
            new { name, now = now.ToUnixTimeMilliseconds() });
    }
}
