using System.Net;
using System.Text;
using System.Text.Json;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>POST /webhooks/telegram against the real app, one row per recorded request (docs/STYLE.md habit 3); on SQLite and on PostgreSQL.</summary>
public abstract class TelegramWebhookTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TelegramWebhookTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TelegramWebhookTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    public enum Secret { Right, Wrong, Missing }

    /// <param name="Label">What the row shows.</param>
    /// <param name="Payload">A file under testdata/telegram, or a generated body (see <see cref="Body"/>).</param>
    /// <param name="Reply">Text the first sendMessage contains, or null when nothing may be sent.</param>
    /// <param name="Times">How often the same request is posted (duplicates).</param>
    public sealed record Case(
        string Label, string Payload, Secret Secret, HttpStatusCode Status, int Stored, string? Reply,
        string ContentType = "application/json", int Times = 1)
    {
        public override string ToString() => Label;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("text", "update-text.json", Secret.Right, HttpStatusCode.OK, 1, "Terima kasih, aduan Anda kami catat"),
        new("text, wrong secret", "update-text.json", Secret.Wrong, HttpStatusCode.Forbidden, 0, null),
        new("text, missing secret", "update-text.json", Secret.Missing, HttpStatusCode.Unauthorized, 0, null),
        new("text twice (Telegram retry)", "update-text.json", Secret.Right, HttpStatusCode.OK, 1, "Terima kasih, aduan Anda kami catat", Times: 2),
        new("text three times", "update-text.json", Secret.Right, HttpStatusCode.OK, 1, "Terima kasih, aduan Anda kami catat", Times: 3),
        new("supergroup command", "update-group.json", Secret.Right, HttpStatusCode.OK, 0, null),
        new("basic group", "update-basic-group.json", Secret.Right, HttpStatusCode.OK, 0, null),
        new("channel post", "update-channel-post.json", Secret.Right, HttpStatusCode.OK, 0, null),
        new("edited message", "update-edited.json", Secret.Right, HttpStatusCode.OK, 0, null),
        new("message from a bot", "update-from-bot.json", Secret.Right, HttpStatusCode.OK, 0, null),
        new("button press from a non-staff user: refused", "update-callback.json", Secret.Right, HttpStatusCode.OK, 0, "hanya untuk petugas"),
        new("my_chat_member (blocked)", "update-my-chat-member.json", Secret.Right, HttpStatusCode.OK, 0, null),
        new("photo with caption", "update-photo.json", Secret.Right, HttpStatusCode.OK, 1, "Terima kasih, aduan Anda kami catat"),
        new("document", "update-document.json", Secret.Right, HttpStatusCode.OK, 1, "Apakah nama Anda <b>Budi</b>?"),
        new("location", "update-location.json", Secret.Right, HttpStatusCode.OK, 1, "Apakah nama Anda <b>Siti Rahayu</b>?"),
        new("sticker", "update-sticker.json", Secret.Right, HttpStatusCode.OK, 1, "Selamat datang"),
        new("/start", "update-start-bare.json", Secret.Right, HttpStatusCode.OK, 1, "Selamat datang"),
        new("/start with a deep-link payload", "update-start.json", Secret.Right, HttpStatusCode.OK, 1, "Selamat datang"),
        new("malformed JSON", "update-malformed.json", Secret.Right, HttpStatusCode.BadRequest, 0, null),
        new("malformed JSON, wrong secret (auth first)", "update-malformed.json", Secret.Wrong, HttpStatusCode.Forbidden, 0, null),
        new("JSON without update_id", "{\"message\":{}}", Secret.Right, HttpStatusCode.BadRequest, 0, null),
        new("message without chat (Telegram.Bot would accept it)", "{\"update_id\":734120900,\"message\":{\"message_id\":1,\"date\":1752545647,\"text\":\"halo\"}}", Secret.Right, HttpStatusCode.BadRequest, 0, null),
        new("button press without sender", "{\"update_id\":734120901,\"callback_query\":{\"id\":\"q\",\"chat_instance\":\"-5\",\"data\":\"accept:LPR-2507-00042\"}}", Secret.Right, HttpStatusCode.BadRequest, 0, null),
        new("wrong content type", "update-text.json", Secret.Right, HttpStatusCode.UnsupportedMediaType, 0, null, ContentType: "application/x-www-form-urlencoded"),
        new("oversized body", "(oversized)", Secret.Right, HttpStatusCode.RequestEntityTooLarge, 0, null),
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Webhook(Case c)
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);
        var secret = c.Secret switch { Secret.Right => TelegramTestKit.Secret, Secret.Wrong => "not-the-secret", _ => null };

        for (var i = 0; i < c.Times; i++)
        {
            var response = await kit.PostAsync(Body(c.Payload), secret, c.ContentType);
            Assert.Equal(c.Status, response.StatusCode);
            if ((int)c.Status >= 400)
            {
                var problem = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("Exception", problem);
                Assert.DoesNotContain(" at ", problem);
            }
        }

        Assert.Equal(c.Stored, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        // Each turn commits its reply to the outbox with the message, so the outbox is the whole truth about replies.
        Assert.Equal(c.Reply is null ? 0 : 1, await kit.CountAsync("SELECT COUNT(*) FROM outbox"));
        if (c.Reply is not null)
        {
            await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendMessage").Count == 1), "the reply on the wire");
            Assert.Contains(c.Reply, kit.Fake.CallsTo("sendMessage")[0].Json.GetProperty("text").GetString());
            await Db.EventuallyAsync(async () => await kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1, "marked sent");
        }
        Assert.Equal(c.Reply is null ? 0 : 1, kit.Fake.CallsTo("sendMessage").Count);
        // Only a button press is answered with answerCallbackQuery (to stop the button's spinner).
        Assert.Equal(c.Payload.Contains("callback") && c.Status == HttpStatusCode.OK ? 1 : 0, kit.Fake.CallsTo("answerCallbackQuery").Count);
    }

    private static byte[] Body(string payload) => payload switch
    {
        "(oversized)" => Encoding.UTF8.GetBytes(TelegramTestKit.TextUpdate(1, new string('a', 300 * 1024))),
        _ when payload.StartsWith('{') => Encoding.UTF8.GetBytes(payload),
        _ => TestData.Bytes("telegram/" + payload),
    };

    [SkippableFact]
    public async Task A_photo_is_fetched_with_getFile_and_kept_under_the_attachment_folder()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);

        var response = await kit.PostAsync(TestData.Text("telegram/update-photo.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var getFile = Assert.Single(kit.Fake.CallsTo("getFile"));
        Assert.Equal("""{"file_id":"AgACAgUAAxkBAAIBlarge"}""", getFile.Body); // the largest size
        var download = Assert.Single(kit.Fake.CallsTo("file"));
        Assert.Equal($"/file/bot{FakeTelegramServer.Token}/photos/file_12.jpg", download.Path);

        var stored = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT attachments FROM inbound_messages");
        var attachment = JsonDocument.Parse(stored).RootElement[0];
        Assert.Equal("tg-file:AgACAgUAAxkBAAIBlarge", attachment.GetProperty("SourceUrl").GetString());
        Assert.Equal("image/jpeg", attachment.GetProperty("ContentType").GetString());
        var file = Path.Combine(kit.AttachmentDir, attachment.GetProperty("LocalPath").GetString()!);
        Assert.Equal(FakeTelegramServer.FileBytes, await File.ReadAllBytesAsync(file));
    }

    [SkippableFact]
    public async Task A_photo_that_cannot_be_downloaded_keeps_its_file_reference_and_the_message_is_still_answered()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);
        kit.Fake.FileStatus = HttpStatusCode.NotFound;

        var response = await kit.PostAsync(TestData.Text("telegram/update-photo.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT attachments FROM inbound_messages");
        var attachment = JsonDocument.Parse(stored).RootElement[0];
        Assert.Equal("tg-file:AgACAgUAAxkBAAIBlarge", attachment.GetProperty("SourceUrl").GetString());
        Assert.True(attachment.GetProperty("LocalPath").ValueKind == JsonValueKind.Null);
        Assert.Contains(kit.App.Logs.Lines, l => l.Contains("not downloaded") && l.Contains("HTTP 404"));
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM outbox"));
    }

    [SkippableFact]
    public async Task A_shared_location_is_stored_with_its_coordinates()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);

        await kit.PostAsync(TestData.Text("telegram/update-location.json"));

        var (lat, lon) = (await Db.QueryAsync<(double, double)>(kit.DatabasePath, "SELECT latitude, longitude FROM inbound_messages")).Single();
        Assert.Equal((-7.726952, 109.015432), (lat, lon));
    }

    [SkippableFact]
    public async Task Ignored_updates_are_logged_with_the_reason()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);

        await kit.PostAsync(TestData.Text("telegram/update-edited.json"));
        await kit.PostAsync(TestData.Text("telegram/update-group.json"));

        Assert.Contains(kit.App.Logs.Lines, l => l.Contains("734120010 ignored: edited_message"));
        Assert.Contains(kit.App.Logs.Lines, l => l.Contains("734120007 ignored: supergroup chat"));
    }

    [SkippableFact]
    public async Task The_webhook_is_not_there_when_Telegram_is_disabled()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?> { ["Telegram:Enabled"] = "false" }, backend: Backend);

        var response = await kit.PostAsync(TestData.Text("telegram/update-text.json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
    }

    [SkippableFact]
    public async Task In_development_without_a_secret_the_webhook_accepts_with_a_warning()
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = "" }, backend: Backend);

        var response = await kit.PostAsync(TestData.Text("telegram/update-text.json"), secret: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        Assert.Contains(kit.App.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("Telegram:WebhookSecret is not set"));
    }

    [SkippableFact]
    public async Task Outside_development_a_polling_bot_without_a_secret_refuses_every_webhook()
    {
        await using var kit = await TelegramTestKit.StartAsync(
            new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = "", ["Telegram:UsePolling"] = "true" }, environment: "Production", backend: Backend);

        Assert.Equal(HttpStatusCode.Unauthorized, (await kit.PostAsync(TestData.Text("telegram/update-text.json"), secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.PostAsync(TestData.Text("telegram/update-text.json"), secret: "guess")).StatusCode);
        Assert.Equal(0, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages WHERE provider_message_id = '734120001'"));
    }

    [SkippableFact]
    public async Task When_the_database_cannot_store_the_update_the_webhook_answers_503_so_Telegram_retries()
    {
        await using var kit = await TelegramTestKit.StartAsync(backend: Backend);
        await kit.PostAsync(TelegramTestKit.TextUpdate(734120300, "halo"));
        await Db.FailInsertsAsync(kit.DatabasePath, "inbound_messages");

        var response = await kit.PostAsync(TelegramTestKit.TextUpdate(734120301, "Siti Rahayu"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await Db.StopFailingInsertsAsync(kit.DatabasePath, "inbound_messages");
        Assert.Equal(HttpStatusCode.OK, (await kit.PostAsync(TelegramTestKit.TextUpdate(734120301, "Siti Rahayu"))).StatusCode);
        Assert.Equal(2, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
    }
}
