using System.Net;
using LaporBot.Reports;
using LaporBot.Tests.Fakes;
using static LaporBot.Tests.Reports.RecapReading;

namespace LaporBot.Tests.Reports;

/// <summary>The reporting SOP's sign-off on stored reports, the daily report and the scheduled ones, on a manual clock.</summary>
public abstract class SignOffTests(ReportKit kit)
{
    public sealed class OnSqlite(ReportKit kit) : SignOffTests(kit), IClassFixture<ReportKit>;

    public sealed class OnPostgres(PostgresReportKit kit) : SignOffTests(kit), IClassFixture<PostgresReportKit>;

    private static string Actor(string who) => $"web:{who}";

    private async Task<string> FileAsync(string period, string format)
    {
        var id = await Db.ScalarAsync<long>(kit.App.DatabasePath, "SELECT id FROM recaps WHERE period = @period AND format = @format", new { period, format });
        return Path.Combine(kit.RecapDir, await Db.ScalarAsync<string>(kit.App.DatabasePath, "SELECT path FROM recaps WHERE id = @id", new { id }));
    }

    [SkippableFact]
    public async Task Three_levels_in_order_returns_from_each_level_reminders_and_a_frozen_signed_file()
    {
        kit.SkipIfUnavailable();
        var store = kit.App.Service<StoredRecaps>();
        var signOff = kit.App.Service<SignOff>();
        var period = "2026-10";
        kit.Clock.Set(ReportKit.Now);
        Assert.Equal(3, await store.ProduceAsync(RecapPeriod.Month(2026, 10)));
        Assert.Equal(0, await store.ProduceAsync(RecapPeriod.Month(2026, 10))); // stored once
        Assert.Equal(SignOff.Stages.SectionHead, (await signOff.FindAsync(period))!.Stage);

        // Out of order: the division head and the person in charge cannot act before the section head.
        Assert.Equal(SignOffOutcome.NotYourTurn, await signOff.ApproveAsync(period, Actor("kabid"), SignOffLevels.DivisionHead));
        Assert.Equal(SignOffOutcome.NotYourTurn, await signOff.ApproveAsync(period, Actor("pj"), SignOffLevels.PersonInCharge));

        // Return from the section head goes back to the admin (draft); a note is required.
        Assert.Equal(SignOffOutcome.NoteRequired, await signOff.ReturnAsync(period, Actor("kasi"), SignOffLevels.SectionHead, " "));
        Assert.Equal(SignOffOutcome.Done, await signOff.ReturnAsync(period, Actor("kasi"), SignOffLevels.SectionHead, "Statistik per instansi kurang"));
        Assert.Equal(SignOff.Stages.Draft, (await signOff.FindAsync(period))!.Stage);
        Assert.Equal(SignOffOutcome.Done, await signOff.RebuildAsync(period, Actor("admin")));

        // The section head's time standard (3 h) passes: one reminder, to the triage desk, however often the job runs.
        // Counted for this period: the class's other tests leave sign-offs of their own periods pending on the shared kit.
        Task<List<string>> RemindersAsync() => Db.QueryAsync<string>(kit.App.DatabasePath,
            "SELECT body FROM outbox WHERE recipient LIKE '%700001%' AND body LIKE 'Pengingat pengesahan%' AND body LIKE @p", new { p = $"%{period}%" });
        kit.Clock.Advance(TimeSpan.FromHours(2));
        await signOff.RemindAsync();
        Assert.Empty(await RemindersAsync());
        kit.Clock.Advance(TimeSpan.FromHours(1.5));
        Assert.True(await signOff.RemindAsync() >= 1);
        await signOff.RemindAsync();
        var reminders = await RemindersAsync();
        Assert.Single(reminders);
        Assert.Contains("2026-10", reminders[0]);

        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, Actor("kasi"), SignOffLevels.SectionHead));
        // Return from the division head: back to the section head, whose initials no longer count.
        Assert.Equal(SignOffOutcome.Done, await signOff.ReturnAsync(period, Actor("kabid"), SignOffLevels.DivisionHead, "Periksa lagi angka DLH"));
        var back = (await signOff.FindAsync(period))!;
        Assert.Equal((SignOff.Stages.SectionHead, (string?)null), (back.Stage, back.SectionHeadBy));
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, Actor("kasi"), SignOffLevels.SectionHead));
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, Actor("kabid"), SignOffLevels.DivisionHead));
        // Return from the person in charge: back to the division head.
        Assert.Equal(SignOffOutcome.Done, await signOff.ReturnAsync(period, Actor("pj"), SignOffLevels.PersonInCharge, "Tambahkan ringkasan"));
        Assert.Equal(SignOff.Stages.DivisionHead, (await signOff.FindAsync(period))!.Stage);
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, Actor("kabid"), SignOffLevels.DivisionHead));
        kit.Clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, Actor("pj"), SignOffLevels.PersonInCharge));
        var signed = (await signOff.FindAsync(period))!;
        Assert.Equal(SignOff.Stages.Archived, signed.Stage);
        Assert.Null(signed.DueAt);

        // The approvals are printed on the report (workbook and print page) and kept in its history.
        var xlsxPath = await FileAsync(period, "xlsx");
        var book = ReadWorkbook(await File.ReadAllBytesAsync(xlsxPath));
        var cells = book["Aduan"].SelectMany(r => r.Values).Select(c => c.Text ?? "").ToList();
        Assert.Contains(cells, c => c.StartsWith("Diparaf web:kasi", StringComparison.Ordinal));
        Assert.Contains(cells, c => c.StartsWith("Diparaf web:kabid", StringComparison.Ordinal));
        Assert.Contains(cells, c => c.StartsWith("Ditandatangani web:pj", StringComparison.Ordinal));
        var html = await File.ReadAllTextAsync(await FileAsync(period, "html"));
        Assert.Contains("Ditandatangani web:pj", html);
        var history = await signOff.HistoryAsync(period);
        Assert.Equal(
            ["created", "returned", "rebuilt", "reminder", "approved", "returned", "approved", "approved", "returned", "approved", "approved"],
            history.Select(h => h.Action).ToArray());
        Assert.Equal("Periksa lagi angka DLH", history.Single(h => h.Level == SignOffLevels.DivisionHead && h.Action == "returned").Note);

        // Frozen: nothing changes it any more, and downloads give the signed bytes.
        var bytes = await File.ReadAllBytesAsync(xlsxPath);
        var sha = await Db.ScalarAsync<string>(kit.App.DatabasePath, "SELECT sha256 FROM recaps WHERE period = @period AND format = 'xlsx'", new { period });
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), sha);
        Assert.Equal(SignOffOutcome.NotYourTurn, await signOff.ReturnAsync(period, Actor("pj"), SignOffLevels.PersonInCharge, "terlambat"));
        Assert.Equal(0, await store.ProduceAsync(RecapPeriod.Month(2026, 10)));
        var id = await Db.ScalarAsync<long>(kit.App.DatabasePath, "SELECT id FROM recaps WHERE period = @period AND format = 'xlsx'", new { period });
        Assert.Equal(bytes, await kit.DownloadAsync($"/status/rekap/{id}"));
        Assert.Equal(bytes, await kit.DownloadAsync($"/status/rekap/{id}"));
    }

    [SkippableFact]
    public async Task Only_the_role_of_the_pending_level_may_act_from_the_status_page()
    {
        kit.SkipIfUnavailable();
        var store = kit.App.Service<StoredRecaps>();
        await store.ProduceAsync(RecapPeriod.Quarter(2025, 4));
        var page = await (await kit.Http.SendAsync(kit.Get("/status/rekap", "kepala_seksi"))).Content.ReadAsStringAsync();
        Assert.Contains("Menunggu paraf Kepala Seksi", page);
        Assert.Contains("Setujui dan paraf", page);
        var viewer = await (await kit.Http.SendAsync(kit.Get("/status/rekap", "kepala_bidang"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Setujui dan paraf", viewer);
        Assert.Equal(HttpStatusCode.OK, (await kit.Http.SendAsync(kit.Get("/status/rekap/unduh?periode=2025-Q4&format=csv", "penanggung_jawab"))).StatusCode);
    }

    /// <summary>A client of its own (cookies: the antiforgery cookie) signed in with <paramref name="role"/>, or anonymous.</summary>
    private HttpClient As(string? role)
    {
        var http = kit.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (role is not null)
        {
            http.DefaultRequestHeaders.Add(TestStaffAuth.Header, role);
        }
        return http;
    }

    private static async Task<string> TokenAsync(HttpClient http) =>
        LaporBot.Tests.StatusPage.StaffClient.Token(await (await http.GetAsync("/status/rekap")).Content.ReadAsStringAsync());

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string handler, string period, string level, string? token, string? note = null)
    {
        var form = new Dictionary<string, string> { ["period"] = period, ["level"] = level };
        if (note is not null)
        {
            form["note"] = note;
        }
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }
        return http.PostAsync($"/status/rekap?handler={handler}", new FormUrlEncodedContent(form));
    }

    [SkippableFact]
    public async Task Sign_off_posts_refuse_anonymous_users_other_roles_and_forms_without_the_antiforgery_token()
    {
        kit.SkipIfUnavailable();
        var store = kit.App.Service<StoredRecaps>();
        var signOff = kit.App.Service<SignOff>();
        const string period = "2026-Q3";
        await store.ProduceAsync(RecapPeriod.Quarter(2026, 3));
        async Task<string> Stage() => (await signOff.FindAsync(period))!.Stage;
        Assert.Equal(SignOff.Stages.SectionHead, await Stage());

        // Anonymous: challenged, nothing changes.
        var anonymous = As(null);
        var r = await PostAsync(anonymous, "Approve", period, SignOffLevels.SectionHead, null);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        // Other roles, each with a valid token of their own session: forbidden, for approving and for returning.
        foreach (var role in new[] { "viewer", "operator", "kepala_bidang", "penanggung_jawab" })
        {
            var http = As(role);
            var token = await TokenAsync(http);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(http, "Approve", period, SignOffLevels.SectionHead, token)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(http, "Return", period, SignOffLevels.SectionHead, token, "bukan wewenang")).StatusCode);
        }
        // A role may not act at a level it does not hold by naming that level.
        var kabid = As("kepala_bidang");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(kabid, "Approve", period, SignOffLevels.SectionHead, await TokenAsync(kabid))).StatusCode);
        // Only operators rebuild a returned draft.
        var kasiForRebuild = As("kepala_seksi");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(kasiForRebuild, "Rebuild", period, "", await TokenAsync(kasiForRebuild))).StatusCode);
        Assert.Equal(SignOff.Stages.SectionHead, await Stage());

        // The right role without the token (a forged cross-site form), or with another session's token: refused.
        var kasi = As("kepala_seksi");
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(kasi, "Approve", period, SignOffLevels.SectionHead, null)).StatusCode);
        var other = As("kepala_seksi");
        var foreignToken = await TokenAsync(other);
        await kasi.GetAsync("/status/rekap"); // kasi's own antiforgery cookie
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(kasi, "Approve", period, SignOffLevels.SectionHead, foreignToken)).StatusCode);
        Assert.Equal(SignOff.Stages.SectionHead, await Stage());
        Assert.DoesNotContain(await signOff.HistoryAsync(period), h => h.Action is "approved" or "returned");

        // The section head with the form of their own page: initialled, and it shows on the next page.
        var ok = await PostAsync(kasi, "Approve", period, SignOffLevels.SectionHead, await TokenAsync(kasi));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(SignOff.Stages.DivisionHead, await Stage());
        Assert.Contains("Laporan diparaf.", await (await kasi.GetAsync("/status/rekap")).Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task The_daily_report_goes_to_the_triage_desk_once_per_working_day_and_covers_the_weekend_on_monday()
    {
        kit.SkipIfUnavailable();
        var daily = kit.App.Service<DailyReport>();
        async Task<int> Sent() => (int)await Db.ScalarAsync<long>(kit.App.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%700001%' AND body LIKE 'Laporan harian identifikasi isu%'");
        var before = await Sent();
        // Saturday 28 November 2026, 07:30 WIB: no report.
        kit.Clock.Set(new DateTimeOffset(2026, 11, 28, 7, 30, 0, TimeSpan.FromHours(7)));
        Assert.False(await daily.SendAsync());
        // Monday 30 November: once, however often the job fires, covering Friday to Sunday.
        kit.Clock.Set(new DateTimeOffset(2026, 11, 30, 7, 30, 0, TimeSpan.FromHours(7)));
        Assert.True(await daily.SendAsync());
        kit.Clock.Advance(TimeSpan.FromHours(3));
        Assert.False(await daily.SendAsync());
        Assert.Equal(before + 1, await Sent());
        var start = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        var expected = await Db.ScalarAsync<long>(kit.App.DatabasePath, "SELECT COUNT(*) FROM complaints WHERE created_at >= @start AND created_at < @end", new { start, end });
        var body = (await Db.QueryAsync<string>(kit.App.DatabasePath, "SELECT body FROM outbox WHERE body LIKE 'Laporan harian identifikasi isu%' ORDER BY id DESC LIMIT 1"))[0];
        Assert.Contains($"Aduan masuk: {expected}", body);
        var overdue = await Db.ScalarAsync<long>(kit.App.DatabasePath, "SELECT COUNT(*) FROM complaints WHERE overdue_at IS NOT NULL AND step IS NOT NULL");
        Assert.Contains($"Terlambat saat ini: {overdue}", body);
        Assert.Equal("none", await Db.ScalarAsync<string>(kit.App.DatabasePath, "SELECT stage FROM reports WHERE period = '2026-11-27_2026-11-29'"));
        // Tuesday: yesterday only.
        kit.Clock.Set(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.FromHours(7)));
        Assert.True(await daily.SendAsync());
        Assert.Equal(before + 2, await Sent());
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.App.DatabasePath, "SELECT COUNT(*) FROM reports WHERE period = '2026-11-30'"));
    }

    [SkippableFact]
    public async Task The_job_in_january_stores_last_month_quarter_semester_and_year_once()
    {
        kit.SkipIfUnavailable();
        var store = kit.App.Service<StoredRecaps>();
        kit.Clock.Set(new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal(12, await store.ProducePeriodicAsync());
        Assert.Equal(0, await store.ProducePeriodicAsync());
        var kinds = await Db.QueryAsync<(string Period, string Kind)>(kit.App.DatabasePath,
            "SELECT period, kind FROM reports WHERE period IN ('2026-12', '2026-Q4', '2026-S2', '2026') ORDER BY period");
        Assert.Equal([("2026", "Year"), ("2026-12", "Month"), ("2026-Q4", "Quarter"), ("2026-S2", "Semester")], kinds);
        // The semester report has one sheet per agency.
        var semester = ReadWorkbook(await File.ReadAllBytesAsync(await FileAsync("2026-S2", "xlsx")));
        Assert.Equal(["Statistik", "DLH", "DPUPR", "INSPEKTORAT", "-"], semester.Keys.ToArray());
    }
}
