using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>Outbox → sendMessage against the fake Bot API: flood control and blocked users. On SQLite and on PostgreSQL.</summary>
public abstract class TelegramDeliveryTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TelegramDeliveryTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TelegramDeliveryTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [SkippableFact]
    public async Task A_429_is_retried_after_retry_after_and_the_reply_is_delivered_once()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);
        kit.Fake.Script("sendMessage", 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");

        await kit.PostAsync(TelegramTestKit.TextUpdate(734120400, "halo"));

        await Db.EventuallyAsync(async () => await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1, "sent after the wait");
        var calls = kit.Fake.CallsTo("sendMessage");
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Body, calls[1].Body);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {calls[1].At - calls[0].At}");
        Assert.Equal(2, await kit.CountAsync("SELECT attempts FROM outbox"));
        Assert.Equal(0, await kit.CountAsync("SELECT COUNT(*) FROM reporters WHERE unreachable_at IS NOT NULL"));
    }

    [SkippableFact]
    public async Task A_user_who_blocked_the_bot_gets_a_dead_message_and_is_marked_unreachable()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);
        kit.Fake.Script("sendMessage", 403, TestData.Text("telegram/error-403-blocked.json"));

        await kit.PostAsync(TelegramTestKit.TextUpdate(734120500, "halo"));

        await Db.EventuallyAsync(async () => await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'dead'") == 1, "dead");
        Assert.Single(kit.Fake.CallsTo("sendMessage"));
        Assert.Contains("bot was blocked by the user", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT last_error FROM outbox"));
        await Db.EventuallyAsync(async () => await kit.CountAsync(
            $"SELECT COUNT(*) FROM reporters WHERE channel = 'telegram' AND address = '{TelegramTestKit.ChatId}' AND unreachable_at IS NOT NULL") == 1,
            "reporter unreachable");
    }

    [SkippableFact]
    public async Task Replies_to_one_chat_are_spaced_by_the_per_chat_interval()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?> { ["Telegram:PerChatInterval"] = "00:00:00.500" }, backend: Backend);

        await kit.PostAsync(TelegramTestKit.TextUpdate(734120600, "halo"));
        await kit.PostAsync(TelegramTestKit.TextUpdate(734120601, "Siti Rahayu"));

        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendMessage").Count == 2), "both sent");
        var calls = kit.Fake.CallsTo("sendMessage");
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(450), $"second reply after {calls[1].At - calls[0].At}");
    }
}
