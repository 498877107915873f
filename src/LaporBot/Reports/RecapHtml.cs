using System.Globalization;
using System.Text;
using LaporBot.StatusPage;
using static LaporBot.StatusPage.Html;
using static LaporBot.Reports.ReportTexts;

namespace LaporBot.Reports;

/// <summary>
/// The print copy the reporting SOP files with the workbook: title block (institution, report name,
/// period as dates), charts, statistics, the case list, and the signature block with the approvals so
/// far. Plain HTML with print CSS (A4 landscape, header row repeated); no script, nothing loaded from elsewhere.
/// </summary>
internal static class RecapHtml
{
    public const string ContentType = Html.ContentType;

    private const string PrintCss =
        "body{max-width:none}.title{text-align:center;margin-bottom:1rem}.title h1{margin:.2rem 0;font-size:1.3rem;text-transform:uppercase}" +
        ".title p{margin:.1rem 0}table{font-size:.85rem}.cases td{font-size:.78rem}" +
        ".charts{display:grid;grid-template-columns:1fr 1fr;gap:.5rem 1.5rem}.chart{margin:0}.chart svg{width:100%;height:auto}" +
        ".chart figcaption{font-weight:bold;font-size:.9rem}" +
        ".sign{display:flex;justify-content:space-between;gap:2rem;margin-top:2.5rem;page-break-inside:avoid}" +
        ".sign div{flex:1;text-align:center}.sign .space{height:3.5rem}.sign .line{border-top:1px solid #000;margin:0 1rem}.sign .done{font-style:italic}" +
        "@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;padding:0;font-size:9pt;color:#000}" +
        ".noprint{display:none}th{background:#ddd !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}" +
        "tr,figure{page-break-inside:avoid}thead{display:table-header-group}}";

    public static string Write(RecapReport r, ReportContext context)
    {
        var b = new StringBuilder();
        b.Append("<div class=\"title\"><p>").Append(E(context.Institution)).Append("</p>")
            .Append("<h1>").Append(E(r.Title)).Append("</h1>")
            .Append("<p>").Append(E(T("period"))).Append(": <strong>").Append(E(r.Period.Label)).Append("</strong> (").Append(E(r.Period.Dates)).Append(")</p>");
        if (r.AgencyName is { } agency)
        {
            b.Append("<p>").Append(E(T("agency.filter"))).Append(": <strong>").Append(E(agency)).Append("</strong></p>");
        }
        b.Append("<p class=\"muted\">").Append(E(T("generated"))).Append(' ')
            .Append(E(r.GeneratedLocal.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture))).Append(' ').Append(E(r.ZoneAbbreviation))
            .Append(" · ").Append(E(r.IncludeIdentity ? T("identity.shown", r.IdentityRequestedBy, r.IdentityReason) : T("identity.masked")))
            .Append("</p></div>\n");
        b.Append("<p class=\"noprint\">").Append(E(T("print.hint"))).Append("</p>\n");

        b.Append("<div class=\"charts\">").Append(Charts(r)).Append("</div>\n");

        b.Append("<h2>").Append(E(T("stats.summary"))).Append("</h2><table><tbody>")
            .Append(Row(T("stats.total"), r.Total.ToString(CultureInfo.InvariantCulture)))
            .Append(Row(T("stats.answered"), r.Answered.ToString(CultureInfo.InvariantCulture)))
            .Append(Row(T("stats.answeredOnTime"), r.AnsweredOnTime.ToString(CultureInfo.InvariantCulture)))
            .Append(Row(T("stats.onTimeShare"), Pct(r.OnTimeShare)))
            .Append(Row(T("stats.avgRating"), Num(r.AverageRating, "0.0")))
            .Append(Row(T("stats.oversight"), r.OversightCount.ToString(CultureInfo.InvariantCulture)))
            .Append("</tbody></table>\n");

        if (r.Kind == ReportKind.Day)
        {
            Issues(b, r);
        }

        b.Append("<h2>").Append(E(T("stats.perAgency"))).Append("</h2><table><thead><tr>");
        foreach (var h in RecapXlsx.AgencyHeaders)
        {
            b.Append("<th>").Append(E(h)).Append("</th>");
        }
        b.Append("</tr></thead><tbody>");
        foreach (var a in r.Agencies)
        {
            b.Append("<tr><td>").Append(E(a.Code ?? T("empty"))).Append("</td><td>").Append(E(a.Name)).Append("</td>")
                .Append(N(a.Received)).Append(N(a.Answered)).Append(N(a.AnsweredOnTime))
                .Append("<td class=\"n\">").Append(E(Pct(a.OnTimeShare))).Append("</td>")
                .Append("<td class=\"n\">").Append(E(Num(a.AverageRating, "0.0"))).Append("</td>").Append(N(a.Rated)).Append("</tr>");
        }
        b.Append("</tbody></table>\n");

        b.Append("<h2>").Append(E(T("stats.perStatus"))).Append("</h2><table><thead><tr><th>").Append(E(T("stats.status"))).Append("</th><th>")
            .Append(E(T("stats.count"))).Append("</th></tr></thead><tbody>");
        foreach (var s in r.Statuses)
        {
            b.Append("<tr><td>").Append(E(s.Label)).Append("</td>").Append(N(s.Count)).Append("</tr>");
        }
        b.Append("</tbody></table>\n");

        if (r.Kind == ReportKind.Semester)
        {
            foreach (var a in r.Agencies)
            {
                b.Append("<h2>").Append(E($"{T("sheet.cases")} — {a.Name}")).Append("</h2>");
                Cases(b, r, r.Cases.Where(c => c.AgencyCode == a.Code).ToList());
            }
        }
        else
        {
            b.Append("<h2>").Append(E(T("sheet.cases"))).Append("</h2>");
            Cases(b, r, r.Cases);
        }

        b.Append("<div class=\"sign\">");
        foreach (var level in SignOffLevels.All)
        {
            var done = context.For(level);
            b.Append("<div><p>").Append(E(T($"sign.{level}.action"))).Append("</p><p><strong>").Append(E(T($"sign.{level}"))).Append("</strong></p>")
                .Append("<p class=\"space done\">");
            if (done is not null)
            {
                b.Append(E(T(level == SignOffLevels.PersonInCharge ? "sign.done.sign" : "sign.done.initial", done.By,
                    done.AtLocal.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " " + r.ZoneAbbreviation)));
            }
            b.Append("</p><p class=\"line\"></p><p>").Append(E(T("sign.nip"))).Append("</p></div>");
        }
        b.Append("</div>");
        return Page($"{r.Title} {r.Period.Label}", b.ToString(), PrintCss);
    }

    /// <summary>Complaints per day (or month), per agency, the on-time share per agency, and the ratings.</summary>
    public static string Charts(RecapReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var timeline = r.Timeline.Select((t, i) => new ReportCharts.Bar(
            r.TimelineByMonth ? t.Label.Split(' ')[0][..3] : (r.Period.From.AddDays(i).Day).ToString(inv), t.Count, t.Count.ToString(inv))).ToList();
        var agencies = r.Agencies.Where(a => a.Received > 0).ToList();
        return ReportCharts.Bars("grafik-waktu", T(r.TimelineByMonth ? "chart.perMonth" : "chart.perDay"), timeline)
            + ReportCharts.Bars("grafik-instansi", T("chart.perAgency"),
                agencies.Select(a => new ReportCharts.Bar(a.Code ?? T("empty"), a.Received, a.Received.ToString(inv))).ToList())
            + ReportCharts.Bars("grafik-tepat-waktu", T("chart.onTime"),
                agencies.Select(a => new ReportCharts.Bar(a.Code ?? T("empty"), (a.OnTimeShare ?? 0) * 100, Pct(a.OnTimeShare))).ToList(), 100)
            + ReportCharts.Bars("grafik-penilaian", T("chart.ratings"),
                r.Ratings.Select(x => new ReportCharts.Bar(x.Label, x.Count, x.Count.ToString(inv))).ToList());
    }

    private static void Issues(StringBuilder b, RecapReport r)
    {
        b.Append("<h2>").Append(E(T("issues.byTopic"))).Append("</h2><table><thead><tr><th>").Append(E(T("issues.topic"))).Append("</th><th>")
            .Append(E(T("stats.count"))).Append("</th></tr></thead><tbody>");
        foreach (var t in r.Topics)
        {
            b.Append("<tr><td>").Append(E(t.Label)).Append("</td>").Append(N(t.Count)).Append("</tr>");
        }
        b.Append("</tbody></table>\n<h2>").Append(E(T("issues.overdue"))).Append("</h2>");
        if (r.Overdue.Count == 0)
        {
            b.Append("<p>").Append(E(T("issues.noOverdue"))).Append("</p>");
        }
        else
        {
            b.Append("<table><thead><tr><th>").Append(E(T("col.number"))).Append("</th><th>").Append(E(T("col.agency"))).Append("</th><th>")
                .Append(E(T("issues.step"))).Append("</th><th>").Append(E(T("issues.due"))).Append("</th></tr></thead><tbody>");
            foreach (var c in r.Overdue)
            {
                b.Append("<tr>").Append(Td(c.Number)).Append(Td(c.AgencyName)).Append(Td(c.OverdueStep ?? T("empty"))).Append(Td(When(c.OverdueDueLocal))).Append("</tr>");
            }
            b.Append("</tbody></table>");
        }
        b.Append("\n<h2>").Append(E(T("issues.oversight"))).Append("</h2>");
        var oversight = r.Cases.Where(c => c.Oversight).ToList();
        if (oversight.Count == 0)
        {
            b.Append("<p>").Append(E(T("issues.noOversight"))).Append("</p>");
        }
        else
        {
            b.Append("<ul>");
            foreach (var c in oversight)
            {
                b.Append("<li>").Append(E($"{c.Number} — {c.Summary}")).Append("</li>");
            }
            b.Append("</ul>");
        }
    }

    private static void Cases(StringBuilder b, RecapReport r, IReadOnlyList<RecapCase> cases)
    {
        var headers = RecapXlsx.CaseHeaders(r.IncludeIdentity);
        b.Append("<table class=\"cases\"><thead><tr>");
        foreach (var h in headers)
        {
            b.Append("<th>").Append(E(h)).Append("</th>");
        }
        b.Append("</tr></thead><tbody>");
        var n = 1;
        foreach (var c in cases)
        {
            b.Append("<tr>").Append(N(n++)).Append(Td(c.Number)).Append(Td(When(c.ReceivedLocal))).Append(Td(c.Channel)).Append(Td(c.AgencyName))
                .Append(Td(c.Reporter));
            if (r.IncludeIdentity)
            {
                b.Append(Td(c.ReporterAddress));
            }
            b.Append(Td(c.Location.Length == 0 ? T("empty") : c.Location)).Append(Td(c.Summary)).Append(Td(c.StatusLabel))
                .Append(Fig(c.MinutesToAssign)).Append(Fig(c.MinutesToAccept)).Append(Fig(c.MinutesToAnswer)).Append(Fig(c.MinutesStandard))
                .Append(Td(c.AnsweredOnTime switch { true => T("yes"), false => T("no"), null => T("empty") }))
                .Append(Td(c.AnswerSummary.Length == 0 ? T("empty") : c.AnswerSummary))
                .Append(Td(When(c.AnsweredLocal))).Append(Td(When(c.ClosedLocal)))
                .Append("<td class=\"n\">").Append(E(c.Rating?.ToString(CultureInfo.InvariantCulture) ?? T("empty"))).Append("</td></tr>");
        }
        if (cases.Count == 0)
        {
            b.Append("<tr><td colspan=\"").Append(headers.Length).Append("\">").Append(E(T("no.cases"))).Append("</td></tr>");
        }
        b.Append("</tbody></table>\n");
    }

    private static string When(DateTime? d) => d?.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) ?? T("empty");

    private static string Row(string label, string value) => $"<tr><th>{E(label)}</th><td class=\"n\">{E(value)}</td></tr>";

    private static string Td(string text) => $"<td>{E(text)}</td>";

    private static string Fig(double? v) => $"<td class=\"n\">{E(Num(v))}</td>";

    private static string N(int n) => $"<td class=\"n\">{n.ToString(CultureInfo.InvariantCulture)}</td>";
}
