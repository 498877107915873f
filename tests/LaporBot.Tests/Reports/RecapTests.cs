using System.Globalization;
using System.Net;
using LaporBot.Reports;
using LaporBot.Tests.Fakes;
using static LaporBot.Tests.Reports.RecapReading;

namespace LaporBot.Tests.Reports;

/// <summary>The recap exports read back and compared with the database the cases were moved through.</summary>
public abstract class RecapTests(RecapKit kit)
{
    public sealed class OnSqlite(RecapKit kit) : RecapTests(kit), IClassFixture<RecapKit>;

    public sealed class OnPostgres(PostgresRecapKit kit) : RecapTests(kit), IClassFixture<PostgresRecapKit>;

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

    [SkippableFact]
    public async Task Print_page_shows_the_period_signature_lines_and_encodes_citizen_text()
    {
        kit.SkipIfUnavailable();
        var r = await GetAsync(July + "&format=html");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType!.MediaType);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("Rekapitulasi Bulanan Pengaduan Pelayanan Publik dan Data Statistik", html);
        Assert.Contains("Periode: <strong>Juli 2025</strong>", html);
        Assert.Contains("<svg", html); // the charts
        Assert.Contains("grafik-tepat-waktu", html);
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

    [SkippableFact]
    public async Task Identity_is_masked_by_default_shown_to_operators_with_a_reason_and_never_for_confidential_reports()
    {
        kit.SkipIfUnavailable();
        static string Cells(byte[] xlsx) => string.Join("|", ReadWorkbook(xlsx)["Aduan"].SelectMany(r => r.Values).Select(c => c.Text));
        var masked = Cells(await DownloadAsync(July + "&format=xlsx"));
        Assert.Contains("B*** S******", masked);
        Assert.DoesNotContain("Budi Santoso", masked); // not even quoted in the agency's answer
        Assert.DoesNotContain("Jl. Merdeka", masked);
        Assert.Contains(RecapService.Confidential, masked);

        var forbidden = await GetAsync(July + "&format=xlsx&identitas=1&alasan=verifikasi+ulang", "viewer");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(July + "&format=xlsx&identitas=1", "operator")).StatusCode);

        var shown = Cells(await DownloadAsync(July + "&format=xlsx&identitas=1&alasan=verifikasi+ulang", "operator"));
        Assert.Contains("Budi Santoso", shown);
        Assert.Contains("Jl. Merdeka No. 5, Sidanegara", shown);
        Assert.Contains("verifikasi ulang", shown); // the reason is printed
        Assert.DoesNotContain("Rahmat Hidayat", shown);
        Assert.DoesNotContain("Jl. Kalimantan 7", shown);

        var html = RecapReading.Utf8(await DownloadAsync(July + "&format=html&identitas=1&alasan=verifikasi+ulang", "operator"));
        Assert.Contains("Budi Santoso", html);
        Assert.DoesNotContain("Rahmat Hidayat", html);
        var csv = RecapReading.Utf8(await DownloadAsync(July + "&format=csv&identitas=1&alasan=verifikasi+ulang", "operator"));
        Assert.Contains("Budi Santoso", csv);
        Assert.DoesNotContain("Rahmat Hidayat", csv);
        Assert.DoesNotContain("Budi Santoso", RecapReading.Utf8(await DownloadAsync(July + "&format=csv")));
    }

    [SkippableFact]
    public async Task Recap_pages_refuse_anonymous_and_non_staff_users()
    {
        kit.SkipIfUnavailable();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/status/rekap", role: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(July + "&format=xlsx", role: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(July + "&format=xlsx", role: "citizen")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/status/rekap", role: "operator")).StatusCode);
    }

    [SkippableFact]
    public async Task A_bad_range_or_format_is_refused_with_an_Indonesian_message()
    {
        kit.SkipIfUnavailable();
        var r = await GetAsync("/status/rekap/unduh?from=2025-07-31&to=2025-07-01");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("Tanggal akhir lebih awal", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(July + "&format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/status/rekap/unduh?from=2020-01-01&to=2025-12-31")).StatusCode);
        // A semester by its key covers July too.
        var semester = ReadWorkbook(await DownloadAsync("/status/rekap/unduh?periode=2025-S2&format=xlsx"));
        Assert.Contains(semester["Statistik"], x => x.GetValueOrDefault("A")?.Text?.Contains("Semester II 2025", StringComparison.Ordinal) == true);
        Assert.Equal(2, semester["DPUPR"].Count(r => r.GetValueOrDefault("B")?.Text?.StartsWith("LPR-", StringComparison.Ordinal) == true));
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/status/rekap/unduh?periode=2025-07&instansi=TIDAKADA")).StatusCode);
    }

    [SkippableFact]
    public async Task The_monthly_job_is_scheduled_for_the_first_of_the_month_at_01_00_WIB()
    {
        kit.SkipIfUnavailable();
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

    [SkippableTheory]
    [InlineData("2025-01-15", "2024-12")]
    [InlineData("2025-08-01", "2025-07")]
    [InlineData("2024-03-31", "2024-02")]
    public void The_job_reports_the_month_before_the_local_day(string today, string expected) =>
        Assert.Equal(expected, RecapPeriod.PreviousMonth(DateOnly.Parse(today, CultureInfo.InvariantCulture)).Key);

    [SkippableFact]
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
