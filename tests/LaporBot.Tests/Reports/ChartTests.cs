using DocumentFormat.OpenXml.Packaging;
using LaporBot.Tests.Fakes;
using C = DocumentFormat.OpenXml.Drawing.Charts;

namespace LaporBot.Tests.Reports;

/// <summary>The workbook's statistics sheet carries real charts (DrawingML chart parts) drawn from its own tables.
/// SQLite only: the chart parts are drawn from the workbook's own tables; the figures behind them run on both in ReportFigureTests.</summary>
public sealed class ChartTests(ReportKit kit) : IClassFixture<ReportKit>
{
    private sealed record ChartRead(string Title, string CategoryFormula, string ValueFormula, IReadOnlyList<string> Labels, IReadOnlyList<double> Values);

    private static List<ChartRead> Charts(byte[] xlsx, string sheetName)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
        Assert.NotNull(part.Worksheet.GetFirstChild<DocumentFormat.OpenXml.Spreadsheet.Drawing>());
        return (part.DrawingsPart?.ChartParts ?? []).Select(cp =>
        {
            var series = cp.ChartSpace.Descendants<C.BarChartSeries>().Single();
            var cat = series.GetFirstChild<C.CategoryAxisData>()!.StringReference!;
            var val = series.GetFirstChild<C.Values>()!.NumberReference!;
            return new ChartRead(
                string.Concat(cp.ChartSpace.Descendants<C.Title>().Single().Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text)),
                cat.Formula!.Text, val.Formula!.Text,
                cat.StringCache!.Elements<C.StringPoint>().Select(p => p.NumericValue!.Text).ToList(),
                val.NumberingCache!.Elements<C.NumericPoint>().Select(p => double.Parse(p.NumericValue!.Text, System.Globalization.CultureInfo.InvariantCulture)).ToList());
        }).ToList();
    }

    [Fact]
    public async Task The_monthly_statistics_sheet_charts_cases_per_agency_and_per_status_from_its_own_cells()
    {
        var xlsx = await kit.DownloadAsync("/status/rekap/unduh?periode=2026-11&format=xlsx");
        var charts = Charts(xlsx, "Statistik");
        Assert.Equal(["Aduan per instansi", "Aduan per status"], charts.Select(c => c.Title).ToArray());
        var book = RecapReading.ReadWorkbook(xlsx)["Statistik"];

        // Per agency: the labels are the code column, the bars the "received" column, and both match the database.
        var perAgency = charts[0];
        Assert.Matches(@"^'Statistik'!\$A\$\d+:\$A\$\d+$", perAgency.CategoryFormula);
        Assert.Matches(@"^'Statistik'!\$C\$\d+:\$C\$\d+$", perAgency.ValueFormula);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        foreach (var code in ReportKit.Agencies)
        {
            var expected = await Db.ScalarAsync<long>(kit.App.DatabasePath,
                "SELECT COUNT(*) FROM complaints WHERE created_at >= @start AND created_at < @end AND agency_code = @code", new { start, end, code });
            var i = perAgency.Labels.ToList().IndexOf(code);
            Assert.True(i >= 0, $"{code} is charted");
            Assert.Equal(expected, perAgency.Values[i]);
        }
        // The formulas cover exactly the table's rows, and each charted figure is the one printed beside its label.
        var range = System.Text.RegularExpressions.Regex.Match(perAgency.CategoryFormula, @"\$A\$(\d+):\$A\$(\d+)");
        Assert.Equal(perAgency.Labels.Count, int.Parse(range.Groups[2].Value) - int.Parse(range.Groups[1].Value) + 1);
        Assert.Equal(perAgency.CategoryFormula.Replace("$A$", "$C$"), perAgency.ValueFormula);
        for (var i = 0; i < perAgency.Labels.Count; i++)
        {
            var row = book.Single(r => r.GetValueOrDefault("A")?.Text == perAgency.Labels[i] && r.ContainsKey("C"));
            Assert.Equal(perAgency.Values[i], row["C"].Number);
        }

        // Per status: Indonesian status names, counts adding up to the month's total.
        var perStatus = charts[1];
        var total = await Db.ScalarAsync<long>(kit.App.DatabasePath, "SELECT COUNT(*) FROM complaints WHERE created_at >= @start AND created_at < @end", new { start, end });
        Assert.Equal(total, perStatus.Values.Sum());
        Assert.DoesNotContain(perStatus.Labels, l => l is "answered" or "triage" or "closed");
        Assert.Contains("Selesai", perStatus.Labels);
    }

    [Fact]
    public async Task The_workbook_with_its_charts_is_valid_open_xml()
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await kit.DownloadAsync("/status/rekap/unduh?periode=2026-11&format=xlsx")), false);
        var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task The_semester_report_has_its_charts_on_the_statistics_sheet_and_the_daily_report_none()
    {
        Assert.Equal(2, Charts(await kit.DownloadAsync("/status/rekap/unduh?periode=2026-S2&format=xlsx"), "Statistik").Count);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await kit.DownloadAsync("/status/rekap/unduh?periode=2026-11-30&format=xlsx")), false);
        Assert.All(doc.WorkbookPart!.WorksheetParts, p => Assert.Null(p.DrawingsPart));
    }
}
