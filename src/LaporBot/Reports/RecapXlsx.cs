using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static LaporBot.Reports.ReportTexts;

namespace LaporBot.Reports;

/// <summary>
/// A report as a workbook (Open XML SDK) that prints the way an office files it: every sheet A4
/// landscape, fit to one page wide, a title block (institution, report name, period as dates), the
/// table header repeated on every page (print titles), page numbers in the footer, the signature
/// block with the approvals so far, "–" for empty figures. Dates are date cells and figures numbers,
/// so staff can still sort, filter and sum.
/// </summary>
internal static class RecapXlsx
{
    public static string CasesSheet => T("sheet.cases");
    public static string StatsSheet => T("sheet.stats");
    public static string IssuesSheet => T("sheet.issues");
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The case columns; the reporter's address only when identities were asked for.</summary>
    public static string[] CaseHeaders(bool withIdentity) =>
        CaseKeys(withIdentity).Select(k => T("col." + k)).ToArray();

    private static string[] CaseKeys(bool withIdentity) => withIdentity
        ? (string[])["no", "number", "received", "channel", "agency", "reporter", "reporterAddress", "location", "summary", "status", "toAssign", "toAccept", "toAnswer", "standard", "onTime", "answer", "answeredAt", "closedAt", "rating"]
        : ["no", "number", "received", "channel", "agency", "reporter", "location", "summary", "status", "toAssign", "toAccept", "toAnswer", "standard", "onTime", "answer", "answeredAt", "closedAt", "rating"];

    private static readonly Dictionary<string, double> Widths = new()
    {
        ["no"] = 4, ["number"] = 15, ["received"] = 16, ["channel"] = 11, ["agency"] = 18, ["reporter"] = 13, ["reporterAddress"] = 18,
        ["location"] = 14, ["summary"] = 34, ["status"] = 14, ["toAssign"] = 9, ["toAccept"] = 9, ["toAnswer"] = 9, ["standard"] = 9,
        ["onTime"] = 8, ["answer"] = 30, ["answeredAt"] = 16, ["closedAt"] = 16, ["rating"] = 9,
    };

    public static string[] AgencyHeaders =>
        new[] { "stats.code", "stats.agency", "stats.received", "stats.answered", "stats.answeredOnTime", "stats.onTimeShare", "stats.avgRating", "stats.rated" }
            .Select(k => T(k)).ToArray();

    // Style indexes into CellFormats below.
    internal const uint Bold = 1, DateTime_ = 2, Percent = 3, Decimal = 4, Wrap = 5, Header = 6, TitleStyle = 7, Boxed = 8, Integer = 9,
        DateOnly_ = 10, Dash = 11, Subtitle = 12;

    public static byte[] Write(RecapReport report, ReportContext context)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            var names = new DefinedNames();
            uint id = 1;
            void Add(string name, SheetBuilder sheet)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = sheet.Build(report, context, selected: id == 1);
                XlsxCharts.Add(part, name, sheet.Charts);
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
                if (sheet.HeaderRow is { } h)
                {
                    names.Append(new DefinedName($"'{name}'!${h}:${h}") { Name = "_xlnm.Print_Titles", LocalSheetId = id - 1 });
                }
                id++;
            }
            switch (report.Kind)
            {
                case ReportKind.Day:
                    Add(IssuesSheet, IssuesSheetContent(report, context));
                    Add(CasesSheet, CasesSheetContent(report, context, report.Cases, null));
                    break;
                case ReportKind.Semester:
                    Add(StatsSheet, StatsSheetContent(report, context));
                    foreach (var a in report.Agencies)
                    {
                        Add(SheetName(a.Code ?? "-"), CasesSheetContent(report, context, report.Cases.Where(c => c.AgencyCode == a.Code).ToList(), a.Name));
                    }
                    break;
                default:
                    Add(CasesSheet, CasesSheetContent(report, context, report.Cases, null));
                    Add(StatsSheet, StatsSheetContent(report, context));
                    break;
            }
            if (names.HasChildren)
            {
                workbook.Workbook.Append(names);
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    /// <summary>Excel's sheet-name rules: at most 31 characters, none of []:*?/\.</summary>
    public static string SheetName(string code)
    {
        var clean = new string(code.Select(ch => "[]:*?/\\".Contains(ch) ? '-' : ch).ToArray());
        return clean.Length <= 31 ? clean : clean[..31];
    }

    private static SheetBuilder CasesSheetContent(RecapReport report, ReportContext context, IReadOnlyList<RecapCase> cases, string? agencyName)
    {
        var keys = CaseKeys(report.IncludeIdentity);
        var sheet = new SheetBuilder(keys.Select(k => Widths[k]).ToArray(), context.Institution);
        sheet.TitleBlock(report, agencyName);
        sheet.HeaderRow = sheet.Next;
        sheet.Add(keys.Select(k => Text(T("col." + k), Header)));
        var n = 1;
        foreach (var c in cases)
        {
            sheet.Add(keys.Select(k => k switch
            {
                "no" => Number(n, Integer),
                "number" => Text(c.Number, Boxed),
                "received" => DateCell(c.ReceivedLocal),
                "channel" => Text(c.Channel, Boxed),
                "agency" => Text(c.AgencyName, Wrap),
                "reporter" => Text(c.Reporter, Wrap),
                "reporterAddress" => Text(c.ReporterAddress, Wrap),
                "location" => Text(c.Location, Wrap),
                "summary" => Text(c.Summary, Wrap),
                "status" => Text(c.StatusLabel, Wrap),
                "toAssign" => Number(c.MinutesToAssign, Decimal),
                "toAccept" => Number(c.MinutesToAccept, Decimal),
                "toAnswer" => Number(c.MinutesToAnswer, Decimal),
                "standard" => Number(c.MinutesStandard, Decimal),
                "onTime" => Text(YesNo(c.AnsweredOnTime), Boxed),
                "answer" => Text(c.AnswerSummary, Wrap),
                "answeredAt" => DateCell(c.AnsweredLocal),
                "closedAt" => DateCell(c.ClosedLocal),
                "rating" => Number(c.Rating, Integer),
                _ => throw new InvalidOperationException(k),
            }));
            n++;
        }
        if (cases.Count == 0)
        {
            sheet.Add([Text(T("no.cases"))]);
        }
        sheet.Filter = (sheet.HeaderRow.Value, sheet.Next - 1);
        sheet.FreezeBelow = sheet.HeaderRow;
        sheet.Signatures();
        return sheet;
    }

    /// <summary>Rows the statistics sheet's charts take (about 8 cm at the default row height).</summary>
    private const int ChartRows = 18;

    private static SheetBuilder StatsSheetContent(RecapReport report, ReportContext context)
    {
        var sheet = new SheetBuilder([28, 36, 11, 11, 13, 13, 12, 11], context.Institution);
        sheet.TitleBlock(report, null);
        // Two charts side by side right under the title, where the eye lands first and where the sheet's
        // first printed page holds them whole: cases per agency (columns A–B wide) and per status (C–H),
        // drawn from the tables below.
        var charted = report.Agencies.Count > 0 || report.Statuses.Count > 0;
        var chartTop = (int)sheet.Next - 1;
        if (charted)
        {
            for (var i = 0; i <= ChartRows; i++)
            {
                sheet.Skip();
            }
        }
        sheet.Section(T("stats.summary"));
        sheet.Add([Text(T("stats.total"), Boxed), Number(report.Total, Integer)]);
        sheet.Add([Text(T("stats.answered"), Boxed), Number(report.Answered, Integer)]);
        sheet.Add([Text(T("stats.answeredOnTime"), Boxed), Number(report.AnsweredOnTime, Integer)]);
        sheet.Add([Text(T("stats.onTimeShare"), Boxed), Number(report.OnTimeShare, Percent)]);
        sheet.Add([Text(T("stats.avgRating"), Boxed), Number(report.AverageRating, Decimal)]);
        sheet.Add([Text(T("stats.oversight"), Boxed), Number(report.OversightCount, Integer)]);
        sheet.Skip();
        sheet.Section(T("stats.perAgency"));
        sheet.Add(AgencyHeaders.Select(h => Text(h, Header)));
        var agencyRows = sheet.Next;
        foreach (var a in report.Agencies)
        {
            sheet.Add([Text(a.Code ?? T("empty"), Boxed), Text(a.Name, Wrap), Number(a.Received, Integer), Number(a.Answered, Integer),
                Number(a.AnsweredOnTime, Integer), Number(a.OnTimeShare, Percent), Number(a.AverageRating, Decimal), Number(a.Rated, Integer)]);
        }
        sheet.Skip();
        sheet.Section(T("stats.perStatus"));
        sheet.Add([Text(T("stats.status"), Header), Text(T("stats.count"), Header)]);
        var statusRows = sheet.Next;
        foreach (var s in report.Statuses)
        {
            sheet.Add([Text(s.Label, Boxed), Number(s.Count, Integer)]);
        }
        sheet.Skip();
        sheet.Section(T(report.TimelineByMonth ? "stats.perMonth" : "stats.perDay"));
        sheet.Add([Text(T(report.TimelineByMonth ? "stats.month" : "stats.day"), Header), Text(T("stats.count"), Header)]);
        foreach (var t in report.Timeline)
        {
            sheet.Add([Text(t.Label, Boxed), Number(t.Count, Integer)]);
        }
        sheet.Skip();
        sheet.Section(T("stats.ratings"));
        sheet.Add([Text(T("stats.rating"), Header), Text(T("stats.count"), Header)]);
        foreach (var t in report.Ratings)
        {
            sheet.Add([Text(t.Label, Boxed), Number(t.Count, Integer)]);
        }
        if (charted)
        {
            if (report.Agencies.Count > 0)
            {
                sheet.Charts.Add(new XlsxChart(T("chart.perAgency"), 1, 3, agencyRows, agencyRows + (uint)report.Agencies.Count - 1,
                    report.Agencies.Select(a => a.Code ?? T("empty")).ToList(), report.Agencies.Select(a => (double)a.Received).ToList(),
                    0, chartTop, 2, chartTop + ChartRows));
            }
            if (report.Statuses.Count > 0)
            {
                sheet.Charts.Add(new XlsxChart(T("chart.perStatus"), 1, 2, statusRows, statusRows + (uint)report.Statuses.Count - 1,
                    report.Statuses.Select(x => x.Label).ToList(), report.Statuses.Select(x => (double)x.Count).ToList(),
                    2, chartTop, 8, chartTop + ChartRows));
            }
        }
        sheet.Signatures();
        return sheet;
    }

    private static SheetBuilder IssuesSheetContent(RecapReport report, ReportContext context)
    {
        var sheet = new SheetBuilder([16, 40, 16, 18, 30, 12], context.Institution);
        sheet.TitleBlock(report, null);
        sheet.Add([Text(T("stats.total"), Bold), Number(report.Total, Integer)]);
        sheet.Skip();
        sheet.Section(T("issues.byAgency"));
        sheet.Add([Text(T("stats.code"), Header), Text(T("stats.agency"), Header), Text(T("stats.count"), Header)]);
        foreach (var a in report.Agencies.Where(a => a.Received > 0))
        {
            sheet.Add([Text(a.Code ?? T("empty"), Boxed), Text(a.Name, Wrap), Number(a.Received, Integer)]);
        }
        sheet.Skip();
        sheet.Section(T("issues.byTopic"));
        sheet.Add([Text(T("issues.topic"), Header), Text(T("stats.count"), Header)]);
        foreach (var t in report.Topics)
        {
            sheet.Add([Text(t.Label, Boxed), Number(t.Count, Integer)]);
        }
        sheet.Skip();
        sheet.Section(T("issues.overdue"));
        sheet.Add([Text(T("col.number"), Header), Text(T("col.agency"), Header), Text(T("issues.step"), Header), Text(T("issues.due"), Header)]);
        foreach (var c in report.Overdue)
        {
            sheet.Add([Text(c.Number, Boxed), Text(c.AgencyName, Wrap), Text(c.OverdueStep ?? T("empty"), Boxed), DateCell(c.OverdueDueLocal)]);
        }
        if (report.Overdue.Count == 0)
        {
            sheet.Add([Text(T("issues.noOverdue"))]);
        }
        sheet.Skip();
        sheet.Section(T("issues.oversight"));
        var oversight = report.Cases.Where(c => c.Oversight).ToList();
        sheet.Add([Text(T("col.number"), Header), Text(T("col.summary"), Header), Text(T("col.status"), Header)]);
        foreach (var c in oversight)
        {
            sheet.Add([Text(c.Number, Boxed), Text(c.Summary, Wrap), Text(c.StatusLabel, Wrap)]);
        }
        if (oversight.Count == 0)
        {
            sheet.Add([Text(T("issues.noOversight"))]);
        }
        return sheet;
    }

    private static string YesNo(bool? b) => b switch { true => T("yes"), false => T("no"), null => T("empty") };

    /// <summary>Rows of one sheet plus what makes it print: title block, repeated header, signatures, page setup.</summary>
    private sealed class SheetBuilder(double[] widths, string institution)
    {
        private readonly SheetData _data = new();
        public uint Next { get; private set; } = 1;
        public uint? HeaderRow { get; set; }
        public uint? FreezeBelow { get; set; }
        public (uint From, uint To)? Filter { get; set; }
        public List<XlsxChart> Charts { get; } = [];

        public void Add(IEnumerable<Cell?> cells)
        {
            var list = cells.ToList();
            var row = Row(Next++, list);
            // Spreadsheet programs do not agree on growing rows for wrapped text when a file is opened, so
            // the height is set here: the most lines any wrapped cell needs at its column's width.
            var lines = 1;
            for (var i = 0; i < list.Count && i < widths.Length; i++)
            {
                if (list[i] is { StyleIndex.Value: Wrap or Header } cell && cell.InlineString?.Text?.Text is { Length: > 0 } text)
                {
                    lines = Math.Max(lines, WrappedLines(text, widths[i]));
                }
            }
            if (lines > 1)
            {
                row.Height = lines * 12.6 + 2;
                row.CustomHeight = true;
            }
            _data.Append(row);
        }

        /// <summary>Lines a text needs in a column of <paramref name="width"/> characters, breaking at spaces.</summary>
        private static int WrappedLines(string text, double width)
        {
            var max = Math.Max(1, (int)(width * 1.05) - 1);
            var lines = 1;
            var used = 0;
            foreach (var word in text.Split(' '))
            {
                var len = word.Length;
                if (used > 0 && used + 1 + len > max)
                {
                    lines++;
                    used = 0;
                }
                while (len > max)
                {
                    lines++;
                    len -= max;
                }
                used += (used > 0 ? 1 : 0) + len;
            }
            return lines;
        }

        public void Skip() => Next++;

        public void Section(string title) => Add([Text(title, Bold)]);

        public void TitleBlock(RecapReport report, string? agencyName)
        {
            Add([Text(institution, Subtitle)]);
            Add([Text(report.Title, TitleStyle)]);
            Add([Text($"{T("period")}: {report.Period.Label} ({report.Period.Dates})", Bold)]);
            if ((agencyName ?? report.AgencyName) is { } agency)
            {
                Add([Text($"{T("agency.filter")}: {agency}", Bold)]);
            }
            Add([Text($"{T("generated")}: {report.GeneratedLocal.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)} {report.ZoneAbbreviation} · " +
                (report.IncludeIdentity ? T("identity.shown", report.IdentityRequestedBy, report.IdentityReason) : T("identity.masked")))]);
            Skip();
        }

        private bool _signatures;

        public void Signatures() => _signatures = true;

        public Worksheet Build(RecapReport report, ReportContext context, bool selected)
        {
            if (_signatures)
            {
                Skip();
                // Three blocks side by side, over the first columns wide enough to hold them.
                var cols = SignatureColumns();
                Add(SignatureRow(cols, level => T($"sign.{level}.action")));
                Add(SignatureRow(cols, level => T($"sign.{level}"), Bold));
                Add(SignatureRow(cols, level => context.For(level) is { } a
                    ? T(level == SignOffLevels.PersonInCharge ? "sign.done.sign" : "sign.done.initial", a.By,
                        a.AtLocal.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " " + report.ZoneAbbreviation)
                    : ""));
                Skip();
                Add(SignatureRow(cols, _ => "______________________"));
                Add(SignatureRow(cols, _ => T("sign.nip")));
            }
            var ws = new Worksheet();
            ws.Append(new SheetProperties(new PageSetupProperties { FitToPage = true }));
            var view = new SheetView { TabSelected = selected, WorkbookViewId = 0 };
            if (FreezeBelow is { } f)
            {
                view.Append(new Pane { VerticalSplit = f, TopLeftCell = $"A{f + 1}", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
            }
            ws.Append(new SheetViews(view));
            ws.Append(new Columns(widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true })));
            ws.Append(_data);
            if (Filter is { } filter)
            {
                ws.Append(new AutoFilter { Reference = $"A{filter.From}:{Column(widths.Length)}{filter.To}" });
            }
            ws.Append(new PrintOptions { HorizontalCentered = true });
            ws.Append(new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
            ws.Append(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
            var footerLeft = $"{report.Title} · {report.Period.Label}".Replace("&", "&&", StringComparison.Ordinal);
            ws.Append(new HeaderFooter(new OddFooter($"&L&8{footerLeft}&R&8{T("page.footer")}")));

            return ws;
        }

        private int[] SignatureColumns()
        {
            // Start columns of three roughly equal thirds of the sheet's width.
            var total = widths.Sum();
            var starts = new int[3];
            double run = 0;
            var third = 0;
            for (var i = 0; i < widths.Length && third < 3; i++)
            {
                if (run >= total * third / 3.0)
                {
                    starts[third++] = i + 1;
                }
                run += widths[i];
            }
            for (; third < 3; third++)
            {
                starts[third] = Math.Min(widths.Length, starts[third - 1] + 1);
            }
            return starts;
        }

        private static Cell?[] SignatureRow(int[] starts, Func<string, string> text, uint style = 0)
        {
            var cells = new Cell?[starts[^1]];
            for (var i = 0; i < 3; i++)
            {
                cells[starts[i] - 1] = Text(text(SignOffLevels.All[i]), style);
            }
            return cells;
        }
    }

    public static byte[] Write(RecapReport report, string institution) => Write(report, new ReportContext(institution, []));

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

    /// <summary>A figure, or "–" when there is none (a printed report has no blank cells where a number belongs).</summary>
    private static Cell Number(double? value, uint style) => value is { } v
        ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(v), StyleIndex = style }
        : Text(T("empty"), Dash);

    private static Cell DateCell(DateTime? local, uint style = DateTime_) => local is { } d
        ? new Cell { CellValue = new CellValue(d.ToOADate()), StyleIndex = style }
        : Text(T("empty"), Dash);

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

    private static Stylesheet Styles()
    {
        CellFormat Boxed(uint numberFormat = 0, uint font = 0, bool wrap = false, HorizontalAlignmentValues? align = null, uint fill = 0) =>
            new(new Alignment { WrapText = wrap, Vertical = VerticalAlignmentValues.Top, Horizontal = align })
            {
                NumberFormatId = numberFormat, FontId = font, BorderId = 1, FillId = fill,
                ApplyNumberFormat = numberFormat != 0, ApplyFont = font != 0, ApplyBorder = true, ApplyAlignment = true, ApplyFill = fill != 0,
            };
        return new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy hh:mm" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "0.0" },
                new NumberingFormat { NumberFormatId = 166, FormatCode = "dd/mm/yyyy" })
            { Count = 3 },
            new Fonts(
                new Font(new FontSize { Val = 10 }, new FontName { Val = "Arial" }),
                new Font(new DocumentFormat.OpenXml.Spreadsheet.Bold(), new FontSize { Val = 10 }, new FontName { Val = "Arial" }),
                new Font(new DocumentFormat.OpenXml.Spreadsheet.Bold(), new FontSize { Val = 14 }, new FontName { Val = "Arial" }),
                new Font(new FontSize { Val = 11 }, new FontName { Val = "Arial" }))
            { Count = 4 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDDDDD" }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
            new Borders(
                new Border(),
                new Border(
                    new LeftBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
                    new RightBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
                    new TopBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
                    new BottomBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
                    new DiagonalBorder()))
            { Count = 2 },
            new CellStyleFormats(new CellFormat()) { Count = 1 },
            new CellFormats(
                new CellFormat(),                                                   // 0 plain
                new CellFormat { FontId = 1, ApplyFont = true },                    // 1 bold
                Boxed(164),                                                         // 2 date-time
                Boxed(10),                                                          // 3 percent 0.00%
                Boxed(165),                                                         // 4 0.0
                Boxed(wrap: true),                                                  // 5 wrapped text
                Boxed(font: 1, wrap: true, align: HorizontalAlignmentValues.Center, fill: 2), // 6 table header
                new CellFormat { FontId = 2, ApplyFont = true },                    // 7 report title
                Boxed(),                                                            // 8 boxed text
                Boxed(1),                                                           // 9 integer
                Boxed(166),                                                         // 10 date
                Boxed(align: HorizontalAlignmentValues.Center),                     // 11 "–"
                new CellFormat { FontId = 3, ApplyFont = true })                    // 12 institution
            { Count = 13 });
    }
}
