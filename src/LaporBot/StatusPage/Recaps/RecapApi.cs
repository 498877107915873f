using LaporBot.Data;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using static LaporBot.StatusPage.Html;

namespace LaporBot.StatusPage.Recaps;

/// <summary>
/// Staff recap pages under /status/rekap: the stored monthly recaps, a form for any range, and the
/// download. Viewer or operator role; only operators may ask for reporters' identities.
/// </summary>
internal static class RecapApi
{
    /// <summary>A year and a little: enough for the annual report, not a query over everything.</summary>
    private const int MaxDays = 370;

    public static IEndpointRouteBuilder MapRecaps(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/status/rekap").RequireAuthorization(StaffPolicies.Viewer);

        group.MapGet("/", async (StoredRecaps stored, RecapService recaps, HttpContext http, CancellationToken ct) =>
        {
            NoStore(http);
            return Results.Content(IndexPage(await stored.ListAsync(ct), recaps.LocalToday(), http.User.IsOperator()), Html.ContentType);
        });

        group.MapGet("/unduh", async (string? from, string? to, string? periode, string? format, string? identitas, string? alasan,
            RecapService recaps, IOptions<RecapOptions> options, HttpContext http, IDatabase db, TimeProvider clock, CancellationToken ct) =>
        {
            NoStore(http);
            RecapPeriod period;
            if (!string.IsNullOrWhiteSpace(periode))
            {
                if (!RecapPeriod.TryParseKey(periode, out period))
                {
                    return BadRequest("Periode tidak dikenali. Gunakan 2025-07 (bulan), 2025-S1 (semester) atau 2025 (tahun).");
                }
            }
            else if (RecapPeriod.TryParseDay(from, out var f) && RecapPeriod.TryParseDay(to, out var t))
            {
                if (t < f)
                {
                    return BadRequest("Tanggal akhir lebih awal dari tanggal mulai.");
                }
                if (t.DayNumber - f.DayNumber + 1 > MaxDays)
                {
                    return BadRequest($"Rentang paling panjang {MaxDays} hari; untuk rekap tahunan pilih satu tahun.");
                }
                period = RecapPeriod.Range(f, t);
            }
            else
            {
                return BadRequest("Isi tanggal mulai dan tanggal akhir dengan format TTTT-BB-HH, mis. 2025-07-01.");
            }
            var fmt = (format ?? RecapFormat.Xlsx).Trim().ToLowerInvariant();
            if (!RecapFormat.All.Contains(fmt))
            {
                return BadRequest("Format harus xlsx, csv atau html.");
            }
            var withIdentity = identitas is "1" or "true" or "ya";
            if (withIdentity && !http.User.IsOperator())
            {
                return Results.Content(Page("Tidak diizinkan", "<h1>Tidak diizinkan</h1><p>Hanya operator yang dapat mengunduh rekap dengan identitas pelapor.</p>"),
                    Html.ContentType, Encoding.UTF8, StatusCodes.Status403Forbidden);
            }
            if (withIdentity && string.IsNullOrWhiteSpace(alasan))
            {
                return BadRequest("Rekap dengan identitas pelapor memerlukan alasan (mis. permintaan Ombudsman no. …); alasan dicatat. Tanpa identitas, rekap dapat diunduh langsung.");
            }
            var report = await recaps.BuildAsync(period, withIdentity, ct);
            if (withIdentity)
            {
                await RecordExportAsync(db, clock.GetUtcNow(), http.User.Identity?.Name ?? "?", report, alasan!.Trim(), ct);
            }
            var bytes = RecapFormat.Render(report, fmt, options.Value.Institution);
            return fmt == RecapFormat.Html
                ? Results.Bytes(bytes, RecapFormat.ContentType(fmt))
                : Results.File(bytes, RecapFormat.ContentType(fmt), RecapFormat.FileName(period, fmt));
        });

        group.MapGet("/{id:long}", async (long id, StoredRecaps stored, HttpContext http, CancellationToken ct) =>
        {
            NoStore(http);
            if (await stored.FindAsync(id, ct) is not { } found)
            {
                return Results.Content(Page("Rekap tidak ditemukan", "<h1>Rekap tidak ditemukan</h1><p><a href=\"/status/rekap\">Kembali ke daftar rekap</a></p>"),
                    Html.ContentType, Encoding.UTF8, StatusCodes.Status404NotFound);
            }
            var type = RecapFormat.ContentType(found.Recap.Format);
            return found.Recap.Format == RecapFormat.Html
                ? Results.File(found.FullPath, type)
                : Results.File(found.FullPath, type, Path.GetFileName(found.FullPath));
        });
        return app;
    }

    /// <summary>An export with identities is a view of every listed case's personal data: one access entry per case shown
    /// with its identity (confidential cases stay masked and are not counted as viewed).</summary>
    private static async Task RecordExportAsync(IDatabase db, DateTimeOffset now, string staff, RecapReport report, string reason, CancellationToken ct)
    {
        var numbers = report.Cases.Where(c => !c.Confidential).Select(c => c.Number).ToList();
        await using var s = await db.BeginAsync(ct);
        foreach (var chunk in numbers.Chunk(500))
        {
            await Dapper.SqlMapper.ExecuteAsync(s.Connection,
                """
                INSERT INTO personal_data_access (at, staff, via, complaint_id, reporter_id, purpose, detail)
                SELECT @at, @staff, 'export', c.id, c.reporter_id, @reason, @detail FROM complaints c WHERE c.tracking_number IN @chunk
                """,
                new { at = now.ToUnixTimeMilliseconds(), staff, reason = reason.Length > 500 ? reason[..500] : reason, detail = $"rekap {report.Period.Key}", chunk },
                s.Transaction);
        }
        await s.CommitAsync(ct);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static IResult BadRequest(string message) =>
        Results.Content(Page("Permintaan rekap tidak valid", $"<h1>Permintaan rekap tidak valid</h1><p>{E(message)}</p><p><a href=\"/status/rekap\">Kembali</a></p>"),
            Html.ContentType, Encoding.UTF8, StatusCodes.Status400BadRequest);

    private static string IndexPage(IReadOnlyList<StoredRecap> stored, DateOnly today, bool isOperator)
    {
        var last = RecapPeriod.PreviousMonth(today);
        var b = new StringBuilder();
        b.Append("<p><a href=\"/status\">&larr; Status</a></p><h1>Rekap pengaduan</h1>");
        b.Append("<h2>Rekap bulanan tersimpan</h2>");
        if (stored.Count == 0)
        {
            b.Append("<p class=\"muted\">Belum ada. Rekap bulan lalu dibuat otomatis setiap tanggal 1 pukul 01.00 WIB.</p>");
        }
        else
        {
            b.Append("<table><thead><tr><th>Periode</th><th>Jumlah aduan</th><th>Dibuat</th><th>Berkas</th></tr></thead><tbody>");
            foreach (var g in stored.GroupBy(r => r.Period))
            {
                var first = g.First();
                var label = RecapPeriod.TryParseKey(g.Key, out var p) ? p.Label : g.Key;
                b.Append("<tr><td>").Append(E(label)).Append("</td><td class=\"n\">").Append(first.CaseCount.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(Conversations.ReplyComposer.FormatDate(DateTimeOffset.FromUnixTimeMilliseconds(first.CreatedAt))))
                    .Append("</td><td>");
                foreach (var r in g.OrderBy(r => Array.IndexOf(RecapFormat.All, r.Format)))
                {
                    b.Append("<a href=\"/status/rekap/").Append(r.Id.ToString(CultureInfo.InvariantCulture)).Append("\">")
                        .Append(E(r.Format.ToUpperInvariant())).Append("</a> ");
                }
                b.Append("</td></tr>");
            }
            b.Append("</tbody></table>");
        }
        b.Append("<h2>Buat rekap</h2><form method=\"get\" action=\"/status/rekap/unduh\">")
            .Append("<label>Dari <input type=\"date\" name=\"from\" required value=\"").Append(E(last.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("\"></label>")
            .Append("<label>Sampai <input type=\"date\" name=\"to\" required value=\"").Append(E(last.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("\"></label>")
            .Append("<label>Format <select name=\"format\"><option value=\"xlsx\">Excel (.xlsx)</option><option value=\"csv\">CSV</option>")
            .Append("<option value=\"html\">Halaman cetak</option></select></label>");
        if (isOperator)
        {
            b.Append("<label><input type=\"checkbox\" name=\"identitas\" value=\"1\"> Tampilkan identitas pelapor (laporan rahasia tetap disamarkan)</label>")
                .Append("<label>Alasan membuka identitas (wajib bila dicentang; dicatat) <input type=\"text\" name=\"alasan\" maxlength=\"500\"></label>");
        }
        b.Append(" <button type=\"submit\">Unduh</button></form>");
        var y = today.Year;
        b.Append("<p>Cepat: ")
            .Append(Quick(last.Key, $"Bulan lalu ({last.Label})"))
            .Append(Quick($"{y}-S{(today.Month <= 6 ? 1 : 2)}", "Semester ini"))
            .Append(Quick($"{y - 1}", $"Tahun {y - 1}"))
            .Append(Quick($"{y}", $"Tahun {y}"))
            .Append("</p>");
        return Page("Rekap pengaduan", b.ToString());
    }

    private static string Quick(string key, string label) =>
        $"<a href=\"/status/rekap/unduh?periode={Uri.EscapeDataString(key)}&amp;format=xlsx\">{E(label)}</a> · ";
}
