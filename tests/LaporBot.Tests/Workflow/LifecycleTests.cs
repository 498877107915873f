using System.Text.Json;
using LaporBot.Channels.Twilio;
using LaporBot.Routing;
using LaporBot.Staff;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using LaporBot.Workflow;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// Every branch of a complaint's life (DESIGN.md) end to end: the real app, a fake Telegram (and
/// Twilio) API on loopback. Each test checks the status, the agency, the timeline (actor + kind)
/// and the messages that went out on the wire.
/// </summary>
public abstract class LifecycleTests
{
    /// <summary>The database this run of the suite uses: every test runs on SQLite and on PostgreSQL.</summary>
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : LifecycleTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : LifecycleTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private const string Pu = "Dinas Pekerjaan Umum dan Penataan Ruang";
    private const string Dlh = "Dinas Lingkungan Hidup";
    private const string TriageActor = "staf:9000 (Admin Utama)";
    private const string PuActor = "staf:9001 (DPUPR)";
    private const string DlhActor = "staf:9002 (DLH)";

    private static async Task<List<(string Actor, string Kind)>> EventsAsync(RoutingKit kit, string number) =>
        (await kit.TimelineAsync(number)).Select(e => (e.Actor, e.Kind)).ToList();

    private static string Text(JsonElement message) => message.GetProperty("text").GetString()!;

    private static List<(string Text, string Data)> Buttons(JsonElement message) =>
        message.TryGetProperty("reply_markup", out var markup) && markup.TryGetProperty("inline_keyboard", out var rows)
            ? rows.EnumerateArray().SelectMany(r => r.EnumerateArray())
                .Select(b => (b.GetProperty("text").GetString()!, b.GetProperty("callback_data").GetString()!)).ToList()
            : [];

    [SkippableFact]
    public async Task A_weak_match_goes_to_triage_with_suggestion_buttons_and_triage_assigns_it_by_command()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);

        // "sampah" alone is one DLH keyword: a suggestion, not enough to assign automatically.
        var number = await kit.FileComplaintAsync("Ada sampah di dekat balai warga RT 03 yang sudah lama belum dibersihkan, mohon ditindaklanjuti");

        await kit.WaitForStatusAsync(number, "triage");
        Assert.Null(await kit.AgencyAsync(number));
        var note = await kit.WaitForMessageAsync(RoutingKit.Triage, number);
        var text = Text(note);
        Assert.StartsWith("🗂️ Aduan perlu disposisi (kecocokan aturan lemah)\n", text);
        Assert.Contains($"Nomor: {number}", text);
        Assert.Contains("Saran instansi: DLH (Dinas Lingkungan Hidup)", text);
        Assert.EndsWith($"/disposisi {number} <kode OPD> · /kembalikan {number} <alasan> · /tutup {number}", text);
        Assert.Equal([("➡️ DLH", $"disposisi:{number}:DLH")], Buttons(note));

        await kit.SayAsync(RoutingKit.Triage, $"/disposisi {number} DLH");

        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DLH", await kit.AgencyAsync(number));
        await kit.WaitForExactMessageAsync(RoutingKit.Triage, $"➡️ Aduan {number} didisposisikan ke {Dlh}.");
        var assigned = await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, number);
        Assert.StartsWith($"📋 Aduan baru untuk {Dlh}", Text(assigned));
        Assert.Equal([("✅ Terima", $"terima:{number}"), ("↩️ Tolak", $"tolak:{number}"), ("✍️ Balas", $"balas:{number}")], Buttons(assigned));
        Assert.Empty(kit.SentTo(RoutingKit.PuAdmin));
        var timeline = await kit.TimelineAsync(number);
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "to_triage"), (TriageActor, "assigned")],
            timeline.Select(e => (e.Actor, e.Kind)).ToList());
        Assert.Equal("kecocokan aturan lemah", timeline[1].Note);
    }

    [SkippableFact]
    public async Task An_agency_returns_a_case_with_a_reason_and_triage_reassigns_it_to_another_agency()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Jalan rusak di depan pasar Sidanegara, banyak lubang besar dan tumpukan sampah di pinggirnya");
        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DPUPR", await kit.AgencyAsync(number));

        await kit.SayAsync(RoutingKit.PuAdmin, $"/tolak {number} bukan kewenangan kami");

        await kit.WaitForStatusAsync(number, "triage");
        Assert.Null(await kit.AgencyAsync(number));
        await kit.WaitForExactMessageAsync(RoutingKit.PuAdmin, $"↩️ Aduan {number} dikembalikan ke Admin Utama dengan alasan: bukan kewenangan kami");
        await kit.WaitForExactMessageAsync(RoutingKit.Triage,
            $"↩️ {Pu} menolak disposisi {number}: bukan kewenangan kami\nMohon disposisikan ulang: /disposisi {number} <kode OPD>");
        Assert.Equal("bukan kewenangan kami",
            await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT return_reason FROM complaints WHERE tracking_number = @number", new { number }));

        await kit.SayAsync(RoutingKit.Triage, $"/disposisi {number} DLH");

        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DLH", await kit.AgencyAsync(number));
        var note = await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, number);
        Assert.StartsWith($"📋 Aduan baru untuk {Dlh}", Text(note));
        var timeline = await kit.TimelineAsync(number);
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "assigned"), (PuActor, "rejected_by_agency"), (TriageActor, "assigned")],
            timeline.Select(e => (e.Actor, e.Kind)).ToList());
        Assert.Equal("ditolak DPUPR: bukan kewenangan kami", timeline[2].Note);
        Assert.StartsWith("ke DLH", timeline[3].Note);
    }

    [SkippableFact]
    public async Task The_Tolak_button_asks_for_a_reason_and_replying_to_that_prompt_rejects_the_case()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Lampu jalan di perempatan Gumilir mati sejak seminggu, jalan gelap dan rawan kejahatan");
        await kit.WaitForStatusAsync(number, "assigned");
        var before = await kit.SnapshotAsync(number);

        await kit.PressAsync(RoutingKit.PuAdmin, $"tolak:{number}");

        await kit.WaitForExactMessageAsync(RoutingKit.PuAdmin, $"Balas (reply) pesan ini dengan alasan penolakan aduan {number}.");
        Assert.Equal(before, await kit.SnapshotAsync(number)); // the prompt alone changes nothing
        var answered = kit.Fake.CallsTo("answerCallbackQuery").Single().Json;
        Assert.False(answered.TryGetProperty("show_alert", out var alert) && alert.GetBoolean(), "an allowed press is not an alert");
        var prompt = await kit.DeliveredIdAsync(RoutingKit.PuAdmin, "ask_reason");

        await kit.SayAsync(RoutingKit.PuAdmin, "Lampu di ruas itu milik PLN, bukan aset daerah", replyTo: prompt);

        await kit.WaitForStatusAsync(number, "triage");
        Assert.Null(await kit.AgencyAsync(number));
        await kit.WaitForExactMessageAsync(RoutingKit.PuAdmin,
            $"↩️ Aduan {number} dikembalikan ke Admin Utama dengan alasan: Lampu di ruas itu milik PLN, bukan aset daerah");
        await kit.WaitForExactMessageAsync(RoutingKit.Triage,
            $"↩️ {Pu} menolak disposisi {number}: Lampu di ruas itu milik PLN, bukan aset daerah\nMohon disposisikan ulang: /disposisi {number} <kode OPD>");
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "assigned"), (PuActor, "rejected_by_agency")],
            await EventsAsync(kit, number));
    }

    [SkippableFact]
    public async Task The_Balas_button_asks_for_an_answer_and_replying_to_that_prompt_answers_the_citizen()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Sampah menumpuk di pinggir pasar Gumilir sudah dua minggu tidak diangkut dan bau sekali");
        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DLH", await kit.AgencyAsync(number));

        await kit.PressAsync(RoutingKit.DlhAdmin, $"balas:{number}");

        await kit.WaitForExactMessageAsync(RoutingKit.DlhAdmin, $"Balas (reply) pesan ini dengan jawaban untuk pelapor aduan {number}.");
        Assert.Equal("assigned", await kit.StatusAsync(number));
        var prompt = await kit.DeliveredIdAsync(RoutingKit.DlhAdmin, "ask_answer");

        await kit.SayAsync(RoutingKit.DlhAdmin, "Truk sampah sudah mengangkut tumpukan itu pagi ini.", replyTo: prompt);

        await kit.WaitForStatusAsync(number, "answered");
        Assert.Equal("DLH", await kit.AgencyAsync(number));
        await kit.WaitForExactMessageAsync(RoutingKit.DlhAdmin, $"📨 Jawaban untuk {number} sudah dikirim ke pelapor.");
        var relayed = await kit.WaitForExactMessageAsync(RoutingKit.Citizen,
            $"Jawaban untuk aduan Anda <b>{number}</b> dari {Dlh}:\n\nTruk sampah sudah mengangkut tumpukan itu pagi ini.\n\n" +
            "Apakah jawaban ini membantu? Balas PUAS atau TIDAK PUAS, dan beri nilai 1–5 (5 = sangat baik). Ada masalah lain? Balas ADUAN BARU.");
        // The rating question's quick replies.
        Assert.Equal(["Puas", "Tidak puas", "Aduan baru"],
            relayed.GetProperty("reply_markup").GetProperty("keyboard").EnumerateArray().Select(r => r[0].GetProperty("text").GetString()));
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "assigned"), (DlhActor, "accepted"), (DlhActor, "answered")],
            await EventsAsync(kit, number));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_answer_on_Telegram_reaches_a_WhatsApp_citizen_as_text_or_as_a_template_after_24_hours(bool windowClosed)
    {
        const string template = "HX0123456789abcdef0123456789abcdef";
        await using var twilio = await RoutingKit.StartAcceptingTwilioAsync();
        await using var kit = await RoutingKit.StartAsync(RoutingKit.TwilioSettings(twilio.BaseUrl, template), backend: Backend);

        var number = await kit.FileWhatsAppComplaintAsync("Jalan berlubang di Jl. Gatot Subroto dekat SD Negeri 2, sudah tiga motor jatuh minggu ini");
        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DPUPR", await kit.AgencyAsync(number));
        Assert.Equal("twilio", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT channel FROM complaints WHERE tracking_number = @number", new { number }));
        if (windowClosed)
        {
            var longAgo = DateTimeOffset.UtcNow.AddHours(-25).ToUnixTimeMilliseconds();
            await Db.ExecuteAsync(kit.DatabasePath, "UPDATE reporters SET last_inbound_at = @longAgo WHERE address = @a",
                new { longAgo, a = TwilioHarness.Citizen });
        }

        await kit.SayAsync(RoutingKit.PuAdmin, $"/balas {number} Lubang sudah ditambal tim UPT jalan hari ini.");

        await kit.WaitForStatusAsync(number, "answered");
        var expected = $"Jawaban untuk aduan Anda *{number}* dari {Pu}:\n\nLubang sudah ditambal tim UPT jalan hari ini.\n\n" +
            "Apakah jawaban ini membantu? Balas PUAS atau TIDAK PUAS, dan beri nilai 1–5 (5 = sangat baik). Ada masalah lain? Balas ADUAN BARU.";
        Dictionary<string, string>? form = null;
        await Db.EventuallyAsync(() =>
        {
            form = twilio.To("/Messages.json").Select(r => r.Form)
                .LastOrDefault(f => (f.GetValueOrDefault("Body") ?? f.GetValueOrDefault("ContentVariables") ?? "").Contains("Lubang sudah ditambal"));
            return Task.FromResult(form is not null);
        }, "the answer posted to Twilio's Messages.json");
        Assert.Equal(TwilioHarness.Citizen, form!["To"]);
        Assert.Equal(TwilioHarness.Sender, form["From"]);
        if (windowClosed)
        {
            Assert.Equal(template, form["ContentSid"]);
            Assert.False(form.ContainsKey("Body"), "a template message carries no Body");
            var variables = JsonSerializer.Deserialize<Dictionary<string, string>>(form["ContentVariables"])!;
            Assert.Equal(expected, variables["1"]);
        }
        else
        {
            // Plain Twilio WhatsApp has no buttons: the quick replies are listed as words to reply.
            Assert.Equal(expected + "\n\n• Puas\n• Tidak puas\n• Aduan baru", form["Body"]);
            Assert.False(form.ContainsKey("ContentSid"), "inside the 24-hour window the answer is free text");
        }
        await kit.WaitForExactMessageAsync(RoutingKit.PuAdmin, $"📨 Jawaban untuk {number} sudah dikirim ke pelapor.");
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "assigned"), (PuActor, "accepted"), (PuActor, "answered")],
            await EventsAsync(kit, number));
    }

    [SkippableFact]
    public async Task A_new_complaint_right_after_an_answer_on_WhatsApp_becomes_a_new_case_and_nothing_reaches_the_old_one()
    {
        await using var twilio = await RoutingKit.StartAcceptingTwilioAsync();
        await using var kit = await RoutingKit.StartAsync(RoutingKit.TwilioSettings(twilio.BaseUrl), backend: Backend);
        var first = await kit.FileWhatsAppComplaintAsync("Jalan berlubang di Jl. Gatot Subroto dekat SD Negeri 2, sudah tiga motor jatuh minggu ini");
        await kit.WaitForStatusAsync(first, "assigned");
        await kit.SayAsync(RoutingKit.PuAdmin, $"/balas {first} Lubang sudah ditambal tim UPT jalan hari ini.");
        await kit.WaitForStatusAsync(first, "answered");

        // Two minutes later, the report from the issue.
        await kit.WhatsAppSayAsync("Saya mau lapor masalah lain: lampu penerangan jalan umum di Jl. Gatot Subroto mati semua sejak seminggu");
        await kit.WhatsAppSayAsync("ya");   // the remembered name and address
        await kit.WhatsAppSayAsync("Jl. Gatot Subroto depan Pasar Gumilir");
        await kit.WhatsAppSayAsync("ya");

        var numbers = await Db.QueryAsync<string>(kit.DatabasePath, "SELECT tracking_number FROM complaints ORDER BY id");
        Assert.Equal(2, numbers.Count);
        var second = numbers[1];
        var row = (await Db.QueryAsync<(string Name, string Address, string Location, string Text)>(kit.DatabasePath,
            "SELECT name, address, problem_location, text FROM complaint_details WHERE tracking_number = @second", new { second })).Single();
        Assert.Equal(("Budi Santoso", "Jl. Gatot Subroto No. 12, Gunungsimping, Cilacap Tengah", "Jl. Gatot Subroto depan Pasar Gumilir",
            "lampu penerangan jalan umum di Jl. Gatot Subroto mati semua sejak seminggu"), row);
        // The answered case got nothing: no comment event, no message to its agency about the lamp.
        Assert.Equal("answered", await kit.StatusAsync(first));
        Assert.DoesNotContain(await EventsAsync(kit, first), e => e.Kind is "citizen_comment" or "rated" or "reopened");
        // A street-light complaint may need the triage desk; either way it reaches DPUPR as its own case.
        await Db.EventuallyAsync(async () => await kit.StatusAsync(second) is "assigned" or "triage", "the new case routed");
        if (await kit.StatusAsync(second) == "triage")
        {
            await kit.SayAsync(RoutingKit.Triage, $"/disposisi {second} DPUPR");
        }
        await kit.WaitForStatusAsync(second, "assigned");
        var toAgency = await kit.WaitForMessageAsync(RoutingKit.PuAdmin, second);
        Assert.Contains("Lokasi masalah: Jl. Gatot Subroto depan Pasar Gumilir", Text(toAgency));
        Assert.DoesNotContain(kit.Fake.CallsTo("sendMessage"), c => c.Body.Contains("Tanggapan pelapor", StringComparison.Ordinal));

        // What the citizen read on WhatsApp: the identity offer, the summary in WhatsApp's *bold*, the new number.
        string[] bodies = [];
        await Db.EventuallyAsync(() =>
        {
            bodies = twilio.To("/Messages.json").Select(r => r.Form.GetValueOrDefault("Body") ?? "").ToArray();
            return Task.FromResult(bodies.Any(b => b.Contains(second, StringComparison.Ordinal)));
        }, "the new tracking number sent to the citizen");
        Assert.Contains(bodies, b => b.Contains("Apakah data Anda masih sama?", StringComparison.Ordinal) && b.Contains("*Nama:* Budi Santoso", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("*Lokasi masalah:* Jl. Gatot Subroto depan Pasar Gumilir", StringComparison.Ordinal));
        Assert.DoesNotContain(bodies, b => b.Contains("sudah kami teruskan", StringComparison.Ordinal) || b.Contains("<b>", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Triage_returns_a_case_and_the_citizen_completes_the_same_case_field_by_field_over_Telegram()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan begitu saja");
        await kit.WaitForStatusAsync(number, "triage");

        await kit.SayAsync(RoutingKit.Triage, $"/kembalikan {number} mohon sertakan nama desa <RT/RW>");

        await kit.WaitForStatusAsync(number, "returned");
        await kit.WaitForExactMessageAsync(RoutingKit.Triage, $"📤 Aduan {number} dikembalikan ke pelapor untuk dilengkapi.");
        // The citizen's notice: HTML parse mode, the staff-typed reason escaped, a button with the number.
        var notice = await kit.WaitForMessageAsync(RoutingKit.Citizen, "perlu dilengkapi");
        Assert.Equal("HTML", notice.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.Contains($"Aduan Anda <b>{number}</b> perlu dilengkapi", Text(notice));
        Assert.Contains("<b>Alasan petugas:</b> mohon sertakan nama desa &lt;RT/RW&gt;", Text(notice));
        Assert.Equal([number, "Aduan baru"], notice.GetProperty("reply_markup").GetProperty("keyboard").EnumerateArray().Select(r => r[0].GetProperty("text").GetString()));

        // Free text is held and the citizen asked: nothing is appended to the case yet.
        await kit.SayAsync(RoutingKit.Citizen, "Desa Karangsari <b>RT 3</b>, saluran air di depan SD tersumbat sampah");
        var question = await kit.WaitForMessageAsync(RoutingKit.Citizen, "atau aduan baru?");
        Assert.Contains("Desa Karangsari &lt;b&gt;RT 3&lt;/b&gt;", Text(question));
        Assert.Equal("returned", await kit.StatusAsync(number));

        // Picking the case shows its summary with the reason and the held words added to the complaint.
        await kit.SayAsync(RoutingKit.Citizen, number);
        var summary = await kit.WaitForMessageAsync(RoutingKit.Citizen, "dikembalikan petugas untuk dilengkapi");
        Assert.Contains("mohon sertakan nama desa &lt;RT/RW&gt;", Text(summary));
        Assert.Contains("<b>Nama:</b> Siti Rahayu", Text(summary));
        await kit.SayAsync(RoutingKit.Citizen, "ubah lokasi");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "Di mana lokasi masalahnya?");
        await kit.SayAsync(RoutingKit.Citizen, "Depan SD Negeri Karangsari, Desa Karangsari");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "<b>Lokasi masalah:</b> Depan SD Negeri Karangsari, Desa Karangsari");
        Assert.Equal("returned", await kit.StatusAsync(number));
        await kit.SayAsync(RoutingKit.Citizen, "ya");

        await kit.WaitForStatusAsync(number, "triage");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, $"aduan <b>{number}</b> sudah dilengkapi dan kami kirim kembali untuk diperiksa, dengan nomor yang sama");
        var triage = await kit.WaitForMessageAsync(RoutingKit.Triage, $"📝 Pelapor melengkapi aduan {number}");
        Assert.Contains("Lokasi masalah: Depan SD Negeri Karangsari, Desa Karangsari", Text(triage));
        Assert.Contains("Desa Karangsari <b>RT 3</b>, saluran air", Text(triage)); // staff notices are plain text, shown as typed
        Assert.False(triage.TryGetProperty("parse_mode", out _));
        var row = (await Db.QueryAsync<(string Text, string Location)>(kit.DatabasePath,
            "SELECT text, problem_location FROM complaint_details WHERE tracking_number = @number", new { number })).Single();
        Assert.Equal("Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan begitu saja\nDesa Karangsari <b>RT 3</b>, saluran air di depan SD tersumbat sampah", row.Text);
        Assert.Equal("Depan SD Negeri Karangsari, Desa Karangsari", row.Location);
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM complaints"));

        await kit.SayAsync(RoutingKit.Triage, $"/disposisi {number} DPUPR");

        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DPUPR", await kit.AgencyAsync(number));
        var note = await kit.WaitForMessageAsync(RoutingKit.PuAdmin, number);
        Assert.Contains("Lokasi masalah: Depan SD Negeri Karangsari, Desa Karangsari", Text(note));
        Assert.Contains("Desa Karangsari <b>RT 3</b>", Text(note));
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "to_triage"), (TriageActor, "returned_to_citizen"),
             ("pelapor", "completed_by_citizen"), (TriageActor, "assigned")],
            await EventsAsync(kit, number));
    }

    [SkippableFact]
    public async Task A_confidential_report_hides_the_reporter_from_the_agency_but_not_from_triage()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        await kit.SayAsync(RoutingKit.Citizen, "Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");
        await kit.SayAsync(RoutingKit.Citizen, "Siti Rahayu");
        await kit.SayAsync(RoutingKit.Citizen, "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        // The shared location answers "where is the problem".
        await kit.ShareLocationAsync(RoutingKit.Citizen, -7.726952, 109.015432);
        await kit.SayAsync(RoutingKit.Citizen, "rahasia");
        await kit.SayAsync(RoutingKit.Citizen, "ya");
        var number = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT tracking_number FROM complaints");
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT confidential FROM complaints"));
        Assert.NotNull(await Db.ScalarAsync<double?>(kit.DatabasePath, "SELECT latitude FROM complaint_details"));
        await kit.WaitForStatusAsync(number, "assigned");

        var notification = Text(await kit.WaitForMessageAsync(RoutingKit.PuAdmin, number));
        await kit.SayAsync(RoutingKit.PuAdmin, $"/lihat {number}");
        var agencyView = Text(await kit.WaitForMessageAsync(RoutingKit.PuAdmin, "Riwayat:"));
        await kit.SayAsync(RoutingKit.Triage, $"/lihat {number}");
        var triageView = Text(await kit.WaitForMessageAsync(RoutingKit.Triage, "Riwayat:"));

        // The identity is hidden (name, applicant address, number); where the problem is never is.
        string[] identity = ["Siti", "Rahayu", "Jl. Merdeka", RoutingKit.Citizen.ToString()];
        foreach (var agencyText in new[] { notification, agencyView })
        {
            Assert.Contains("Pelapor: (identitas dirahasiakan atas permintaan pelapor)", agencyText);
            Assert.Contains("Peta: https://maps.google.com/?q=-7.726952,109.015432", agencyText);
            Assert.Contains("Lokasi masalah: -7.72695, 109.01543", agencyText);
            Assert.Contains("Jalan rusak parah di depan pasar Sidanegara", agencyText);
            foreach (var secret in identity)
            {
                Assert.DoesNotContain(secret, agencyText);
            }
        }
        Assert.Contains($"Nomor: {number}", agencyView);
        Assert.Contains("Pelapor: Siti Rahayu", triageView);
        Assert.Contains("Alamat pemohon: Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", triageView);
        Assert.Contains($"Kontak: Telegram {RoutingKit.Citizen}", triageView); // the channel by its name, as the status page writes it
        Assert.Contains("Peta: https://maps.google.com/?q=-7.726952,109.015432", triageView);
        Assert.Contains("Identitas dirahasiakan untuk instansi", triageView);
        Assert.Equal([("citizen", "submitted"), ("sistem:routing", "assigned")], await EventsAsync(kit, number));
    }

    [SkippableFact]
    public async Task An_oversight_complaint_is_assigned_to_the_inspectorate_automatically()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);

        var number = await kit.FileComplaintAsync("petugas kelurahan minta uang pungli untuk surat pengantar");

        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("INSPEKTORAT", await kit.AgencyAsync(number));
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT oversight FROM complaints WHERE tracking_number = @number", new { number }));
        var note = Text(await kit.WaitForMessageAsync(RoutingKit.InspAdmin, number));
        Assert.StartsWith("📋 Aduan baru untuk Inspektorat Daerah", note);
        Assert.Contains("Jenis: berkadar pengawasan (dugaan pelanggaran oleh aparatur)", note);
        Assert.Empty(kit.SentTo(RoutingKit.PuAdmin));
        Assert.Empty(kit.SentTo(RoutingKit.DlhAdmin));
        var timeline = await kit.TimelineAsync(number);
        Assert.Equal([("citizen", "submitted"), ("sistem:routing", "assigned")], timeline.Select(e => (e.Actor, e.Kind)).ToList());
        // The note says which misconduct words triggered the rule, so triage can check the decision.
        Assert.Contains("aturan pengawasan: pungli", timeline[1].Note);
    }

    [SkippableFact]
    public async Task Triage_closes_spam_and_the_citizen_is_told()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan begitu saja");
        await kit.WaitForStatusAsync(number, "triage");

        await kit.SayAsync(RoutingKit.Triage, $"/tutup {number} spam");

        await kit.WaitForStatusAsync(number, "closed");
        Assert.Null(await kit.AgencyAsync(number));
        await kit.WaitForExactMessageAsync(RoutingKit.Triage, $"🔒 Aduan {number} ditutup.");
        await kit.WaitForExactMessageAsync(RoutingKit.Citizen, $"Aduan Anda {number} ditutup oleh petugas. spam");
        var timeline = await kit.TimelineAsync(number);
        Assert.Equal(
            [("citizen", "submitted"), ("sistem:routing", "to_triage"), (TriageActor, "closed_by_staff")],
            timeline.Select(e => (e.Actor, e.Kind)).ToList());
        Assert.Equal("spam", timeline[2].Note);
    }

    [SkippableFact]
    public async Task Daftar_lists_an_agency_its_own_open_cases_overdue_first_and_triage_all_open_cases()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var road = await kit.FileComplaintAsync("Jalan rusak di Jl. Ketapang dekat masjid, lubang besar sekali dan berbahaya untuk motor", citizen: 6100000001);
        var bridge = await kit.FileComplaintAsync("Jembatan kecil di Desa Karangkandri retak dan jalan berlubang di ujungnya, mohon segera diperbaiki", citizen: 6100000002);
        var rubbish = await kit.FileComplaintAsync("Sampah menumpuk di pinggir pasar Gumilir sudah dua minggu tidak diangkut dan bau sekali", citizen: 6100000003);
        var unclear = await kit.FileComplaintAsync("Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan begitu saja", citizen: 6100000004);
        await kit.WaitForStatusAsync(road, "assigned");
        await kit.WaitForStatusAsync(bridge, "assigned");
        await kit.WaitForStatusAsync(rubbish, "assigned");
        await kit.WaitForStatusAsync(unclear, "triage");
        Assert.Equal("DPUPR", await kit.AgencyAsync(bridge));
        // A closed DPUPR case is not open any more.
        var done = await kit.FileComplaintAsync("Lampu jalan di perempatan Gumilir mati sejak seminggu, jalan gelap dan rawan kejahatan", citizen: 6100000005);
        await kit.WaitForStatusAsync(done, "assigned");
        await kit.SayAsync(RoutingKit.Triage, $"/tutup {done} sudah ditangani");
        await kit.WaitForStatusAsync(done, "closed");
        // The later case is made overdue: it must still come first.
        var past = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE complaints SET due_at = @past, overdue_at = @past WHERE tracking_number = @bridge", new { past, bridge });

        await kit.SayAsync(RoutingKit.PuAdmin, "/daftar");

        var list = Text(await kit.WaitForMessageAsync(RoutingKit.PuAdmin, "Aduan terbuka"));
        var lines = list.Split('\n');
        Assert.Equal("Aduan terbuka (2), yang terlambat di atas:", lines[0]);
        Assert.StartsWith($"⚠️ {bridge} — Diteruskan ke instansi — DPUPR — batas {StaffTexts.When(past)}", lines[1]);
        Assert.StartsWith($"• {road} — Diteruskan ke instansi — DPUPR — batas ", lines[3]);
        Assert.Equal(5, lines.Length);
        Assert.DoesNotContain(rubbish, list);
        Assert.DoesNotContain(unclear, list);
        Assert.DoesNotContain(done, list);

        await kit.SayAsync(RoutingKit.Triage, "/daftar");

        var all = Text(await kit.WaitForMessageAsync(RoutingKit.Triage, "Aduan terbuka"));
        Assert.StartsWith("Aduan terbuka (4), yang terlambat di atas:\n⚠️ " + bridge, all);
        foreach (var n in new[] { road, rubbish, unclear })
        {
            Assert.Contains($"• {n} — ", all);
        }
        Assert.Contains($"• {unclear} — Sedang diverifikasi petugas — batas ", all);
        Assert.DoesNotContain(done, all);
        // Listing changes nothing.
        Assert.Equal([("citizen", "submitted"), ("sistem:routing", "assigned")], await EventsAsync(kit, road));
    }

    [SkippableFact]
    public async Task An_invite_code_links_a_new_agency_admin_once_and_expired_or_unknown_codes_do_not()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        const long newAdmin = 9101, latecomer = 9102, tooLate = 9103, citizen = 6200000001;
        var db = kit.Telegram.App.Service<LaporBot.Data.IDatabase>();
        var now = DateTimeOffset.UtcNow;
        var code = await AgencyStore.CreateInviteAsync(db, StaffRole.Agency, "DPUPR", "test", TimeSpan.FromDays(3), now);
        var expired = await AgencyStore.CreateInviteAsync(db, StaffRole.Agency, "DPUPR", "test", TimeSpan.FromMinutes(1), now.AddHours(-1));

        await kit.SayAsync(newAdmin, $"/start {code}", firstName: "Rudi");

        var linked = Text(await kit.WaitForMessageAsync(newAdmin, "terhubung"));
        Assert.Equal($"✅ Akun Telegram Anda terhubung sebagai Admin instansi (semua peran) DPUPR.\n\n{StaffTexts.Help}", linked);
        Assert.Equal("DPUPR", await Db.ScalarAsync<string>(kit.DatabasePath,
            "SELECT agency_code FROM staff_members WHERE telegram_user_id = '9101' AND role = 'agency' AND source = 'invite'"));

        // Linked staff get new cases and may act on them.
        var number = await kit.FileComplaintAsync("Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.WaitForMessageAsync(newAdmin, $"📋 Aduan baru untuk {Pu}");
        await kit.SayAsync(newAdmin, $"/terima {number}");
        await kit.WaitForStatusAsync(number, "accepted");
        await kit.WaitForExactMessageAsync(newAdmin,
            $"✅ Aduan {number} diterima dan diteruskan ke tahap berikutnya: Instansi menjawab pelapor.");
        Assert.Equal(("staf:9101 (DPUPR)", "accepted"), (await EventsAsync(kit, number))[^1]);

        await kit.SayAsync(latecomer, $"/start {code}");
        await kit.WaitForExactMessageAsync(latecomer, "Kode undangan ini sudah dipakai. Minta kode baru ke Diskominfo.");
        await kit.SayAsync(tooLate, $"/start {expired}");
        await kit.WaitForExactMessageAsync(tooLate, "Kode undangan ini sudah kedaluwarsa. Minta kode baru ke Diskominfo.");
        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM staff_members WHERE telegram_user_id IN ('9102', '9103')"));

        // A citizen's deep link is not a staff matter: the dialog greets them.
        await kit.SayAsync(citizen, "/start iklan-koran");
        await kit.WaitForMessageAsync(citizen, "Halo! Selamat datang di layanan pengaduan masyarakat.");
        Assert.DoesNotContain(kit.TextsTo(citizen), t => t.Contains("Maaf", StringComparison.Ordinal));
    }
}
