using LaporBot.Privacy;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using LaporBot.Tests.StatusPage;

namespace LaporBot.Tests.Channels;

/// <summary>Secrets and citizens' phone numbers never reach the logs (docs/STYLE.md, habit 5). On SQLite and on PostgreSQL.</summary>
public abstract class LogHygieneTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : LogHygieneTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : LogHygieneTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [SkippableFact]
    public async Task A_full_twilio_conversation_with_failures_logs_no_auth_token_and_no_phone_number()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "2" }, backend: Backend);
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

    /// <summary>
    /// The routing, workflow and status-page paths: a WhatsApp citizen who writes their number into the
    /// complaint, routing, an agency's /lihat, /terima and /balas, the answer relayed, the status page's
    /// case page and list, the retention round. No form of the number reaches the log.
    /// </summary>
    [SkippableFact]
    public async Task Routing_workflow_and_status_page_paths_log_no_phone_number_in_any_form()
    {
        await using var twilio = await RoutingKit.StartAcceptingTwilioAsync();
        await using var kit = await RoutingKit.StartAsync(RoutingKit.TwilioSettings(twilio.BaseUrl), backend: Backend);

        var number = await kit.FileWhatsAppComplaintAsync(
            "Jalan berlubang di Jl. Gatot Subroto dekat SD Negeri 2, hubungi saya di 0812-3456-7890 atau +62 813 9876 5432");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.SayAsync(RoutingKit.PuAdmin, $"/lihat {number}");
        await kit.SayAsync(RoutingKit.PuAdmin, $"/terima {number}");
        await kit.WaitForStatusAsync(number, "accepted");
        await kit.SayAsync(RoutingKit.PuAdmin, $"/balas {number} Sudah ditambal. Petugas kami menghubungi 0812 3456 7890.");
        await kit.WaitForStatusAsync(number, "answered");
        var staff = StaffClient.For(kit.Telegram.App);
        await staff.LoginOkAsync();
        Assert.Contains(number, await staff.HtmlAsync($"/status/aduan/{number}"));
        var found = await staff.HtmlAsync("/status/aduan?q=Gatot");
        Assert.True(found.Contains(number), found);
        await kit.Telegram.App.Service<RetentionService>().RunOnceAsync();
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0,
            "every message sent");

        var logs = kit.Telegram.App.Logs.All;
        Assert.Contains("Complaint 1 routed", logs); // the paths did log…
        var citizen = TwilioHarness.Citizen.Replace("whatsapp:+", "");
        foreach (var form in new[] { citizen, citizen[2..], "0" + citizen[2..], "081234567890", "0812-3456-7890", "0812 3456 7890", "813 9876 5432", "6281398765432" })
        {
            Assert.DoesNotContain(form, logs); // …but no number, however written
        }
    }
}
