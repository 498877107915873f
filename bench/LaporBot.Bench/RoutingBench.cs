using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

/// <summary>
/// The latency figure: from a citizen's confirming "ya" (the complaint is committed) to the
/// agency's notification row in the outbox, through the real Quartz scheduler on the SQLite job
/// store (RouteComplaintJob scheduled at submission). Submissions go one at a time through the
/// simulator endpoint of the app hosted in-process, as the tests host it.
/// </summary>
internal static class RoutingBench
{
    private const string Admin = "9001";

    public static async Task RunAsync(int submissions)
    {
        var dir = Path.Combine(Path.GetTempPath(), "laporbot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "bench.db");
        try
        {
            await using (var app = new BenchApp(db, dir))
            {
                using var http = app.CreateClient();
                for (var i = 0; i < 5; i++)
                {
                    await SubmitAsync(http, db, $"warm-{i}"); // JIT, pools, Quartz's first acquisition
                }
                var wall = new double[submissions];
                var stored = new double[submissions];
                var total = Stopwatch.StartNew();
                for (var i = 0; i < submissions; i++)
                {
                    (wall[i], stored[i]) = await SubmitAsync(http, db, $"citizen-{i}");
                }
                total.Stop();
                Report("wall  (POST \"ya\" → row seen)", wall);
                Report("store (complaint.created_at → outbox.created_at)", stored);
                Console.WriteLine($"routing  submissions={submissions}  elapsed={total.Elapsed.TotalSeconds:0.0} s  target p95 ≤ 1000 ms");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    private static void Report(string what, double[] samples)
    {
        var sorted = samples.Order().ToArray();
        double P(double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];
        Console.WriteLine($"routing  {what,-50} mean={sorted.Average():0.0} ms  p50={P(0.50):0.0} ms  p95={P(0.95):0.0} ms  max={sorted[^1]:0.0} ms");
    }

    /// <summary>Files one complaint; returns the wall-clock and the stored-timestamp latency in ms.</summary>
    private static async Task<(double Wall, double Stored)> SubmitAsync(HttpClient http, string db, string citizen)
    {
        await SayAsync(http, citizen, "Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");
        await SayAsync(http, citizen, "Budi Santoso");
        await SayAsync(http, citizen, "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        var sw = Stopwatch.StartNew();
        await SayAsync(http, citizen, "ya");
        await using var c = new SqliteConnection($"Data Source={db}");
        await c.OpenAsync();
        while (true)
        {
            var row = await c.QuerySingleOrDefaultAsync<(long Created, long Queued)?>(
                """
                SELECT k.created_at, o.created_at FROM complaints k JOIN reporters r ON r.id = k.reporter_id
                JOIN outbox o ON o.complaint_id = k.id AND o.recipient = @admin
                WHERE r.address = @citizen
                """, new { citizen, admin = Admin });
            if (row is { } r)
            {
                return (sw.Elapsed.TotalMilliseconds, r.Queued - r.Created);
            }
            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"no agency notification for {citizen} after 60 s");
            }
            await Task.Delay(2);
        }
    }

    private static async Task SayAsync(HttpClient http, string citizen, string text)
    {
        var r = await http.PostAsJsonAsync("/dev/chat/api/messages", new { citizen, text });
        if (r.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"simulator answered {(int)r.StatusCode}");
        }
    }

    /// <summary>The app as deployed (Quartz on, default intervals) with one agency and its admin; Telegram off, so the row is what is measured.</summary>
    // Any type of the app's assembly names its entry point; "Program" here would be the bench's own.
    private sealed class BenchApp(string db, string dir) : WebApplicationFactory<LaporBot.Routing.RoutingService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // The app's own folder (appsettings, dialogs next to the binary come from the bench's output).
            builder.UseContentRoot(Path.Combine(Bench.RepoRoot(), "src", "LaporBot"));
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings:LaporBot"] = $"Data Source={db}",
                ["Attachments:Directory"] = Path.Combine(dir, "attachments"),
                ["Triage:AdminTelegramIds:0"] = "9000",
                ["Agencies:0:Code"] = "DPUPR",
                ["Agencies:0:Name"] = "Dinas Pekerjaan Umum dan Penataan Ruang",
                ["Agencies:0:Keywords:0"] = "jalan rusak",
                ["Agencies:0:AdminTelegramIds:0"] = Admin,
                ["Routing:AutoAssign"] = "true",
                // Nothing leaves the machine: the row is queued (what is measured); its delivery then
                // fails against a closed loopback port and is retried in the background.
                ["Telegram:Enabled"] = "false",
                ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (k, v) in settings)
            {
                builder.UseSetting(k, v);
            }
        }
    }
}
