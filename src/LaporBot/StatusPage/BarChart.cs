namespace LaporBot.StatusPage;

/// <summary>Model of the inline SVG bar chart partial (public because Razor's generated partial class is).</summary>
public sealed record BarChart(string Id, string Title, IReadOnlyList<ChartBar> Bars);

public sealed record ChartBar(string Label, long Value, string Title);
