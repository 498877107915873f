using LaporBot.StatusPage;
using System.Globalization;
using CsvHelper;

namespace LaporBot.Reports;

/// <summary>
/// The recap's case list as CSV (CsvHelper, RFC 4180): comma-separated, invariant numbers, ISO local
/// times, UTF-8 with a byte-order mark so Excel shows Indonesian text correctly, and text that would
/// run as a spreadsheet formula escaped (a citizen can write "=HYPERLINK(…)"). Statistics are in the
/// workbook and the print page; a CSV holds one table.
/// </summary>
internal static class RecapCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Write(RecapReport report)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteRecord(RecapXlsx.CaseHeaders);
            var n = 1;
            foreach (var c in report.Cases)
            {
                csv.WriteRecord(
                [
                    (n++).ToString(CultureInfo.InvariantCulture),
                    c.Number,
                    c.ReceivedLocal.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    c.Channel,
                    c.AgencyCode ?? "",
                    c.AgencyName,
                    c.Reporter,
                    c.ReporterAddress,
                    c.Summary,
                    c.StatusLabel,
                    c.MinutesToAssign?.ToString(CultureInfo.InvariantCulture) ?? "",
                    c.MinutesToAnswer?.ToString(CultureInfo.InvariantCulture) ?? "",
                    c.AnsweredOnTime switch { true => "Ya", false => "Tidak", null => "" },
                    c.Rating?.ToString(CultureInfo.InvariantCulture) ?? "",
                ]);
            }
        }
        return stream.ToArray();
    }
}
