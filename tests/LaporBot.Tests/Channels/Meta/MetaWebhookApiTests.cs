using System.Net;
using System.Text;
using LaporBot.Channels;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Meta;

/// <summary>
/// POST /webhooks/whatsapp and the GET handshake against the running service, one row per recorded
/// payload (testdata/meta/). Delivery stays off so only what the webhook stored is checked.
/// SQLite only: the wire format at the endpoint; the store path behind it runs on both in MetaChannelTests and MetaConversationTests.
/// </summary>
public class MetaWebhookApiTests
{
    // Outbox rows the status payloads refer to (seeded before each row).
    private const string ReadAndDeliveredId = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1QzU5RUI1RjM5NzE0ODk0AA==";
    private const string FailedId = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1QzU5RUI1RjM5NzE0ODk1AA==";

    private const string Oversized = "<300 KB of JSON>";

    public sealed record Case(
        string Label, string File, Signature Signature, HttpStatusCode Status, int Inbound,
        int Posts = 1, string ContentType = "application/json", string? Reply = null, string? Delivery = null, string? Attachment = null,
        string? Prior = null)
    {
        public override string ToString() => Label;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("text", "text.json", Signature.Right, HttpStatusCode.OK, 1, Reply: "Terima kasih, aduan Anda kami catat"),
        new("text, wrong signature", "text.json", Signature.Wrong, HttpStatusCode.Forbidden, 0),
        new("text, missing signature", "text.json", Signature.Missing, HttpStatusCode.Forbidden, 0),
        new("text delivered twice (Meta retry)", "text.json", Signature.Right, HttpStatusCode.OK, 1, Posts: 2),
        new("two messages in one batch", "two-messages.json", Signature.Right, HttpStatusCode.OK, 2),
        new("location", "location.json", Signature.Right, HttpStatusCode.OK, 1),
        new("interactive button reply", "button-reply.json", Signature.Right, HttpStatusCode.OK, 1),
        new("interactive list reply", "list-reply.json", Signature.Right, HttpStatusCode.OK, 1),
        new("template quick-reply button", "template-button.json", Signature.Right, HttpStatusCode.OK, 1),
        new("image, downloaded", "image.json", Signature.Right, HttpStatusCode.OK, 1, Attachment: "saved image/jpeg"),
        new("image twice, downloaded once", "image.json", Signature.Right, HttpStatusCode.OK, 1, Posts: 2, Attachment: "saved image/jpeg"),
        new("document, media id expired", "document.json", Signature.Right, HttpStatusCode.OK, 1, Attachment: "kept meta-media:1003383421387999"),
        // A first message of any kind gets the welcome; mid-conversation the dialog explains what it cannot read.
        new("sticker, first contact", "sticker.json", Signature.Right, HttpStatusCode.OK, 1, Reply: "Selamat datang"),
        new("sticker mid-conversation", "sticker.json", Signature.Right, HttpStatusCode.OK, 2, Reply: "belum bisa kami proses", Prior: "text.json"),
        new("unsupported type mid-conversation", "unsupported.json", Signature.Right, HttpStatusCode.OK, 2, Reply: "belum bisa kami proses", Prior: "text.json"),
        new("status delivered", "status-delivered.json", Signature.Right, HttpStatusCode.OK, 0, Delivery: "delivered"),
        new("status read", "status-read.json", Signature.Right, HttpStatusCode.OK, 0, Delivery: "read"),
        new("status failed with error code", "status-failed.json", Signature.Right, HttpStatusCode.OK, 0, Delivery: "failed: 131047: Re-engagement message"),
        new("status, wrong signature", "status-read.json", Signature.Wrong, HttpStatusCode.Forbidden, 0),
        new("account update (ignored)", "account-update.json", Signature.Right, HttpStatusCode.OK, 0),
        new("not a WhatsApp object", "wrong-object.json", Signature.Right, HttpStatusCode.BadRequest, 0),
        new("malformed JSON", "malformed.json", Signature.Right, HttpStatusCode.BadRequest, 0),
        new("wrong content type", "text.json", Signature.Right, HttpStatusCode.UnsupportedMediaType, 0, ContentType: "application/x-www-form-urlencoded"),
        new("oversized body", Oversized, Signature.Right, HttpStatusCode.RequestEntityTooLarge, 0),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post(Case c)
    {
        await using var h = await MetaHarness.StartAsync();
        h.Graph.AddMedia("1003383421387256", [0xFF, 0xD8, 0xFF, 0xE0], "image/jpeg");
        await Db.ExecuteAsync(h.DatabasePath,
            """
            INSERT INTO outbox (channel, recipient, body, status, attempts, next_attempt_at, provider_message_id, created_at, updated_at)
            VALUES ('meta', '6281234567890', 'Aduan Anda sudah kami terima.', 'sent', 1, 0, @a, 0, 0),
                   ('meta', '6281234567890', 'Aduan Anda sedang diproses.', 'sent', 1, 0, @b, 0, 0)
            """, new { a = ReadAndDeliveredId, b = FailedId });
        var body = c.File == Oversized ? Encoding.UTF8.GetBytes($$"""{"object":"whatsapp_business_account","pad":"{{new string('x', 300 * 1024)}}"}""") : TestData.Bytes("meta/" + c.File);

        if (c.Prior is not null)
        {
            Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(TestData.Bytes("meta/" + c.Prior))).StatusCode);
        }
        HttpResponseMessage? response = null;
        for (var i = 0; i < c.Posts; i++)
        {
            response = await h.PostAsync(body, c.Signature, c.ContentType);
        }

        Assert.Equal(c.Status, response!.StatusCode);
        Assert.Equal(c.Inbound, await h.CountAsync("SELECT COUNT(*) FROM inbound_messages WHERE channel = 'meta'"));
        var replies = await Db.QueryAsync<string>(h.DatabasePath, "SELECT body FROM outbox WHERE status = 'pending' ORDER BY id");
        Assert.Equal(c.Inbound, replies.Count); // one reply per stored message, none for duplicates
        if (c.Reply is not null)
        {
            Assert.Contains(c.Reply, replies[^1]);
        }
        var deliveries = await Db.QueryAsync<string>(h.DatabasePath,
            "SELECT delivery_status || COALESCE(': ' || delivery_error, '') FROM outbox WHERE delivery_status IS NOT NULL");
        Assert.Equal(c.Delivery is null ? [] : [c.Delivery], deliveries);
        if (c.Attachment is not null)
        {
            Assert.Equal(c.Attachment, await AttachmentAsync(h));
        }
        Assert.Equal(c.Attachment?.StartsWith("saved") == true ? 1 : 0, Directory.Exists(h.AttachmentsDir)
            ? Directory.GetFiles(h.AttachmentsDir, "*", SearchOption.AllDirectories).Length : 0);
    }

    /// <summary>"saved {type}" when the file is on disk, "kept {reference}" when only the reference survived.</summary>
    private static async Task<string> AttachmentAsync(MetaHarness h)
    {
        var json = await Db.ScalarAsync<string>(h.DatabasePath, "SELECT attachments FROM inbound_messages WHERE attachments IS NOT NULL");
        var a = Assert.Single(System.Text.Json.JsonSerializer.Deserialize<List<InboundAttachment>>(json)!);
        if (a.LocalPath is null)
        {
            return "kept " + a.SourceUrl;
        }
        Assert.True(File.Exists(Path.Combine(h.AttachmentsDir, a.LocalPath)));
        return "saved " + a.ContentType;
    }

    [Fact]
    public async Task Image_download_sends_the_token_only_to_the_fake_api_and_stores_the_bytes()
    {
        await using var h = await MetaHarness.StartAsync();
        byte[] photo = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        h.Graph.AddMedia("1003383421387256", photo, "image/jpeg");

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(TestData.Bytes("meta/image.json"))).StatusCode);

        Assert.Equal(["GET /v26.0/1003383421387256", "GET /whatsapp_business/attachments/"],
            h.Graph.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(h.Graph.Requests, r => Assert.Equal("Bearer " + MetaHarness.AccessToken, r.Authorization));
        var file = Assert.Single(Directory.GetFiles(h.AttachmentsDir, "*.jpg", SearchOption.AllDirectories));
        Assert.Equal(photo, await File.ReadAllBytesAsync(file));
        Assert.Equal("Tumpukan sampah di TPS Tegalkamulyan", await Db.ScalarAsync<string>(h.DatabasePath, "SELECT text FROM inbound_messages"));
    }

    [Theory]
    [InlineData("right token", "subscribe", MetaHarness.VerifyToken, HttpStatusCode.OK)]
    [InlineData("wrong token", "subscribe", "guess", HttpStatusCode.Forbidden)]
    [InlineData("no token", "subscribe", null, HttpStatusCode.Forbidden)]
    [InlineData("wrong mode", "unsubscribe", MetaHarness.VerifyToken, HttpStatusCode.Forbidden)]
    public async Task Handshake(string label, string mode, string? token, HttpStatusCode expected)
    {
        await using var h = await MetaHarness.StartAsync();
        var query = $"hub.mode={mode}&hub.challenge=1158201444" + (token is null ? "" : $"&hub.verify_token={token}");

        var r = await h.Http.GetAsync("/webhooks/whatsapp?" + query);

        Assert.Equal(expected, r.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
            Assert.Equal("1158201444", await r.Content.ReadAsStringAsync());
        }
        Assert.NotNull(label);
    }

    [Fact]
    public async Task Disabled_the_endpoints_do_not_exist()
    {
        await using var h = await MetaHarness.StartAsync(new Dictionary<string, string?> { ["Meta:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await h.PostAsync(TestData.Bytes("meta/text.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await h.Http.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={MetaHarness.VerifyToken}&hub.challenge=1")).StatusCode);
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
    }

    [Fact]
    public async Task In_development_without_an_app_secret_unsigned_posts_are_accepted_with_a_warning()
    {
        await using var h = await MetaHarness.StartAsync(new Dictionary<string, string?> { ["Meta:AppSecret"] = "" });

        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(TestData.Bytes("meta/text.json"), Signature.Missing)).StatusCode);

        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        Assert.Contains("Meta:AppSecret is not set", h.App.Logs.All);
    }

    [Fact]
    public async Task A_storage_failure_answers_503_so_Meta_retries_and_the_retry_is_stored_once()
    {
        await using var h = await MetaHarness.StartAsync();
        var body = TestData.Bytes("meta/two-messages.json");
        await h.CountAsync("SELECT COUNT(*) FROM inbound_messages"); // schema is in place
        await Db.ExecuteAsync(h.DatabasePath, "ALTER TABLE inbound_messages RENAME TO inbound_messages_away");

        var failed = await h.PostAsync(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("5", failed.Headers.RetryAfter?.ToString());

        await Db.ExecuteAsync(h.DatabasePath, "ALTER TABLE inbound_messages_away RENAME TO inbound_messages");
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(body)).StatusCode);
        Assert.Equal(2, await h.CountAsync("SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(2, await h.CountAsync("SELECT COUNT(*) FROM outbox"));
    }
}
