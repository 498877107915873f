using LaporBot.Tests.Fakes;
using static LaporBot.Tests.Reports.RecapReading;

namespace LaporBot.Tests.Reports;

/// <summary>Every period kind, and one agency, against counts taken straight from the database.</summary>
public abstract class ReportFigureTests(ReportKit kit)
{
    public sealed class OnSqlite(ReportKit kit) : ReportFigureTests(kit), IClassFixture<ReportKit>;

    public sealed class OnPostgres(PostgresReportKit kit) : ReportFigureTests(kit), IClassFixture<PostgresReportKit>;

    [SkippableTheory]
    [InlineData("2026-11-30", "2026-11-30", "2026-11-30", null)]
    [InlineData("2026-11", "2026-11-01", "2026-11-30", null)]
    [InlineData("2026-Q4", "2026-10-01", "2026-12-31", null)]
    [InlineData("2026-S2", "2026-07-01", "2026-12-31", null)]
    [InlineData("2026", "2026-01-01", "2026-12-31", null)]
    [InlineData("2026-11", "2026-11-01", "2026-11-30", "DPUPR")]
    [InlineData("2026-S2", "2026-07-01", "2026-12-31", "INSPEKTORAT")]
    public async Task Report_figures_match_an_independent_count(string key, string from, string to, string? agency)
    {
        kit.SkipIfUnavailable();
        var start = new DateTimeOffset(DateTime.Parse(from), TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(DateTime.Parse(to).AddDays(1), TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        const string where = "created_at >= @start AND created_at < @end AND (@agency IS NULL OR agency_code = @agency)";
        var args = new { start, end, agency };
        Task<long> Count(string extra) => Db.ScalarAsync<long>(kit.App.DatabasePath, $"SELECT COUNT(*) FROM complaints WHERE {where} {extra}", args);
        var total = await Count("");
        var answered = await Count("AND answered_at IS NOT NULL");
        var onTime = await Count("AND answered_at <= total_due_at");
        Assert.True(total > 0);

        var url = $"/status/rekap/unduh?periode={key}&format=xlsx" + (agency is null ? "" : $"&instansi={agency.ToLowerInvariant()}");
        var book = ReadWorkbook(await kit.DownloadAsync(url));
        var caseRows = book.Where(s => s.Key != "Statistik" && s.Key != "Identifikasi isu")
            .Sum(s => s.Value.Count(r => r.TryGetValue("B", out var b) && b.Text?.StartsWith("LPR-", StringComparison.Ordinal) == true));
        Assert.Equal(total, caseRows);
        if (book.TryGetValue("Statistik", out var stats))
        {
            double? Figure(string label) => stats.First(r => r.GetValueOrDefault("A")?.Text == label)["B"].Number;
            Assert.Equal(total, Figure("Total aduan"));
            Assert.Equal(answered, Figure("Dijawab"));
            Assert.Equal(onTime, Figure("Dijawab sesuai mutu baku"));
            foreach (var code in ReportKit.Agencies.Where(a => agency is null || a == agency))
            {
                var row = stats.First(r => r.GetValueOrDefault("A")?.Text == code && r.ContainsKey("C"));
                Assert.Equal(await Db.ScalarAsync<long>(kit.App.DatabasePath,
                    $"SELECT COUNT(*) FROM complaints WHERE {where} AND agency_code = @code", new { start, end, agency, code }), row["C"].Number);
            }
        }
        else
        {
            var issues = book["Identifikasi isu"];
            Assert.Equal(total, issues.First(r => r.GetValueOrDefault("A")?.Text == "Total aduan")["B"].Number);
        }
        // CSV: the same cases, semicolon-separated with a BOM.
        var csv = await kit.DownloadAsync(url.Replace("format=xlsx", "format=csv", StringComparison.Ordinal));
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("No;Nomor aduan;Diterima;", lines[0]);
        Assert.Equal(total, lines.Count(l => l.Contains(";LPR-", StringComparison.Ordinal)));
    }
}
