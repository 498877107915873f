using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace LaporBot.Reports;

/// <summary>
/// A column chart drawn from a table on the same sheet: the labels in one column and the figures in
/// another, rows <see cref="FirstRow"/>–<see cref="LastRow"/> (1-based), placed over the cell box
/// <see cref="FromColumn"/>,<see cref="FromRow"/> – <see cref="ToColumn"/>,<see cref="ToRow"/> (0-based,
/// exclusive end, as DrawingML anchors count). The figures are cached in the chart too, so a reader that
/// does not recalculate (a viewer, a converter, a test) shows them as printed.
/// </summary>
internal sealed record XlsxChart(
    string Title, int LabelColumn, int ValueColumn, uint FirstRow, uint LastRow,
    IReadOnlyList<string> Labels, IReadOnlyList<double> Values,
    int FromColumn, int FromRow, int ToColumn, int ToRow);

/// <summary>Writes <see cref="XlsxChart"/>s into a worksheet's drawing part (DrawingML chart parts, Open XML SDK).</summary>
internal static class XlsxCharts
{
    public static void Add(WorksheetPart sheet, string sheetName, IReadOnlyList<XlsxChart> charts)
    {
        if (charts.Count == 0)
        {
            return;
        }
        var drawings = sheet.AddNewPart<DrawingsPart>();
        var drawing = new Xdr.WorksheetDrawing();
        drawing.AddNamespaceDeclaration("xdr", "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing");
        drawing.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        uint id = 2;
        foreach (var chart in charts)
        {
            var part = drawings.AddNewPart<ChartPart>();
            part.ChartSpace = ChartSpace(chart, sheetName);
            drawing.Append(Anchor(chart, drawings.GetIdOfPart(part), id++));
        }
        drawings.WorksheetDrawing = drawing;
        sheet.Worksheet.Append(new DocumentFormat.OpenXml.Spreadsheet.Drawing { Id = sheet.GetIdOfPart(drawings) });
    }

    private static string Ref(string sheetName, int column, uint first, uint last)
    {
        var col = RecapXlsx.Column(column);
        return $"'{sheetName.Replace("'", "''", StringComparison.Ordinal)}'!${col}${first}:${col}${last}";
    }

    private static C.ChartSpace ChartSpace(XlsxChart chart, string sheetName)
    {
        const uint categoryAxis = 48650112u, valueAxis = 48672768u;
        var categories = new C.StringCache(new C.PointCount { Val = (uint)chart.Labels.Count });
        for (var i = 0; i < chart.Labels.Count; i++)
        {
            categories.Append(new C.StringPoint(new C.NumericValue(chart.Labels[i])) { Index = (uint)i });
        }
        var values = new C.NumberingCache(new C.FormatCode("General"), new C.PointCount { Val = (uint)chart.Values.Count });
        for (var i = 0; i < chart.Values.Count; i++)
        {
            values.Append(new C.NumericPoint(new C.NumericValue(chart.Values[i].ToString(CultureInfo.InvariantCulture))) { Index = (uint)i });
        }
        var series = new C.BarChartSeries(
            new C.Index { Val = 0 },
            new C.Order { Val = 0 },
            new C.SeriesText(new C.NumericValue(chart.Title)),
            new C.ChartShapeProperties(new A.SolidFill(new A.RgbColorModelHex { Val = "2F6F9F" })),
            new C.InvertIfNegative { Val = false },
            new C.DataLabels(
                new C.ShowLegendKey { Val = false }, new C.ShowValue { Val = true }, new C.ShowCategoryName { Val = false },
                new C.ShowSeriesName { Val = false }, new C.ShowPercent { Val = false }, new C.ShowBubbleSize { Val = false }),
            new C.CategoryAxisData(new C.StringReference(new C.Formula(Ref(sheetName, chart.LabelColumn, chart.FirstRow, chart.LastRow)), categories)),
            new C.Values(new C.NumberReference(new C.Formula(Ref(sheetName, chart.ValueColumn, chart.FirstRow, chart.LastRow)), values)));
        var bar = new C.BarChart(
            new C.BarDirection { Val = C.BarDirectionValues.Column },
            new C.BarGrouping { Val = C.BarGroupingValues.Clustered },
            new C.VaryColors { Val = false },
            series,
            new C.GapWidth { Val = 80 },
            new C.AxisId { Val = categoryAxis },
            new C.AxisId { Val = valueAxis });
        var plot = new C.PlotArea(
            new C.Layout(),
            bar,
            new C.CategoryAxis(
                new C.AxisId { Val = categoryAxis },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Bottom },
                new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = valueAxis },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.AutoLabeled { Val = true },
                new C.LabelAlignment { Val = C.LabelAlignmentValues.Center },
                new C.LabelOffset { Val = 100 }),
            new C.ValueAxis(
                new C.AxisId { Val = valueAxis },
                new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }, new C.MinAxisValue { Val = 0 }),
                new C.Delete { Val = false },
                new C.AxisPosition { Val = C.AxisPositionValues.Left },
                new C.MajorGridlines(),
                new C.NumberingFormat { FormatCode = "0", SourceLinked = false },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo },
                new C.CrossingAxis { Val = categoryAxis },
                new C.Crosses { Val = C.CrossesValues.AutoZero },
                new C.CrossBetween { Val = C.CrossBetweenValues.Between }));
        var title = new C.Title(
            new C.ChartText(new C.RichText(
                new A.BodyProperties(), new A.ListStyle(),
                new A.Paragraph(new A.Run(new A.RunProperties { Language = "id-ID", FontSize = 1100, Bold = true }, new A.Text(chart.Title))))),
            new C.Overlay { Val = false });
        var space = new C.ChartSpace(
            new C.EditingLanguage { Val = "id-ID" },
            new C.RoundedCorners { Val = false },
            new C.Chart(title, new C.AutoTitleDeleted { Val = false }, plot, new C.PlotVisibleOnly { Val = true }, new C.DisplayBlanksAs { Val = C.DisplayBlanksAsValues.Gap }));
        space.AddNamespaceDeclaration("c", "http://schemas.openxmlformats.org/drawingml/2006/chart");
        space.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        space.AddNamespaceDeclaration("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        return space;
    }

    private static Xdr.TwoCellAnchor Anchor(XlsxChart chart, string relationshipId, uint id)
    {
        var frame = new Xdr.GraphicFrame(
            new Xdr.NonVisualGraphicFrameProperties(
                new Xdr.NonVisualDrawingProperties { Id = id, Name = chart.Title },
                new Xdr.NonVisualGraphicFrameDrawingProperties()),
            new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
            new A.Graphic(new A.GraphicData(new C.ChartReference { Id = relationshipId })
            {
                Uri = "http://schemas.openxmlformats.org/drawingml/2006/chart",
            }))
        { Macro = "" };
        return new Xdr.TwoCellAnchor(
            new Xdr.FromMarker(new Xdr.ColumnId(chart.FromColumn.ToString(CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"),
                new Xdr.RowId(chart.FromRow.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0")),
            new Xdr.ToMarker(new Xdr.ColumnId(chart.ToColumn.ToString(CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"),
                new Xdr.RowId(chart.ToRow.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0")),
            frame,
            new Xdr.ClientData())
        { EditAs = Xdr.EditAsValues.OneCell };
    }
}
