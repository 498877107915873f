using System.Globalization;
using System.Text;
using static LaporBot.StatusPage.Html;

namespace LaporBot.Reports;

/// <summary>
/// Inline SVG bar charts drawn on the server, as on the dashboard: no script, no library, prints on
/// paper; each bar carries a title for screen readers and the figures are in the tables beside them.
/// </summary>
internal static class ReportCharts
{
    public sealed record Bar(string Label, double Value, string Display);

    public static string Bars(string id, string title, IReadOnlyList<Bar> bars, double? max = null)
    {
        const int width = 600, height = 190, top = 16, bottom = 34, left = 4;
        var inv = CultureInfo.InvariantCulture;
        var top_ = max ?? Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        var slot = (double)(width - left * 2) / Math.Max(1, bars.Count);
        var barWidth = Math.Max(2, slot * 0.72);
        var labelEvery = bars.Count > 16 ? 5 : 1;
        var b = new StringBuilder();
        b.Append("<figure class=\"chart\" id=\"").Append(E(id)).Append("\"><figcaption>").Append(E(title)).Append("</figcaption>")
            .Append("<svg viewBox=\"0 0 ").Append(width).Append(' ').Append(height).Append("\" role=\"img\" aria-label=\"").Append(E(title))
            .Append("\">")
            .Append("<line x1=\"0\" y1=\"").Append(height - bottom).Append("\" x2=\"").Append(width).Append("\" y2=\"").Append(height - bottom)
            .Append("\" stroke=\"#999\"/>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var h = Math.Max(0, bar.Value) / top_ * (height - top - bottom);
            var x = left + i * slot + (slot - barWidth) / 2;
            var y = height - bottom - h;
            var cx = (x + barWidth / 2).ToString("0.#", inv);
            b.Append("<g><title>").Append(E($"{bar.Label}: {bar.Display}")).Append("</title>")
                .Append("<rect fill=\"#2f6f9f\" x=\"").Append(x.ToString("0.#", inv)).Append("\" y=\"").Append(y.ToString("0.#", inv))
                .Append("\" width=\"").Append(barWidth.ToString("0.#", inv)).Append("\" height=\"").Append(h.ToString("0.#", inv)).Append("\"/>")
                .Append("<text font-size=\"11\" x=\"").Append(cx).Append("\" y=\"").Append((y - 3).ToString("0.#", inv)).Append("\" text-anchor=\"middle\">")
                .Append(bar.Value > 0 ? E(bar.Display) : "").Append("</text>");
            if (i % labelEvery == 0 || i == bars.Count - 1)
            {
                var label = bar.Label.Length > 14 ? bar.Label[..13] + "…" : bar.Label;
                b.Append("<text font-size=\"10\" x=\"").Append(cx).Append("\" y=\"").Append(height - bottom + 14).Append("\" text-anchor=\"middle\">")
                    .Append(E(label)).Append("</text>");
            }
            b.Append("</g>");
        }
        return b.Append("</svg></figure>").ToString();
    }
}
