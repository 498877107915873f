using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace LaporBot.Data;

/// <summary>
/// Applies the numbered plain-SQL files embedded under Data/Migrations/{dialect}/ in order,
/// each once, inside its own transaction, recording it in schema_migrations.
/// </summary>
internal sealed partial class Migrator(IDatabase database, ILogger<Migrator> logger)
{
    [GeneratedRegex(@"\.(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();

    public sealed record Script(int Version, string Name, string Sql);

    public static IReadOnlyList<Script> Scripts(SqlDialect dialect)
    {
        var asm = typeof(Migrator).Assembly;
        var prefix = $"{asm.GetName().Name}.Data.Migrations.{dialect.MigrationsFolder}.";
        var list = new List<Script>();
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var m = ScriptName().Match(res);
            if (!m.Success)
            {
                throw new InvalidOperationException($"Migration resource '{res}' must be named NNNN_name.sql.");
            }
            using var stream = asm.GetManifestResourceStream(res)!;
            using var reader = new StreamReader(stream);
            list.Add(new Script(int.Parse(m.Groups[1].Value), m.Groups[2].Value, reader.ReadToEnd()));
        }
        var dup = list.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {dup.Key:0000}.");
        }
        return list.OrderBy(s => s.Version).ToList();
    }

    /// <summary>Advisory lock key for schema changes, apart from the write lock units of work take.</summary>
    internal const long MigrationLockKey = 0x4C61706F724D6967;

    /// <summary>
    /// Brings the schema up to date; returns the versions applied by this call. Several instances
    /// starting at once take turns (PostgreSQL advisory lock; SQLite's write lock), so each script
    /// runs once and nobody starts on a half-migrated schema.
    /// </summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) =>
        database.WithExclusiveLockAsync(MigrationLockKey, () => MigrateLockedAsync(cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<int>> MigrateLockedAsync(CancellationToken cancellationToken)
    {
        await using (var conn = await database.OpenAsync(cancellationToken))
        {
            if (database.Dialect == SqlDialect.Sqlite)
            {
                // WAL lets the status page read while a turn writes; the setting persists in the file.
                await conn.ExecuteAsync("PRAGMA journal_mode = WAL;");
            }
            await conn.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        }

        var applied = new List<int>();
        foreach (var script in Scripts(database.Dialect))
        {
            await using var session = await database.BeginAsync(cancellationToken);
            // Checked inside the write transaction so two instances starting together apply a script once.
            var done = await session.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", new { v = script.Version }, session.Transaction);
            if (done > 0)
            {
                continue;
            }
            await session.Connection.ExecuteAsync(script.Sql, transaction: session.Transaction);
            await session.Connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                new { v = script.Version, n = script.Name, t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                session.Transaction);
            await session.CommitAsync(cancellationToken);
            applied.Add(script.Version);
            logger.LogInformation("Applied migration {Version:0000}_{Name}", script.Version, script.Name);
        }
        return applied;
    }

    /// <summary>The highest version recorded as applied (0 on an empty database).</summary>
    public static async Task<int> CurrentVersionAsync(IDatabase database, CancellationToken cancellationToken = default)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        return (int)await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    }
}
