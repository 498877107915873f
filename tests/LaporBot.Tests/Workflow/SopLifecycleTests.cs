using Dapper;
using LaporBot.Complaints;
using LaporBot.Staff;
using LaporBot.Tests.Fakes;
using LaporBot.Workflow;
using static LaporBot.Tests.Workflow.DeadlineKit;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// Each shipped SOP file, walked step by step on a fake clock with the roles' own Telegram commands:
/// at every step the deadline is the SOP's standard from the moment the case got there (working time
/// where the SOP says hari kerja), the step's role holder — and only they — is told with that deadline,
/// reminders come at the file's share, escalations go to whom the file says, and the case's total is
/// the SOP's total. The expected instants are written out from the SOP texts, not computed by the code
/// under test.
/// Each runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class SopLifecycleTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : SopLifecycleTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : SopLifecycleTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private const string Jalan = DeadlineKit.Jalan;

    /// <summary>The case is at <paramref name="step"/> since <paramref name="entered"/>, due at <paramref name="due"/>, and its holder was told with that deadline.</summary>
    private static async Task<ComplaintRow> AtAsync(DeadlineKit k, string number, string step, DateTimeOffset entered, DateTimeOffset due, long holder)
    {
        var row = await k.RowAsync(number);
        Assert.Equal(step, row.Step);
        Assert.Equal(entered, Time(row.StepStartedAt));
        Assert.Equal(due, Time(row.DueAt));
        Assert.True(await ToldAsync(k, holder, number, StaffTexts.When(row.DueAt)) > 0,
            $"{holder} was not told that {number} reached {step} with the deadline {StaffTexts.When(row.DueAt)}");
        // Nobody at another agency hears of it.
        Assert.Equal(0, await ToldAsync(k, Sop.DlhAdmin, number, ""));
        return row;
    }

    /// <summary>Notifications to <paramref name="chat"/> about <paramref name="number"/> containing <paramref name="text"/>.</summary>
    private static Task<long> ToldAsync(DeadlineKit k, long chat, string number, string text) =>
        Db.ScalarAsync<long>(k.Kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE recipient = @chat AND purpose = 'notify' AND body LIKE '%' || @number || '%' AND body LIKE '%' || @text || '%'",
            new { chat = chat.ToString(), number, text });

    private static async Task SayAsync(DeadlineKit k, DateTimeOffset at, long who, string text)
    {
        k.At(at);
        await k.Kit.SayAsync(who, text);
    }

    private static async Task<string> LastReplyAsync(DeadlineKit k, long chat) =>
        await Db.ScalarAsync<string>(k.Kit.DatabasePath,
            "SELECT body FROM outbox WHERE recipient = @chat AND purpose = 'reply' ORDER BY id DESC LIMIT 1", new { chat = chat.ToString() });

    private static Task<long> CitizenGotAsync(DeadlineKit k, string text) =>
        Db.ScalarAsync<long>(k.Kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE recipient = @chat AND body LIKE '%' || @text || '%'",
            new { chat = Routing.RoutingKit.Citizen.ToString(), text });

    // ---- Cilacap: 15 + 15 + 15 + 60 + 15 + 15 minutes, 2 h 15 min in total --------------------------

    [SkippableFact]
    public async Task Cilacap_admin_liaison_head_liaison_admin_each_within_the_SOPs_minutes_and_escalation_after_2h15m()
    {
        var t0 = Wib(2026, 11, 24, 9, 0); // a Tuesday
        await using var k = await StartSopAsync("cilacap.yaml", t0, backend: Backend);
        var number = await k.FileAndRouteAsync(Jalan);
        var row = await AtAsync(k, number, "disposisi", t0, t0.AddMinutes(15), Sop.Triage);
        Assert.Equal(t0.AddMinutes(7.5), Time(row.RemindAt));
        Assert.Equal(t0.AddHours(2).AddMinutes(15), Time(row.TotalDueAt)); // the SOP's "2 jam 15 menit"
        Assert.Equal(t0.AddHours(2).AddMinutes(15), Time(row.EscalateAt));

        k.At(t0.AddMinutes(7));
        Assert.Equal(0, (await k.RoundAsync()).Reminded);
        k.At(t0.AddMinutes(8));
        Assert.Equal(1, (await k.RoundAsync()).Reminded);
        Assert.Equal(1, await ToldAsync(k, Sop.Triage, number, "Pengingat"));

        await SayAsync(k, t0.AddMinutes(10), Sop.Triage, $"/disposisi {number} DPUPR");
        await AtAsync(k, number, "periksa", t0.AddMinutes(10), t0.AddMinutes(25), Sop.Admin);
        Assert.Equal(0, await ToldAsync(k, Sop.Kepala, number, "")); // not the head's step

        await SayAsync(k, t0.AddMinutes(20), Sop.Admin, $"/terima {number}");
        await AtAsync(k, number, "koordinasi", t0.AddMinutes(20), t0.AddMinutes(35), Sop.Penghubung);
        Assert.Equal(ComplaintStatus.Accepted, (await k.RowAsync(number)).Status);

        await SayAsync(k, t0.AddMinutes(30), Sop.Penghubung, $"/teruskan {number} sudah dikoordinasikan dengan kepala dinas");
        await AtAsync(k, number, "tindak_lanjut", t0.AddMinutes(30), t0.AddMinutes(90), Sop.Kepala);
        Assert.Equal(1, await ToldAsync(k, Sop.Kepala, number, "Catatan: sudah dikoordinasikan dengan kepala dinas"));

        const string Draft = "Lubang di depan pasar Sidanegara sudah ditambal tim UPT Jalan pada Selasa pagi.";
        await SayAsync(k, t0.AddMinutes(80), Sop.Kepala, $"/balas {number} {Draft}");
        await AtAsync(k, number, "teruskan_hasil", t0.AddMinutes(80), t0.AddMinutes(95), Sop.Penghubung);
        Assert.Equal(0, await CitizenGotAsync(k, Draft)); // the head's follow-up is not yet the answer

        await SayAsync(k, t0.AddMinutes(90), Sop.Penghubung, $"/teruskan {number}");
        await AtAsync(k, number, "input_jawaban", t0.AddMinutes(90), t0.AddMinutes(105), Sop.Admin);
        Assert.Equal(1, await ToldAsync(k, Sop.Admin, number, Draft)); // the admin sees what to post

        await SayAsync(k, t0.AddMinutes(100), Sop.Admin, $"/balas {number}");
        row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Answered, Draft, (string?)null), (row.Status, row.Answer, row.Step));
        Assert.Equal(1, await CitizenGotAsync(k, Draft));
        Assert.Equal(
            ["submitted", "to_triage", "reminder", "assigned", "accepted", "forwarded", "drafted", "forwarded", "answered"],
            (await k.Kit.TimelineAsync(number)).Select(e => e.Kind));

        // Answered within the total: no escalation for it. A second case left at the admin's step is
        // escalated to the main admin and the head once 2 h 15 min have passed since it came in.
        var m0 = t0.AddHours(3);
        k.At(m0);
        Assert.Equal(0, (await k.RoundAsync()).Escalated);
        var late = await k.FileAndRouteAsync(Jalan, citizen: Routing.RoutingKit.Citizen + 1);
        await SayAsync(k, m0.AddMinutes(5), Sop.Triage, $"/disposisi {late} DPUPR");
        k.At(m0.AddHours(2).AddMinutes(14));
        var before = await k.RoundAsync();
        Assert.Equal((1, 0), (before.Overdue, before.Escalated));
        Assert.Equal(1, await ToldAsync(k, Sop.Admin, late, "melewati batas waktu"));
        k.At(m0.AddHours(2).AddMinutes(15));
        Assert.Equal(1, (await k.RoundAsync()).Escalated);
        Assert.Equal(0, (await k.RoundAsync()).Escalated);
        Assert.Contains("melewati standar total 2 jam 15 menit", Assert.Single(await k.EventsAsync(late, "escalated")).Note);
        Assert.Equal(1, await ToldAsync(k, Sop.Triage, late, "Eskalasi"));
        Assert.Equal(1, await ToldAsync(k, Sop.Kepala, late, "Eskalasi"));
        Assert.Equal(0, await ToldAsync(k, Sop.Admin, late, "Eskalasi"));
    }

    // ---- Muara Enim: 2 + 1 + 12 + 1 days, 16 days; late steps go to the inspectorate --------------

    [SkippableFact]
    public async Task MuaraEnim_distribution_implementation_and_response_in_days_revision_escalation_to_APIP_and_oversight_60_days()
    {
        var t0 = Wib(2026, 11, 24, 9, 0);
        await using var k = await StartSopAsync("muara-enim.yaml", t0, backend: Backend);
        var number = await k.FileAndRouteAsync(Jalan);
        var row = await AtAsync(k, number, "verifikasi", t0, t0.AddDays(2), Sop.Triage);
        Assert.Equal(t0.AddDays(16), Time(row.TotalDueAt));

        var d1 = t0.AddDays(1);
        await SayAsync(k, d1, Sop.Triage, $"/disposisi {number} DPUPR");
        await AtAsync(k, number, "distribusi", d1, d1.AddDays(1), Sop.Penghubung);

        var d2 = d1.AddHours(2);
        await SayAsync(k, d2, Sop.Penghubung, $"/terima {number}");
        row = await AtAsync(k, number, "tindak_lanjut", d2, d2.AddDays(12), Sop.Pelaksana);
        Assert.Equal(d2.AddDays(6), Time(row.RemindAt));
        k.At(d2.AddDays(6));
        Assert.Equal(1, (await k.RoundAsync()).Reminded);
        Assert.Equal(1, await ToldAsync(k, Sop.Pelaksana, number, "Pengingat"));

        // 12 days pass: late, and the file sends it to the inspectorate at once (after 0m from the deadline).
        k.At(d2.AddDays(12));
        var round = await k.RoundAsync();
        Assert.Equal((1, 1), (round.Overdue, round.Escalated));
        Assert.Equal(0, (await k.RoundAsync()).Escalated);
        Assert.Equal(1, await ToldAsync(k, Sop.Inspektorat, number, "Eskalasi"));
        Assert.Equal(1, await ToldAsync(k, Sop.Pelaksana, number, "melewati batas waktu"));

        var d3 = d2.AddDays(12).AddHours(1);
        await SayAsync(k, d3, Sop.Pelaksana, $"/balas {number} Jalan sudah diperbaiki.");
        await AtAsync(k, number, "jawab_pelapor", d3, d3.AddDays(1), Sop.Penghubung);

        // Revision: back one step to the implementing officer, with the note, and a fresh 12 days.
        var d4 = d3.AddHours(1);
        await SayAsync(k, d4, Sop.Penghubung, $"/revisi {number} lampirkan foto sesudah perbaikan dan tanggalnya");
        await AtAsync(k, number, "tindak_lanjut", d4, d4.AddDays(12), Sop.Pelaksana);
        Assert.Equal(1, await ToldAsync(k, Sop.Pelaksana, number, "Catatan: lampirkan foto sesudah perbaikan"));
        Assert.Equal("revised", (await k.Kit.TimelineAsync(number))[^1].Kind);

        const string Final = "Jalan di depan pasar Sidanegara sudah diperbaiki pada 8 Desember; foto terlampir di LAPOR!.";
        var d5 = d4.AddHours(2);
        await SayAsync(k, d5, Sop.Pelaksana, $"/balas {number} {Final}");
        await AtAsync(k, number, "jawab_pelapor", d5, d5.AddDays(1), Sop.Penghubung);
        await SayAsync(k, d5.AddHours(1), Sop.Penghubung, $"/balas {number}");
        row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Answered, Final), (row.Status, row.Answer));
        Assert.Equal(0, await CitizenGotAsync(k, "Jalan sudah diperbaiki."));
        Assert.Equal(d5.AddHours(1).AddDays(10), Time(row.AutoCloseAt)); // "10 hari" without a reply: closed

        // Oversight (berkadar pengawasan): straight to the inspectorate, 60 days.
        var o0 = d5.AddHours(2);
        k.At(o0);
        var pungli = await k.FileAndRouteAsync(DeadlineKit.Pungli, citizen: Routing.RoutingKit.Citizen + 1);
        row = await AtAsync(k, pungli, "tindak_lanjut_apip", o0, o0.AddDays(60), Sop.Inspektorat);
        Assert.Equal(("INSPEKTORAT", true), (row.AgencyCode, row.Oversight));
        await SayAsync(k, o0.AddDays(20), Sop.Inspektorat, $"/balas {pungli} Petugas yang bersangkutan sudah diperiksa dan diberi sanksi.");
        Assert.Equal(ComplaintStatus.Answered, await k.Kit.StatusAsync(pungli));
    }

    // ---- Bontang: eleven steps, 4 days 8 h 30 min; the head approves; drafting extendable to 14 days --

    [SkippableFact]
    public async Task Bontang_eleven_steps_the_heads_approval_gates_the_answer_and_drafting_extends_to_14_days_at_most()
    {
        var t0 = Wib(2026, 11, 24, 9, 0);
        await using var k = await StartSopAsync("bontang.yaml", t0, backend: Backend);
        var number = await k.FileAndRouteAsync(Jalan);
        var row = await AtAsync(k, number, "registrasi", t0, t0.AddMinutes(60), Sop.Triage);
        Assert.Equal(t0.AddDays(4).AddHours(8).AddMinutes(30), Time(row.TotalDueAt)); // "4 hari 8 jam 30 menit"

        var t = t0;
        foreach (var next in new[] { "periksa", "lapor_pimpinan", "arahan" })
        {
            t = t.AddMinutes(10);
            await SayAsync(k, t, Sop.Triage, $"/teruskan {number}");
            await AtAsync(k, number, next, t, t.AddMinutes(60), Sop.Triage);
        }
        t = t.AddMinutes(10);
        await SayAsync(k, t, Sop.Triage, $"/disposisi {number} DPUPR");
        await AtAsync(k, number, "terima_arahan", t, t.AddMinutes(60), Sop.Admin);

        // Late at the OPD: the file tells the head and the desk (after 0m from the step's deadline).
        k.At(t.AddMinutes(60));
        var round = await k.RoundAsync();
        Assert.Equal((1, 1), (round.Overdue, round.Escalated));
        Assert.Equal(1, await ToldAsync(k, Sop.Kepala, number, "Eskalasi"));
        Assert.Equal(1, await ToldAsync(k, Sop.Triage, number, "Eskalasi"));

        t = t.AddMinutes(70);
        await SayAsync(k, t, Sop.Admin, $"/terima {number}");
        await AtAsync(k, number, "disposisi_opd", t, t.AddMinutes(60), Sop.Kepala);
        t = t.AddMinutes(10);
        await SayAsync(k, t, Sop.Kepala, $"/teruskan {number} mohon ditanggapi bidang jalan");
        var drafting = t;
        await AtAsync(k, number, "susun_tanggapan", drafting, drafting.AddDays(3), Sop.Pelaksana);

        // Extension: up to 14 days in all for hard cases, no more; only the step's role may ask.
        await SayAsync(k, t.AddHours(1), Sop.Pelaksana, $"/perpanjang {number} 12 perlu survei lapangan bersama Dishub");
        Assert.Contains("paling lama 14 hari", await LastReplyAsync(k, Sop.Pelaksana));
        Assert.Equal(drafting.AddDays(3), Time((await k.RowAsync(number)).DueAt));
        await SayAsync(k, t.AddHours(1), Sop.Kepala, $"/perpanjang {number} 11 perlu survei lapangan bersama Dishub");
        Assert.Contains("bukan untuk peran Anda", await LastReplyAsync(k, Sop.Kepala));
        await SayAsync(k, t.AddHours(1), Sop.Pelaksana, $"/perpanjang {number} 11 perlu survei lapangan bersama Dishub");
        row = await k.RowAsync(number);
        Assert.Equal(drafting.AddDays(14), Time(row.DueAt));
        Assert.Equal(drafting.AddDays(7), Time(row.RemindAt));
        Assert.Contains("perlu survei lapangan", Assert.Single(await k.EventsAsync(number, "extended")).Note);
        await SayAsync(k, t.AddHours(2), Sop.Pelaksana, $"/perpanjang {number} 1 masih kurang");
        Assert.Contains("paling lama 14 hari", await LastReplyAsync(k, Sop.Pelaksana));
        Assert.Equal(drafting.AddDays(14), Time((await k.RowAsync(number)).DueAt));

        // Draft → the head. Nothing reaches the citizen, whoever tries, until the head approves.
        const string First = "Jalan akan diperbaiki.";
        t = drafting.AddDays(5);
        await SayAsync(k, t, Sop.Pelaksana, $"/balas {number} {First}");
        await AtAsync(k, number, "setujui", t, t.AddDays(1), Sop.Kepala);
        await SayAsync(k, t.AddMinutes(5), Sop.Triage, $"/balas {number} {First}");
        var workflow = k.Service<ComplaintWorkflow>();
        await using (var s = await k.Service<LaporBot.Data.IDatabase>().BeginAsync())
        {
            Assert.False(await workflow.AnswerAsync(s, (await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction))!, "test", First, t));
        }
        Assert.Equal(0, await CitizenGotAsync(k, First));

        // The head sends it back one step with a note; the drafting step starts afresh (no extension).
        t = t.AddHours(2);
        await SayAsync(k, t, Sop.Kepala, $"/revisi {number} sebutkan jadwal perbaikan dan nomor surat");
        row = await AtAsync(k, number, "susun_tanggapan", t, t.AddDays(3), Sop.Pelaksana);
        Assert.Null(row.StepAllowedSeconds);

        const string Approved = "Perbaikan jalan dijadwalkan 1–5 Desember 2026 sesuai surat Kepala DPUPR No. 600/123.";
        t = t.AddHours(3);
        await SayAsync(k, t, Sop.Pelaksana, $"/balas {number} {Approved}");
        await AtAsync(k, number, "setujui", t, t.AddDays(1), Sop.Kepala);
        t = t.AddHours(1);
        await SayAsync(k, t, Sop.Kepala, $"/setujui {number}");
        row = await AtAsync(k, number, "kirim_ke_kominfo", t, t.AddMinutes(60), Sop.Admin);
        Assert.Equal(t, Time(row.ApprovedAt));
        t = t.AddMinutes(20);
        await SayAsync(k, t, Sop.Admin, $"/teruskan {number}");
        await AtAsync(k, number, "terima_tanggapan", t, t.AddMinutes(30), Sop.Triage);
        t = t.AddMinutes(20);
        await SayAsync(k, t, Sop.Triage, $"/teruskan {number}");
        await AtAsync(k, number, "tanggapi", t, t.AddMinutes(60), Sop.Triage);

        // Diskominfo posts exactly the approved answer; other words are refused.
        await SayAsync(k, t.AddMinutes(10), Sop.Triage, $"/balas {number} Sudah kami tangani.");
        Assert.Contains("harus sama dengan draf yang disetujui", await LastReplyAsync(k, Sop.Triage));
        await SayAsync(k, t.AddMinutes(20), Sop.Triage, $"/balas {number}");
        row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Answered, Approved), (row.Status, row.Answer));
        Assert.Equal(1, await CitizenGotAsync(k, Approved));
        Assert.Equal(0, await CitizenGotAsync(k, First));
        Assert.Equal(0, await CitizenGotAsync(k, "Sudah kami tangani"));
    }

    // ---- Disporbudpar: 1 working day at the regency, minutes at the office, 5 working days to follow up --

    [SkippableFact]
    public async Task Disporbudpar_working_days_skip_the_weekend_reminders_at_half_the_working_time_and_the_Ombudsman_after_60_days()
    {
        var friday = Wib(2026, 11, 20, 15, 0);
        await using var k = await StartSopAsync("disporbudpar.yaml", friday, new Dictionary<string, string?> { ["Calendar:Enabled"] = "true" }, Backend);
        var number = await k.FileAndRouteAsync(Jalan);
        var waiting = await k.FileAndRouteAsync(DeadlineKit.Unclear, citizen: Routing.RoutingKit.Citizen + 1);
        // "1 hari kerja": Friday 15:00 → Monday 15:00; reminded at half the 8 h 30 min of working time in between.
        var row = await AtAsync(k, number, "disposisi_kabupaten", friday, Wib(2026, 11, 23, 15, 0), Sop.Triage);
        Assert.Equal(Wib(2026, 11, 23, 10, 45), Time(row.RemindAt));
        Assert.Equal(friday.AddDays(60), Time(row.EscalateAt));
        // Each step after the other from submission: Mon 15:00 + 20 + 30 + 60 + 60 min, then 5 working
        // days from Tuesday 07:30, then 60 + 60 min.
        Assert.Equal(Wib(2026, 12, 1, 9, 30), Time(row.TotalDueAt));

        var monday = Wib(2026, 11, 23, 10, 0);
        await SayAsync(k, monday, Sop.Triage, $"/disposisi {number} DPUPR");
        await AtAsync(k, number, "terima", monday, monday.AddMinutes(20), Sop.Admin);
        await SayAsync(k, monday.AddMinutes(10), Sop.Admin, $"/terima {number}");
        await AtAsync(k, number, "inventarisasi", monday.AddMinutes(10), monday.AddMinutes(40), Sop.Admin);
        await SayAsync(k, monday.AddMinutes(30), Sop.Admin, $"/teruskan {number}");
        await AtAsync(k, number, "telaah", monday.AddMinutes(30), monday.AddMinutes(90), Sop.Kepala);
        await SayAsync(k, monday.AddMinutes(60), Sop.Kepala, $"/teruskan {number} disposisi ke Bidang Sarana Prasarana");
        await AtAsync(k, number, "koordinasi", monday.AddMinutes(60), monday.AddMinutes(120), Sop.Penghubung);
        await SayAsync(k, monday.AddMinutes(90), Sop.Penghubung, $"/teruskan {number}");
        // "1–5 hari kerja": Monday 11:30 → the next Monday 11:30; half of its 42 h 30 min working time is Wednesday 15:45.
        row = await AtAsync(k, number, "tindak_lanjut", monday.AddMinutes(90), Wib(2026, 11, 30, 11, 30), Sop.Pelaksana);
        Assert.Equal(Wib(2026, 11, 25, 15, 45), Time(row.RemindAt));
        k.At(Wib(2026, 11, 25, 15, 44));
        await k.RoundAsync();
        Assert.Equal(0, await ToldAsync(k, Sop.Pelaksana, number, "Pengingat"));
        k.At(Wib(2026, 11, 25, 15, 45));
        await k.RoundAsync();
        Assert.Equal(1, await ToldAsync(k, Sop.Pelaksana, number, "Pengingat"));

        const string Answer = "Lapangan sudah dibersihkan dan lampu penerangan diganti oleh Bidang Sarana Prasarana.";
        var fri = Wib(2026, 11, 27, 14, 0);
        await SayAsync(k, fri, Sop.Pelaksana, $"/balas {number} {Answer}");
        await AtAsync(k, number, "inventarisasi_hasil", fri, fri.AddMinutes(60), Sop.Admin);
        await SayAsync(k, fri.AddMinutes(30), Sop.Admin, $"/teruskan {number}");
        await AtAsync(k, number, "sampaikan", fri.AddMinutes(30), fri.AddMinutes(90), Sop.Admin);
        await SayAsync(k, fri.AddMinutes(60), Sop.Admin, $"/balas {number}");
        row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Answered, Answer), (row.Status, row.Answer));
        Assert.Equal(Wib(2026, 12, 11, 15, 0), Time(row.AutoCloseAt)); // "10 hari kerja" without a reply

        // A report nobody followed up for 60 days: the file hands it on (Ombudsman), telling the desk.
        k.At(friday.AddDays(60).AddMinutes(-1));
        Assert.Equal(0, (await k.RoundAsync()).Escalated);
        k.At(friday.AddDays(60));
        Assert.Equal(1, (await k.RoundAsync()).Escalated);
        Assert.Contains("Ombudsman", Assert.Single(await k.EventsAsync(waiting, "escalated")).Note);
        Assert.Equal(1, await ToldAsync(k, Sop.Triage, waiting, "Eskalasi"));
        Assert.Empty(await k.EventsAsync(number, "escalated"));
    }
}
