using System.Globalization;
using System.Net;
using LaporBot.StatusPage.Recaps;
using LaporBot.Tests.Fakes;
using static LaporBot.Tests.StatusPage.RecapReading;

namespace LaporBot.Tests.StatusPage;

/// <summary>The recap exports read back and compared with the database the cases were moved through.</summary>
public class RecapTests(RecapKit kit) : IClassFixture<RecapKit>
{
    private const string July = "/status/rekap/unduh?from=2025-07-01&to=2025-07-31";
    private static readonly TimeZoneInfo Wib = LaporBot.Complaints.TrackingNumbers.FindZone("Asia/Jakarta");

    private async Task<HttpResponseMessage> GetAsync(string url, string? role = "viewer") => await kit.Http.SendAsync(kit.Get(url, role));

    private async Task<byte[]> DownloadAsync(string url, string role = "viewer")
    {
        var r = await GetAsync(url, role);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadAsByteArrayAsync();
    }

    private static double Minutes(long from, long to) => Math.Round((to - from) / 60_000.0, 1);

    [Fact]
    public async Task Xlsx_case_sheet_matches_the_database_row_by_row()
    {
        var r = await GetAsync(July + "&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType!.MediaType);
        Assert.Equal("rekap-pengaduan-2025-07.xlsx", r.Content.Headers.ContentDisposition!.FileNameStar ?? r.Content.Headers.ContentDisposition.FileName);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        var book = ReadWorkbook(bytes);
        Assert.Equal(["Aduan", "Statistik"], book.Keys.ToArray());
        var rows = book["Aduan"];
        Assert.Equal(RecapXlsx.CaseHeaders, rows[0].OrderBy(c => c.Key.Length).ThenBy(c => c.Key).Select(c => c.Value.Text).ToArray());
        var db = await DbCase.AllAsync(kit.App.DatabasePath);
        Assert.Equal(4, db.Count);
        Assert.Equal(db.Count, rows.Count - 1);
        for (var i = 0; i < db.Count; i++)
        {
            var row = rows[i + 1];
            var c = db[i];
            Assert.Equal(i + 1, row["A"].Number);
            Assert.Equal(c.TrackingNumber, row["B"].Text);
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt), Wib).DateTime;
            Assert.Equal(local, DateTime.FromOADate(row["C"].Number!.Value), TimeSpan.FromSeconds(1));
            Assert.Equal("dd/mm/yyyy hh:mm", NumberFormat(bytes, row["C"].Style));
            Assert.Equal("simulator", row["D"].Text);
            Assert.Equal(c.AgencyCode ?? "", row["E"].Text);
            Assert.Equal(RecapService.StatusLabel(c.Status), row["J"].Text);
            Assert.Equal(c.AssignedAt is { } a ? Minutes(c.CreatedAt, a) : null, row.GetValueOrDefault("K")?.Number);
            Assert.Equal(c.AnsweredAt is { } b ? Minutes(c.CreatedAt, b) : null, row.GetValueOrDefault("L")?.Number);
            Assert.Equal(c.OnTime switch { true => "Ya", false => "Tidak", null => "" }, row["M"].Text);
            Assert.Equal(c.Rating is { } rating ? (double)rating : null, row.GetValueOrDefault("N")?.Number);
        }
        // The fixture's story, so a wrong workflow would show here too.
        Assert.Equal(["answered", "answered", "accepted", "submitted"], db.Select(c => c.Status).ToArray());
        Assert.Equal([true, false, null, null], db.Select(c => c.OnTime).ToArray());
        Assert.Equal("Dinas Pekerjaan Umum dan Penataan Ruang", rows[1]["F"].Text);
        Assert.Equal(RecapService.Unassigned, rows[4]["F"].Text);
    }

    [Fact]
    public async Task Xlsx_statistics_sheet_matches_the_database()
    {
        var book = ReadWorkbook(await DownloadAsync(July + "&format=xlsx"));
        var stats = book["Statistik"];
        var db = await DbCase.AllAsync(kit.App.DatabasePath);
        Assert.Equal("Juli 2025", stats.Single(r => r["A"].Text == "Periode")["B"].Text);

        var agencyHeader = stats.FindIndex(r => r.GetValueOrDefault("A")?.Text == "Kode");
        Assert.Equal(RecapXlsx.AgencyHeaders[2], stats[agencyHeader]["C"].Text);
        foreach (var group in db.GroupBy(c => c.AgencyCode))
        {
            var row = stats.Skip(agencyHeader + 1).First(r => r["A"].Text == (group.Key ?? "-"));
            var answered = group.Count(c => c.AnsweredAt is not null);
            var onTime = group.Count(c => c.OnTime == true);
            Assert.Equal(group.Count(), row["C"].Number);
            Assert.Equal(answered, row["D"].Number);
            Assert.Equal(onTime, row["E"].Number);
            Assert.Equal(answered == 0 ? null : (double)onTime / answered, row.GetValueOrDefault("F")?.Number);
            var ratings = group.Where(c => c.Rating is not null).Select(c => (double)c.Rating!.Value).ToList();
            Assert.Equal(ratings.Count == 0 ? null : ratings.Average(), row.GetValueOrDefault("G")?.Number);
        }
        var dpupr = stats.First(r => r.GetValueOrDefault("A")?.Text == "DPUPR");
        Assert.Equal((2.0, 2.0, 1.0, 0.5, 3.5), (dpupr["C"].Number, dpupr["D"].Number, dpupr["E"].Number, dpupr["F"].Number, dpupr["G"].Number));

        var statusHeader = stats.FindIndex(r => r.GetValueOrDefault("A")?.Text == "Status");
        foreach (var status in RecapService.StatusOrder)
        {
            var row = stats.Skip(statusHeader + 1).First(r => r["A"].Text == status);
            Assert.Equal(db.Count(c => c.Status == status), row["C"].Number);
        }
        Assert.Equal(db.Count, stats.Single(r => r.GetValueOrDefault("A")?.Text == "Total aduan")["B"].Number);
        var share = stats.Single(r => r.GetValueOrDefault("A")?.Text == "Persentase tepat waktu")["B"];
        Assert.Equal((double)db.Count(c => c.OnTime == true) / db.Count(c => c.AnsweredAt is not null), share.Number);
        Assert.Equal("builtin:10", NumberFormat(await DownloadAsync(July + "&format=xlsx"), share.Style)); // 0.00%
    }

    [Fact]
    public async Task Csv_parses_and_matches_the_database()
    {
        var r = await GetAsync(July + "&format=csv");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/csv", r.Content.Headers.ContentType!.MediaType);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = ReadCsv(bytes);
        Assert.Equal(RecapXlsx.CaseHeaders, rows[0].Select(h => h.TrimStart('\uFEFF')).ToArray());
        var db = await DbCase.AllAsync(kit.App.DatabasePath);
        Assert.Equal(db.Count + 1, rows.Count);
        for (var i = 0; i < db.Count; i++)
        {
            var row = rows[i + 1];
            var c = db[i];
            Assert.Equal(c.TrackingNumber, row[1]);
            Assert.Equal(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt), Wib).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), row[2]);
            Assert.Equal(c.AgencyCode ?? "", row[4]);
            Assert.Equal(RecapService.StatusLabel(c.Status), row[9]);
            Assert.Equal(c.AnsweredAt is { } a ? Minutes(c.CreatedAt, a).ToString(CultureInfo.InvariantCulture) : "", row[11]);
            Assert.Equal(c.Rating?.ToString(CultureInfo.InvariantCulture) ?? "", row[13]);
            Assert.DoesNotContain(c.Name, string.Join("|", row));
        }
        // The XSS payload survives as data in a CSV (it is not HTML), quoted where needed.
        Assert.Contains("<script>alert('xss')</script>", rows[4][8]);
    }

    [Fact]
    public async Task Print_page_shows_the_period_signature_lines_and_encodes_citizen_text()
    {
        var r = await GetAsync(July + "&format=html");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType!.MediaType);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("Rekap Pengaduan Masyarakat", html);
        Assert.Contains("Periode: <strong>Juli 2025</strong>", html);
        Assert.Contains("1 Juli 2025 s.d. 31 Juli 2025", html);
        Assert.Contains("@media print", html);
        foreach (var role in new[] { "Kepala Seksi", "Kepala Bidang", "Penanggung jawab" })
        {
            Assert.Contains($"<strong>{role}</strong>", html);
        }
        Assert.Contains(kit.A, html);
        Assert.Contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;&quot;&gt;&lt;img", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "")); // nothing loaded from elsewhere
    }

    [Fact]
    public async Task Identity_is_masked_by_default_shown_to_operators_on_request_and_never_for_confidential_reports()
    {
        var masked = ReadWorkbook(await DownloadAsync(July + "&format=xlsx"))["Aduan"];
        Assert.Equal("B*** S******", masked[1]["G"].Text);
        Assert.Equal(RecapService.Masked, masked[1]["H"].Text);
        Assert.Equal(RecapService.Confidential, masked[3]["G"].Text);

        var forbidden = await GetAsync(July + "&format=xlsx&identitas=1", "viewer");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var shown = ReadWorkbook(await DownloadAsync(July + "&format=xlsx&identitas=1&alasan=permintaan+Ombudsman", "operator"))["Aduan"];
        Assert.Equal("Budi Santoso", shown[1]["G"].Text);
        Assert.Equal("Jl. Merdeka No. 5, Sidanegara", shown[1]["H"].Text);
        Assert.Equal("Ani Lestari", shown[2]["G"].Text);
        Assert.Equal(RecapService.Confidential, shown[3]["G"].Text);
        Assert.Equal(RecapService.Confidential, shown[3]["H"].Text);

        var html = RecapReading.Utf8(await DownloadAsync(July + "&format=html&identitas=1&alasan=uji", "operator"));
        Assert.Contains("Budi Santoso", html);
        Assert.DoesNotContain("Rahmat Hidayat", html);
        Assert.DoesNotContain("Jl. Kalimantan 7", html);
        var csv = RecapReading.Utf8(await DownloadAsync(July + "&format=csv&identitas=1&alasan=uji", "operator"));
        Assert.Contains("Budi Santoso", csv);
        Assert.DoesNotContain("Rahmat Hidayat", csv);
        Assert.DoesNotContain("Budi Santoso", RecapReading.Utf8(await DownloadAsync(July + "&format=csv")));
    }

    [Fact]
    public async Task Recap_pages_refuse_anonymous_and_non_staff_users()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/status/rekap", role: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(July + "&format=xlsx", role: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(July + "&format=xlsx", role: "citizen")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/status/rekap", role: "operator")).StatusCode);
    }

    [Fact]
    public async Task A_bad_range_or_format_is_refused_with_an_Indonesian_message()
    {
        var r = await GetAsync("/status/rekap/unduh?from=2025-07-31&to=2025-07-01");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("Tanggal akhir lebih awal", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(July + "&format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/status/rekap/unduh?from=2020-01-01&to=2025-12-31")).StatusCode);
        // A semester by its key covers July too.
        var semester = ReadWorkbook(await DownloadAsync("/status/rekap/unduh?periode=2025-S2&format=xlsx"));
        Assert.Equal("Semester II 2025", semester["Statistik"].Single(x => x["A"].Text == "Periode")["B"].Text);
        Assert.Equal(5, semester["Aduan"].Count);
        var june = ReadWorkbook(await DownloadAsync("/status/rekap/unduh?from=2025-06-01&to=2025-06-30&format=xlsx"));
        Assert.Single(june["Aduan"]);
    }

    [Fact]
    public async Task The_monthly_job_on_the_first_stores_one_recap_per_format_and_a_second_run_adds_nothing()
    {
        var recaps = kit.App.Service<StoredRecaps>();
        kit.Clock.Set(new DateTimeOffset(2025, 8, 1, 1, 0, 0, TimeSpan.FromHours(7)));

        Assert.Equal(3, await recaps.ProduceLastMonthAsync());
        var rows = await Db.QueryAsync<(long Id, string Period, string Format, string Path, long CaseCount, long CreatedAt)>(kit.App.DatabasePath,
            "SELECT id, period, format, path, case_count, created_at FROM recaps ORDER BY format");
        Assert.Equal(["csv", "html", "xlsx"], rows.Select(x => x.Format).ToArray());
        Assert.All(rows, x => Assert.Equal(("2025-07", 4L), (x.Period, x.CaseCount)));
        var xlsx = rows.Single(x => x.Format == "xlsx");
        var file = Path.Combine(recaps.Root, xlsx.Path);
        var written = File.GetLastWriteTimeUtc(file);

        kit.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await recaps.ProduceLastMonthAsync());
        var again = await Db.QueryAsync<(long Id, long CreatedAt)>(kit.App.DatabasePath, "SELECT id, created_at FROM recaps ORDER BY format");
        Assert.Equal(rows.Select(x => (x.Id, x.CreatedAt)), again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));

        // Listed on the status page and downloadable, byte for byte what was stored.
        var page = await (await GetAsync("/status/rekap")).Content.ReadAsStringAsync();
        Assert.Contains("Juli 2025", page);
        Assert.Contains($"href=\"/status/rekap/{xlsx.Id}\"", page);
        var stored = await DownloadAsync($"/status/rekap/{xlsx.Id}");
        Assert.Equal(await File.ReadAllBytesAsync(file), stored);
        Assert.Equal(5, ReadWorkbook(stored)["Aduan"].Count);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/status/rekap/999999")).StatusCode);
    }

    [Fact]
    public async Task The_monthly_job_is_scheduled_for_the_first_of_the_month_at_01_00_WIB()
    {
        await using var app = new LaporApp();
        try
        {
            app.CreateClient();
            var scheduler = await app.Service<Quartz.ISchedulerFactory>().GetScheduler();
            var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("monthly-recap", "laporbot"));
            Assert.NotNull(trigger);
            Assert.Equal(MonthlyRecapJob.Key, trigger.JobKey);
            var next = TimeZoneInfo.ConvertTime(trigger.NextFireTimeUtc!.Value, Wib);
            Assert.Equal((1, 1, 0, 0), (next.Day, next.Hour, next.Minute, next.Second));
            Assert.True(next > DateTimeOffset.UtcNow && next < DateTimeOffset.UtcNow.AddDays(32));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    [Theory]
    [InlineData("2025-01-15", "2024-12")]
    [InlineData("2025-08-01", "2025-07")]
    [InlineData("2024-03-31", "2024-02")]
    public void The_job_reports_the_month_before_the_local_day(string today, string expected) =>
        Assert.Equal(expected, RecapPeriod.PreviousMonth(DateOnly.Parse(today, CultureInfo.InvariantCulture)).Key);

    [Fact]
    public void A_month_in_WIB_starts_at_17_00_UTC_the_day_before()
    {
        var (start, end) = RecapPeriod.Month(2025, 7).Instants(Wib);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 17, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(new DateTimeOffset(2025, 7, 31, 17, 0, 0, TimeSpan.Zero), end);
        Assert.Equal("Semester I 2025", RecapPeriod.Range(new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30)).Label);
        Assert.Equal("Tahun 2025", RecapPeriod.Range(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)).Label);
        Assert.Equal("3 Juli 2025 – 9 Juli 2025", RecapPeriod.Range(new DateOnly(2025, 7, 3), new DateOnly(2025, 7, 9)).Label);
    }
}
