using System.Net;
using System.Text.Json;
using LaporBot.Channels;
using LaporBot.Channels.Telegram;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace LaporBot.Tests.Channels.Telegram;

public class TelegramClientTests
{
    private const string Token = "7111111111:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private const long ChatId = 5123456789;

    private readonly RecordingHandler _handler = new();
    private readonly ListLogger<TelegramClient> _log = new();

    private TelegramClient Client(Action<TelegramOptions>? configure = null)
    {
        var options = new TelegramOptions { BotToken = Token, ApiBaseUrl = "http://127.0.0.1:5998/" };
        configure?.Invoke(options);
        return new TelegramClient(new HttpClient(_handler), Options.Create(options), _log);
    }

    [Fact]
    public async Task SendMessage_PostsJsonToBotPath_AndReturnsMessageId()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));

        var result = await Client().SendMessageAsync(ChatId, "Terima kasih, laporan Anda kami terima.", null, CancellationToken.None);

        Assert.Equal(new SendResult.Sent("2045"), result);
        var request = _handler.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"/bot{Token}/sendMessage", request.Uri.AbsolutePath);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"chat_id":5123456789,"text":"Terima kasih, laporan Anda kami terima."}""", request.Body);
    }

    [Fact]
    public async Task SendMessage_WithQuickReplies_SendsOneTimeResizedReplyKeyboard()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));

        await Client().SendMessageAsync(ChatId, "Kirim laporan ini?", new TelegramSendOptions(QuickReplies: ["Ya, kirim", "Ubah", "Batal"]), CancellationToken.None);

        var markup = _handler.Single().Json().GetProperty("reply_markup");
        Assert.Equal("""{"keyboard":[[{"text":"Ya, kirim"}],[{"text":"Ubah"}],[{"text":"Batal"}]],"resize_keyboard":true,"one_time_keyboard":true}""",
            markup.GetRawText());
    }

    [Fact]
    public async Task SendMessage_WithInlineKeyboardAndReplyTo_SendsCallbackDataAndReplyParameters()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));
        var options = new TelegramSendOptions(
            InlineKeyboard: [[new InlineKeyboardButton("Terima", "accept:LPR-2507-00042"), new InlineKeyboardButton("Tolak", "reject:LPR-2507-00042")]],
            ReplyToMessageId: 880);

        await Client().SendMessageAsync(ChatId, "Aduan baru LPR-2507-00042", options, CancellationToken.None);

        var json = _handler.Single().Json();
        Assert.Equal("""{"inline_keyboard":[[{"text":"Terima","callback_data":"accept:LPR-2507-00042"},{"text":"Tolak","callback_data":"reject:LPR-2507-00042"}]]}""",
            json.GetProperty("reply_markup").GetRawText());
        Assert.Equal("""{"message_id":880,"allow_sending_without_reply":true}""", json.GetProperty("reply_parameters").GetRawText());
        Assert.False(json.TryGetProperty("reply_to_message_id", out _));
    }

    [Fact]
    public async Task SendMessage_RemoveKeyboard()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));
        await Client().SendMessageAsync(ChatId, "Baik.", new TelegramSendOptions(RemoveKeyboard: true), CancellationToken.None);
        Assert.Equal("""{"remove_keyboard":true}""", _handler.Single().Json().GetProperty("reply_markup").GetRawText());
    }

    [Theory]
    [InlineData("")]
    [InlineData("x123456789x123456789x123456789x123456789x123456789x123456789x12345")] // 65 bytes
    [InlineData("ééééééééééééééééééééééééééééééééé")]                                     // 33 chars, 66 bytes
    public async Task SendMessage_RefusesCallbackDataOutside1To64Bytes(string data)
    {
        var options = new TelegramSendOptions(InlineKeyboard: [[new InlineKeyboardButton("x", data)]]);
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SendMessageAsync(ChatId, "x", options, CancellationToken.None));
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task SendMessage_RefusesQuickRepliesTogetherWithInlineKeyboard() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SendMessageAsync(ChatId, "x",
            new TelegramSendOptions(QuickReplies: ["Ya"], InlineKeyboard: [[new InlineKeyboardButton("x", "y")]]), CancellationToken.None));

    [Fact]
    public async Task SendMessage_EmptyText_IsPermanentWithoutACall()
    {
        Assert.IsType<SendResult.Permanent>(await Client().SendMessageAsync(ChatId, "  ", null, CancellationToken.None));
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task SendMessage_LongText_IsSplit_ReplyOnFirstPart_KeyboardOnLast()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("Laporan warga tentang drainase tersumbat.", 60)); // ~2,500 chars
        var text = string.Join("\n\n", paragraph, paragraph, paragraph);
        for (var i = 0; i < 3; i++)
            _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json").Replace("2045", (3000 + i).ToString()));

        var result = await Client().SendMessageAsync(ChatId, text, new TelegramSendOptions(QuickReplies: ["Menu"], ReplyToMessageId: 7), CancellationToken.None);

        Assert.Equal(new SendResult.Sent("3002"), result);
        Assert.Equal(3, _handler.Requests.Count);
        var bodies = _handler.Requests.Select(r => r.Json()).ToList();
        Assert.All(bodies, b => Assert.InRange(b.GetProperty("text").GetString()!.Length, 1, 4096));
        Assert.All(bodies, b => Assert.Equal(paragraph, b.GetProperty("text").GetString()));
        Assert.True(bodies[0].TryGetProperty("reply_parameters", out _));
        Assert.False(bodies[1].TryGetProperty("reply_parameters", out _));
        Assert.False(bodies[0].TryGetProperty("reply_markup", out _));
        Assert.True(bodies[2].TryGetProperty("reply_markup", out _));
    }

    [Fact]
    public async Task SendMessage_FailureOnALaterPart_SaysWhichPart()
    {
        var text = new string('a', 4000) + "\n\n" + new string('b', 100);
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"))
                .Respond(HttpStatusCode.TooManyRequests, TestData.Text("telegram/error-429.json"));

        var result = Assert.IsType<SendResult.Retryable>(await Client().SendMessageAsync(ChatId, text, null, CancellationToken.None));

        Assert.StartsWith("part 2 of 2:", result.Error);
        Assert.Equal(TimeSpan.FromSeconds(17), result.RetryAfter);
    }

    public sealed record ErrorCase(string Label, HttpStatusCode Status, string File, bool Retryable, bool Unreachable = false, int? RetryAfter = null)
    {
        public override string ToString() => Label;
    }

    public static TheoryData<ErrorCase> Errors => new()
    {
        new("429 flood control", HttpStatusCode.TooManyRequests, "error-429.json", true, RetryAfter: 17),
        new("403 blocked", HttpStatusCode.Forbidden, "error-403-blocked.json", false, Unreachable: true),
        new("403 deactivated", HttpStatusCode.Forbidden, "error-403-deactivated.json", false, Unreachable: true),
        new("403 never started", HttpStatusCode.Forbidden, "error-403-not-started.json", false, Unreachable: true),
        new("400 chat not found", HttpStatusCode.BadRequest, "error-400-chat-not-found.json", false, Unreachable: true),
        new("400 bad markup", HttpStatusCode.BadRequest, "error-400-bad-markup.json", false),
        new("400 migrated", HttpStatusCode.BadRequest, "error-400-migrated.json", false),
        new("401 bad token", HttpStatusCode.Unauthorized, "error-401.json", false),
        new("502 from Telegram", HttpStatusCode.BadGateway, "error-502.json", true),
        new("504 from a proxy, HTML", HttpStatusCode.GatewayTimeout, "", true),
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task SendMessage_MapsErrors(ErrorCase c)
    {
        _handler.Respond(c.Status, c.File.Length == 0 ? "<html>504</html>" : TestData.Text("telegram/" + c.File),
            c.File.Length == 0 ? "text/html" : "application/json");

        var result = await Client().SendMessageAsync(ChatId, "Halo", null, CancellationToken.None);

        switch (result)
        {
            case SendResult.Retryable r:
                Assert.True(c.Retryable, c.Label);
                Assert.Equal(c.RetryAfter is int s ? TimeSpan.FromSeconds(s) : null, r.RetryAfter);
                break;
            case SendResult.Permanent p:
                Assert.False(c.Retryable, c.Label);
                Assert.Equal(c.Unreachable, p.RecipientUnreachable);
                break;
            default:
                Assert.Fail($"{c.Label}: unexpected {result}");
                break;
        }
    }

    [Fact]
    public async Task MigratedGroup_ExposesTheNewChatId()
    {
        _handler.Respond(HttpStatusCode.BadRequest, TestData.Text("telegram/error-400-migrated.json"));
        var result = await Client().AnswerCallbackQueryAsync("q", null, false, CancellationToken.None);
        Assert.Equal(-1001234567890, result.Error?.MigrateToChatId);
    }

    [Fact]
    public async Task Timeout_IsRetryable()
    {
        _handler.Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException()));
        Assert.Equal("timeout", Assert.IsType<SendResult.Retryable>(await Client().SendMessageAsync(ChatId, "Halo", null, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task TokenNeverReachesErrorsOrLogs()
    {
        // Worst case: the transport puts the full request URI into its exception message.
        _handler.Throw(new HttpRequestException($"Connection refused: http://127.0.0.1:5998/bot{Token}/sendMessage"))
                .Respond(HttpStatusCode.Forbidden, TestData.Text("telegram/error-403-blocked.json"))
                .Throw(new HttpRequestException($"reset while reading http://127.0.0.1:5998/file/bot{Token}/photos/file_12.jpg"));
        var client = Client();

        var network = await client.SendMessageAsync(ChatId, "Halo", null, CancellationToken.None);
        var blocked = await client.SendMessageAsync(ChatId, "Halo", null, CancellationToken.None);
        var download = await client.DownloadFileAsync("photos/file_12.jpg", null, CancellationToken.None);

        var secretPart = Token.Split(':')[1];
        Assert.DoesNotContain(secretPart, ((SendResult.Retryable)network).Error);
        Assert.DoesNotContain(secretPart, ((SendResult.Permanent)blocked).Error);
        Assert.DoesNotContain(secretPart, ((MediaDownload.Failed)download).Error);
        Assert.NotEmpty(_log.Lines);
        Assert.All(_log.Lines, line => Assert.DoesNotContain(secretPart, line));
        Assert.Contains(_log.Lines, line => line.Contains("bot7111111111:***"));
    }

    [Fact]
    public async Task GetUpdates_SendsOffsetTimeoutAndAllowedUpdates()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/getupdates-ok.json"));

        var result = await Client().GetUpdatesAsync(734120001, 50, [UpdateType.Message, UpdateType.CallbackQuery], CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal([734120001, 734120013], result.Result!.Select(u => u.Id));
        Assert.Equal("accept:LPR-2507-00042", result.Result![1].CallbackQuery?.Data);
        var request = _handler.Single();
        Assert.Equal($"/bot{Token}/getUpdates", request.Uri.AbsolutePath);
        Assert.Equal("""{"offset":734120001,"timeout":50,"allowed_updates":["message","callback_query"]}""", request.Body);
    }

    [Fact]
    public async Task GetUpdates_KeepsTheIdOfAnUpdateItCannotRead()
    {
        _handler.Respond(HttpStatusCode.OK, """{"ok":true,"result":[{"update_id":5,"message":{"message_id":1}},{"update_id":6,"message":{"message_id":2,"date":1,"chat":{"id":1,"type":"private"},"text":"ok"}}]}""");

        var result = await Client().GetUpdatesAsync(null, 0, null, CancellationToken.None);

        Assert.Equal([5, 6], result.Result!.Select(u => u.Id));
        Assert.Null(result.Result![0].Message);
        Assert.Equal("""{"timeout":0}""", _handler.Single().Body);
    }

    [Fact]
    public async Task GetUpdates_Conflict_IsRetryable()
    {
        _handler.Respond(HttpStatusCode.Conflict, TestData.Text("telegram/error-409.json"));
        var result = await Client().GetUpdatesAsync(1, 30, null, CancellationToken.None);
        Assert.True(result.Error?.Retryable);
    }

    [Fact]
    public async Task SetWebhook_SendsUrlSecretAndAllowedUpdates()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/true-ok.json"));

        var result = await Client().SetWebhookAsync("https://laporbot.cilacapkab.go.id/webhooks/telegram", "s3cr3t_Token-42",
            [UpdateType.Message, UpdateType.CallbackQuery], dropPendingUpdates: false, CancellationToken.None);

        Assert.True(result.Result);
        var request = _handler.Single();
        Assert.Equal($"/bot{Token}/setWebhook", request.Uri.AbsolutePath);
        // Exactly these members (Telegram.Bot orders them its own way; drop_pending_updates false is left out).
        var body = request.Json();
        Assert.Equal(["allowed_updates", "secret_token", "url"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("https://laporbot.cilacapkab.go.id/webhooks/telegram", body.GetProperty("url").GetString());
        Assert.Equal("s3cr3t_Token-42", body.GetProperty("secret_token").GetString());
        Assert.Equal("""["message","callback_query"]""", body.GetProperty("allowed_updates").GetRawText());
    }

    [Fact]
    public async Task DeleteWebhook_SendsDropPendingUpdates()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/true-ok.json"));
        var result = await Client().DeleteWebhookAsync(true, CancellationToken.None);
        Assert.True(result.Ok);
        Assert.Equal($"/bot{Token}/deleteWebhook", _handler.Single().Uri.AbsolutePath);
        Assert.Equal("""{"drop_pending_updates":true}""", _handler.Single().Body);
    }

    [Fact]
    public async Task AnswerCallbackQuery_SendsIdTextAndAlert()
    {
        _handler.Respond(HttpStatusCode.OK, """{"ok":true,"result":true}""");
        await Client().AnswerCallbackQueryAsync("4382bfdwdsb323b2d9", "Aduan diterima", true, CancellationToken.None);
        Assert.Equal($"/bot{Token}/answerCallbackQuery", _handler.Single().Uri.AbsolutePath);
        Assert.Equal("""{"callback_query_id":"4382bfdwdsb323b2d9","text":"Aduan diterima","show_alert":true}""", _handler.Single().Body);
    }

    [Fact]
    public async Task Download_CallsGetFileThenTheFilePath()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/getfile-ok.json"))
                .RespondBytes(HttpStatusCode.OK, [0xFF, 0xD8, 0xFF], "application/octet-stream");

        var result = await Client().DownloadAsync("tg-file:AgACAgUAAxkBAAIBlarge", null, CancellationToken.None);

        var ok = Assert.IsType<MediaDownload.Downloaded>(result);
        Assert.Equal("image/jpeg", ok.ContentType);   // octet-stream replaced by the type of photos/*.jpg
        Assert.Equal(3, ok.Content.Length);
        Assert.Equal("""{"file_id":"AgACAgUAAxkBAAIBlarge"}""", _handler.Requests[0].Body);
        Assert.Equal(HttpMethod.Get, _handler.Requests[1].Method);
        Assert.Equal($"/file/bot{Token}/photos/file_12.jpg", _handler.Requests[1].Uri.AbsolutePath);
    }

    [Fact]
    public async Task Download_RefusesFilesOverTheLimitBeforeFetching()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/getfile-ok.json"));
        var result = await Client(o => o.MaxFileBytes = 1000).DownloadAsync("tg-file:AgACAgUAAxkBAAIBlarge", null, CancellationToken.None);
        Assert.False(Assert.IsType<MediaDownload.Failed>(result).Retryable);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task DefaultBaseUrl_IsTelegram_AndTheTestHandlerRefusesIt()
    {
        var client = new TelegramClient(new HttpClient(_handler), Options.Create(new TelegramOptions { BotToken = Token }), _log);

        var result = await client.SendMessageAsync(ChatId, "Halo", null, CancellationToken.None);

        // Telegram.Bot wraps the handler's refusal; it comes back as a network failure naming the host.
        Assert.Contains("Test tried to reach the network: api.telegram.org", Assert.IsType<SendResult.Retryable>(result).Error);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task SendMessage_429_ComesBackAtOnce_TheLibraryDoesNotWaitAndRetry()
    {
        // Telegram.Bot would sleep retry_after and resend on its own (RetryThreshold); LaporBot turns
        // that off so the outbox owns the wait. One scripted answer: a second request would fail the test.
        _handler.Respond(HttpStatusCode.TooManyRequests, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}""");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await Client().SendMessageAsync(ChatId, "Halo", null, CancellationToken.None);

        Assert.Equal(new SendResult.Retryable("Too Many Requests: retry after 3", TimeSpan.FromSeconds(3)), result);
        Assert.Single(_handler.Requests);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task SendMessage_WithParseModeHtml_SendsParseMode_AndTheTextAsGiven()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));

        await Client().SendMessageAsync(ChatId, "<b>Nama:</b> Siti &lt;b&gt;", new TelegramSendOptions(ParseMode: ParseMode.Html), CancellationToken.None);

        var json = _handler.Single().Json();
        // Telegram.Bot writes the enum's name, "Html"; the Bot API reads parse_mode regardless of case.
        Assert.Equal("HTML", json.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.Equal("<b>Nama:</b> Siti &lt;b&gt;", json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task SendPhoto_UploadsTheFileAsMultipart_AndCutsALongCaptionTo1024Characters()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));
        var caption = "Foto 1/1 aduan LPR-2507-00042: " + new string('x', 1100);

        var result = await Client().SendPhotoAsync(ChatId, FakeTelegramServer.FileBytes, "foto.jpg", caption, CancellationToken.None);

        Assert.Equal(new SendResult.Sent("2045"), result);
        var request = _handler.Single();
        Assert.Equal($"/bot{Token}/sendPhoto", request.Uri.AbsolutePath);
        Assert.Equal("multipart/form-data", request.ContentType);
        var sent = System.Text.RegularExpressions.Regex.Match(request.Body, "name=\"?caption\"?\r\n\r\n([^\r]*)\r\n").Groups[1].Value;
        Assert.Equal(1024, sent.Length);
        Assert.StartsWith("Foto 1/1 aduan LPR-2507-00042: xxx", sent);
        Assert.EndsWith("x…", sent);
        Assert.Matches("name=\"?chat_id\"?\r\n\r\n5123456789\r\n", request.Body);
        Assert.Contains("filename=\"foto.jpg\"", request.Body.Replace("filename=foto.jpg", "filename=\"foto.jpg\""));
        Assert.False(request.Body.Contains("parse_mode"), "no parse mode unless asked");
    }

    [Fact]
    public async Task SendMessage_WithoutParseMode_SendsNoParseMode()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));
        await Client().SendMessageAsync(ChatId, "*Nama:* Siti", null, CancellationToken.None);
        Assert.False(_handler.Single().Json().TryGetProperty("parse_mode", out _));
    }

    [Fact]
    public async Task SendMessage_LongHtml_IsSplitWithEveryPartsTagsBalanced()
    {
        // One long bold line: the cut falls inside <b>…</b>, which must be closed and reopened.
        var text = "<b>" + string.Join(' ', Enumerable.Repeat("jalan&amp;saluran", 400)) + "</b>\n\nSelesai.";
        for (var i = 0; i < 3; i++)
            _handler.Respond(HttpStatusCode.OK, TestData.Text("telegram/sendmessage-ok.json"));

        await Client().SendMessageAsync(ChatId, text, new TelegramSendOptions(ParseMode: ParseMode.Html), CancellationToken.None);

        var parts = _handler.Requests.Select(r => r.Json().GetProperty("text").GetString()!).ToList();
        Assert.True(parts.Count >= 2, $"{parts.Count} parts");
        Assert.All(parts, p =>
        {
            Assert.Equal(System.Text.RegularExpressions.Regex.Count(p, "<b>"), System.Text.RegularExpressions.Regex.Count(p, "</b>"));
            Assert.InRange(System.Net.WebUtility.HtmlDecode(p.Replace("<b>", "").Replace("</b>", "")).Length, 1, 4096);
            Assert.DoesNotMatch("&[a-z]*$", p.Replace("</b>", ""));
        });
        Assert.StartsWith("<b>jalan&amp;saluran", parts[1]);
        Assert.Equal(System.Net.WebUtility.HtmlDecode(text.Replace("<b>", "").Replace("</b>", "")).Replace("\n\n", " ").Replace(" ", ""),
            string.Concat(parts.Select(p => System.Net.WebUtility.HtmlDecode(p.Replace("<b>", "").Replace("</b>", "")))).Replace("\n\n", " ").Replace(" ", ""));
    }
}
