using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels;

/// <summary>Secrets and citizens' phone numbers never reach the logs (STYLE.md habit 5).</summary>
public class LogHygieneTests
{
    [Fact]
    public async Task A_full_twilio_conversation_with_failures_logs_no_auth_token_and_no_phone_number()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "2" });
        // The provider quotes the number back in its error, as Twilio does for 21211.
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal) && r.Form.GetValueOrDefault("Body", "").Contains("Kirim sekarang")
            ? new(400, "{\"code\":21211,\"message\":\"The 'To' number whatsapp:+6281234567890 is not a valid phone number.\"}")
            : h.DefaultReply(r));

        foreach (var text in new[] { "halo", "ya", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", "sama", "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap", "ya" })
        {
            await h.SayAsync(text);
        }
        await h.PostAsync("/webhooks/twilio", TestData.Form("twilio/inbound-text.form"), "invalid");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status IN ('sent','dead')") == 6,
            "every reply sent or dead");

        var logs = h.App.Logs.All;
        Assert.NotEmpty(h.App.Logs.Lines);
        Assert.Contains("21211", logs); // the failure was logged…
        Assert.DoesNotContain(TwilioHarness.AuthToken, logs); // …without secrets
        Assert.DoesNotContain("6281234567890", logs); // …or the citizen's number, with or without +
        Assert.DoesNotContain("6285290082800", logs);
        var stored = await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT last_error FROM outbox WHERE status = 'dead'");
        Assert.DoesNotContain("6281234567890", stored);
    }
}
