using System.Globalization;
using CsvHelper;
using static LaporBot.Reports.ReportTexts;

namespace LaporBot.Reports;

/// <summary>
/// The report's case list as CSV the way a spreadsheet set to Indonesian regional settings reads it
/// when the file is double-clicked: semicolon-separated (the list separator where the decimal mark is
/// a comma), decimal commas, dates dd/MM/yyyy HH:mm, UTF-8 with a byte-order mark so Indonesian text
/// shows correctly; text that would run as a formula is escaped (a citizen can write "=HYPERLINK(…)").
/// Statistics are in the workbook and the print page; a CSV holds one table.
/// </summary>
internal static class RecapCsv
{
    public const string ContentType = "text/csv; charset=utf-8";
    public const char Separator = ';';
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    public static byte[] Write(RecapReport report)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions
        {
            WriteByteOrderMark = true, Injection = CsvInjection.Escape, Separator = Separator,
        }, leaveOpen: true))
        {
            csv.WriteRecord(RecapXlsx.CaseHeaders(report.IncludeIdentity));
            var n = 1;
            foreach (var c in report.Cases)
            {
                var row = new List<string>
                {
                    (n++).ToString(CultureInfo.InvariantCulture), c.Number, When(c.ReceivedLocal), c.Channel, c.AgencyName, c.Reporter,
                };
                if (report.IncludeIdentity)
                {
                    row.Add(c.ReporterAddress);
                }
                row.AddRange(
                [
                    c.Location, c.Summary, c.StatusLabel, Num(c.MinutesToAssign), Num(c.MinutesToAccept), Num(c.MinutesToAnswer), Num(c.MinutesStandard),
                    c.AnsweredOnTime switch { true => T("yes"), false => T("no"), null => "" }, c.AnswerSummary, When(c.AnsweredLocal), When(c.ClosedLocal),
                    c.Rating?.ToString(CultureInfo.InvariantCulture) ?? "",
                ]);
                csv.WriteRecord(row.ToArray());
            }
        }
        return stream.ToArray();
    }

    private static string When(DateTime? local) => local?.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) ?? "";

    private static string Num(double? v) => v?.ToString("0.#", Indonesian) ?? "";
}
