using static LaporBot.Reports.ReportTexts;
using System.Text;
using Dapper;
using LaporBot.Data;
using LaporBot.StatusPage;
using Microsoft.Extensions.Options;
using static LaporBot.StatusPage.Html;

namespace LaporBot.Reports;

/// <summary>
/// Report downloads under /status/rekap (the page itself is the Razor page Rekap): any period by key
/// or range, one agency with instansi=KODE, and the stored files. Every staff role may download; only
/// operators may ask for reporters' identities, and only with a reason.
/// </summary>
internal static class RecapApi
{
    /// <summary>A year and a little: enough for the annual report, not a query over everything.</summary>
    private const int MaxDays = 370;

    public static IEndpointRouteBuilder MapRecaps(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/status/rekap").RequireAuthorization(StaffPolicies.Viewer);

        group.MapGet("/unduh", async (string? from, string? to, string? periode, string? format, string? identitas, string? alasan, string? instansi,
            RecapService recaps, IDatabase db, IOptions<RecapOptions> options, HttpContext http, CancellationToken ct) =>
        {
            NoStore(http);
            RecapPeriod period;
            if (!string.IsNullOrWhiteSpace(periode))
            {
                if (!RecapPeriod.TryParseKey(periode, out period))
                {
                    return BadRequest(T("request.badPeriod"));
                }
            }
            else if (RecapPeriod.TryParseDay(from, out var f) && RecapPeriod.TryParseDay(to, out var t))
            {
                if (t < f)
                {
                    return BadRequest(T("request.endBeforeStart"));
                }
                if (t.DayNumber - f.DayNumber + 1 > MaxDays)
                {
                    return BadRequest(T("request.rangeTooLong", MaxDays));
                }
                period = RecapPeriod.Range(f, t);
            }
            else
            {
                return BadRequest(T("request.noPeriod"));
            }
            var fmt = (format ?? RecapFormat.Xlsx).Trim().ToLowerInvariant();
            if (!RecapFormat.All.Contains(fmt))
            {
                return BadRequest(T("request.badFormat"));
            }
            string? agency = null;
            if (!string.IsNullOrWhiteSpace(instansi))
            {
                await using var c = await db.OpenAsync(ct);
                agency = await c.ExecuteScalarAsync<string?>("SELECT code FROM agencies WHERE upper(code) = upper(@code)", new { code = instansi.Trim() });
                if (agency is null)
                {
                    return BadRequest(T("request.unknownAgency"));
                }
            }
            IdentityRequest? identity = null;
            if (identitas is "1" or "true" or "ya")
            {
                if (!http.User.IsOperator())
                {
                    return Results.Content(Page(T("request.forbidden"), $"<h1>{E(T("request.forbidden"))}</h1><p>{E(T("request.identityOperatorsOnly"))}</p>"),
                        Html.ContentType, Encoding.UTF8, StatusCodes.Status403Forbidden);
                }
                if (string.IsNullOrWhiteSpace(alasan) || alasan.Trim().Length < 5)
                {
                    return BadRequest(T("request.identityReason"));
                }
                identity = new IdentityRequest(http.User.Identity?.Name ?? "operator", alasan.Trim());
            }
            var report = await recaps.BuildAsync(period, identity, agency, cancellationToken: ct);
            if (identity is not null)
            {
                await RecordExportAsync(db, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), identity.RequestedBy, report, identity.Reason, ct);
            }
            var bytes = RecapFormat.Render(report, fmt, new ReportContext(options.Value.Institution, []));
            return fmt == RecapFormat.Html
                ? Results.Bytes(bytes, RecapFormat.ContentType(fmt))
                : Results.File(bytes, RecapFormat.ContentType(fmt), RecapFormat.FileName(period, fmt, agency));
        });

        group.MapGet("/{id:long}", async (long id, StoredRecaps stored, HttpContext http, CancellationToken ct) =>
        {
            NoStore(http);
            if (await stored.FindAsync(id, ct) is not { } found)
            {
                return Results.Content(Page(T("request.notFound"), $"<h1>{E(T("request.notFound"))}</h1><p><a href=\"/status/rekap\">{E(T("request.backToList"))}</a></p>"),
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
            await s.Connection.ExecuteAsync(
                $"""
                INSERT INTO personal_data_access (at, staff, via, complaint_id, reporter_id, purpose, detail)
                SELECT @at, @staff, 'export', c.id, c.reporter_id, @reason, @detail FROM complaints c WHERE {s.Dialect.InList("c.tracking_number", "@chunk")} ORDER BY c.id
                """,
                new { at = now.ToUnixTimeMilliseconds(), staff, reason = reason.Length > 500 ? reason[..500] : reason, detail = $"rekap {report.Period.Key}", chunk },
                s.Transaction);
        }
        await s.CommitAsync(ct);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static IResult BadRequest(string message) =>
        Results.Content(Page(T("request.invalid"), $"<h1>{E(T("request.invalid"))}</h1><p>{E(message)}</p><p><a href=\"/status/rekap\">{E(T("request.back"))}</a></p>"),
            Html.ContentType, Encoding.UTF8, StatusCodes.Status400BadRequest);
}
