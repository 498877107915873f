using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// The real service as a child process (<c>dotnet LaporBot.dll</c>) on real Kestrel, on a temporary
/// SQLite file, configured through environment variables: for drills that need a real socket
/// (truncated bodies) or a real crash (<see cref="Kill"/> is SIGKILL, i.e. kill -9). The database is a
/// target as <see cref="TestDatabase"/> names it: a SQLite file, or a PostgreSQL connection string.
/// </summary>
internal sealed partial class ChildApp : IAsyncDisposable
{
    private readonly Dictionary<string, string> _env;
    private Process? _process;
    private readonly List<string> _output = [];

    /// <param name="databasePath">The database target: a SQLite file, or a PostgreSQL connection string.</param>
    /// <param name="filesDir">Where the app keeps attachments; by default the SQLite file's folder (required for PostgreSQL).</param>
    public ChildApp(string databasePath, IDictionary<string, string> settings, string? filesDir = null)
    {
        DatabasePath = databasePath;
        filesDir ??= TestDatabase.IsPostgres(databasePath)
            ? throw new ArgumentException("a PostgreSQL target needs a folder for the app's files", nameof(filesDir))
            : Path.GetDirectoryName(databasePath)!;
        _env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Attachments__Directory"] = Path.Combine(filesDir, "attachments"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            // No inotify watcher per child: the per-user limit (128) is shared by every test process on the machine.
            ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false",
            // Tests bring their own directory; the Development demo one is tested on its own.
            ["Demo__Enabled"] = "false",
        };
        foreach (var (k, v) in TestDatabase.AppSettings(databasePath))
        {
            _env[k.Replace(":", "__")] = v!;
        }
        foreach (var (k, v) in settings)
        {
            _env[k.Replace(":", "__")] = v;
        }
    }

    /// <summary>The database target (see <see cref="TestDatabase.Target"/>).</summary>
    public string DatabasePath { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public string Output { get { lock (_output) { return string.Join('\n', _output); } } }

    /// <summary>The app's build output next to this test build (same configuration).</summary>
    public static string AppDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // …/bin/<Configuration>/net10.0/
            var dll = Path.Combine(TestPaths.RepoRoot, "src", "LaporBot", "bin", configuration, "net10.0", "LaporBot.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the app first (dotnet build)", dll);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    /// <summary>Starts the process and returns once it listens (the port is chosen by the OS).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
        };
        psi.ArgumentList.Add(AppDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (k, v) in _env)
        {
            psi.Environment[k] = v;
        }
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.Add(line);
            }
            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the app exited during start-up:\n" + Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        BaseAddress = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
    }

    public HttpClient Client(TimeSpan? timeout = null) => new() { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };

    /// <summary>Waits until /readyz answers 200.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = Client(TimeSpan.FromSeconds(10));
        await Db.EventuallyAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the child app is ready", 120_000);
    }

    /// <summary>kill -9: no shutdown hooks, no flush, nothing released.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: false);
        _process?.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
