using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace LaporBot.Bench.Load;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for the load bench (<c>--db postgres</c>), made the way the tests'
/// fixture makes theirs: initdb and pg_ctl from /usr/lib/postgresql/15/bin run as the postgres user,
/// listening on a free loopback port, removed at the end. Unlike the tests' cluster it keeps
/// PostgreSQL's durability on (fsync, synchronous_commit): an acknowledgement is as durable as
/// SQLite's synchronous=FULL, so the figures compare.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;
    private readonly int _port;

    private BenchPostgres(string dir, int port) => (_dir, _port) = (dir, port);

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=40";

    public static async Task<BenchPostgres> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDir, "initdb")))
        {
            throw new InvalidOperationException($"--db postgres needs PostgreSQL 15 ({BinDir}/initdb): apt-get install postgresql-15");
        }
        var dir = Path.Combine(Path.GetTempPath(), "laporbot-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        Run("chown", "postgres", dir);
        var data = Path.Combine(dir, "data");
        RunAsPostgres("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C");
        var port = ChildProcess.FreePort();
        RunAsPostgres("pg_ctl", "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} -c max_connections=200 -c shared_buffers=128MB");
        var server = new BenchPostgres(dir, port);
        await Task.CompletedTask;
        return server;
    }

    /// <summary>A fresh, empty database for one run; LaporBot's migrations fill it at start-up.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The server processes' CPU seconds (user + system), to add to the app's for the per-message cost.</summary>
    public double CpuSeconds()
    {
        double total = 0;
        foreach (var p in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName))
        {
            if (!int.TryParse(p, out _))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText($"/proc/{p}/cmdline");
                if (!cmdline.Contains(_dir, StringComparison.Ordinal) && !IsBackendOf(p!))
                {
                    continue;
                }
                var stat = File.ReadAllText($"/proc/{p}/stat");
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return total;
    }

    // Backends show as "postgres: postgres dbname 127.0.0.1(port) ..." without the data folder; their parent is the postmaster.
    private bool IsBackendOf(string pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        var ppid = status.FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal))?[5..].Trim();
        return ppid is not null && File.Exists($"/proc/{ppid}/cmdline") && File.ReadAllText($"/proc/{ppid}/cmdline").Contains(_dir, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            RunAsPostgres("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop");
        }
        finally
        {
            Run("rm", "-rf", _dir);
        }
        return ValueTask.CompletedTask;
    }

    private static void RunAsPostgres(string exe, params string[] args) =>
        Run("runuser", ["-u", "postgres", "--", Path.Combine(BinDir, exe), .. args]);

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {error}{output.Result}");
        }
    }
}
