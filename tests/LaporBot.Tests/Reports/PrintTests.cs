using System.Diagnostics;
using System.Text.RegularExpressions;
using LaporBot.Reports;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Reports;

/// <summary>
/// The monthly workbook printed the way a user would: LibreOffice converts it to PDF, poppler reads the
/// pages back. Skips only when LibreOffice or poppler is absent, and never under CI=true (CI installs both).
/// </summary>
public sealed partial class PrintTests(ReportKit kit) : IClassFixture<ReportKit>
{
    private static string? Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    [SkippableFact]
    public async Task The_monthly_workbook_with_50_cases_prints_every_case_column_on_page_one_with_the_header_repeated()
    {
        var ci = Environment.GetEnvironmentVariable("CI") == "true";
        var office = Tool("libreoffice") ?? Tool("soffice");
        var pdftotext = Tool("pdftotext");
        Assert.False(ci && (office is null || pdftotext is null), "CI must install libreoffice-calc-nogui and poppler-utils (.ci/apt-packages)");
        Skip.If(office is null || pdftotext is null, "LibreOffice or poppler-utils is not installed");

        var xlsx = await kit.DownloadAsync("/status/rekap/unduh?periode=2026-11&format=xlsx");
        var dir = TestPaths.NewTempDir();
        var file = Path.Combine(dir, "rekap-2026-11.xlsx");
        await File.WriteAllBytesAsync(file, xlsx);
        // Its own profile directory: several conversions at once on a shared machine must not share one.
        await RunAsync(office!, $"-env:UserInstallation=file://{Path.Combine(dir, "profile")}", "--headless", "--convert-to", "pdf", "--outdir", dir, file);
        var pdf = Path.Combine(dir, "rekap-2026-11.pdf");
        Assert.True(File.Exists(pdf));
        var info = await RunAsync(Tool("pdfinfo")!, pdf);
        var pages = int.Parse(PagesLine().Match(info).Groups[1].Value);
        Assert.Contains("841.89 x 595.3", info); // A4 landscape, in points
        var text = new List<string>();
        for (var i = 1; i <= pages; i++)
        {
            text.Add(Flat(await RunAsync(pdftotext!, "-f", $"{i}", "-l", $"{i}", "-layout", pdf, "-")));
        }

        // The case sheet: the pages with tracking numbers. 50 cases need more than one page, not dozens.
        var casePages = text.Select((t, i) => (t, i)).Where(x => x.t.Contains("LPR-2611-", StringComparison.Ordinal)).Select(x => x.i).ToList();
        Assert.InRange(casePages.Count, 2, 6);
        Assert.Equal(0, casePages[0]);
        Assert.Equal(Enumerable.Range(0, casePages.Count), casePages); // contiguous, starting on page one
        Assert.InRange(pages, casePages.Count + 1, casePages.Count + 4); // then the statistics sheet
        Assert.Equal(50, casePages.Sum(i => TrackingNumber().Matches(text[i]).Select(m => m.Value).Distinct().Count()));

        // Page one: the title block, and every column of the case sheet (headers may wrap, so word by word).
        var first = text[0];
        Assert.Contains(ReportKit.Institution, first);
        Assert.Contains("Rekapitulasi Bulanan Pengaduan Pelayanan Publik dan Data Statistik", first);
        Assert.Contains("1 November 2026 s.d. 30 November 2026", first);
        foreach (var header in RecapXlsx.CaseHeaders(withIdentity: false))
        {
            foreach (var word in header.Split(' '))
            {
                Assert.Contains(word, first);
            }
        }
        // The last column's figures are on the page too (a column cut off would take them to another page).
        Assert.Matches(@"LPR-2611-00001\b.*", first);

        // The header row is repeated on every page of the case sheet, and pages are numbered.
        foreach (var i in casePages)
        {
            Assert.Contains("Nomor aduan", text[i]);
            Assert.Contains("Ringkasan aduan", text[i]);
            Assert.Contains($"Halaman {i + 1} dari {pages}", text[i]);
        }
        // Indonesian labels only: no raw status codes.
        Assert.DoesNotContain(" answered ", string.Join(' ', text));
        Assert.DoesNotContain(" triage ", string.Join(' ', text));
        // The signature block closes the case sheet.
        Assert.Contains("Kepala Seksi", text[casePages[^1]]);
        Assert.Contains("Penanggung jawab", text[casePages[^1]]);
        File.Copy(pdf, Path.Combine(Path.GetTempPath(), "laporbot-rekap-2026-11.pdf"), overwrite: true);
        // The statistics sheet's charts are drawn on its pages (their titles are text in the PDF).
        var statsPages = string.Join(' ', text.Skip(casePages.Count));
        Assert.Contains("Aduan per instansi", statsPages);
        Assert.Contains("Aduan per status", statsPages);
        // Both on the first page of the statistics sheet, under its title block, whole (a chart cut by a page
        // break would print its title on one page and the rest on the next).
        var chartPage = Assert.Single(text, t => t.Contains("Aduan per instansi", StringComparison.Ordinal));
        Assert.Equal(casePages.Count, text.IndexOf(chartPage));
        Assert.Contains("Aduan per status", chartPage);
        Assert.Contains("Rekapitulasi Bulanan", chartPage);
    }

    private static string Flat(string s) => MultiSpace().Replace(s, " ");

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PagesLine();

    [GeneratedRegex(@"LPR-2611-\d{5}")]
    private static partial Regex TrackingNumber();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex MultiSpace();
}
