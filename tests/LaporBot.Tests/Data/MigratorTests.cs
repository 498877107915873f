using Dapper;
using LaporBot.Data;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Data;

/// <summary>SQLite only: the SQLite migrator and its files; PostgresMigrationTests does the same for PostgreSQL.</summary>
public class MigratorTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir();

    private SqliteDatabase NewDatabase(string synchronous = "Full") =>
        new($"Data Source={Path.Combine(_dir, "m.db")}", Options.Create(new DatabaseOptions { SqliteSynchronous = synchronous }));

    [Fact]
    public async Task Migrate_on_an_empty_database_creates_every_table_and_records_the_version()
    {
        var db = NewDatabase();
        var applied = await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        Assert.Equal(Migrator.Scripts(SqlDialect.Sqlite).Select(s => s.Version), applied);
        await using var c = await db.OpenAsync();
        var tables = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        foreach (var t in new[] { "reporters", "conversations", "inbound_messages", "complaints", "complaint_events", "complaint_attachments", "outbox", "tracking_sequences", "schema_migrations" })
        {
            Assert.Contains(t, tables);
        }
        Assert.Equal(applied.Count, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_run_again_applies_nothing_and_keeps_data()
    {
        var db = NewDatabase();
        var migrator = new Migrator(db, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync();
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO reporters (channel, address, created_at) VALUES ('simulator', 'w1', 1)");
        }

        var second = await migrator.MigrateAsync();

        Assert.Empty(second);
        await using var c2 = await db.OpenAsync();
        Assert.Equal(1, await c2.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reporters"));
    }

    [Fact]
    public async Task Connections_use_wal_foreign_keys_busy_timeout_and_the_configured_synchronous()
    {
        var db = NewDatabase("Normal");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var c = await db.OpenAsync();

        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(5000, await c.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("PRAGMA synchronous")); // NORMAL = 1, FULL = 2
        var fk = await Assert.ThrowsAsync<SqliteException>(() =>
            c.ExecuteAsync("INSERT INTO conversations (reporter_id, dialog, state, updated_at) VALUES (999, 'lapor', '{}', 1)"));
        Assert.Contains("FOREIGN KEY", fk.Message);
    }

    [Fact]
    public async Task The_timeline_is_append_only()
    {
        var db = NewDatabase();
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("""
            INSERT INTO reporters (id, channel, address, created_at) VALUES (1, 'simulator', 'w1', 1);
            INSERT INTO complaints (id, tracking_number, reporter_id, channel, status, created_at, updated_at)
                VALUES (1, 'LPR-2611-00001', 1, 'simulator', 'submitted', 1, 1);
            INSERT INTO complaint_events (complaint_id, at, actor, kind) VALUES (1, 1, 'citizen', 'submitted');
            """);

        var update = await Assert.ThrowsAsync<SqliteException>(() => c.ExecuteAsync("UPDATE complaint_events SET kind = 'x'"));
        var delete = await Assert.ThrowsAsync<SqliteException>(() => c.ExecuteAsync("DELETE FROM complaint_events"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
    }

    [Fact]
    public async Task Migration_0011_moves_existing_personal_data_out_of_the_case_and_the_timeline()
    {
        // A database as it was before 0011, with a case and a note quoting the citizen.
        var db = NewDatabase();
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            foreach (var script in Migrator.Scripts(SqlDialect.Sqlite).Where(s => s.Version < 11))
            {
                await c.ExecuteAsync(script.Sql);
                await c.ExecuteAsync("INSERT INTO schema_migrations VALUES (@v, @n, 1)", new { v = script.Version, n = script.Name });
            }
            await c.ExecuteAsync("""
                INSERT INTO reporters (id, channel, address, created_at) VALUES (1, 'twilio', 'whatsapp:+6281234567890', 1);
                INSERT INTO complaints (id, tracking_number, reporter_id, channel, name, address, text, latitude, longitude, location_label,
                                        status, answer, created_at, updated_at)
                    VALUES (1, 'LPR-2611-00001', 1, 'twilio', 'Budi Santoso', 'Jl. Merdeka 5', 'jalan rusak parah sekali', -7.7, 109.0, 'Pasar',
                            'answered', 'Sudah ditambal, Pak Budi.', 1, 2);
                INSERT INTO complaint_events (id, complaint_id, at, actor, kind, note) VALUES (1, 1, 1, 'citizen', 'submitted', NULL);
                INSERT INTO complaint_events (id, complaint_id, at, actor, kind, note) VALUES (2, 1, 2, 'pelapor', 'citizen_comment', 'Pak Budi bilang masih rusak');
                """);
        }

        var applied = await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        Assert.Contains(11, applied);
        await using var c2 = await db.OpenAsync();
        var columns = (await c2.QueryAsync<string>("SELECT name FROM pragma_table_info('complaints')")).ToList();
        Assert.DoesNotContain("name", columns);
        Assert.DoesNotContain("text", columns);
        Assert.DoesNotContain("answer", columns);
        Assert.DoesNotContain("note", await c2.QueryAsync<string>("SELECT name FROM pragma_table_info('complaint_events')"));
        var moved = await c2.QuerySingleAsync<(string Name, string Address, string Text, double Latitude, string Label, string Answer)>(
            "SELECT name, address, text, latitude, location_label, answer FROM complaint_personal WHERE complaint_id = 1");
        Assert.Equal(("Budi Santoso", "Jl. Merdeka 5", "jalan rusak parah sekali", -7.7, "Pasar", "Sudah ditambal, Pak Budi."), moved);
        Assert.Equal([(2L, "Pak Budi bilang masih rusak")], await c2.QueryAsync<(long, string)>("SELECT event_id, note FROM complaint_event_notes"));
        Assert.Equal("Budi Santoso", await c2.ExecuteScalarAsync<string>("SELECT name FROM complaint_details WHERE id = 1"));
        // The timeline is still append-only after the rebuild.
        await Assert.ThrowsAsync<SqliteException>(() => c2.ExecuteAsync("DELETE FROM complaint_events"));
    }

    [Fact]
    public void Migration_scripts_are_numbered_from_one_in_order_without_duplicates()
    {
        // Parallel work reserves numbers (0008–0013), so a branch may have a gap until the others land;
        // the migrator applies every script not yet recorded, whatever lies around it.
        var versions = Migrator.Scripts(SqlDialect.Sqlite).Select(s => s.Version).ToList();
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal(Enumerable.Range(1, 7), versions.Take(7));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
