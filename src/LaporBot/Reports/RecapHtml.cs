using System.Globalization;
using System.Text;
using LaporBot.StatusPage;
using static LaporBot.StatusPage.Html;

namespace LaporBot.Reports;

/// <summary>
/// The print copy the reporting SOP files with the workbook: a title block with the period, the
/// statistics, the case list, and signature lines for the section head, the division head and the
/// person in charge (the SOP's checking and signing steps). Plain HTML with print CSS; no script.
/// </summary>
internal static class RecapHtml
{
    public const string ContentType = Html.ContentType;

    private const string PrintCss =
        "body{max-width:none}.title{text-align:center;margin-bottom:1rem}.title h1{margin:.2rem 0;font-size:1.3rem;text-transform:uppercase}" +
        ".title p{margin:.1rem 0}table{font-size:.85rem}.cases td{font-size:.8rem}" +
        ".sign{display:flex;justify-content:space-between;gap:2rem;margin-top:2.5rem;page-break-inside:avoid}" +
        ".sign div{flex:1;text-align:center}.sign .space{height:4.5rem}.sign .line{border-top:1px solid #000;margin:0 1rem}" +
        "@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;padding:0;font-size:10pt;color:#000}" +
        ".noprint{display:none}th{background:#ddd !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}" +
        "tr{page-break-inside:avoid}thead{display:table-header-group}}";

    public static string Write(RecapReport r, string institution)
    {
        var b = new StringBuilder();
        b.Append("<div class=\"title\"><p>").Append(E(institution)).Append("</p>")
            .Append("<h1>Rekap Pengaduan Masyarakat</h1>")
            .Append("<p>Periode: <strong>").Append(E(r.Period.Label)).Append("</strong> (")
            .Append(E(RecapPeriod.FormatDay(r.Period.From))).Append(" s.d. ").Append(E(RecapPeriod.FormatDay(r.Period.To))).Append(")</p>")
            .Append("<p class=\"muted\">Dibuat ").Append(E(r.GeneratedLocal.ToString("dd-MM-yyyy HH:mm", CultureInfo.InvariantCulture))).Append(" WIB")
            .Append(r.IncludeIdentity ? " · memuat identitas pelapor (kecuali laporan rahasia)" : " · identitas pelapor disamarkan").Append("</p></div>\n");
        b.Append("<p class=\"noprint\">Cetak halaman ini (Ctrl+P) untuk arsip tercetak.</p>\n");

        b.Append("<h2>Ringkasan</h2><table><tbody>")
            .Append(Row("Total aduan", r.Total.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("Dijawab", r.Answered.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("Dijawab sesuai mutu baku", r.AnsweredOnTime.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("Persentase tepat waktu", Pct(r.OnTimeShare)))
            .Append(Row("Rata-rata penilaian", Num(r.AverageRating, "0.0")))
            .Append("</tbody></table>\n");

        b.Append("<h2>Per instansi</h2><table><thead><tr>");
        foreach (var h in RecapXlsx.AgencyHeaders)
        {
            b.Append("<th>").Append(E(h)).Append("</th>");
        }
        b.Append("</tr></thead><tbody>");
        foreach (var a in r.Agencies)
        {
            b.Append("<tr><td>").Append(E(a.Code ?? "-")).Append("</td><td>").Append(E(a.Name)).Append("</td>")
                .Append(N(a.Received)).Append(N(a.Answered)).Append(N(a.AnsweredOnTime))
                .Append("<td class=\"n\">").Append(E(Pct(a.OnTimeShare))).Append("</td>")
                .Append("<td class=\"n\">").Append(E(Num(a.AverageRating, "0.0"))).Append("</td>").Append(N(a.Rated)).Append("</tr>");
        }
        b.Append("</tbody></table>\n");

        b.Append("<h2>Per status</h2><table><thead><tr><th>Status</th><th>Jumlah</th></tr></thead><tbody>");
        foreach (var s in r.Statuses)
        {
            b.Append("<tr><td>").Append(E(s.Label)).Append("</td>").Append(N(s.Count)).Append("</tr>");
        }
        b.Append("</tbody></table>\n");

        b.Append("<h2>Daftar aduan</h2><table class=\"cases\"><thead><tr>");
        foreach (var h in RecapXlsx.CaseHeaders)
        {
            b.Append("<th>").Append(E(h)).Append("</th>");
        }
        b.Append("</tr></thead><tbody>");
        var n = 1;
        foreach (var c in r.Cases)
        {
            b.Append("<tr>").Append(N(n++))
                .Append(T(c.Number)).Append(T(c.ReceivedLocal.ToString("dd-MM-yyyy HH:mm", CultureInfo.InvariantCulture))).Append(T(c.Channel))
                .Append(T(c.AgencyCode ?? "")).Append(T(c.AgencyName)).Append(T(c.Reporter)).Append(T(c.ReporterAddress)).Append(T(c.Summary))
                .Append(T(c.StatusLabel))
                .Append("<td class=\"n\">").Append(E(Num(c.MinutesToAssign))).Append("</td>")
                .Append("<td class=\"n\">").Append(E(Num(c.MinutesToAnswer))).Append("</td>")
                .Append(T(c.AnsweredOnTime switch { true => "Ya", false => "Tidak", null => "" }))
                .Append("<td class=\"n\">").Append(c.Rating?.ToString(CultureInfo.InvariantCulture) ?? "").Append("</td></tr>");
        }
        if (r.Cases.Count == 0)
        {
            b.Append("<tr><td colspan=\"").Append(RecapXlsx.CaseHeaders.Length).Append("\">Tidak ada aduan pada periode ini.</td></tr>");
        }
        b.Append("</tbody></table>\n");

        b.Append("<div class=\"sign\">")
            .Append(Sign("Diperiksa dan diparaf oleh", "Kepala Seksi"))
            .Append(Sign("Diperiksa dan diparaf oleh", "Kepala Bidang"))
            .Append(Sign("Disahkan oleh", "Penanggung jawab"))
            .Append("</div>");
        return Page($"Rekap Pengaduan {r.Period.Label}", b.ToString(), PrintCss);
    }

    private static string Row(string label, string value) => $"<tr><th>{E(label)}</th><td class=\"n\">{E(value)}</td></tr>";

    private static string T(string text) => $"<td>{E(text)}</td>";

    private static string N(int n) => $"<td class=\"n\">{n.ToString(CultureInfo.InvariantCulture)}</td>";

    private static string Sign(string action, string role) =>
        $"<div><p>{E(action)}</p><p><strong>{E(role)}</strong></p><p class=\"space\"></p><p class=\"line\"></p><p>NIP.</p></div>";
}
