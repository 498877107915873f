using System.Net;
using LaporBot.Data;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Data;

/// <summary>
/// The backup command on a live SQLite database: copied while the service runs and another writer
/// keeps committing, the copy is consistent, and a service started on it (the restore) has the data.
/// PostgreSQL is backed up with pg_dump (docs/deploy.md); the command says so.
/// </summary>
public class BackupTests
{
    [Fact]
    public async Task A_backup_taken_while_the_service_writes_restores_into_a_working_service()
    {
        var backupDir = TestPaths.NewTempDir();
        var backup = Path.Combine(backupDir, "laporbot-backup.db");
        long before, after, copied;
        await using (var app = new LaporApp(settings: new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" }))
        {
            var http = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            await Db.ExecuteAsync(app.DatabasePath,
                "INSERT INTO reporters (channel, address, created_at) VALUES ('simulator', 'seed', 1)");

            // A writer commits continuously while the backup runs.
            using var stop = new CancellationTokenSource();
            var writes = 0;
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Db.ExecuteAsync(app.DatabasePath, "INSERT INTO reporters (channel, address, created_at) VALUES ('simulator', @a, 1)",
                        new { a = $"w{Interlocked.Increment(ref writes)}" });
                }
            });
            await Db.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref writes) > 20), "the writer is committing");
            before = await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM reporters");
            var output = new StringWriter();
            var error = new StringWriter();

            var code = await Backup.RunAsync(app.Service<IDatabase>(), [backup], output, error);

            after = await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM reporters");
            await stop.CancelAsync();
            await writer;
            Assert.True(code == 0, error.ToString());
            Assert.Contains("integrity ok", output.ToString());
            copied = await Db.ScalarAsync<long>(backup, "SELECT COUNT(*) FROM reporters");
            Assert.InRange(copied, before, after);
            Assert.Equal(1, await Db.ScalarAsync<long>(backup, "SELECT COUNT(*) FROM reporters WHERE address = 'seed'"));
            // A backup never overwrites.
            Assert.Equal(2, await Backup.RunAsync(app.Service<IDatabase>(), [backup], TextWriter.Null, error));
            Assert.Contains("exists already", error.ToString());
        }
        SqliteConnection.ClearAllPools();

        // Restore: a service started on the copy works and has what was copied.
        await using (var restored = new LaporApp(backup, settings: new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await restored.CreateClient().GetAsync("/healthz")).StatusCode);
            Assert.Equal(copied, await Db.ScalarAsync<long>(restored.DatabasePath, "SELECT COUNT(*) FROM reporters"));
            Assert.Equal("ok", await Db.ScalarAsync<string>(restored.DatabasePath, "PRAGMA integrity_check"));
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(backupDir, true);
        }
        catch (IOException)
        {
            // The restored app's last background write may land after the walk (a left-over temp folder, not a failure).
        }
    }

    [SkippableFact]
    public async Task On_postgres_the_command_points_to_pg_dump()
    {
        await using var db = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var pg = new PostgresDatabase(db.Target);
        var error = new StringWriter();

        Assert.Equal(2, await Backup.RunAsync(pg, ["x.db"], TextWriter.Null, error));
        Assert.Contains("pg_dump", error.ToString());
    }
}
