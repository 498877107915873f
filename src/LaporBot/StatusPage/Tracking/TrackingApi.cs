using System.Text;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using Microsoft.AspNetCore.RateLimiting;
using static LaporBot.StatusPage.Html;

namespace LaporBot.StatusPage.Tracking;

internal sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>Look-ups one client address may make per minute; tracking numbers are sequential, so keep it low.</summary>
    public int PermitsPerMinute { get; set; } = 20;
}

/// <summary>
/// Public, login-free tracking at /lacak/{nomor}. It shows the status, the dates, the agency and the
/// agency's answer. It never shows the reporter's name, address, number or chat id, nor the
/// complaint text (of any case: citizens put names and addresses in it, and numbers are
/// guessable); a confidential case's answer is not shown either. Answers are shown with the
/// reporter's name, address and number blanked out in case staff quoted them.
/// </summary>
internal static partial class TrackingApi
{
    public const string RateLimitPolicy = "tracking";

    [GeneratedRegex(@"^[A-Z]{2,10}-\d{4}-\d{5}$")]
    private static partial Regex NumberPattern();

    public static WebApplicationBuilder AddTracking(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TrackingOptions.Section).Get<TrackingOptions>() ?? new TrackingOptions();
        // Loaded now so that a broken texts file stops start-up with its file:line.
        Texts = Staff.StaffTextCatalog.LoadFile(ResolvePath(builder.Environment.ContentRootPath), Keys);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.PermitsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                }));
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                ctx.HttpContext.Response.ContentType = Html.ContentType;
                await ctx.HttpContext.Response.WriteAsync(Page(L("too_many_title"),
                    $"<h1>{E(L("too_many_title"))}</h1><p>{E(L("too_many_text"))}</p>"), ct);
            };
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/lacak").RequireRateLimiting(RateLimitPolicy);
        group.MapGet("/", async (string? nomor, IDatabase db, LocalZone zone, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(nomor)
                ? Results.Content(Page(L("title"), SearchForm("")), Html.ContentType)
                : await ShowAsync(nomor, db, zone, ct));
        group.MapGet("/{nomor}", (string nomor, IDatabase db, LocalZone zone, CancellationToken ct) => ShowAsync(nomor, db, zone, ct));
        return app;
    }

    private static async Task<IResult> ShowAsync(string nomor, IDatabase db, LocalZone zone, CancellationToken ct)
    {
        var number = nomor.Trim().ToUpperInvariant();
        ComplaintRow? c = null;
        string? agencyName = null, chatAddress = null;
        if (NumberPattern().IsMatch(number))
        {
            await using var conn = await db.OpenAsync(ct);
            c = await ComplaintStore.FindByNumberAsync(conn, number);
            if (c is not null)
            {
                agencyName = c.AgencyCode is null ? null
                    : await conn.ExecuteScalarAsync<string?>("SELECT name FROM agencies WHERE code = @code", new { code = c.AgencyCode });
                chatAddress = await conn.ExecuteScalarAsync<string?>("SELECT address FROM reporters WHERE id = @id", new { id = c.ReporterId });
            }
        }
        if (c is null)
        {
            return Results.Content(Page(L("not_found_title"),
                    $"<h1>{E(L("not_found_title"))}</h1><p>{E(L("not_found", ("number", number)))}</p>"
                    + SearchForm(number)),
                Html.ContentType, Encoding.UTF8, StatusCodes.Status404NotFound);
        }

        var b = new StringBuilder();
        b.Append("<h1>").Append(E(L("heading_case", ("number", c.TrackingNumber)))).Append("</h1>");
        b.Append("<table><tbody>")
            .Append(Row(L("row.status"), StatusVocabulary.Name(c.Status)))
            .Append(Row(L("row.agency"), agencyName ?? L("no_agency")))
            .Append(Row(L("row.received"), zone.Format(c.CreatedAt)))
            .Append(Row(L("row.assigned"), zone.Format(c.AssignedAt)))
            .Append(Row(L("row.answered"), zone.Format(c.AnsweredAt)))
            .Append(Row(L("row.closed"), zone.Format(c.ClosedAt)))
            .Append("</tbody></table>");
        if (c.Answer is not null)
        {
            b.Append("<h2>").Append(E(L("answer_heading"))).Append("</h2>");
            b.Append(c.Confidential
                ? $"<p class=\"muted\">{E(L("answer_confidential"))}</p>"
                : $"<p style=\"white-space:pre-wrap\">{E(Redact(c.Answer, c.Name, c.Address, chatAddress))}</p>");
        }
        b.Append("<p class=\"muted\">").Append(E(L("privacy_note"))).Append("</p>");
        b.Append(SearchForm(""));
        return Results.Content(Page(L("title_case", ("number", c.TrackingNumber)), b.ToString()), Html.ContentType);
    }

    private static string Row(string label, string value) => $"<tr><th>{E(label)}</th><td>{E(value)}</td></tr>";

    

    private static string SearchForm(string value) =>
        $"<h2>{E(L("search_heading"))}</h2><form method=\"get\" action=\"/lacak\"><label>{E(L("search_label"))} <input name=\"nomor\" required maxlength=\"30\" " +
        $"placeholder=\"LPR-2507-00012\" value=\"{E(value)}\"></label> <button type=\"submit\">{E(L("search_button"))}</button></form>";

    /// <summary>The page's texts, dialogs/web/lacak.yaml (public, so with the citizens' texts).</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "title", "title_case", "heading_case", "not_found_title", "not_found", "row.status", "row.agency", "row.received", "row.assigned",
        "row.answered", "row.closed", "no_agency", "answer_heading", "answer_confidential", "privacy_note", "search_heading", "search_label",
        "search_button", "too_many_title", "too_many_text",
    ];

    public const string RelativePath = "dialogs/web/lacak.yaml";

    private static Staff.StaffTextCatalog? _texts;

    public static Staff.StaffTextCatalog Texts
    {
        get => _texts ??= Staff.StaffTextCatalog.LoadFile(ResolvePath(AppContext.BaseDirectory), Keys);
        set => _texts = value;
    }

    public static string ResolvePath(string contentRoot) => WebTexts.Resolve(RelativePath, contentRoot);

    private static string L(string key, params (string, object?)[] args) => Texts.Render(key, args);

    /// <summary>Blanks the reporter's name (and each longer part of it), address and phone number out of an answer.</summary>
    internal static string Redact(string answer, string name, string address, string? chatAddress)
    {
        var secrets = new List<string> { name.Trim(), address.Trim() };
        secrets.AddRange(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 3));
        var digits = new string((chatAddress ?? "").Where(char.IsDigit).ToArray());
        if (digits.Length >= 6)
        {
            secrets.Add(digits);
            if (digits.StartsWith("62", StringComparison.Ordinal))
            {
                secrets.Add("0" + digits[2..]);
            }
        }
        var result = answer;
        foreach (var s in secrets.Where(s => s.Length >= 3).Distinct().OrderByDescending(s => s.Length))
        {
            result = Regex.Replace(result, Regex.Escape(s), "***", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
        return result;
    }
}
