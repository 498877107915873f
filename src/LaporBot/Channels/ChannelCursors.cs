using Dapper;
using LaporBot.Data;

namespace LaporBot.Channels;

/// <summary>Named positions of polling loops (e.g. Telegram's getUpdates offset), stored in the database.</summary>
internal static class ChannelCursors
{
    public static async Task<string?> GetAsync(IDatabase db, string name, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>("SELECT value FROM channel_cursors WHERE name = @name", new { name });
    }

    public static async Task SetAsync(IDatabase db, string name, string value, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO channel_cursors (name, value, updated_at) VALUES (@name, @value, @now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            new { name, value, now = now.ToUnixTimeMilliseconds() });
    }
}
