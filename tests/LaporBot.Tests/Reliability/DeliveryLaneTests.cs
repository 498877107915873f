using System.Diagnostics;
using Dapper;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Tests.Channels.Telegram;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// Defects 3, 4 and 6 of issue 9, and the claim half of 5: one channel's backlog blocked every
/// other channel; a crash left claimed messages invisible for the whole lease; retries waited for
/// the sweep; the claim query sorted the whole queue inside the write lock.
/// </summary>
public abstract class DeliveryLaneTests(ITestOutputHelper output)
{
    /// <summary>The database the lanes claim from: each test runs on SQLite and on PostgreSQL.</summary>
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite(ITestOutputHelper output) : DeliveryLaneTests(output)
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres(ITestOutputHelper output) : DeliveryLaneTests(output)
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    /// <summary>
    /// The WhatsApp provider stalls every send (a burst it cannot keep up with) while a Telegram
    /// citizen writes: the Telegram reply goes out anyway. Before the fix the single dispatch loop
    /// stood in line behind the stalled WhatsApp sends and the Telegram reply never left.
    /// </summary>
    [SkippableFact]
    public async Task A_stalled_WhatsApp_backlog_does_not_delay_a_Telegram_reply_and_nothing_is_lost_or_doubled()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Twilio:TimeoutSeconds"] = "120",
            ["Telegram:Enabled"] = "true",
            ["Telegram:BotToken"] = FakeTelegramServer.Token,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram:WebhookSecret"] = TelegramTestKit.Secret,
            ["Telegram:PerChatInterval"] = "00:00:00",
        }, backend: Backend);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Api.HandleAsync(async r =>
        {
            if (r.Path.EndsWith("/Messages.json", StringComparison.Ordinal))
            {
                await gate.Task;
            }
            return h.DefaultReply(r);
        });
        const int citizens = 20;
        for (var i = 0; i < citizens; i++)
        {
            Assert.True((await h.SayAsync("halo", from: $"whatsapp:+62812000{i:D5}")).IsSuccessStatusCode);
        }
        await Db.EventuallyAsync(() => Task.FromResult(h.Api.To("/Messages.json").Count > 0), "the WhatsApp lane is busy sending");

        var watch = Stopwatch.StartNew();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(TelegramTestKit.TextUpdate(1, "halo"), System.Text.Encoding.UTF8, "application/json") })
        {
            request.Headers.Add(LaporBot.Channels.Telegram.TelegramSecret.HeaderName, TelegramTestKit.Secret);
            Assert.True((await h.Http.SendAsync(request)).IsSuccessStatusCode);
        }
        await Db.EventuallyAsync(() => Task.FromResult(telegram.CallsTo("sendMessage").Count == 1), "the Telegram citizen got the reply", 60_000);
        output.WriteLine($"Telegram reply {watch.ElapsedMilliseconds} ms after the update, during a stalled WhatsApp backlog of {citizens}");
        Assert.Equal(0, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio' AND status = 'sent'"));

        gate.SetResult();
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(h.App.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio' AND status = 'sent'") == citizens, "every WhatsApp reply delivered", 60_000);
        var perCitizen = h.Sent.GroupBy(r => r.Form["To"]).Select(g => g.Count()).ToList();
        Assert.Equal(citizens, perCitizen.Count);
        Assert.All(perCitizen, n => Assert.Equal(1, n)); // none sent twice
    }

    [SkippableFact]
    public async Task Staff_notifications_go_ahead_of_a_channels_citizen_backlog()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" }, backend: Backend);
        var db = kit.App.Service<IDatabase>();
        var now = DateTimeOffset.UtcNow;
        await using (var s = await db.BeginAsync())
        {
            var reporter = await s.Connection.ExecuteScalarAsync<long>(
                "INSERT INTO reporters (channel, address, created_at) VALUES ('telegram', '111', @now) RETURNING id",
                new { now = now.ToUnixTimeMilliseconds() }, s.Transaction);
            for (var i = 0; i < 5; i++)
            {
                await OutboxStore.EnqueueAsync(s, "telegram", (111 + i).ToString(), reporter, null, $"balasan {i}", [], now);
            }
            await OutboxStore.EnqueueAsync(s, "telegram", "9001", null, null, "Aduan baru untuk instansi", [], now);
            await s.CommitAsync();
        }

        await kit.App.Service<OutboxDispatcher>().DispatchOnceAsync(CancellationToken.None);

        var order = kit.Fake.CallsTo("sendMessage").Select(c => c.Json.GetProperty("chat_id").GetInt64()).ToList();
        Assert.Equal(6, order.Count);
        Assert.Equal(9001, order[0]);
    }

    /// <summary>
    /// kill -9 mid-send leaves a claim with a two-minute lease. The restarted instance releases its own
    /// claims at once; another live instance's claim is left alone.
    /// </summary>
    [SkippableFact]
    public async Task After_a_crash_the_restarted_instance_sends_what_it_held_at_once_and_leaves_others_claims_alone()
    {
        var mine = new Dictionary<string, string?> { ["Outbox:InstanceId"] = "node-a", ["Outbox:DispatcherEnabled"] = "false" };
        await using var kit = await TelegramTestKit.StartAsync(mine, backend: Backend);
        await kit.PostAsync(TelegramTestKit.TextUpdate(1, "halo", chatId: 501));
        await kit.PostAsync(TelegramTestKit.TextUpdate(2, "halo", chatId: 502));
        var until = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeMilliseconds();
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE outbox SET claimed_until = @until, attempts = 1, claimed_by = 'node-a' WHERE recipient = '501'", new { until });
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE outbox SET claimed_until = @until, attempts = 1, claimed_by = 'node-b' WHERE recipient = '502'", new { until });
        await kit.StopAppAsync();

        var watch = Stopwatch.StartNew();
        await kit.StartAppAsync(new Dictionary<string, string?> { ["Outbox:InstanceId"] = "node-a" });
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendMessage").Count >= 1), "the held reply is sent after the restart", 60_000);
        output.WriteLine($"held reply sent {watch.ElapsedMilliseconds} ms after the restart began (lease: 2 min)");

        var sent = Assert.Single(kit.Fake.CallsTo("sendMessage"));
        Assert.Equal(501, sent.Json.GetProperty("chat_id").GetInt64());
        Assert.Equal("pending", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT status FROM outbox WHERE recipient = '502'"));
        Assert.Equal(2, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT attempts FROM outbox WHERE recipient = '501'"));
    }

    /// <summary>Telegram says "retry after 1 s"; the sweep is five minutes away. The retry fires when due.</summary>
    [SkippableFact]
    public async Task A_retry_fires_when_it_is_due_not_at_the_next_sweep()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?> { ["Outbox:SweepInterval"] = "00:05:00" },
            backend: Backend, arrange: f => f.Script("sendMessage", 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"""));

        await kit.PostAsync(TelegramTestKit.TextUpdate(1, "halo"));

        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendMessage").Count == 2), "the retry went out", 60_000);
        var calls = kit.Fake.CallsTo("sendMessage");
        var gap = calls[1].At - calls[0].At;
        output.WriteLine($"retry after {gap.TotalMilliseconds:0} ms (Retry-After 1 s, sweep 5 min)");
        Assert.True(gap >= TimeSpan.FromSeconds(0.9), $"the retry waited {gap}");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT status FROM outbox") == "sent", "recorded as sent");
    }
}

/// <summary>
/// SQLite only: this reads SQLite's query plan for the claim's candidate search. On PostgreSQL the
/// same search runs over the same partial indexes inside one FOR UPDATE SKIP LOCKED statement
/// (OutboxStore.ClaimNextAsync); its behaviour is covered by the lane tests above and the store suite.
/// </summary>
public class DeliveryLanePlanTests(ITestOutputHelper output)
{
    /// <summary>The claim query reads an index in order: no sort of the queue, no scan of sent rows.</summary>
    [Fact]
    public async Task The_claim_query_is_answered_from_indexes_without_a_sort()
    {
        await using var app = new LaporApp(settings: new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" });
        app.CreateClient().Dispose();
        await using var c = new SqliteConnection($"Data Source={app.DatabasePath}");
        await c.OpenAsync();
        var plan = (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + OutboxStore.NextCandidatesSql, new { channel = "telegram", now = 0L, limit = 64 })).Select(p => p.Detail).ToList();
        output.WriteLine(string.Join("\n", plan));

        Assert.Contains(plan, d => d.Contains("ix_outbox_lane", StringComparison.Ordinal));
        Assert.Contains(plan, d => d.Contains("ix_outbox_chat_pending", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.Contains("TEMP B-TREE", StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
    }
}
