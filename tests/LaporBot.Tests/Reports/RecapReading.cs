using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Reports;

internal sealed record XCell(string? Text, double? Number, uint Style);

/// <summary>A complaint as the database has it, for comparing exports against.</summary>
internal sealed record DbCase
{
    public string TrackingNumber { get; init; } = "";
    public string? AgencyCode { get; init; }
    public string Status { get; init; } = "";
    public string Name { get; init; } = "";
    public string Text { get; init; } = "";
    public long CreatedAt { get; init; }
    public long? AssignedAt { get; init; }
    public long? AnsweredAt { get; init; }
    public long? TotalDueAt { get; init; }
    public long? Rating { get; init; }
    public bool Confidential { get; init; }

    public bool? OnTime => AnsweredAt is { } a ? a <= TotalDueAt : null;

    public static async Task<List<DbCase>> AllAsync(string db) =>
        await Db.QueryAsync<DbCase>(db,
            "SELECT tracking_number, agency_code, status, name, text, created_at, assigned_at, answered_at, total_due_at, rating, confidential FROM complaint_details ORDER BY created_at, id");
}

/// <summary>Reads exports back with the libraries that wrote them.</summary>
internal static partial class RecapReading
{
    public static Dictionary<string, List<Dictionary<string, XCell>>> ReadWorkbook(byte[] bytes)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var wb = doc.WorkbookPart!;
        var result = new Dictionary<string, List<Dictionary<string, XCell>>>();
        foreach (var sheet in wb.Workbook.Descendants<Sheet>())
        {
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!.Value!);
            var rows = new List<Dictionary<string, XCell>>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var cells = new Dictionary<string, XCell>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = Letters().Match(cell.CellReference!.Value!).Value;
                    var style = cell.StyleIndex?.Value ?? 0;
                    cells[column] = cell.DataType?.Value == CellValues.InlineString
                        ? new XCell(cell.InlineString!.Text!.Text, null, style)
                        : new XCell(null, double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture), style);
                }
                rows.Add(cells);
            }
            result[sheet.Name!.Value!] = rows;
        }
        return result;
    }

    /// <summary>The number format code of a style index, to tell a date cell from a plain number.</summary>
    public static string? NumberFormat(byte[] bytes, uint style)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var ss = doc.WorkbookPart!.WorkbookStylesPart!.Stylesheet;
        var xf = ss.CellFormats!.Elements<CellFormat>().ElementAt((int)style);
        var id = xf.NumberFormatId?.Value ?? 0;
        return ss.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(n => n.NumberFormatId?.Value == id)?.FormatCode?.Value
            ?? (id == 0 ? null : $"builtin:{id}");
    }

    public static List<string[]> ReadCsv(byte[] bytes)
    {
        var rows = new List<string[]>();
        using var reader = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = false });
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
        }
        return rows;
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [GeneratedRegex("^[A-Z]+")]
    private static partial Regex Letters();
}
