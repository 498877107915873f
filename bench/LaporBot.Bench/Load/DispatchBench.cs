using System.Diagnostics;
using System.Globalization;
using Dapper;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LaporBot.Bench.Load;

/// <summary>
/// The dispatcher alone: a backlog of replies already in the outbox (queued by the app's own
/// <see cref="OutboxStore.EnqueueAsync"/>), LaporBot started in its own process with the providers'
/// pace raised, and fake Twilio and Telegram servers on loopback that accept every send. Measures
/// how fast the backlog reaches the fakes, first send to last (target: at least 2,000 sends/s).
/// </summary>
internal static class DispatchBench
{
    public static async Task RunAsync(int messages, string synchronous, double mps, int senders)
    {
        var dir = Path.Combine(Path.GetTempPath(), "laporbot-dispatch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var dbPath = Path.Combine(dir, "dispatch.db");
        Console.WriteLine($"LaporBot dispatch bench: {Environment.ProcessorCount} cores, load average {LoadBench.LoadAverage()}, {messages} queued replies, " +
            $"synchronous={synchronous}, provider pace {mps}/s, {senders} senders per channel");
        try
        {
            await QueueAsync(dbPath, messages, synchronous);
            await using var fake = await FakeProviders.StartAsync([]);
            var env = new Dictionary<string, string>
            {
                ["Outbox__SendersPerChannel"] = senders.ToString(CultureInfo.InvariantCulture),
            };
            var watch = Stopwatch.StartNew();
            await using var app = await LoadBench.StartAppAsync(dir, "dispatch", new LoadSettings { Synchronous = synchronous, MessagesPerSecond = mps }, fake, env);
            app.Mark();
            var limit = TimeSpan.FromSeconds(120);
            while (fake.Total < messages && watch.Elapsed < limit)
            {
                await Task.Delay(100);
            }
            var cores = app.CoresSinceMark();
            var times = fake.SendTimes.ToArray();
            Array.Sort(times);
            var seconds = times.Length > 1 ? Stopwatch.GetElapsedTime(times[0], times[^1]).TotalSeconds : double.NaN;
            await using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=false");
            await c.OpenAsync();
            var marked = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE status = 'sent'");
            Console.WriteLine($"dispatch: {times.Length} of {messages} sends reached the fakes in {seconds:0.00} s (first to last) = {times.Length / seconds:0} sends/s; " +
                $"{marked} marked sent so far; app {cores:0.00} cores, peak RSS {app.PeakRssMb():0} MB; load average {LoadBench.LoadAverage()}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Half to Twilio WhatsApp, half to Telegram; four replies per chat, so chats' order matters as in real use.</summary>
    private static async Task QueueAsync(string dbPath, int messages, string synchronous)
    {
        var db = new SqliteDatabase($"Data Source={dbPath}", Options.Create(new DatabaseOptions { SqliteSynchronous = synchronous }));
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        await using var s = await db.BeginAsync();
        var reporters = new Dictionary<string, long>();
        for (var i = 0; i < messages; i++)
        {
            var chat = i / 2 % Math.Max(1, messages / 8);
            var (channel, recipient) = i % 2 == 0 ? ("twilio", $"whatsapp:+62813{chat:D8}") : ("telegram", (7_000_000_000L + chat).ToString(CultureInfo.InvariantCulture));
            if (!reporters.TryGetValue(channel + recipient, out var reporter))
            {
                reporter = await s.Connection.ExecuteScalarAsync<long>(
                    "INSERT INTO reporters (channel, address, language, last_inbound_at, created_at) VALUES (@channel, @recipient, 'id', @now, @now) RETURNING id",
                    new { channel, recipient, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
                reporters[channel + recipient] = reporter;
            }
            await OutboxStore.EnqueueAsync(s, channel, recipient, reporter, null, $"Balasan nomor {i} untuk Anda.", [], now);
        }
        await s.CommitAsync();
    }
}
