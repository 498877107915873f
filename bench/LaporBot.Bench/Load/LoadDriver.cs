using System.Diagnostics;
using System.Net;

namespace LaporBot.Bench.Load;

/// <summary>Results of one load phase.</summary>
internal sealed record LoadResult(string Name, int Requests, int Failures, double Seconds, double[] LatenciesMs, string? FirstError)
{
    public double Throughput => Requests / Seconds;

    public double P(double q)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }
        return LatenciesMs[(int)Math.Min(LatenciesMs.Length - 1, Math.Floor(q * LatenciesMs.Length))];
    }

    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    public override string ToString() =>
        $"{Name,-34} {Requests,6} req in {Seconds,6:0.0} s = {Throughput,6:0} msg/s  ack p50 {P(0.50),7:0.0}  p95 {P(0.95),7:0.0}  p99 {P(0.99),7:0.0}  max {Max,7:0.0} ms"
        + (Failures > 0 ? $"  FAILED {Failures} (first: {FirstError})" : "");
}

/// <summary>
/// Plays whole conversations against a server. Closed loop: N connections, each plays one
/// citizen's six turns back to back, then the next citizen. Open loop: messages are due at a
/// fixed rate whatever the server does; a citizen's next turn waits for the previous answer (as a
/// provider's would for one chat), and every latency counts from when the message was due, so a
/// server that falls behind shows it (no coordinated omission).
/// </summary>
internal static class LoadDriver
{
    public static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<LoadResult> ClosedLoopAsync(string name, Func<int, int, HttpRequestMessage> request, int firstCitizen, int citizens, int connections)
    {
        using var http = Client(connections);
        var latencies = new double[citizens * Conversations.Turns];
        var failures = 0;
        string? firstError = null;
        var next = -1;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int c;
            while ((c = Interlocked.Increment(ref next)) < citizens)
            {
                for (var t = 0; t < Conversations.Turns; t++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var error = await SendAsync(http, request(firstCitizen + c, t));
                    latencies[c * Conversations.Turns + t] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (error is not null)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstError, error, null);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        total.Stop();
        Array.Sort(latencies);
        return new LoadResult(name, latencies.Length, failures, total.Elapsed.TotalSeconds, latencies, firstError);
    }

    /// <param name="active">Citizens talking at once; a citizen's turns are due active/rate seconds apart.</param>
    public static async Task<LoadResult> OpenLoopAsync(string name, Func<int, int, HttpRequestMessage> request, int firstCitizen, int citizens, double rate, int active)
    {
        using var http = Client(4096);
        var n = citizens * Conversations.Turns;
        var latencies = new double[n];
        var failures = 0;
        string? firstError = null;
        var previous = new Task[citizens];
        Array.Fill(previous, Task.CompletedTask);
        var all = new List<Task>(n);
        active = Math.Max(1, Math.Min(active, citizens));
        var wave = active * Conversations.Turns;
        var slots = (citizens + active - 1) / active * wave;
        var sent = 0;
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < slots; i++)
        {
            var w = i / wave;
            var j = i % wave;
            var turn = j / active;
            var c = w * active + j % active;
            if (c >= citizens)
            {
                continue; // the last wave is partial
            }
            var index = sent++;
            var due = index / rate;
            var wait = due - Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }
            var before = previous[c];
            var task = Task.Run(async () =>
            {
                await before;
                var error = await SendAsync(http, request(firstCitizen + c, turn));
                latencies[index] = (Stopwatch.GetElapsedTime(t0).TotalSeconds - due) * 1000;
                if (error is not null)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            });
            previous[c] = task;
            all.Add(task);
        }
        await Task.WhenAll(all);
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(name, latencies.Length, failures, seconds, latencies, firstError);
    }

    private static async Task<string?> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        try
        {
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
        finally
        {
            request.Dispose();
        }
    }
}
