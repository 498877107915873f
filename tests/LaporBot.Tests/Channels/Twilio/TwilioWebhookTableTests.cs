using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Twilio;

/// <summary>Recorded Twilio webhooks (testdata/twilio) against the real endpoint: accept, ignore or reject.
/// SQLite only: the wire format at the endpoint; the store path behind it runs on both in TwilioEndToEndTests.</summary>
public class TwilioWebhookTableTests
{
    public static TheoryData<string, string, string, string, int, int> Cases() => new()
    {
        // label, path, payload file, signature, expected status, expected stored inbound messages
        { "text, signed", "/webhooks/twilio", "twilio/inbound-text.form", "valid", 200, 1 },
        { "text, wrong signature", "/webhooks/twilio", "twilio/inbound-text.form", "invalid", 403, 0 },
        { "text, missing signature", "/webhooks/twilio", "twilio/inbound-text.form", "missing", 403, 0 },
        { "location", "/webhooks/twilio", "twilio/inbound-location.form", "valid", 200, 1 },
        { "quick-reply button tap", "/webhooks/twilio", "twilio/inbound-button.form", "valid", 200, 1 },
        { "media (download fails: not our API host), kept as a reference", "/webhooks/twilio", "twilio/inbound-media.form", "valid", 200, 1 },
        { "no MessageSid", "/webhooks/twilio", "twilio/inbound-no-sid.form", "valid", 400, 0 },
        { "status callback, signed", "/webhooks/twilio/status", "twilio/status-delivered.form", "valid", 200, 0 },
        { "status callback, wrong signature", "/webhooks/twilio/status", "twilio/status-delivered.form", "invalid", 403, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Recorded_webhook_gets_the_expected_answer(string label, string path, string file, string signature, int status, int stored)
    {
        await using var h = await TwilioHarness.StartAsync();

        var r = await h.PostAsync(path, TestData.Form(file), signature);

        Assert.True(status == (int)r.StatusCode, $"{label}: expected {status}, got {(int)r.StatusCode}");
        Assert.Equal(stored, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
        if (status >= 400)
        {
            var body = await r.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Exception", body);
            Assert.DoesNotContain(" at LaporBot", body);
        }
    }

    [Fact]
    public async Task A_stored_location_reaches_the_dialog_and_a_media_reference_is_kept_when_the_download_is_refused()
    {
        await using var h = await TwilioHarness.StartAsync();
        await h.PostAsync("/webhooks/twilio", TestData.Form("twilio/inbound-media.form"));

        var attachments = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT attachments FROM inbound_messages");
        Assert.Contains("/Media/ME0", attachments);
        Assert.Empty(h.Api.To("/Media/")); // media on a foreign host is never fetched with our credentials
    }

    [Fact]
    public async Task Wrong_content_type_is_415_and_an_oversized_body_is_413()
    {
        await using var h = await TwilioHarness.StartAsync();

        var json = await h.Http.PostAsync("/webhooks/twilio", new StringContent("{\"Body\":\"halo\"}", Encoding.UTF8, "application/json"));
        var big = new StringContent("Body=" + new string('a', 300_000), Encoding.UTF8);
        big.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var huge = await h.Http.PostAsync("/webhooks/twilio", big);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(0, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
    }

    [Fact]
    public async Task When_the_database_cannot_store_the_message_the_answer_is_503_so_twilio_retries()
    {
        await using var h = await TwilioHarness.StartAsync();
        await h.SayAsync("halo"); // creates the schema's first rows
        await Db.FailInsertsAsync(h.App.DatabasePath, "inbound_messages");

        var r = await h.SayAsync("Budi Santoso", messageSid: "SMretry503000000000000000000000001");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.True(r.Headers.RetryAfter is not null);
        await Db.StopFailingInsertsAsync(h.App.DatabasePath, "inbound_messages");
        var retry = await h.SayAsync("Budi Santoso", messageSid: "SMretry503000000000000000000000001");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
    }

    [Fact]
    public async Task With_twilio_disabled_the_webhook_does_not_exist()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Twilio:Enabled"] = "false" });

        var r = await h.SayAsync("halo");

        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }

    [Fact]
    public async Task Outside_development_twilio_without_an_auth_token_refuses_to_start()
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?>
        {
            ["Twilio:Enabled"] = "true",
            ["Twilio:AccountSid"] = TwilioHarness.AccountSid,
            ["Twilio:AuthToken"] = "",
            ["Twilio:WhatsAppNumber"] = TwilioHarness.Sender,
        }, "Production");

        Assert.Contains("Twilio:AuthToken", e.ToString());
    }
}
