using LaporBot.StatusPage;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace LaporBot.Reports;

/// <summary>
/// The recap as a real workbook (Open XML SDK): sheet "Aduan" lists the cases, sheet "Statistik"
/// the per-agency, per-status and overall figures. Dates are date cells, figures are numbers, so
/// staff can sort, filter and sum in Excel or LibreOffice without retyping.
/// </summary>
internal static class RecapXlsx
{
    public const string CasesSheet = "Aduan";
    public const string StatsSheet = "Statistik";
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly string[] CaseHeaders =
    [
        "No", "Nomor aduan", "Tanggal diterima", "Kanal", "Kode instansi", "Instansi", "Pelapor", "Alamat pelapor", "Ringkasan",
        "Status", "Waktu disposisi (menit)", "Waktu jawab (menit)", "Sesuai mutu baku", "Penilaian",
    ];

    public static readonly string[] AgencyHeaders =
    [
        "Kode", "Instansi", "Diterima", "Dijawab", "Dijawab sesuai mutu baku", "Persentase tepat waktu", "Rata-rata penilaian", "Jumlah penilaian",
    ];

    // Style indexes into CellFormats below.
    private const uint Bold = 1, Date = 2, Percent = 3, Decimal = 4, Wrap = 5;

    public static byte[] Write(RecapReport report)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            AddSheet(workbook, sheets, 1, CasesSheet, CasesSheetContent(report));
            AddSheet(workbook, sheets, 2, StatsSheet, StatsSheetContent(report));
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static Worksheet CasesSheetContent(RecapReport report)
    {
        var data = new SheetData();
        data.Append(Row(1, CaseHeaders.Select(h => Text(h, Bold))));
        uint r = 2;
        foreach (var c in report.Cases)
        {
            data.Append(Row(r, [
                Number(r - 1), Text(c.Number), DateCell(c.ReceivedLocal), Text(c.Channel), Text(c.AgencyCode ?? ""), Text(c.AgencyName),
                Text(c.Reporter), Text(c.ReporterAddress), Text(c.Summary, Wrap), Text(c.StatusLabel),
                Number(c.MinutesToAssign, Decimal), Number(c.MinutesToAnswer, Decimal),
                Text(c.AnsweredOnTime switch { true => "Ya", false => "Tidak", null => "" }), Number(c.Rating),
            ]));
            r++;
        }
        double[] widths = [5, 18, 17, 10, 13, 30, 18, 24, 60, 26, 12, 12, 10, 10];
        return new Worksheet(
            new SheetViews(new SheetView(new Pane
            {
                VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            }) { TabSelected = true, WorkbookViewId = 0 }),
            Columns(widths),
            data,
            new AutoFilter { Reference = $"A1:{Column(CaseHeaders.Length)}{Math.Max(1, r - 1)}" });
    }

    private static Worksheet StatsSheetContent(RecapReport report)
    {
        var data = new SheetData();
        uint r = 1;
        void Add(params Cell?[] cells) => data.Append(Row(r++, cells));

        Add(Text("Rekap Pengaduan Masyarakat", Bold));
        Add(Text("Periode"), Text(report.Period.Label));
        Add(Text("Tanggal"), DateCell(report.Period.From.ToDateTime(TimeOnly.MinValue), Date), DateCell(report.Period.To.ToDateTime(TimeOnly.MinValue), Date));
        Add(Text("Dibuat"), DateCell(report.GeneratedLocal));
        r++;
        Add(Text("Per instansi", Bold));
        Add(AgencyHeaders.Select(h => Text(h, Bold)).ToArray());
        foreach (var a in report.Agencies)
        {
            Add(Text(a.Code ?? "-"), Text(a.Name), Number(a.Received), Number(a.Answered), Number(a.AnsweredOnTime),
                Number(a.OnTimeShare, Percent), Number(a.AverageRating, Decimal), Number(a.Rated));
        }
        r++;
        Add(Text("Per status", Bold));
        Add(Text("Status", Bold), Text("Keterangan", Bold), Text("Jumlah", Bold));
        foreach (var s in report.Statuses)
        {
            Add(Text(s.Status), Text(s.Label), Number(s.Count));
        }
        r++;
        Add(Text("Ringkasan", Bold));
        Add(Text("Total aduan"), Number(report.Total));
        Add(Text("Dijawab"), Number(report.Answered));
        Add(Text("Dijawab sesuai mutu baku"), Number(report.AnsweredOnTime));
        Add(Text("Persentase tepat waktu"), Number(report.OnTimeShare, Percent));
        Add(Text("Rata-rata penilaian"), Number(report.AverageRating, Decimal));
        return new Worksheet(Columns([26, 40, 12, 12, 14, 14, 14, 12]), data);
    }

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, uint id, string name, Worksheet content)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = content;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Columns Columns(double[] widths) =>
        new(widths.Select((w, i) => new DocumentFormat.OpenXml.Spreadsheet.Column
        {
            Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true,
        }));

    private static Row Row(uint index, IEnumerable<Cell?> cells)
    {
        var row = new Row { RowIndex = index };
        var col = 1;
        foreach (var cell in cells)
        {
            if (cell is not null)
            {
                cell.CellReference = $"{Column(col)}{index}";
                row.Append(cell);
            }
            col++;
        }
        return row;
    }

    private static Cell Text(string value, uint style = 0) => new()
    {
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(XmlSafe(value)) { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = style == 0 ? null : style,
    };

    private static Cell? Number(double? value, uint style = 0) => value is { } v
        ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(v), StyleIndex = style == 0 ? null : style }
        : null;

    private static Cell DateCell(DateTime local, uint style = Date) =>
        new() { CellValue = new CellValue(local.ToOADate()), StyleIndex = style };

    public static string Column(int n)
    {
        var s = "";
        for (; n > 0; n = (n - 1) / 26)
        {
            s = (char)('A' + (n - 1) % 26) + s;
        }
        return s;
    }

    /// <summary>XML 1.0 cannot carry most control characters; a citizen's message might.</summary>
    private static string XmlSafe(string s)
    {
        if (s.All(XmlConvertIsOk))
        {
            return s;
        }
        var b = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            b.Append(XmlConvertIsOk(ch) ? ch : ' ');
        }
        return b.ToString();
    }

    private static bool XmlConvertIsOk(char ch) => ch is '\t' or '\n' or '\r' || (ch >= 0x20 && ch != '\uFFFE' && ch != '\uFFFF');

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy hh:mm" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "0.0" })
        { Count = 2 },
        new Fonts(new Font(), new Font(new DocumentFormat.OpenXml.Spreadsheet.Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 10, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true })
        { Count = 6 });
}
