using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LaporBot.Tests.Channels.Telegram;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// Defect 2 of issue 9: /healthz said healthy while nothing could be stored. /healthz is now
/// liveness only; /readyz proves the database commits a write, the migrations are applied and the
/// scheduler runs, and names the check that failed. The unwritable-database drill runs on both
/// stores (an immutable SQLite file; a read-only PostgreSQL database); the other two checks read
/// only the app's own state and the migration table, the same on either.
/// </summary>
public class ReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Json)> ReadyAsync(HttpClient http)
    {
        var r = await http.GetAsync("/readyz");
        return (r.StatusCode, await r.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static JsonElement Check(JsonElement json, string name) =>
        json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Healthz_is_liveness_and_readyz_lists_every_check_as_passed()
    {
        await using var app = new LaporApp();
        var http = app.CreateClient();

        var live = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        // The scheduler is started by a hosted service; readiness says so once it runs.
        await Db.EventuallyAsync(async () => (await ReadyAsync(http)).Status == HttpStatusCode.OK, "the instance is ready");
        var (_, json) = await ReadyAsync(http);
        Assert.Equal("ready", json.GetProperty("status").GetString());
        foreach (var name in new[] { "database-write", "migrations", "scheduler" })
        {
            Assert.True(Check(json, name).GetProperty("ready").GetBoolean(), name);
        }
        Assert.Equal(1, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM readiness_probe")); // a real write
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_missing_migration_or_a_paused_scheduler_makes_the_instance_unready_with_the_reason()
    {
        await using var app = new LaporApp();
        var http = app.CreateClient();
        await Db.EventuallyAsync(async () => (await ReadyAsync(http)).Status == HttpStatusCode.OK, "the instance is ready");

        var highest = await Db.ScalarAsync<long>(app.DatabasePath, "SELECT MAX(version) FROM schema_migrations");
        await Db.ExecuteAsync(app.DatabasePath, "DELETE FROM schema_migrations WHERE version = 9");
        var (status, json) = await ReadyAsync(http);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(Check(json, "migrations").GetProperty("ready").GetBoolean());
        Assert.Contains("0009", Check(json, "migrations").GetProperty("detail").GetString());
        await Db.ExecuteAsync(app.DatabasePath, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9, 'reliability', 0)");
        Assert.True(highest >= 9);

        var scheduler = await app.Service<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        (status, json) = await ReadyAsync(http);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("standby", Check(json, "scheduler").GetProperty("detail").GetString());
        Assert.True(Check(json, "migrations").GetProperty("ready").GetBoolean());
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The drill from the issue: the database file made immutable (chattr +i, works as root). Before
    /// the fix /healthz answered 200 here. Webhooks must answer 503 with Retry-After (nothing is
    /// dropped), readiness 503 naming the write check; after chattr -i everything works again.
    /// </summary>
    [SkippableFact]
    public async Task An_unwritable_database_makes_readyz_and_webhooks_503_and_they_recover()
    {
        Skip.If(!Chattr.Available && Environment.GetEnvironmentVariable("CI") != "true", "chattr is not available (needs e2fsprogs and root)");
        await using var kit = await TelegramTestKit.StartAsync();
        await Db.EventuallyAsync(async () => (await ReadyAsync(kit.Http)).Status == HttpStatusCode.OK, "the instance is ready");
        Assert.Equal(HttpStatusCode.OK, (await kit.PostAsync(TelegramTestKit.TextUpdate(1, "halo"))).StatusCode);

        var files = new[] { kit.DatabasePath }; // as in the drill: the database file itself
        Chattr.Set("+i", files);
        try
        {
            // New connections find the file read-only; a connection opened writable before the fault
            // (pooled, or in use at this moment) keeps writing until it is closed: wait for that.
            await Db.EventuallyAsync(async () =>
            {
                SqliteConnection.ClearAllPools();
                return (await ReadyAsync(kit.Http)).Status == HttpStatusCode.ServiceUnavailable;
            }, "readiness notices the unwritable database", 60_000);
            SqliteConnection.ClearAllPools();
            var (status, json) = await ReadyAsync(kit.Http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.False(Check(json, "database-write").GetProperty("ready").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, (await kit.Http.GetAsync("/healthz")).StatusCode); // alive, just not ready

            var webhook = await kit.PostAsync(TelegramTestKit.TextUpdate(2, "Siti Rahayu"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, webhook.StatusCode);
            Assert.NotNull(webhook.Headers.RetryAfter);
        }
        finally
        {
            Chattr.Set("-i", files);
            SqliteConnection.ClearAllPools();
        }
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(kit.Http)).Status);
        Assert.Equal(HttpStatusCode.OK, (await kit.PostAsync(TelegramTestKit.TextUpdate(2, "Siti Rahayu"))).StatusCode); // the provider's retry
        Assert.Equal(2, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
    }

    /// <summary>
    /// The same drill on PostgreSQL, where the database is not a file: the database is made
    /// read-only (<c>default_transaction_read_only</c>) and the app's sessions are ended so its new
    /// ones see it. Webhooks 503 with Retry-After, readiness 503 naming the write check, liveness
    /// 200; once writable again the group-commit writer and the readiness probe reconnect on their
    /// own and the provider's retry is stored.
    /// </summary>
    [SkippableFact]
    public async Task A_read_only_PostgreSQL_database_makes_readyz_and_webhooks_503_and_they_recover()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend.Postgres);
        var server = await PostgresServer.RequireAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(kit.DatabasePath).Database!;
        await Db.EventuallyAsync(async () => (await ReadyAsync(kit.Http)).Status == HttpStatusCode.OK, "the instance is ready");
        Assert.Equal(HttpStatusCode.OK, (await kit.PostAsync(TelegramTestKit.TextUpdate(1, "halo"))).StatusCode);

        await SetReadOnlyAsync(server, database, true);
        try
        {
            await Db.EventuallyAsync(async () => (await ReadyAsync(kit.Http)).Status == HttpStatusCode.ServiceUnavailable,
                "readiness notices the read-only database", 60_000);
            var (_, json) = await ReadyAsync(kit.Http);
            Assert.False(Check(json, "database-write").GetProperty("ready").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, (await kit.Http.GetAsync("/healthz")).StatusCode);

            // The first request after the sessions were ended may meet a dead pooled connection:
            // that is a 503 as well. Every answer must be 503 with Retry-After while read-only.
            for (var i = 0; i < 3; i++)
            {
                var webhook = await kit.PostAsync(TelegramTestKit.TextUpdate(2, "Siti Rahayu"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, webhook.StatusCode);
                Assert.NotNull(webhook.Headers.RetryAfter);
            }
        }
        finally
        {
            await SetReadOnlyAsync(server, database, false);
        }
        await Db.EventuallyAsync(async () => (await ReadyAsync(kit.Http)).Status == HttpStatusCode.OK, "the instance is ready again", 60_000);
        HttpStatusCode retried = 0;
        await Db.EventuallyAsync(async () => (retried = (await kit.PostAsync(TelegramTestKit.TextUpdate(2, "Siti Rahayu"))).StatusCode) != HttpStatusCode.ServiceUnavailable,
            "the provider's retry is answered", 60_000);
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Equal(2, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
    }

    private static async Task SetReadOnlyAsync(PostgresServer server, string database, bool readOnly)
    {
        await using var c = new Npgsql.NpgsqlConnection(server.AdminConnectionString);
        await c.OpenAsync();
        await using (var alter = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{database}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}", c))
        {
            await alter.ExecuteNonQueryAsync();
        }
        // A session keeps the setting it started with: end the app's sessions so its next ones see the change.
        await using var end = new Npgsql.NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", c);
        end.Parameters.AddWithValue("database", database);
        await end.ExecuteNonQueryAsync();
        // The test's own reads (Db) pool connections too: drop the ended ones.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>chattr from e2fsprogs, as root.</summary>
internal static class Chattr
{
    public static bool Available { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            var file = Path.Combine(TestPaths.NewTempDir(), "probe");
            File.WriteAllText(file, "x");
            if (!Run("+i", file))
            {
                return false;
            }
            var immutable = !CanWrite(file);
            Run("-i", file);
            return immutable;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CanWrite(string file)
    {
        try
        {
            File.AppendAllText(file, "y");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static void Set(string flag, params string[] files)
    {
        if (!Run(flag, files))
        {
            throw new InvalidOperationException($"chattr {flag} failed");
        }
    }

    private static bool Run(string flag, params string[] files)
    {
        var psi = new ProcessStartInfo("chattr") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(flag);
        foreach (var f in files)
        {
            psi.ArgumentList.Add(f);
        }
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }
}
