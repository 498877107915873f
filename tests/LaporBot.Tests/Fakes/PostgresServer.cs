using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for the test run: initdb + pg_ctl from
/// /usr/lib/postgresql/15/bin (LAPORBOT_PG_BIN overrides), run as the <c>postgres</c> user when the
/// tests run as root (the server refuses root), listening on a free loopback port, data in a temp
/// folder the postgres user owns. Started once, on first use, shared by every test of the run (each
/// test gets a database of its own through <see cref="CreateDatabaseAsync"/>), stopped and removed
/// when the test process exits. Without the binaries the PostgreSQL half of a test is skipped on a
/// developer machine and fails under CI=true.
/// </summary>
internal sealed class PostgresServer
{
    private const string DirPrefix = "laporbot-pg-";
    private static readonly Lazy<Task<PostgresServer?>> Shared = new(StartSharedAsync);
    private int _databases;

    private PostgresServer(string dataDir, int port) => (DataDir, Port) = (dataDir, port);

    public static string BinDir => Environment.GetEnvironmentVariable("LAPORBOT_PG_BIN") is { Length: > 0 } b ? b : "/usr/lib/postgresql/15/bin";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public string DataDir { get; }
    public int Port { get; }

    /// <summary>Superuser connection to the maintenance database (trust auth on loopback only).</summary>
    public string AdminConnectionString => Connection("postgres");

    public string Connection(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        // Many short-lived apps share the server: keep each pool small and let idle connections go.
        MaxPoolSize = 30,
        ConnectionIdleLifetime = 10,
        Timeout = 30,
        CommandTimeout = 60,
    }.ConnectionString;

    /// <summary>The run's server; skips the calling test when PostgreSQL is not installed (never under CI=true).</summary>
    public static async Task<PostgresServer> RequireAsync()
    {
        var server = await Shared.Value;
        Skip.If(server is null, $"PostgreSQL 15 is not installed ({BinDir}; apt-get install -y postgresql-15): PostgreSQL tests skipped.");
        return server!;
    }

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 40)];
        await using var c = new NpgsqlConnection(AdminConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
        await cmd.ExecuteNonQueryAsync();
        return Connection(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(AdminConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer?> StartSharedAsync()
    {
        if (!File.Exists(Path.Combine(BinDir, "initdb")) || !File.Exists(Path.Combine(BinDir, "pg_ctl")))
        {
            if (IsCi)
            {
                throw new InvalidOperationException($"CI=true but PostgreSQL 15 is not installed at {BinDir}; .ci/apt-packages lists postgresql-15.");
            }
            return null;
        }
        RemoveStaleClusters();
        var dir = Path.Combine(Path.GetTempPath(), $"{DirPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "owner.pid"), Environment.ProcessId.ToString());
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        if (AsRoot)
        {
            // The parent stays root's (it holds owner.pid); postgres needs to own the data dir and
            // reach it (the temp root is world-traversable).
            Run("chown", "postgres:postgres", data);
            Run("chmod", "0755", dir);
        }
        RunAsPostgres("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");

        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            try
            {
                // Durability settings off: the cluster is thrown away; nothing here tests PostgreSQL's own fsync.
                RunAsPostgres("pg_ctl", "-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start", "-o",
                    $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} -c fsync=off -c synchronous_commit=off " +
                    "-c full_page_writes=off -c max_connections=500 -c shared_buffers=64MB -c log_min_messages=warning");
                var server = new PostgresServer(data, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(dir);
                return server;
            }
            catch (InvalidOperationException e)
            {
                // Someone else took the port between our probe and the server's bind: try another.
                last = e;
            }
        }
        throw new InvalidOperationException("PostgreSQL did not start: " + last?.Message + "\n" + TryRead(Path.Combine(data, "server.log")));
    }

    private void Stop(string dir)
    {
        try
        {
            RunAsPostgres("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already gone; the folder is removed below all the same.
        }
        // The test host may be ended right after ProcessExit: leave the removal to a process of its
        // own rather than walk the tree here (a folder left over is removed by the next run anyway).
        try
        {
            using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", dir]) { UseShellExecute = false });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            TryDelete(dir);
        }
    }

    /// <summary>Clusters left by test processes that were killed (no ProcessExit): stop them and remove their folders.</summary>
    private static void RemoveStaleClusters()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DirPrefix + "*"))
        {
            var pidFile = Path.Combine(dir, "owner.pid");
            if (!int.TryParse(TryRead(pidFile), out var owner) || IsAlive(owner))
            {
                continue;
            }
            try
            {
                RunAsPostgres("pg_ctl", "-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Not running.
            }
            TryDelete(dir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool AsRoot => Environment.UserName == "root";

    private static void RunAsPostgres(string tool, params string[] args)
    {
        var exe = Path.Combine(BinDir, tool);
        if (AsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", exe, .. args]);
        }
        else
        {
            Run(exe, args);
        }
    }

    private static void Run(string file, params string[] args)
    {
        // From a folder every user can enter: run from a root-only checkout, initdb as postgres could not read its cwd.
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish in 2 minutes");
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
