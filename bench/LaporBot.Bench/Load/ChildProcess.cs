using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LaporBot.Bench.Load;

/// <summary>
/// A server under test in its own process (LaporBot itself, or the floor), so its peak RSS and CPU
/// time are its own: read from /proc when it is stopped (VmHWM is the kernel's peak resident set).
/// Output goes to a log file in the run's folder.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private double _cpuAtMark;
    private long _markTicks;

    public string BaseUrl { get; }

    private ChildProcess(Process process, StreamWriter log, string baseUrl)
    {
        _process = process;
        _log = log;
        BaseUrl = baseUrl;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task<ChildProcess> StartAsync(string fileName, IEnumerable<string> args, IDictionary<string, string> env, int port, string logPath, string healthPath)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var child = new ChildProcess(p, log, $"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (p.HasExited)
            {
                p.WaitForExit();
                string tail;
                lock (log)
                {
                    log.Flush();
                    using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                    tail = string.Join(Environment.NewLine, reader.ReadToEnd().Split(Environment.NewLine).TakeLast(60));
                }
                throw new InvalidOperationException($"{Path.GetFileName(fileName)} exited with {p.ExitCode} at start:{Environment.NewLine}{tail}");
            }
            try
            {
                if ((await http.GetAsync(child.BaseUrl + healthPath)).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (sw.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"server did not answer {healthPath} within 3 minutes; see {logPath}");
            }
            await Task.Delay(100);
        }
        child.Mark();
        return child;
    }

    /// <summary>Starts counting CPU time from now (after warm-up).</summary>
    public void Mark()
    {
        _cpuAtMark = CpuSeconds();
        _markTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>CPU cores used on average since <see cref="Mark"/> (1.0 = one core busy).</summary>
    public double CoresSinceMark() => (CpuSeconds() - _cpuAtMark) / Stopwatch.GetElapsedTime(_markTicks).TotalSeconds;

    /// <summary>CPU seconds (user + system) used since <see cref="Mark"/>.</summary>
    public double CpuSecondsSinceMark() => CpuSeconds() - _cpuAtMark;

    /// <summary>Peak resident set size in MB since the process started.</summary>
    public double PeakRssMb() => StatusKb("VmHWM") / 1024.0;

    private double CpuSeconds()
    {
        // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (USER_HZ = 100 on Linux).
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private long StatusKb(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the app shuts down as in production (hosted services stop, connections close).
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
