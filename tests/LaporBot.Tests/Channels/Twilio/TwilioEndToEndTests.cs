using System.Net;
using System.Text;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Twilio;

/// <summary>A citizen reports over WhatsApp through Twilio: the real service, a fake Twilio API on loopback; on SQLite and on PostgreSQL.</summary>
public abstract class TwilioEndToEndTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TwilioEndToEndTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TwilioEndToEndTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [SkippableFact]
    public async Task A_citizen_completes_the_report_over_twilio_and_every_reply_has_the_exact_wire_fields()
    {
        await using var h = await TwilioHarness.StartAsync(backend: Backend);

        foreach (var text in new[] { "halo", "ya", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", "sama", "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap", "ya" })
        {
            var r = await h.SayAsync(text);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("text/xml", r.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<Response/>", await r.Content.ReadAsStringAsync());
        }
        await Db.EventuallyAsync(() => Task.FromResult(h.Sent.Count == 6), "six replies sent to Twilio");

        var number = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT tracking_number FROM complaints");
        var name = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT name FROM complaint_details");
        Assert.Equal("Budi Santoso", name); // the WhatsApp profile name, confirmed with "ya"
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioHarness.AccountSid}:{TwilioHarness.AuthToken}"));
        foreach (var request in h.Sent)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal($"/2010-04-01/Accounts/{TwilioHarness.AccountSid}/Messages.json", request.Path);
            Assert.Equal(expectedAuth, request.Headers["Authorization"]);
            Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
            var form = request.Form;
            Assert.Equal(TwilioHarness.Citizen, form["To"]);
            Assert.Equal(TwilioHarness.Sender, form["From"]);
            Assert.Equal(TwilioHarness.PublicBase + "/webhooks/twilio/status", form["StatusCallback"]);
            Assert.False(form.ContainsKey("ContentSid"), "inside the 24-hour window we send free text");
        }
        var bodies = h.Sent.Select(r => r.Form["Body"]).ToList();
        Assert.Contains("Budi Santoso", bodies[0]); // the profile name is offered
        Assert.Contains("Kirim sekarang?", bodies[4]);
        // WhatsApp's own bold, no HTML; the quick replies listed as words to reply (plain Twilio has no buttons).
        Assert.Contains("*Nama:* Budi Santoso", bodies[4]);
        Assert.DoesNotContain("<b>", bodies[4]);
        Assert.EndsWith("\n\n• Ya\n• Tidak\n• Ubah", bodies[4]);
        Assert.Contains(number, bodies[5]);

        // The fake records a request before the app has stored the sid Twilio answered with.
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(h.App.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE provider_message_id IS NULL") == 0, "every sent reply's MessageSid stored");
        var sids = await Db.QueryAsync<string>(h.App.DatabasePath, "SELECT provider_message_id FROM outbox ORDER BY id");
        Assert.All(sids, s => Assert.StartsWith("SM", s));
    }

    [SkippableFact]
    public async Task A_retried_webhook_produces_no_second_reply_or_complaint()
    {
        await using var h = await TwilioHarness.StartAsync(backend: Backend);
        await h.SayAsync("halo", messageSid: "SMretry000000000000000000000000001");
        var again = await h.SayAsync("halo", messageSid: "SMretry000000000000000000000000001");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await Db.EventuallyAsync(() => Task.FromResult(h.Sent.Count >= 1), "the first reply");
        await Task.Delay(300);
        Assert.Single(h.Sent);
        Assert.Equal(1, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
    }

    [SkippableFact]
    public async Task Media_is_downloaded_with_basic_auth_into_attachment_storage()
    {
        await using var h = await TwilioHarness.StartAsync(backend: Backend);
        var mediaUrl = $"{h.Api.BaseUrl}/2010-04-01/Accounts/{TwilioHarness.AccountSid}/Messages/MM1/Media/ME1";
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", "MM00000000000000000000000000000001"), new("AccountSid", TwilioHarness.AccountSid),
            new("From", TwilioHarness.Citizen), new("To", TwilioHarness.Sender), new("Body", "Foto jalan rusak"),
            new("NumMedia", "1"), new("MediaUrl0", mediaUrl), new("MediaContentType0", "image/jpeg"),
        };

        var r = await h.PostAsync("/webhooks/twilio", form);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var media = Assert.Single(h.Api.To("/Media/"));
        Assert.StartsWith("Basic ", media.Headers["Authorization"]);
        var state = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT state FROM conversations");
        Assert.Contains("localPath", state);
        var files = Directory.GetFiles(Path.Combine(h.App.Dir, "attachments"), "*.jpg", SearchOption.AllDirectories);
        Assert.Contains(files, f => File.ReadAllBytes(f).Length == 8);
    }

    [SkippableFact]
    public async Task Status_callbacks_record_each_messages_delivery_state_with_the_error_code()
    {
        await using var h = await TwilioHarness.StartAsync(backend: Backend);
        await h.SayAsync("halo");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<string?>(h.App.DatabasePath, "SELECT provider_message_id FROM outbox") is not null, "reply sent");
        var sid = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT provider_message_id FROM outbox");

        async Task Status(string status, string? code = null)
        {
            var form = new List<KeyValuePair<string, string>> { new("MessageSid", sid), new("MessageStatus", status), new("AccountSid", TwilioHarness.AccountSid), new("To", TwilioHarness.Citizen) };
            if (code is not null)
            {
                form.Add(new("ErrorCode", code));
            }
            Assert.Equal(HttpStatusCode.OK, (await h.PostAsync("/webhooks/twilio/status", form)).StatusCode);
        }

        await Status("sent");
        await Status("delivered");
        Assert.Equal("delivered", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT delivery_status FROM outbox"));
        await Status("sent"); // late, out of order: must not go backwards
        Assert.Equal("delivered", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT delivery_status FROM outbox"));
        await Status("read");
        Assert.Equal("read", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT delivery_status FROM outbox"));
        await Status("undelivered", "63016");
        Assert.Equal("undelivered", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT delivery_status FROM outbox"));
        Assert.StartsWith("63016", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT delivery_error FROM outbox"));
    }
}

/// <summary>Quick replies as Content API twilio/quick-reply templates where configured, words to reply otherwise; on SQLite and on PostgreSQL.</summary>
public abstract class TwilioQuickReplyTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TwilioQuickReplyTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TwilioQuickReplyTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static Dictionary<string, string?> QuickReplySettings() => new()
    {
        ["Twilio:QuickReplyContentSids:2"] = FakeTwilioApi.QuickReply2,
        ["Twilio:QuickReplyContentSids:3"] = FakeTwilioApi.QuickReply3,
    };

    [SkippableFact]
    public async Task Choices_go_out_as_quick_reply_buttons_through_the_configured_template_and_a_tap_answers_the_question()
    {
        await using var h = await TwilioHarness.StartAsync(QuickReplySettings(), backend: Backend);
        foreach (var text in new[] { "halo", "ya", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", "sama", "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap" })
        {
            Assert.Equal(HttpStatusCode.OK, (await h.SayAsync(text)).StatusCode);
        }
        await Db.EventuallyAsync(() => Task.FromResult(h.Twilio.Delivered.Count == 5), "five replies accepted by Twilio");

        // The summary offers Ya / Tidak / Ubah: the three-button template, the text as {{1}}, the choices as {{2}}–{{4}}.
        var summaryRequest = h.Sent[4].Form;
        Assert.Equal(FakeTwilioApi.QuickReply3, summaryRequest["ContentSid"]);
        Assert.False(summaryRequest.ContainsKey("Body"), "a Content API send leaves Body out");
        var variables = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(summaryRequest["ContentVariables"])!;
        Assert.Equal(["1", "2", "3", "4"], variables.Keys.Order().ToArray());
        var summary = h.Twilio.Delivered.ToArray()[4];
        Assert.Equal(["Ya", "Tidak", "Ubah"], summary.Buttons);
        Assert.Equal(["Ya", "Tidak", "Ubah"], summary.ButtonIds);
        Assert.Contains("*Nama:* Budi Santoso", summary.Body);
        Assert.Contains("Kirim sekarang?", summary.Body);
        Assert.DoesNotContain("• Ya", summary.Body); // the buttons replace the list of words
        // A message without choices is plain text.
        Assert.Contains(h.Sent, r => r.Form.ContainsKey("Body") && !r.Form.ContainsKey("ContentSid"));

        // The citizen taps "Ya": Twilio posts the button's title and id.
        var tap = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", "SMtap0000000000000000000000000001"), new("AccountSid", TwilioHarness.AccountSid),
            new("From", TwilioHarness.Citizen), new("To", TwilioHarness.Sender), new("Body", "Ya"), new("NumMedia", "0"),
            new("MessageType", "interactive"), new("ButtonText", "Ya"), new("ButtonPayload", "Ya"),
        };
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync("/webhooks/twilio", tap)).StatusCode);
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM complaints") == 1, "the tap submits the complaint");
        var number = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT tracking_number FROM complaints");
        await Db.EventuallyAsync(() => Task.FromResult(h.Twilio.Delivered.Any(d => d.Body.Contains(number))), "the tracking number sent");
    }

    [SkippableFact]
    public async Task Without_a_template_for_that_many_choices_they_are_listed_as_words_to_reply()
    {
        // Only a two-button template: the three-choice summary falls back to text.
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Twilio:QuickReplyContentSids:2"] = FakeTwilioApi.QuickReply2 }, backend: Backend);
        foreach (var text in new[] { "halo", "ya", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", "sama", "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap" })
        {
            await h.SayAsync(text);
        }
        await Db.EventuallyAsync(() => Task.FromResult(h.Twilio.Delivered.Count == 5), "five replies accepted by Twilio");
        var summary = h.Twilio.Delivered.ToArray()[4];
        Assert.Null(summary.ContentSid);
        Assert.Empty(summary.Buttons);
        Assert.EndsWith("\n\n• Ya\n• Tidak\n• Ubah", summary.Body);
    }

    [SkippableTheory]
    [InlineData(new[] { "Puas", "Tidak puas", "Aduan baru" }, "Apakah jawaban ini membantu?", true)]
    [InlineData(new[] { "Tanggapan untuk LPR-2611-00001", "Aduan baru" }, "Pilih", false)]  // a title over 20 characters
    [InlineData(new[] { "Ya", "Ya" }, "Pilih", false)]                                         // duplicate titles
    [InlineData(new[] { "A", "B", "C", "D" }, "Pilih", false)]                                // more than WhatsApp takes in a conversation
    [InlineData(new string[0], "Halo", false)]
    public void The_template_is_used_only_for_choices_whatsapp_takes_as_buttons(string[] choices, string text, bool buttons)
    {
        var o = new LaporBot.Channels.Twilio.TwilioOptions
        {
            QuickReplyContentSids = new() { [1] = FakeTwilioApi.QuickReply1, [2] = FakeTwilioApi.QuickReply2, [3] = FakeTwilioApi.QuickReply3 },
        };
        var message = new LaporBot.Channels.OutboundMessage(1, "twilio", TwilioHarness.Citizen, text, choices, null, 1);
        Assert.Equal(buttons, LaporBot.Channels.Twilio.TwilioChannel.QuickReplyTemplate(message, o) is not null);
        var longBody = message with { Text = new string('x', 1025), QuickReplies = ["Ya"] };
        Assert.Null(LaporBot.Channels.Twilio.TwilioChannel.QuickReplyTemplate(longBody, o));
    }

    [SkippableFact]
    public void A_malformed_content_sid_stops_start_up_with_the_key_named()
    {
        var v = new LaporBot.Channels.Twilio.TwilioOptionsValidator(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" });
        var o = new LaporBot.Channels.Twilio.TwilioOptions
        {
            Enabled = true, AccountSid = TwilioHarness.AccountSid, WhatsAppNumber = TwilioHarness.Sender,
            QuickReplyContentSids = new() { [3] = "HX123", [4] = FakeTwilioApi.QuickReply3 },
        };
        var failures = string.Join("\n", v.Validate(null, o).Failures ?? []);
        Assert.Contains("Twilio:QuickReplyContentSids:3 'HX123' is not a Content SID", failures);
        Assert.Contains("Twilio:QuickReplyContentSids:4", failures);
    }
}
