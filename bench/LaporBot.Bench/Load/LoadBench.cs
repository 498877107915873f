using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LaporBot.Bench.Load;

internal sealed record LoadSettings
{
    public int Citizens { get; init; } = 3000;          // closed loop: whole conversations
    public int Connections { get; init; } = 64;
    public double Rate { get; init; } = 1000;           // open loop: messages per second
    public double OpenSeconds { get; init; } = 10;      // open loop: how long messages keep coming
    public int Active { get; init; } = 200;             // open loop: citizens talking at once
    public string Synchronous { get; init; } = "Full";
    public double MessagesPerSecond { get; init; } = 10_000; // provider pace during the bench (raised: see README)
    public int Senders { get; init; } = 16;             // Outbox:SendersPerChannel, raised with the pace (README: "Outbound pace")
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromSeconds(120);
    public string Output { get; init; } = "";
    public bool Floor { get; init; } = true;
    public bool Keep { get; init; }
    public bool Postgres { get; init; }                 // --db postgres: LaporBot on a throwaway PostgreSQL 15 cluster

    public static LoadSettings Parse(string[] args)
    {
        var s = new LoadSettings();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            s = args[i] switch
            {
                "--citizens" => s with { Citizens = int.Parse(v, CultureInfo.InvariantCulture) },
                "--connections" => s with { Connections = int.Parse(v, CultureInfo.InvariantCulture) },
                "--rate" => s with { Rate = double.Parse(v, CultureInfo.InvariantCulture) },
                "--seconds" => s with { OpenSeconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--active" => s with { Active = int.Parse(v, CultureInfo.InvariantCulture) },
                "--sync" => s with { Synchronous = v },
                "--mps" => s with { MessagesPerSecond = double.Parse(v, CultureInfo.InvariantCulture) },
                "--senders" => s with { Senders = int.Parse(v, CultureInfo.InvariantCulture) },
                "--out" => s with { Output = v },
                "--floor" => s with { Floor = v != "off" },
                "--keep" => s with { Keep = v == "on" },
                "--db" => s with { Postgres = v.Equals("postgres", StringComparison.OrdinalIgnoreCase) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return s;
    }
}

/// <summary>
/// The whole-pipeline benchmark: LaporBot in its own process (Production settings, a fresh SQLite
/// file, Twilio and Telegram enabled against fake providers on loopback), driven by signed
/// webhooks playing whole conversations; then the floor, driven the same way; then a report and
/// a chart. Everything is bounded: a fixed number of conversations, a fixed open-loop duration,
/// and a time limit on draining the replies.
/// </summary>
internal static class LoadBench
{
    private const string AuthToken = "bench-auth-token-0123456789abcdef";
    private const string Secret = "bench_secret_0123456789";
    private static readonly long[] AgencyAdmins = [9101, 9102, 9103];
    private const long TriageAdmin = 9100;

    public static async Task RunAsync(LoadSettings s)
    {
        var dir = Path.Combine(Path.GetTempPath(), "laporbot-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        Console.WriteLine($"LaporBot load bench: {Environment.ProcessorCount} cores, {Environment.OSVersion}, load average {LoadAverage()}, " +
            $"{(s.Postgres ? "PostgreSQL 15 (fsync on, synchronous_commit on)" : $"SQLite synchronous={s.Synchronous}")}, files in {dir}");
        var report = new Report(s);
        await using var pg = s.Postgres ? await BenchPostgres.StartAsync() : null;
        try
        {
            await using var fake = await FakeProviders.StartAsync(AgencyAdmins.Append(TriageAdmin));

            // 1. LaporBot, closed loop: as fast as 64 connections go.
            var closedDb = await DatabaseAsync(dir, "closed", pg);
            await using (var app = await StartAppAsync(dir, "closed", s, fake, Settings(closedDb)))
            {
                var db = closedDb;
                var mark = await WarmUpAsync(app, fake, db);
                app.Mark();
                var pgCpu = pg?.CpuSeconds() ?? 0;
                var writer = await WriterProfile.ReadAsync(app.BaseUrl);
                var conv = new Conversations(app.BaseUrl, AuthToken, Secret, "C" + Conversations.RunId());
                var r = await LoadDriver.ClosedLoopAsync($"LaporBot closed loop ({s.Connections} conn)", conv.Request, 0, s.Citizens, s.Connections);
                var cpu = app.CpuSecondsSinceMark();
                report.ClosedWriter = (await WriterProfile.ReadAsync(app.BaseUrl)) - writer;
                report.ClosedDbCpuMsPerMessage = pg is null ? 0 : (pg.CpuSeconds() - pgCpu) * 1000 / r.Requests;
                Console.WriteLine(r);
                Console.WriteLine($"  writer: {report.ClosedWriter.Describe(r.Seconds)}");
                report.Closed = r;
                report.ClosedCpuMsPerMessage = cpu * 1000 / r.Requests;
                report.ClosedCores = app.CoresSinceMark();
                report.ClosedOutbound = await DrainAsync(fake, db, mark, s.DrainLimit);
                report.ClosedRssMb = app.PeakRssMb();
                report.ClosedNotify = await NotificationLatencyAsync(db, fake, mark, "closed loop");
                Console.WriteLine($"  outbound: {report.ClosedOutbound}; app CPU during the load {report.ClosedCores:0.00} cores = {report.ClosedCpuMsPerMessage:0.00} ms CPU per inbound message; peak RSS {report.ClosedRssMb:0} MB");
            }

            // 2. LaporBot, open loop at the chosen rate.
            var openDb = await DatabaseAsync(dir, "open", pg);
            await using (var app = await StartAppAsync(dir, "open", s, fake, Settings(openDb)))
            {
                var db = openDb;
                var mark = await WarmUpAsync(app, fake, db);
                app.Mark();
                var writer = await WriterProfile.ReadAsync(app.BaseUrl);
                var conv = new Conversations(app.BaseUrl, AuthToken, Secret, "O" + Conversations.RunId());
                var citizens = (int)(s.Rate * s.OpenSeconds / Conversations.Turns);
                var r = await LoadDriver.OpenLoopAsync($"LaporBot open loop at {s.Rate:0}/s", conv.Request, 0, citizens, s.Rate, s.Active);
                var cpu = app.CpuSecondsSinceMark();
                report.OpenWriter = (await WriterProfile.ReadAsync(app.BaseUrl)) - writer;
                Console.WriteLine(r);
                Console.WriteLine($"  writer: {report.OpenWriter.Describe(r.Seconds)}");
                report.Open = r;
                report.OpenCpuMsPerMessage = cpu * 1000 / r.Requests;
                report.OpenCores = app.CoresSinceMark();
                report.OpenOutbound = await DrainAsync(fake, db, mark, s.DrainLimit);
                report.OpenRssMb = app.PeakRssMb();
                report.OpenNotify = await NotificationLatencyAsync(db, fake, mark, "open loop");
                Console.WriteLine($"  outbound: {report.OpenOutbound}; app CPU during the load {report.OpenCores:0.00} cores = {report.OpenCpuMsPerMessage:0.00} ms CPU per inbound message; peak RSS {report.OpenRssMb:0} MB");
            }

            // 3. The floor at the same durability and at NORMAL, same requests.
            if (s.Floor)
            {
                foreach (var sync in new[] { s.Synchronous.ToUpperInvariant(), "NORMAL" }.Distinct())
                {
                    await using var floor = await StartFloorAsync(dir, sync);
                    var conv = new Conversations(floor.BaseUrl, AuthToken, Secret, "F" + Conversations.RunId());
                    var closed = await LoadDriver.ClosedLoopAsync($"floor {sync} closed loop ({s.Connections} conn)", conv.Request, 0, s.Citizens, s.Connections);
                    Console.WriteLine(closed);
                    var citizens = (int)(s.Rate * s.OpenSeconds / Conversations.Turns);
                    var open = await LoadDriver.OpenLoopAsync($"floor {sync} open loop at {s.Rate:0}/s", conv.Request, s.Citizens, citizens, s.Rate, s.Active);
                    Console.WriteLine(open);
                    report.Floors[sync] = (closed, open, floor.PeakRssMb());
                }
            }
            report.Print(LoadAverage());
            var output = string.IsNullOrEmpty(s.Output) ? Path.Combine(global::Bench.RepoRoot(), "bench", "results") : s.Output;
            Directory.CreateDirectory(output);
            await File.WriteAllTextAsync(Path.Combine(output, "load.svg"), report.Svg());
            await File.WriteAllTextAsync(Path.Combine(output, "load.txt"), report.Text(LoadAverage()));
            Console.WriteLine($"chart: {Path.Combine(output, "load.svg")}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                if (!s.Keep)
                {
                    Directory.Delete(dir, true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Where one run's LaporBot stores its data: a SQLite file, or a fresh database on the bench's PostgreSQL cluster.</summary>
    private static async Task<string> DatabaseAsync(string dir, string name, BenchPostgres? pg) =>
        pg is null ? Path.Combine(dir, name + ".db") : await pg.CreateDatabaseAsync($"bench_{name}_{Guid.NewGuid():N}"[..24]);

    private static bool IsPostgres(string db) => db.StartsWith("Host=", StringComparison.Ordinal);

    private static Dictionary<string, string> Settings(string db) => IsPostgres(db)
        ? new() { ["Database__Provider"] = "Postgres", ["ConnectionStrings__LaporBot"] = db }
        : new() { ["ConnectionStrings__LaporBot"] = $"Data Source={db}" };

    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    internal static Task<ChildProcess> StartAppAsync(string dir, string name, LoadSettings s, FakeProviders fake, IDictionary<string, string>? extra = null)
    {
        var port = ChildProcess.FreePort();
        var repo = global::Bench.RepoRoot();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_gcServer"] = "0",
            // Steady state, as a service that has run for a while: fully optimised code from the start.
            // With tiered compilation the promotion to optimised code never finished within a short run on
            // the busy machine (the profile showed a fifth of the CPU in the JIT and the turn still at tier 0).
            ["DOTNET_TieredCompilation"] = "0",
            ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false", // no inotify watch per run on a shared machine
            ["ConnectionStrings__LaporBot"] = $"Data Source={Path.Combine(dir, name + ".db")}",
            ["Database__SqliteSynchronous"] = s.Synchronous,
            ["Conversations__DialogsDirectory"] = Path.Combine(repo, "dialogs"),
            ["Attachments__Directory"] = Path.Combine(dir, name + "-attachments"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Twilio__Enabled"] = "true",
            ["Twilio__AccountSid"] = FakeProviders.TwilioSid,
            ["Twilio__AuthToken"] = AuthToken,
            ["Twilio__WhatsAppNumber"] = "whatsapp:+14155238886",
            ["Twilio__ApiBaseUrl"] = fake.BaseUrl,
            ["Twilio__WebhookUrl"] = $"http://127.0.0.1:{port}/webhooks/twilio",
            ["Twilio__MessagesPerSecond"] = s.MessagesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Telegram__Enabled"] = "true",
            ["Telegram__BotToken"] = FakeProviders.TelegramToken,
            ["Telegram__ApiBaseUrl"] = fake.BaseUrl,
            ["Telegram__WebhookSecret"] = Secret,
            ["Telegram__MessagesPerSecond"] = s.MessagesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Telegram__PerChatInterval"] = "00:00:00",
            ["Outbox__SendersPerChannel"] = s.Senders.ToString(CultureInfo.InvariantCulture),
            ["Triage__AdminTelegramIds__0"] = TriageAdmin.ToString(CultureInfo.InvariantCulture),
            ["Routing__AutoAssign"] = "true",
            ["Staff__BootstrapPassword"] = "bench-Operator-Pass-2026",
        };
        string[][] agencies =
        [
            ["DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "jalan rusak"],
            ["DLH", "Dinas Lingkungan Hidup", "sampah menumpuk"],
            ["DISHUB", "Dinas Perhubungan", "lampu lalu lintas"],
        ];
        for (var i = 0; i < agencies.Length; i++)
        {
            env[$"Agencies__{i}__Code"] = agencies[i][0];
            env[$"Agencies__{i}__Name"] = agencies[i][1];
            env[$"Agencies__{i}__Keywords__0"] = agencies[i][2];
            env[$"Agencies__{i}__AdminTelegramIds__0"] = AgencyAdmins[i].ToString(CultureInfo.InvariantCulture);
        }
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }
        var appDll = Path.Combine(AppContext.BaseDirectory, "LaporBot.dll");
        return ChildProcess.StartAsync("dotnet", [appDll, "--contentRoot", Path.Combine(repo, "src", "LaporBot")], env, port,
            Path.Combine(dir, name + ".log"), "/healthz");
    }

    private static Task<ChildProcess> StartFloorAsync(string dir, string sync)
    {
        var port = ChildProcess.FreePort();
        var bench = Path.Combine(AppContext.BaseDirectory, "LaporBot.Bench.dll");
        return ChildProcess.StartAsync("dotnet", [bench, "floor-server", port.ToString(CultureInfo.InvariantCulture), Path.Combine(dir, $"floor-{sync}.db"), sync],
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_TieredCompilation"] = "0" }, port, Path.Combine(dir, $"floor-{sync}.log"), "/healthz");
    }

    /// <summary>JIT, pools, Quartz's first acquisition: 20 conversations not measured. Returns the last outbox id before the measured run.</summary>
    private static async Task<long> WarmUpAsync(ChildProcess app, FakeProviders fake, string db)
    {
        var conv = new Conversations(app.BaseUrl, AuthToken, Secret, "W" + Conversations.RunId());
        var r = await LoadDriver.ClosedLoopAsync("warm-up", conv.Request, 9_000_000, 20, 4);
        if (r.Failures > 0)
        {
            throw new InvalidOperationException($"warm-up failed: {r.FirstError}");
        }
        await DrainAsync(fake, db, 0, TimeSpan.FromSeconds(60));
        fake.Reset();
        await using var c = await OpenAsync(db);
        return await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM outbox");
    }

    private static async Task<DbConnection> OpenAsync(string db)
    {
        DbConnection c = IsPostgres(db) ? new NpgsqlConnection(db) : new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=false");
        await c.OpenAsync();
        return c;
    }

    /// <summary>
    /// Waits (bounded) until every complaint has its staff notification and nothing is left
    /// pending in the outbox; measures what the fake providers saw.
    /// </summary>
    private static async Task<Outbound> DrainAsync(FakeProviders fake, string db, long mark, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        long rows;
        while (true)
        {
            await using (var c = await OpenAsync(db))
            {
                var (pending, unrouted, total) = await c.QuerySingleAsync<(long, long, long)>(
                    """
                    SELECT (SELECT COUNT(*) FROM outbox WHERE status = 'pending'),
                           (SELECT COUNT(*) FROM complaints k WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.complaint_id = k.id AND o.purpose = 'notify')),
                           (SELECT COUNT(*) FROM outbox WHERE id > @mark)
                    """, new { mark });
                rows = total;
                if ((pending == 0 && unrouted == 0) || sw.Elapsed > limit)
                {
                    break;
                }
            }
            await Task.Delay(200);
        }
        var times = fake.SendTimes.ToArray();
        Array.Sort(times);
        // Busiest second and the average from the first to the last send.
        var peak = 0;
        for (int i = 0, j = 0; i < times.Length; i++)
        {
            while (Stopwatch.GetElapsedTime(times[j], times[i]) > TimeSpan.FromSeconds(1))
            {
                j++;
            }
            peak = Math.Max(peak, i - j + 1);
        }
        var span = times.Length > 1 ? Stopwatch.GetElapsedTime(times[0], times[^1]).TotalSeconds : 0;
        return new Outbound(fake.Total, rows, span > 0 ? times.Length / span : 0, peak, sw.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Submission (the complaint's stored created_at) → the agency admin's notification: queued in
    /// the outbox (stored timestamps) and received by the fake Telegram (wall clock, same machine).
    /// </summary>
    private static async Task<Notify> NotificationLatencyAsync(string db, FakeProviders fake, long mark, string what)
    {
        await using var c = await OpenAsync(db);
        var rows = (await c.QueryAsync<(string Number, long Created, long Queued)>(
            """
            SELECT k.tracking_number, k.created_at, MIN(o.created_at) FROM complaints k
            JOIN outbox o ON o.complaint_id = k.id AND o.channel = 'telegram' AND o.purpose = 'notify'
            WHERE o.id > @mark
            GROUP BY k.id
            """, new { mark })).AsList();
        var complaints = rows.Count;
        var queued = rows.Select(r => (double)(r.Queued - r.Created)).Order().ToArray();
        var delivered = rows.Where(r => fake.AdminNotified.ContainsKey(r.Number))
            .Select(r => (double)(fake.AdminNotified[r.Number] - r.Created)).Order().ToArray();
        var n = new Notify(complaints, queued, delivered);
        Console.WriteLine($"  submission → agency notification ({what}): {n}");
        return n;
    }
}

internal sealed record Outbound(long Seen, long Expected, double AveragePerSecond, int PeakPerSecond, double DrainSeconds)
{
    public override string ToString() => $"{Seen} sends reached the fake providers for {Expected} outbox rows, {AveragePerSecond:0}/s average (first to last), {PeakPerSecond}/s busiest second, drained {DrainSeconds:0.0} s after the last inbound ack";
}

internal sealed record Notify(long Complaints, double[] Queued, double[] Delivered)
{
    public static double P(double[] a, double q) => a.Length == 0 ? double.NaN : a[(int)Math.Min(a.Length - 1, Math.Floor(q * a.Length))];

    public override string ToString() =>
        $"{Complaints} complaints; queued for {Queued.Length}: p50 {P(Queued, .5):0} p95 {P(Queued, .95):0} p99 {P(Queued, .99):0} ms; " +
        $"at the fake Telegram for {Delivered.Length}: p50 {P(Delivered, .5):0} p95 {P(Delivered, .95):0} p99 {P(Delivered, .99):0} ms";
}

internal sealed class Report(LoadSettings s)
{
    public LoadResult? Closed { get; set; }
    public Outbound? ClosedOutbound { get; set; }
    public double ClosedCores { get; set; }
    public double ClosedCpuMsPerMessage { get; set; }
    public double OpenCpuMsPerMessage { get; set; }
    public double ClosedRssMb { get; set; }
    public Notify? ClosedNotify { get; set; }
    public LoadResult? Open { get; set; }
    public Outbound? OpenOutbound { get; set; }
    public double OpenCores { get; set; }
    public double OpenRssMb { get; set; }
    public Notify? OpenNotify { get; set; }
    public Dictionary<string, (LoadResult Closed, LoadResult Open, double RssMb)> Floors { get; } = [];
    public WriterProfile ClosedWriter { get; set; } = new(0, 0, 0, 0, 0);
    public WriterProfile OpenWriter { get; set; } = new(0, 0, 0, 0, 0);
    public double ClosedDbCpuMsPerMessage { get; set; }

    private string Store => s.Postgres ? "PostgreSQL" : $"SQLite {s.Synchronous.ToUpperInvariant()}";

    public void Print(string load) => Console.WriteLine(Text(load));

    public string Text(string load)
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"# LaporBot load bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at the end {load}");
        b.AppendLine(CultureInfo.InvariantCulture, $"# {(s.Postgres ? "PostgreSQL 15 (fsync on)" : $"SQLite synchronous={s.Synchronous}")}, {s.Citizens} conversations closed loop on {s.Connections} connections, open loop {s.Rate}/s for {s.OpenSeconds} s, provider pace {s.MessagesPerSecond}/s, {s.Senders} senders per channel");
        b.AppendLine("| run | msg/s | ack p50 | p95 | p99 | max | failures |");
        b.AppendLine("|---|---|---|---|---|---|---|");
        void Row(LoadResult? r)
        {
            if (r is not null)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Throughput:0} | {r.P(.5):0.0} ms | {r.P(.95):0.0} ms | {r.P(.99):0.0} ms | {r.Max:0} ms | {r.Failures} |");
            }
        }
        Row(Closed);
        Row(Open);
        foreach (var (_, f) in Floors)
        {
            Row(f.Closed);
            Row(f.Open);
        }
        b.AppendLine();
        if (Closed is not null)
        {
            foreach (var (sync, f) in Floors)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"LaporBot closed loop / floor {sync} closed loop = {Closed.Throughput / f.Closed.Throughput:0.00}×");
            }
        }
        b.AppendLine(CultureInfo.InvariantCulture, $"outbound, closed loop: {ClosedOutbound}");
        b.AppendLine(CultureInfo.InvariantCulture, $"outbound, open loop: {OpenOutbound}");
        b.AppendLine(CultureInfo.InvariantCulture, $"submission → agency notification, closed loop: {ClosedNotify}");
        b.AppendLine(CultureInfo.InvariantCulture, $"submission → agency notification, open loop: {OpenNotify}");
        if (Closed is not null)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"writer, closed loop: {ClosedWriter.Describe(Closed.Seconds)}");
        }
        if (Open is not null)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"writer, open loop: {OpenWriter.Describe(Open.Seconds)}");
        }
        if (s.Postgres)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL server processes, closed loop: {ClosedDbCpuMsPerMessage:0.00} ms CPU per inbound message (on top of the app's)");
        }
        b.AppendLine(CultureInfo.InvariantCulture, $"app process: closed loop {ClosedCores:0.00} cores ({ClosedCpuMsPerMessage:0.00} ms CPU per inbound message), peak RSS {ClosedRssMb:0} MB; open loop {OpenCores:0.00} cores ({OpenCpuMsPerMessage:0.00} ms CPU per message), peak RSS {OpenRssMb:0} MB");
        return b.ToString();
    }

    /// <summary>Two bar groups: throughput (closed loop) and ack p99 (open loop), LaporBot beside the floors.</summary>
    public string Svg()
    {
        var bars = new List<(string Label, double Msgs, double P99)>();
        if (Closed is not null && Open is not null)
        {
            bars.Add(($"LaporBot ({Store})", Closed.Throughput, Open.P(.99)));
        }
        foreach (var (sync, f) in Floors)
        {
            bars.Add(($"floor {sync}", f.Closed.Throughput, f.Open.P(.99)));
        }
        const int W = 720, H = 360, left = 150, barH = 26;
        var maxMsgs = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(x => x.Msgs));
        var maxP99 = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(x => double.IsFinite(x.P99) ? x.P99 : 0));
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"13\">");
        sb.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Inbound msg/s, closed loop ({s.Connections} connections, whole conversations)</text>");
        var y = 36;
        foreach (var (label, msgs, _) in bars)
        {
            var w = (W - left - 90) * msgs / maxMsgs;
            sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + 18}\">{label}</text><rect x=\"{left}\" y=\"{y}\" width=\"{w:0}\" height=\"{barH}\" fill=\"{(label.StartsWith("LaporBot", StringComparison.Ordinal) ? "#1f6feb" : "#8b949e")}\"/><text x=\"{left + w + 6:0}\" y=\"{y + 18}\">{msgs:0}</text>");
            y += barH + 8;
        }
        y += 24;
        sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y}\" font-size=\"15\" font-weight=\"bold\">Ack p99 (ms), open loop at {s.Rate:0} msg/s</text>");
        y += 14;
        foreach (var (label, _, p99) in bars)
        {
            var w = double.IsFinite(p99) ? (W - left - 90) * p99 / maxP99 : 0;
            sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + 18}\">{label}</text><rect x=\"{left}\" y=\"{y}\" width=\"{Math.Max(1, w):0}\" height=\"{barH}\" fill=\"{(label.StartsWith("LaporBot", StringComparison.Ordinal) ? "#1f6feb" : "#8b949e")}\"/><text x=\"{left + w + 6:0}\" y=\"{y + 18}\">{p99:0.0}</text>");
            y += barH + 8;
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{H - 10}\" font-size=\"11\" fill=\"#555\">{Environment.ProcessorCount} cores, LaporBot on {Store}, floors on SQLite, load generator and fake providers on the same machine, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC</text>");
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}

/// <summary>
/// What the single writer (group commit) did, from the app's own counters at /metrics
/// (laporbot_write_*): batches, units, and the seconds spent beginning (waiting for the write lock),
/// running the units, and committing. The difference of two readings covers one loop.
/// </summary>
internal sealed record WriterProfile(double Batches, double Units, double Begin, double Work, double Commit)
{
    public static async Task<WriterProfile> ReadAsync(string baseUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync(baseUrl + "/metrics");
        double Value(string series) => text.Split('\n')
            .Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        return new(Value("laporbot_write_batches_total"), Value("laporbot_write_units_total"),
            Value("laporbot_write_seconds_total{phase=\"begin\"}"), Value("laporbot_write_seconds_total{phase=\"work\"}"),
            Value("laporbot_write_seconds_total{phase=\"commit\"}"));
    }

    public static WriterProfile operator -(WriterProfile a, WriterProfile b) =>
        new(a.Batches - b.Batches, a.Units - b.Units, a.Begin - b.Begin, a.Work - b.Work, a.Commit - b.Commit);

    public string Describe(double seconds)
    {
        if (Batches <= 0)
        {
            return "no batches";
        }
        var busy = (Begin + Work + Commit) / seconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Batches:0} batches, {Units / Batches:0.0} units per batch; per batch: begin {Begin / Batches * 1000:0.00} ms, " +
            $"work {Work / Batches * 1000:0.00} ms ({Work / Units * 1e6:0} µs per unit), commit {Commit / Batches * 1000:0.00} ms; writer busy {busy:P0} of the loop");
    }
}
