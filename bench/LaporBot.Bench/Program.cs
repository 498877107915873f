using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Usage:
//   dotnet run -c Release --project bench/LaporBot.Bench -- turn [turns]   one turn = engine + one SQLite transaction
//   dotnet run -c Release --project bench/LaporBot.Bench -- engine         the pure dialog engine (BenchmarkDotNet)
//   dotnet run -c Release --project bench/LaporBot.Bench -- routing [n]    submission → agency notification queued, real Quartz
//   dotnet run -c Release --project bench/LaporBot.Bench -- load [options] the whole app under signed webhooks vs the floor (bench/README.md)
//   dotnet run -c Release --project bench/LaporBot.Bench -- dispatch [n] [senders]  the outbox dispatcher alone: n queued replies to fake providers
var mode = args.FirstOrDefault() ?? "turn";
if (mode == "load")
{
    await LaporBot.Bench.Load.LoadBench.RunAsync(LaporBot.Bench.Load.LoadSettings.Parse(args.Skip(1).ToArray()));
    return;
}
if (mode == "dispatch")
{
    await LaporBot.Bench.Load.DispatchBench.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20_000, "Full", 10_000, args.Length > 2 ? int.Parse(args[2]) : 4);
    return;
}
if (mode == "floor-server")
{
    // Started by "load" as a child process: floor-server <port> <database file> <synchronous>.
    await LaporBot.Bench.Load.FloorServer.RunAsync(int.Parse(args[1]), args[2], args[3]);
    return;
}
if (mode == "engine")
{
    // In process: no separate build of a boilerplate project, which on a busy shared machine ran out of
    // BenchmarkDotNet's two-minute build limit before measuring anything.
    BenchmarkRunner.Run<EngineBenchmarks>(
        DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(
            BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)),
        args.Skip(1).ToArray());
    return;
}
if (mode == "routing")
{
    await RoutingBench.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 100);
    return;
}
var turns = args.Length > 1 ? int.Parse(args[1]) : 5000;
foreach (var sync in new[] { "Full", "Normal" })
{
    await TurnBench.RunAsync(turns, sync);
}

internal static class Bench
{
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "LaporBot.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository");
    }

    public static DialogCatalog Dialogs() =>
        new(Options.Create(new ConversationOptions { DialogsDirectory = Path.Combine(RepoRoot(), "dialogs") }), new Env());

    private sealed class Env : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "LaporBot.Bench";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

/// <summary>
/// Wall-clock cost of whole turns through <see cref="TurnProcessor"/> on a SQLite file: store the
/// inbound message, run the dialog, save state (and on every fifth turn a complaint with its
/// tracking number and timeline event), queue the reply — one after another, so each is its own group-commit batch.
/// </summary>
internal static class TurnBench
{
    private static readonly string[] Script =
    [
        "Jalan di depan pasar rusak parah, banyak lubang besar sejak bulan lalu dan sering ada kecelakaan",
        "Budi Santoso",
        "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah",
        "ya",
    ];

    public static async Task RunAsync(int turns, string synchronous)
    {
        var dir = Path.Combine(Path.GetTempPath(), "laporbot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var db = new SqliteDatabase($"Data Source={Path.Combine(dir, "bench.db")}", Options.Create(new DatabaseOptions { SqliteSynchronous = synchronous }));
            await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
            await using var writes = new GroupCommit(db, NullLogger<GroupCommit>.Instance);
            var processor = new TurnProcessor(writes, Bench.Dialogs(), new TrackingNumbers(Options.Create(new ComplaintOptions())),
                new OutboxSignal(), TimeProvider.System, Options.Create(new ConversationOptions()), NullLogger<TurnProcessor>.Instance);

            // Warm-up: JIT, connection pool, page cache.
            for (var i = 0; i < 200; i++)
            {
                await processor.ProcessAsync(Message(i, "warm"));
            }
            var samples = new double[turns];
            var total = Stopwatch.StartNew();
            for (var i = 0; i < turns; i++)
            {
                var m = Message(i, "citizen");
                var sw = Stopwatch.StartNew();
                await processor.ProcessAsync(m);
                samples[i] = sw.Elapsed.TotalMilliseconds;
            }
            total.Stop();
            Array.Sort(samples);
            double P(double q) => samples[(int)Math.Min(samples.Length - 1, Math.Floor(q * samples.Length))];
            Console.WriteLine(
                $"turn  synchronous={synchronous,-6} turns={turns}  mean={samples.Average():0.000} ms  p50={P(0.50):0.000} ms  p95={P(0.95):0.000} ms  p99={P(0.99):0.000} ms  throughput={turns / total.Elapsed.TotalSeconds:0} turns/s");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    // Citizens each run the four-message script, so one turn in four submits a complaint.
    private static InboundMessage Message(int i, string who) => new(
        "simulator", $"{who}-{i}", $"{who}-{i / Script.Length}", null, Script[i % Script.Length], null,
        InboundMessage.NoAttachments, DateTimeOffset.UtcNow);
}

[MemoryDiagnoser]
public class EngineBenchmarks
{
    private DialogEngine _engine = null!;
    private ConversationState _atAddress = null!;
    private DialogContext _ctx = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = Bench.Dialogs().Engine;
        _ctx = new DialogContext(DateTimeOffset.UtcNow, TimeSpan.FromHours(24), 2000);
        var first = _engine.Handle(null, new DialogInput("halo"), _ctx);
        _atAddress = _engine.Handle(first.State, new DialogInput("Budi Santoso"), _ctx).State;
    }

    [Benchmark]
    public int AnswerAddress() =>
        _engine.Handle(_atAddress, new DialogInput("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah"), _ctx).Outputs.Count;

    [Benchmark]
    public int FirstContact() => _engine.Handle(null, new DialogInput("halo"), _ctx).Outputs.Count;

    [Benchmark]
    public string StateRoundTrip() => ConversationState.FromJson(_atAddress.ToJson()).Step;
}
