using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LaporBot.Tests.Fakes;

/// <summary>The database engines LaporBot runs on; suites that touch SQL run on each.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One fresh database for one test: a SQLite file in a temp folder, or a database of its own on
/// the run's <see cref="PostgresServer"/>. <see cref="Target"/> is what the test helpers take
/// (<see cref="Db"/>, <see cref="LaporApp"/>): the file path, or the Npgsql connection string.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;

    private TestDatabase(Backend backend, string target, string dir, PostgresServer? server) =>
        (Backend, Target, Dir, _server) = (backend, target, dir, server);

    public Backend Backend { get; }
    public string Target { get; }

    /// <summary>A temp folder of the test's own (attachments, recaps, the SQLite file).</summary>
    public string Dir { get; }

    /// <summary>Creates the database; a PostgreSQL one skips the test when the server is not installed (never under CI=true).</summary>
    public static async Task<TestDatabase> CreateAsync(Backend backend)
    {
        var dir = TestPaths.NewTempDir();
        if (backend == Backend.Sqlite)
        {
            return new TestDatabase(backend, Path.Combine(dir, "laporbot.db"), dir, null);
        }
        var server = await PostgresServer.RequireAsync();
        return new TestDatabase(backend, await server.CreateDatabaseAsync(), dir, server);
    }

    /// <summary>Whether a database target (see <see cref="Target"/>) is a PostgreSQL connection string.</summary>
    public static bool IsPostgres(string target) => target.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings that point the app at a target.</summary>
    public static Dictionary<string, string?> AppSettings(string target) => IsPostgres(target)
        ? new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:LaporBot"] = target }
        : new() { ["ConnectionStrings:LaporBot"] = $"Data Source={target}" };

    public static DbConnection Connect(string target) =>
        IsPostgres(target) ? new NpgsqlConnection(target) : new SqliteConnection($"Data Source={target}");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DropDatabaseAsync(Target);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
        try
        {
            Directory.Delete(Dir, true);
        }
        catch (IOException)
        {
        }
    }
}
