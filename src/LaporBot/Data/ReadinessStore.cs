using Dapper;

namespace LaporBot.Data;

/// <summary>The SQL the readiness checks run.</summary>
internal static class ReadinessStore
{
    /// <summary>Rewrites the one probe row in a write transaction and commits it.</summary>
    public static async Task WriteProbeAsync(IDatabase db, string instance, DateTimeOffset now, CancellationToken ct)
    {
        await using var s = await db.BeginAsync(ct);
        await s.Connection.ExecuteAsync(
            """
            INSERT INTO readiness_probe (id, checked_at, checked_by) VALUES (1, @now, @instance)
            ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at, checked_by = excluded.checked_by
            """,
            new { now = now.ToUnixTimeMilliseconds(), instance }, s.Transaction);
        await s.CommitAsync(ct);
    }

    public static async Task<HashSet<int>> AppliedMigrationsAsync(IDatabase db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
    }
}
