using Dapper;
using LaporBot.Data;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LaporBot.Tests.Data;

/// <summary>The PostgreSQL migrations: one per SQLite migration, applied once even when several instances start together.</summary>
public class PostgresMigrationTests
{
    [Fact]
    public void Every_sqlite_migration_has_a_postgres_counterpart_and_vice_versa()
    {
        var sqlite = Migrator.Scripts(SqlDialect.Sqlite).Select(s => $"{s.Version:0000}_{s.Name}").ToList();
        var postgres = Migrator.Scripts(SqlDialect.Postgres).Select(s => $"{s.Version:0000}_{s.Name}").ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
    }

    [SkippableFact]
    public async Task Migrate_creates_the_same_tables_and_columns_as_on_sqlite()
    {
        await using var pg = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var lite = await TestDatabase.CreateAsync(Backend.Sqlite);
        var pgDb = new PostgresDatabase(pg.Target);
        var applied = await new Migrator(pgDb, NullLogger<Migrator>.Instance).MigrateAsync();
        var liteDb = new SqliteDatabase($"Data Source={lite.Target}", Microsoft.Extensions.Options.Options.Create(new DatabaseOptions()));
        await new Migrator(liteDb, NullLogger<Migrator>.Instance).MigrateAsync();

        Assert.Equal(Migrator.Scripts(SqlDialect.Postgres).Select(s => s.Version), applied);
        await using var p = await pgDb.OpenAsync();
        await using var l = await liteDb.OpenAsync();
        // Tables and views alike: a PostgreSQL view fixes its columns when created, so one that misses
        // a column added to its table later (complaint_details over complaints) shows up here.
        foreach (var (pgKind, liteKind) in new[] { ("BASE TABLE", "table"), ("VIEW", "view") })
        {
            var pgColumns = (await p.QueryAsync<(string, string)>(
                """
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND t.table_type = @pgKind
                """, new { pgKind }))
                .Select(x => $"{x.Item1.ToLowerInvariant()}.{x.Item2.ToLowerInvariant()}").ToHashSet();
            var liteColumns = (await l.QueryAsync<string>(
                "SELECT lower(m.name) || '.' || lower(c.name) FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = @liteKind",
                new { liteKind })).ToHashSet();
            Assert.NotEmpty(pgColumns);
            Assert.Empty(liteColumns.Except(pgColumns).Order());
            Assert.Empty(pgColumns.Except(liteColumns).Order());
        }
        await pgDb.DisposeAsync();
    }

    [SkippableFact]
    public async Task Migration_0010_applied_after_0011_still_shows_its_columns_in_complaint_details()
    {
        // A database created before 0010 existed: everything else applied, then 0010 arrives with an upgrade.
        await using var pg = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var db = new PostgresDatabase(pg.Target);
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            foreach (var script in Migrator.Scripts(SqlDialect.Postgres).Where(s => s.Version != 10))
            {
                await c.ExecuteAsync(script.Sql);
                await c.ExecuteAsync("INSERT INTO schema_migrations VALUES (@v, @n, 0)", new { v = script.Version, n = script.Name });
            }
            Assert.Equal(0, await ViewColumnAsync(c, "step_allowed_seconds"));
        }

        Assert.Equal([10], await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync());

        await using var after = await db.OpenAsync();
        Assert.Equal(1, await ViewColumnAsync(after, "step_allowed_seconds"));
        Assert.Equal(1, await ViewColumnAsync(after, "name"));
    }

    private static Task<long> ViewColumnAsync(System.Data.Common.DbConnection c, string column) =>
        c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'complaint_details' AND column_name = @column", new { column });

    [SkippableFact]
    public async Task Several_instances_migrating_at_once_apply_each_script_once()
    {
        await using var pg = await TestDatabase.CreateAsync(Backend.Postgres);
        var instances = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(pg.Target)).ToList();

        var results = await Task.WhenAll(instances.Select(db => Task.Run(() => new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync())));

        Assert.Equal(Migrator.Scripts(SqlDialect.Postgres).Count, results.Sum(r => r.Count));
        Assert.Single(results, r => r.Count > 0);
        await using var c = new NpgsqlConnection(pg.Target);
        Assert.Equal(Migrator.Scripts(SqlDialect.Postgres).Count, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        foreach (var db in instances)
        {
            await db.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task The_timeline_is_append_only_on_postgres_too()
    {
        await using var pg = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var db = new PostgresDatabase(pg.Target);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("""
            INSERT INTO reporters (id, channel, address, created_at) VALUES (1, 'simulator', 'w1', 1);
            INSERT INTO complaints (id, tracking_number, reporter_id, channel, status, created_at, updated_at)
                VALUES (1, 'LPR-2611-00001', 1, 'simulator', 'submitted', 1, 1);
            INSERT INTO complaint_events (complaint_id, at, actor, kind) VALUES (1, 1, 'citizen', 'submitted');
            """);

        var update = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync("UPDATE complaint_events SET kind = 'x'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync("DELETE FROM complaint_events"));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM complaint_events"));
    }
}
