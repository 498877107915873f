using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// The built LaporBot app (src/LaporBot/bin/…/LaporBot.dll) run as a child process on a free
/// loopback port: a real instance of a cluster, which a test can kill with SIGKILL.
/// </summary>
internal sealed class LaporProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private LaporProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }
    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public int Pid => _process.Id;
    public bool Exited => _process.HasExited;

    /// <summary>The last lines the process wrote (for failure messages).</summary>
    public string Tail => string.Join("\n", _output.TakeLast(40));

    public static string AppDll
    {
        get
        {
            // The test binary lives in tests/LaporBot.Tests/bin/<Configuration>/<tfm>/; the app in src/LaporBot/bin/<same>.
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Path.Combine(TestPaths.RepoRoot, "src", "LaporBot", "bin", tfmDir.Parent!.Name, tfmDir.Name, "LaporBot.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the app first (dotnet build LaporBot.sln)", dll);
        }
    }

    public static async Task<LaporProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string name)
    {
        var port = FreePort();
        var dll = AppDll;
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in settings)
        {
            psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }
        var process = Process.Start(psi)!;
        var lp = new LaporProcess(process, port);
        process.OutputDataReceived += (_, e) => lp.Record(name, e.Data);
        process.ErrorDataReceived += (_, e) => lp.Record(name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} at start-up:\n{lp.Tail}");
            }
            try
            {
                using var r = await lp.Http.GetAsync("/healthz");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return lp;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        lp.Kill();
        throw new InvalidOperationException($"{name} did not answer /healthz within 90 s:\n{lp.Tail}");
    }

    /// <summary>Adds a test-side remark to the process's log tail.</summary>
    public void Note(string remark) => _output.Enqueue($"[test] {remark}");

    private void Record(string name, string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue($"[{name}] {line}");
        while (_output.Count > 400)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>kill -9: no shutdown hooks, leases and claims are left as they were.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false); // SIGKILL on Linux
            _process.WaitForExit(10_000);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            // Graceful stop first (SIGTERM), so the instance releases its leases; then make sure.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit(5000);
            if (!_process.WaitForExit(15_000))
            {
                _process.Kill();
            }
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
