using System.Net;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>The bot token is in every Bot API path; nothing of it may reach the logs (docs/STYLE.md habit 5).
/// SQLite only: what reaches the logs does not depend on the store; LogHygieneTests runs on both.</summary>
public class TelegramLogTests
{
    [Fact]
    public async Task The_bot_token_and_webhook_secret_never_reach_the_logs()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http"] = "Trace",
            ["Telegram:PublicWebhookUrl"] = "https://lapor.example.go.id/webhooks/telegram",
            ["Outbox:InitialBackoff"] = "00:00:00.100",
        }, arrange: fake =>
        {
            fake.FileStatus = HttpStatusCode.InternalServerError;
            fake.Script("sendMessage", 502, TestData.Text("telegram/error-502.json"));
        });

        string[] said = ["halo", "Siti Rahayu", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", "sama",
            "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan", "ya"];
        for (var i = 0; i < said.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await kit.PostAsync(TelegramTestKit.TextUpdate(734120700 + i, said[i]))).StatusCode);
        }
        await kit.PostAsync(TestData.Text("telegram/update-photo.json"));                  // a download that fails
        await kit.PostAsync(TestData.Text("telegram/update-text.json"), secret: "wrong");  // a refused webhook
        await Db.EventuallyAsync(async () => await kit.CountAsync("SELECT COUNT(*) FROM complaints") == 1, "complaint stored");
        await Db.EventuallyAsync(async () => await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 7, "every reply sent");

        // A failing delivery: the citizen blocks the bot.
        kit.Fake.Script("sendMessage", 403, TestData.Text("telegram/error-403-blocked.json"));
        await kit.PostAsync(TelegramTestKit.TextUpdate(734120799, "menu"));
        await Db.EventuallyAsync(async () => await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'dead'") == 1, "dead letter");
        var logs = kit.App.Logs;
        await kit.StopAppAsync(); // shutdown logs count too

        Assert.Contains("Telegram sendMessage failed", logs.All);    // the failures were logged …
        Assert.Contains("not downloaded", logs.All);
        Assert.Contains("webhook refused", logs.All);
        Assert.DoesNotContain(FakeTelegramServer.Token, logs.All);   // … without the token,
        Assert.DoesNotContain("TEST-token-abc", logs.All);           // its secret part,
        Assert.DoesNotContain(TelegramTestKit.Secret, logs.All);     // or the webhook secret
    }
}
