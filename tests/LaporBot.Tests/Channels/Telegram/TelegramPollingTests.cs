using LaporBot.Channels.Telegram;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>getUpdates against the fake Bot API: every update handled once, across restarts. On SQLite and on PostgreSQL.</summary>
public abstract class TelegramPollingTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TelegramPollingTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TelegramPollingTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static readonly Dictionary<string, string?> Polling = new()
    {
        ["Telegram:UsePolling"] = "true",
        ["Telegram:WebhookSecret"] = "",
    };

    private static Task<string?> OffsetAsync(TelegramTestKit kit) =>
        Db.ScalarAsync<string?>(kit.DatabasePath, "SELECT value FROM channel_cursors WHERE name = @name", new { name = TelegramPolling.CursorName });

    [SkippableFact]
    public async Task Updates_are_processed_once_the_offset_is_stored_and_a_restart_resumes_from_it()
    {
        await using var kit = await TelegramTestKit.StartAsync(Polling, arrange: fake =>
        {
            fake.AddUpdate(TelegramTestKit.TextUpdate(734120001, "halo"));
            fake.AddUpdate(TestData.Text("telegram/update-callback.json")); // 734120013: a button press from a non-staff user: refused; the offset still moves past it
            fake.AddUpdate(TelegramTestKit.TextUpdate(734120020, "Siti Rahayu"));
        }, backend: Backend);

        await Db.EventuallyAsync(async () => await OffsetAsync(kit) == "734120021", "offset stored after the last update");
        Assert.Equal(2, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendMessage").Count == 3), "both replies and the refusal sent");

        var first = kit.Fake.Calls.First(c => c.Method is "deleteWebhook" or "getUpdates");
        Assert.Equal("deleteWebhook", first.Method);
        var poll = kit.Fake.CallsTo("getUpdates")[0].Json;
        Assert.Equal(25, poll.GetProperty("timeout").GetInt32());
        Assert.Equal(["message", "callback_query"], poll.GetProperty("allowed_updates").EnumerateArray().Select(e => e.GetString()));
        Assert.False(poll.TryGetProperty("offset", out _)); // nothing stored yet on a fresh database

        // Restart on the same database. The fake still offers every update whose id is >= the offset asked for,
        // so a poller that forgot its offset would be handed all three again.
        await kit.StopAppAsync();
        var callsBefore = kit.Fake.Calls.Count;
        kit.Fake.AddUpdate(TelegramTestKit.TextUpdate(734120021, "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah"));
        await kit.StartAppAsync(Polling);

        await Db.EventuallyAsync(async () => await OffsetAsync(kit) == "734120022", "the new update handled after the restart");
        var polls = kit.Fake.Calls.Skip(callsBefore).Where(c => c.Method == "getUpdates").ToList();
        Assert.Equal(734120021, polls[0].Json.GetProperty("offset").GetInt64());
        Assert.Equal(3, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        // Three replies to the citizen, plus the polite refusal to the stranger who pressed a staff button.
        Assert.Equal(3, await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE recipient = '5123456789'"));
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE body LIKE '%hanya untuk petugas%'"));
        Assert.DoesNotContain(kit.App.Logs.Lines, l => l.Contains("already processed"));
    }

    [SkippableFact]
    public async Task One_unreadable_update_in_a_batch_is_skipped_and_the_rest_of_the_batch_is_handled()
    {
        // Telegram.Bot's own getUpdates would fail the whole batch on the bad one, every poll, forever.
        await using var kit = await TelegramTestKit.StartAsync(Polling, arrange: fake =>
        {
            fake.AddUpdate(TelegramTestKit.TextUpdate(734120070, "halo"));
            fake.AddUpdate("""{"update_id":734120071,"message":{"message_id":71,"date":"kemarin","chat":{"id":5123456789,"type":"private"},"text":"x"}}""");
            fake.AddUpdate("""{"update_id":734120072,"message":{"message_id":72,"date":1752545647,"text":"pesan tanpa chat"}}""");
            fake.AddUpdate(TelegramTestKit.TextUpdate(734120073, "Siti Rahayu"));
        }, backend: Backend);

        await Db.EventuallyAsync(async () => await OffsetAsync(kit) == "734120074", "offset past the whole batch");
        Assert.Equal(["734120070", "734120073"],
            await Db.QueryAsync<string>(kit.DatabasePath, "SELECT provider_message_id FROM inbound_messages ORDER BY id"));
        Assert.Contains(kit.App.Logs.Lines, l => l.Contains("734120071 could not be read and is skipped"));
        Assert.Contains(kit.App.Logs.Lines, l => l.Contains("734120072 could not be read and is skipped: message without chat"));
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendMessage").Count == 2), "both good updates answered");
        // The poll after the batch confirms all four (Telegram drops them), not just the readable ones.
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("getUpdates").Any(c =>
            c.Json.TryGetProperty("offset", out var o) && o.GetInt64() == 734120074)), "the next poll confirms the whole batch");
    }

    [SkippableFact]
    public async Task A_flood_wait_on_getUpdates_is_honoured_before_polling_again()
    {
        await using var kit = await TelegramTestKit.StartAsync(Polling, arrange: fake =>
        {
            fake.Script("getUpdates", 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");
            fake.AddUpdate(TelegramTestKit.TextUpdate(734120050, "halo"));
        }, backend: Backend);

        await Db.EventuallyAsync(async () => await OffsetAsync(kit) == "734120051", "the update handled after the wait");
        var polls = kit.Fake.CallsTo("getUpdates");
        Assert.True(polls[1].At - polls[0].At >= TimeSpan.FromMilliseconds(900), $"polled again after {polls[1].At - polls[0].At}");
        Assert.Contains(kit.App.Logs.Lines, l => l.Contains("getUpdates failed") && l.Contains("Too Many Requests"));
    }

    [SkippableFact]
    public async Task When_the_database_refuses_an_update_the_offset_does_not_move_and_the_update_is_fetched_again()
    {
        await using var kit = await TelegramTestKit.StartAsync(Polling, backend: Backend);
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("getUpdates").Count > 0), "polling started");
        await Db.FailInsertsAsync(kit.DatabasePath, "inbound_messages");

        kit.Fake.AddUpdate(TelegramTestKit.TextUpdate(734120060, "halo"));
        await Db.EventuallyAsync(() => Task.FromResult(kit.App.Logs.Lines.Any(l => l.Contains("734120060 could not be stored"))), "the failure logged");
        Assert.Null(await OffsetAsync(kit));

        await Db.StopFailingInsertsAsync(kit.DatabasePath, "inbound_messages");
        await Db.EventuallyAsync(async () => await OffsetAsync(kit) == "734120061", "stored on a later poll");
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM outbox"));
    }

    [SkippableFact]
    public async Task Shutdown_stops_a_long_poll_promptly()
    {
        await using var kit = await TelegramTestKit.StartAsync(Polling, arrange: fake => fake.MaxLongPoll = TimeSpan.FromSeconds(25), backend: Backend); // hold the request as Telegram would
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("getUpdates").Count > 0), "a poll in flight");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await kit.StopAppAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {watch.Elapsed}");
    }

    [SkippableFact]
    public async Task Webhook_mode_registers_the_public_url_with_the_secret_at_start_up()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:PublicWebhookUrl"] = "https://lapor.example.go.id/webhooks/telegram",
        }, backend: Backend);

        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("setWebhook").Count == 1), "setWebhook called");
        var body = kit.Fake.CallsTo("setWebhook")[0].Json;
        Assert.Equal("https://lapor.example.go.id/webhooks/telegram", body.GetProperty("url").GetString());
        Assert.Equal(TelegramTestKit.Secret, body.GetProperty("secret_token").GetString());
        Assert.Equal(["message", "callback_query"], body.GetProperty("allowed_updates").EnumerateArray().Select(e => e.GetString()));
        await Db.EventuallyAsync(() => Task.FromResult(kit.App.Logs.Lines.Any(l => l.Contains("Telegram webhook registered for lapor.example.go.id"))), "success logged");
        Assert.Empty(kit.Fake.CallsTo("getUpdates"));
        Assert.Empty(kit.Fake.CallsTo("deleteWebhook"));
    }

    [SkippableFact]
    public async Task A_refused_setWebhook_is_logged_without_the_token()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:PublicWebhookUrl"] = "https://lapor.example.go.id/webhooks/telegram",
        }, arrange: fake => fake.Script("setWebhook", 400,
            """{"ok":false,"error_code":400,"description":"Bad Request: bad webhook: HTTPS url must be provided for webhook"}"""), backend: Backend);

        await Db.EventuallyAsync(() => Task.FromResult(kit.App.Logs.Lines.Any(l => l.Contains("setWebhook for lapor.example.go.id failed"))), "failure logged");
        Assert.Single(kit.Fake.CallsTo("setWebhook")); // a 400 is not retried
        Assert.DoesNotContain("TEST-token-abc", kit.App.Logs.All);
    }
}
