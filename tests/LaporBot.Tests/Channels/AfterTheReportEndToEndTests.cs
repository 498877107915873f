using System.Text.Json;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;

namespace LaporBot.Tests.Channels;

/// <summary>
/// The conversation after the report, end to end over the channel that LifecycleTests does not cover
/// for each path: a new complaint right after an answer on Telegram (parse mode, escaped citizen text),
/// and a returned case completed over WhatsApp through Twilio (the fake Twilio API checks every send).
/// On SQLite and on PostgreSQL.
/// </summary>
public abstract class AfterTheReportEndToEndTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : AfterTheReportEndToEndTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : AfterTheReportEndToEndTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static string Text(JsonElement message) => message.GetProperty("text").GetString()!;

    [SkippableFact]
    public async Task A_new_complaint_right_after_an_answer_on_Telegram_becomes_a_new_case_with_escaped_text_and_nothing_reaches_the_old_one()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var first = await kit.FileComplaintAsync("Jalan berlubang di Jl. Gatot Subroto dekat SD Negeri 2, sudah tiga motor jatuh minggu ini");
        await kit.WaitForStatusAsync(first, "assigned");
        await kit.SayAsync(RoutingKit.PuAdmin, $"/balas {first} Lubang sudah ditambal tim UPT jalan hari ini.");
        await kit.WaitForStatusAsync(first, "answered");
        var answer = await kit.WaitForMessageAsync(RoutingKit.Citizen, "Apakah jawaban ini membantu?");
        Assert.Equal("HTML", answer.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.Equal(["Puas", "Tidak puas", "Aduan baru"],
            answer.GetProperty("reply_markup").GetProperty("keyboard").EnumerateArray().Select(r => r[0].GetProperty("text").GetString()));

        // A new report, with markup-like characters a citizen might type.
        await kit.SayAsync(RoutingKit.Citizen, "Saya mau lapor masalah lain: lampu <b>PJU</b> di Jl. Gatot Subroto *mati* semua sejak seminggu");
        await kit.SayAsync(RoutingKit.Citizen, "ya"); // the remembered name and address
        await kit.SayAsync(RoutingKit.Citizen, "Jl. Gatot Subroto depan Pasar Gumilir");
        var summary = await kit.WaitForMessageAsync(RoutingKit.Citizen, "Gatot Subroto depan Pasar Gumilir");
        Assert.Contains("Kirim sekarang?", Text(summary));
        Assert.Equal("HTML", summary.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.True(Text(summary).Contains("lampu &lt;b&gt;PJU&lt;/b&gt; di Jl. Gatot Subroto *mati* semua", StringComparison.Ordinal), Text(summary));
        Assert.Contains("<b>Lokasi masalah:</b> Jl. Gatot Subroto depan Pasar Gumilir", Text(summary));
        await kit.SayAsync(RoutingKit.Citizen, "ya");

        var numbers = await Db.QueryAsync<string>(kit.DatabasePath, "SELECT tracking_number FROM complaints ORDER BY id");
        Assert.Equal(2, numbers.Count);
        var second = numbers[1];
        await kit.WaitForMessageAsync(RoutingKit.Citizen, second);
        Assert.Equal("lampu <b>PJU</b> di Jl. Gatot Subroto *mati* semua sejak seminggu",
            await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT text FROM complaint_details WHERE tracking_number = @second", new { second }));

        // The answered case got nothing; its agency was told nothing about the lamp.
        Assert.Equal("answered", await kit.StatusAsync(first));
        Assert.DoesNotContain(await kit.TimelineAsync(first), e => e.Kind is "citizen_comment" or "rated" or "reopened");
        Assert.DoesNotContain(kit.Fake.CallsTo("sendMessage"), c => c.Body.Contains("Tanggapan pelapor", StringComparison.Ordinal));
        Assert.DoesNotContain(kit.Fake.CallsTo("sendMessage"), c => c.Body.Contains("sudah kami teruskan", StringComparison.Ordinal));

        // The new case reaches DPUPR as its own case, with the problem's location.
        await Db.EventuallyAsync(async () => await kit.StatusAsync(second) is "assigned" or "triage", "the new case routed");
        if (await kit.StatusAsync(second) == "triage")
        {
            await kit.SayAsync(RoutingKit.Triage, $"/disposisi {second} DPUPR");
        }
        await kit.WaitForStatusAsync(second, "assigned");
        var toAgency = await kit.WaitForMessageAsync(RoutingKit.PuAdmin, second);
        Assert.Contains("Lokasi masalah: Jl. Gatot Subroto depan Pasar Gumilir", Text(toAgency));
    }

    [SkippableFact]
    public async Task A_returned_case_is_completed_over_WhatsApp_through_Twilio_and_goes_back_to_triage_with_the_same_number()
    {
        var api = new FakeTwilioApi();
        await using var twilio = await RoutingKit.StartAcceptingTwilioAsync(api);
        await using var kit = await RoutingKit.StartAsync(RoutingKit.TwilioSettings(twilio.BaseUrl), backend: Backend);
        var number = await kit.FileWhatsAppComplaintAsync("Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan begitu saja");
        await kit.WaitForStatusAsync(number, "triage");

        await kit.SayAsync(RoutingKit.Triage, $"/kembalikan {number} mohon sertakan nama desa");
        await kit.WaitForStatusAsync(number, "returned");
        async Task<FakeTwilioApi.Shown> WhatsApp(string contains)
        {
            FakeTwilioApi.Shown? found = null;
            await Db.EventuallyAsync(() =>
            {
                found = api.Delivered.LastOrDefault(d => d.Body.Contains(contains, StringComparison.Ordinal));
                return Task.FromResult(found is not null);
            }, $"a WhatsApp message with \"{contains}\"");
            return found!;
        }

        // The notice in WhatsApp's *bold*, the case number offered as the word to reply.
        var notice = await WhatsApp("perlu dilengkapi");
        Assert.Contains($"Aduan Anda *{number}* perlu dilengkapi", notice.Body);
        Assert.Contains("*Alasan petugas:* mohon sertakan nama desa", notice.Body);
        Assert.Contains($"• {number}", notice.Body);
        Assert.DoesNotContain("<b>", notice.Body);

        await kit.WhatsAppSayAsync(number);
        var summary = await WhatsApp("dikembalikan petugas untuk dilengkapi");
        Assert.Contains("*Nama:* Budi Santoso", summary.Body);
        await kit.WhatsAppSayAsync("ubah lokasi");
        await WhatsApp("Di mana lokasi masalahnya?");
        await kit.WhatsAppSayAsync("Depan SD Negeri Karangsari, Desa Karangsari");
        await WhatsApp("*Lokasi masalah:* Depan SD Negeri Karangsari, Desa Karangsari");
        Assert.Equal("returned", await kit.StatusAsync(number));
        await kit.WhatsAppSayAsync("ya");

        await kit.WaitForStatusAsync(number, "triage");
        await WhatsApp($"aduan *{number}* sudah dilengkapi dan kami kirim kembali untuk diperiksa, dengan nomor yang sama");
        var triage = await kit.WaitForMessageAsync(RoutingKit.Triage, $"Pelapor melengkapi aduan {number}");
        Assert.Contains("Lokasi masalah: Depan SD Negeri Karangsari, Desa Karangsari", Text(triage));
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM complaints"));
        Assert.Equal("Depan SD Negeri Karangsari, Desa Karangsari",
            await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT problem_location FROM complaint_details WHERE tracking_number = @number", new { number }));
        // Every send was one Twilio accepts: the fake's wire checks refused none.
        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE channel = 'twilio' AND last_error IS NOT NULL"));
    }
}
