using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Routing;

/// <summary>The life of a complaint across citizen, routing job, triage desk and agency, over a fake Telegram on loopback.</summary>
public abstract class RoutingEndToEndTests
{
    /// <summary>The database this run of the suite uses: every test runs on SQLite and on PostgreSQL.</summary>
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : RoutingEndToEndTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : RoutingEndToEndTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [SkippableFact]
    public async Task A_clear_complaint_is_assigned_automatically_and_the_agency_is_notified_with_buttons()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);

        var number = await kit.FileComplaintAsync("Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");

        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DPUPR", await kit.AgencyAsync(number));
        var note = await kit.WaitForMessageAsync(RoutingKit.PuAdmin, number);
        var text = note.GetProperty("text").GetString()!;
        Assert.Contains("Aduan baru untuk Dinas Pekerjaan Umum", text);
        Assert.Contains("Siti Rahayu", text);
        Assert.Contains("Batas waktu", text);
        var buttons = note.GetProperty("reply_markup").GetProperty("inline_keyboard")[0];
        Assert.Equal($"terima:{number}", buttons[0].GetProperty("callback_data").GetString());
        Assert.Equal($"tolak:{number}", buttons[1].GetProperty("callback_data").GetString());
        Assert.Equal($"balas:{number}", buttons[2].GetProperty("callback_data").GetString());
        var timeline = await kit.TimelineAsync(number);
        Assert.Equal(("citizen", "submitted"), (timeline[0].Actor, timeline[0].Kind));
        Assert.Equal(("sistem:routing", "assigned"), (timeline[1].Actor, timeline[1].Kind));
        Assert.Contains("DPUPR", timeline[1].Note);
    }

    [SkippableFact]
    public async Task An_unclear_complaint_goes_to_triage_which_assigns_it_by_button_and_the_agency_accepts_and_answers()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);

        var number = await kit.FileComplaintAsync("Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan oleh petugas setempat");

        await kit.WaitForStatusAsync(number, "triage");
        await kit.WaitForMessageAsync(RoutingKit.Triage, "perlu disposisi");
        await kit.PressAsync(RoutingKit.Triage, $"disposisi:{number}:DLH");
        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DLH", await kit.AgencyAsync(number));
        await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, number);

        await kit.PressAsync(RoutingKit.DlhAdmin, $"terima:{number}");
        await kit.WaitForStatusAsync(number, "accepted");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "sedang ditindaklanjuti oleh Dinas Lingkungan Hidup");

        await kit.SayAsync(RoutingKit.DlhAdmin, $"/balas {number} Petugas kebersihan sudah membersihkan lokasi hari ini.");
        await kit.WaitForStatusAsync(number, "answered");
        var relayed = await kit.WaitForMessageAsync(RoutingKit.Citizen, "Petugas kebersihan sudah membersihkan");
        Assert.Contains(number, relayed.GetProperty("text").GetString());
        Assert.Contains("PUAS", relayed.GetProperty("text").GetString());
        var kinds = (await kit.TimelineAsync(number)).Select(e => e.Kind).ToList();
        Assert.Equal(["submitted", "to_triage", "assigned", "accepted", "answered"], kinds);
    }

    [SkippableFact]
    public async Task A_reply_to_the_notification_answers_the_case_and_the_citizen_rates_it()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Lampu jalan di perempatan Gumilir mati sejak seminggu, jalan gelap dan rawan kejahatan");
        await kit.WaitForStatusAsync(number, "assigned");
        var notification = await kit.NotificationIdAsync(RoutingKit.PuAdmin, number);

        await kit.SayAsync(RoutingKit.PuAdmin, "Lampu sudah diganti oleh tim penerangan jalan umum pagi ini.", replyTo: notification);

        await kit.WaitForStatusAsync(number, "answered");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "Lampu sudah diganti");
        await kit.SayAsync(RoutingKit.Citizen, "5");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long?>(kit.DatabasePath, "SELECT rating FROM complaints") == 5, "rating stored");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "5/5");
        await kit.SayAsync(RoutingKit.Citizen, "puas");
        await kit.WaitForStatusAsync(number, "closed");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "kami nyatakan selesai");
        var kinds = (await kit.TimelineAsync(number)).Select(e => e.Kind).ToList();
        Assert.Equal(["submitted", "assigned", "accepted", "answered", "rated", "satisfied"], kinds);
    }

    [SkippableFact]
    public async Task Not_satisfied_reopens_the_case_to_the_same_agency_with_the_comment()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        var number = await kit.FileComplaintAsync("Sampah menumpuk di pinggir pasar Gumilir sudah dua minggu tidak diangkut dan bau sekali");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.SayAsync(RoutingKit.DlhAdmin, $"/balas {number} Sudah diangkut.");
        await kit.WaitForStatusAsync(number, "answered");

        await kit.SayAsync(RoutingKit.Citizen, "tidak puas, sampahnya masih ada di sisi timur pasar");

        await kit.WaitForStatusAsync(number, "reopened");
        Assert.Equal("DLH", await kit.AgencyAsync(number));
        await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, "masih ada di sisi timur");
        await kit.WaitForMessageAsync(RoutingKit.Citizen, "kami buka kembali");
    }

    [SkippableFact]
    public async Task The_citizens_photo_reaches_the_agency_admin_right_after_the_case()
    {
        await using var kit = await RoutingKit.StartAsync(backend: Backend);
        const long budi = 6987654321;
        // A photo with the complaint as its caption (getFile + download come from the fake Bot API).
        var posted = await kit.Telegram.PostAsync(TestData.Text("telegram/update-photo.json"));
        Assert.True(posted.IsSuccessStatusCode);
        await kit.SayAsync(budi, "ya", firstName: "Budi");  // the offered profile name "Budi"
        await kit.SayAsync(budi, "Pasar Gede, Kelurahan Sidakaya, Cilacap Selatan", firstName: "Budi");
        await kit.SayAsync(budi, "sama", firstName: "Budi");
        await kit.SayAsync(budi, "ya", firstName: "Budi");
        var number = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT tracking_number FROM complaints");

        await kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DLH", await kit.AgencyAsync(number));
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM complaint_attachments WHERE local_path IS NOT NULL"));
        await Db.EventuallyAsync(() => Task.FromResult(kit.Fake.CallsTo("sendPhoto").Count == 1), "the photo sent to the DLH admin");
        var photo = kit.Fake.CallsTo("sendPhoto")[0];
        Assert.Contains($"{RoutingKit.DlhAdmin}", photo.Body);
        Assert.Contains($"Foto 1/1 aduan {number}", photo.Body);
        Assert.Contains("name=photo", photo.Body.Replace("\"", ""));
        var card = await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, number);
        Assert.Contains("Lampiran: 1 foto", card.GetProperty("text").GetString());
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<string>(kit.DatabasePath,
            "SELECT status FROM outbox WHERE purpose = 'photo'") == "sent", "the photo row marked sent");
    }
}
