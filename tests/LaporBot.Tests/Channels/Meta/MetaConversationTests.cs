using System.Net;
using System.Text.Json;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Meta;

/// <summary>The whole service end to end over Meta's Cloud API: signed webhooks in, Graph API calls out (to a fake on loopback). On SQLite and on PostgreSQL.</summary>
public abstract class MetaConversationTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : MetaConversationTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : MetaConversationTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    // 15 November 2026, 10:00 in Cilacap: tracking numbers are LPR-2611-…
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 10, 0, 0, TimeSpan.FromHours(7));

    private const string Citizen = MetaHarness.Citizen;

    /// <summary>halo → name → address → complaint → (Ya button); returns the five sends the fake received.</summary>
    private static async Task<IReadOnlyList<FakeRequest>> ReportAsync(MetaHarness h)
    {
        await h.SayAsync("wamid.c1", "halo");
        await h.SendNumberAsync(1);
        await h.SayAsync("wamid.c2", "Budi Santoso");
        await h.SendNumberAsync(2);
        await h.SayAsync("wamid.c3", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        await h.SendNumberAsync(3);
        var same = await h.PostAsync(MetaPayloads.ButtonReply(Citizen, "wamid.c3b", "Sama dengan alamat", "Sama dengan alamat"));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        await h.SendNumberAsync(4);
        await h.SayAsync("wamid.c4", "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan");
        await h.SendNumberAsync(5);
        var tap = await h.PostAsync(MetaPayloads.ButtonReply(Citizen, "wamid.c5", "Ya", "Ya"));
        Assert.Equal(HttpStatusCode.OK, tap.StatusCode);
        await h.SendNumberAsync(6);
        return h.Graph.Sends;
    }

    [SkippableFact]
    public async Task A_citizen_reports_over_WhatsApp_and_gets_a_tracking_number()
    {
        await using var h = await MetaHarness.StartAsync(clock: new FixedTime(Now), dispatcher: true, backend: Backend);

        var sends = await ReportAsync(h);

        Assert.Equal(6, sends.Count);
        Assert.All(sends, s =>
        {
            Assert.Equal($"/v26.0/{MetaHarness.PhoneNumberId}/messages", s.Path);
            Assert.Equal("Bearer " + MetaHarness.AccessToken, s.Authorization);
            Assert.StartsWith("application/json", s.ContentType);
            var json = s.Json();
            Assert.Equal("whatsapp", json.GetProperty("messaging_product").GetString());
            Assert.Equal("individual", json.GetProperty("recipient_type").GetString());
            Assert.Equal(Citizen, json.GetProperty("to").GetString());
        });

        // Plain questions are text messages, exactly as the outbox holds them.
        var bodies = await Db.QueryAsync<string>(h.DatabasePath, "SELECT body FROM outbox ORDER BY id");
        Assert.Equal(6, bodies.Count);
        Assert.Equal(
            $$$"""{"messaging_product":"whatsapp","recipient_type":"individual","to":"{{{Citizen}}}","type":"text","text":{"preview_url":false,"body":{{{JsonSerializer.Serialize(bodies[1])}}}}}""",
            sends[1].Body);
        Assert.Contains("Di mana alamat Anda?", Text(sends[1]));
        // The location question offers "Sama dengan alamat" as a reply button.
        Assert.Contains("Di mana lokasi masalahnya?", sends[2].Json().GetProperty("interactive").GetProperty("body").GetProperty("text").GetString());
        Assert.Contains("Ceritakan aduan Anda", Text(sends[3]));

        // WhatsApp gave us the profile name, so the bot offers it with Ya / Tidak buttons; the citizen types the full name instead.
        var offer = sends[0].Json().GetProperty("interactive");
        // The dialog's bold is WhatsApp's *bold* on the wire, never HTML.
        Assert.Contains("Apakah nama Anda *Budi*?", offer.GetProperty("body").GetProperty("text").GetString());
        Assert.Equal(["Ya", "Tidak"], offer.GetProperty("action").GetProperty("buttons").EnumerateArray()
            .Select(b => b.GetProperty("reply").GetProperty("title").GetString()));

        // The confirmation offers Ya / Tidak / Ubah as reply buttons.
        var confirm = sends[4].Json();
        Assert.Equal("interactive", confirm.GetProperty("type").GetString());
        var interactive = confirm.GetProperty("interactive");
        Assert.Equal("button", interactive.GetProperty("type").GetString());
        Assert.Equal(LaporBot.Channels.Markup.ToWhatsApp(bodies[4], LaporBot.Channels.TextFormat.Markup), interactive.GetProperty("body").GetProperty("text").GetString());
        Assert.Contains("*Nama:* Budi Santoso", interactive.GetProperty("body").GetProperty("text").GetString());
        Assert.Equal(
            """[{"type":"reply","reply":{"id":"Ya","title":"Ya"}},{"type":"reply","reply":{"id":"Tidak","title":"Tidak"}},{"type":"reply","reply":{"id":"Ubah","title":"Ubah"}}]""",
            interactive.GetProperty("action").GetProperty("buttons").GetRawText());

        // Tapping "Ya" submits; the answer carries the tracking number.
        Assert.Equal("text", sends[5].Json().GetProperty("type").GetString());
        Assert.Contains("*LPR-2611-00001*", Text(sends[5]));

        var complaint = (await Db.QueryAsync<(string, string, string, string, string, string)>(h.DatabasePath,
            """
            SELECT c.tracking_number, c.channel, c.name, c.address, c.text, r.address
            FROM complaint_details c JOIN reporters r ON r.id = c.reporter_id
            """)).Single();
        Assert.Equal(("LPR-2611-00001", "meta", "Budi Santoso", "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah",
            "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan", Citizen), complaint);

        // Every outbox row went out and remembers Meta's wamid for the delivery statuses.
        await Db.EventuallyAsync(async () => await h.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND provider_message_id LIKE 'wamid.fake%'") == 6,
            "all six outbox rows marked sent");
    }

    [SkippableFact]
    public async Task Secrets_and_the_citizens_number_never_reach_the_logs()
    {
        await using var h = await MetaHarness.StartAsync(clock: new FixedTime(Now), dispatcher: true, backend: Backend);

        var handshake = await h.Http.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={MetaHarness.VerifyToken}&hub.challenge=77");
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        await ReportAsync(h);
        // The paths that log: a refused signature, a failed delivery status, a photo whose download fails.
        Assert.Equal(HttpStatusCode.Forbidden, (await h.PostAsync(MetaPayloads.Text(Citizen, "wamid.c6", "halo"), Signature.Wrong)).StatusCode);
        await Db.ExecuteAsync(h.DatabasePath, "UPDATE outbox SET provider_message_id = 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1QzU5RUI1RjM5NzE0ODk1AA==' WHERE id = 1");
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(TestData.Bytes("meta/status-failed.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(TestData.Bytes("meta/image.json"))).StatusCode);
        await h.SendNumberAsync(6);

        var logs = h.App.Logs.All;
        Assert.Contains("meta attachment of message", logs); // the capture works and saw the Meta paths
        Assert.DoesNotContain(MetaHarness.AccessToken, logs);
        Assert.DoesNotContain(MetaHarness.AppSecret, logs);
        Assert.DoesNotContain(MetaHarness.VerifyToken, logs);
        Assert.DoesNotContain(Citizen, logs);
        Assert.DoesNotContain(Citizen[2..], logs); // also not without the country code
    }

    private static string Text(FakeRequest send) => send.Json().GetProperty("text").GetProperty("body").GetString()!;
}
