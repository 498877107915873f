using System.Security.Cryptography;
using System.Text;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace LaporBot.StatusPage.Api;

internal sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Keys accepted in X-Api-Key. Empty: the API answers 401 to everyone.</summary>
    public List<string> Keys { get; set; } = [];
}

internal sealed record CaseDto(
    string Number, DateTimeOffset ReceivedAt, string Channel, string? AgencyCode, string AgencyName, string Status, string StatusLabel,
    string Reporter, string Summary, bool Confidential, DateTimeOffset? AssignedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? ClosedAt,
    DateTimeOffset? TotalDueAt, bool? AnsweredOnTime, double? MinutesToAssign, double? MinutesToAnswer, int? Rating);

internal sealed record CaseDetailDto(CaseDto Case, string? Answer);

internal sealed record CasePage(int Page, int PageSize, int Total, IReadOnlyList<CaseDto> Items);

internal sealed record StatsDto(
    DateOnly From, DateOnly To, string Label, int Total, int Answered, int AnsweredOnTime, double? OnTimeShare, double? AverageRating,
    IReadOnlyList<RecapAgencyStats> Agencies, IReadOnlyList<RecapStatusCount> Statuses);

internal sealed record ApiError(string Error);

/// <summary>
/// A small read-only JSON API for staff tools: cases and statistics, behind an API key
/// (X-Api-Key, keys from Api:Keys), described at /openapi/v1.json. Reporter identity is masked here
/// as in the recaps; addresses and chat ids are never included, and phone numbers written into the
/// text or the answer are masked.
/// </summary>
internal static class CasesApi
{
    public const int PageSize = 50;
    public const string KeyHeader = "X-Api-Key";

    public static WebApplicationBuilder AddCasesApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section));
        builder.Services.AddOpenApi(o =>
        {
            // Only the staff API is documented; webhooks and pages are not for tools.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "LaporBot staff API";
                doc.Info.Description = "Read-only cases and statistics for staff tools. Send the key in the X-Api-Key header.";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = KeyHeader,
                };
                doc.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", doc)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        var api = app.MapGroup("/api/v1").AddEndpointFilter(RequireApiKey).WithTags("Staff API");

        api.MapGet("/cases", ListAsync).WithName("ListCases")
            .WithSummary("Cases received in a range (local WIB days), newest first, 50 per page.");
        api.MapGet("/cases/{nomor}", FindAsync).WithName("GetCase").WithSummary("One case by its tracking number.");
        api.MapGet("/stats", StatsAsync).WithName("GetStats")
            .WithSummary("Recap statistics for a range (default: this month): per agency, per status, on-time share.");
        return app;
    }

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        var keys = ctx.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<ApiOptions>>().CurrentValue.Keys;
        var given = ctx.HttpContext.Request.Headers[KeyHeader].ToString();
        if (!IsValidKey(given, keys))
        {
            ctx.HttpContext.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{KeyHeader}\"";
            return TypedResults.Json(new ApiError("A valid X-Api-Key header is required."), statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(ctx);
    }

    /// <summary>Compares hashes in constant time against every key, so timing says nothing about how much of a key matched or which.</summary>
    internal static bool IsValidKey(string given, IEnumerable<string> keys)
    {
        if (string.IsNullOrEmpty(given))
        {
            return false;
        }
        var g = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var ok = false;
        foreach (var k in keys.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            ok |= CryptographicOperations.FixedTimeEquals(g, SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim())));
        }
        return ok;
    }

    private static async Task<Results<Ok<CasePage>, BadRequest<ApiError>>> ListAsync(
        string? from, string? to, string? status, string? agency, int? page, IDatabase db, RecapService recaps, CancellationToken ct)
    {
        if (!TryRange(from, to, recaps, out var start, out var end, out var error))
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var p = Math.Max(1, page ?? 1);
        var args = new
        {
            start, end, status = string.IsNullOrWhiteSpace(status) ? null : status.Trim().ToLowerInvariant(),
            agency = string.IsNullOrWhiteSpace(agency) ? null : agency.Trim().ToUpperInvariant(), size = PageSize, offset = (p - 1) * PageSize,
        };
        const string where = "WHERE (@start IS NULL OR created_at >= @start) AND (@end IS NULL OR created_at < @end) " +
                             "AND (@status IS NULL OR status = @status) AND (@agency IS NULL OR agency_code = @agency)";
        await using var c = await db.OpenAsync(ct);
        var total = await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM complaints {where}", args);
        var rows = await c.QueryAsync<ComplaintRow>(
            $"SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View} {where} ORDER BY created_at DESC, id DESC LIMIT @size OFFSET @offset", args);
        var agencies = await RecapService.AgencyNamesAsync(c);
        return TypedResults.Ok(new CasePage(p, PageSize, total, rows.Select(r => ToDto(r, agencies, recaps)).ToList()));
    }

    private static async Task<Results<Ok<CaseDetailDto>, NotFound<ApiError>>> FindAsync(string nomor, IDatabase db, RecapService recaps, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await ComplaintStore.FindByNumberAsync(c, nomor);
        if (row is null)
        {
            return TypedResults.NotFound(new ApiError($"No case {nomor.Trim().ToUpperInvariant()}."));
        }
        return TypedResults.Ok(new CaseDetailDto(ToDto(row, await RecapService.AgencyNamesAsync(c), recaps),
            row.Answer is null ? null : LaporBot.Channels.Redact.Phones(row.Answer)));
    }

    private static async Task<Results<Ok<StatsDto>, BadRequest<ApiError>>> StatsAsync(string? from, string? to, RecapService recaps, CancellationToken ct)
    {
        RecapPeriod period;
        if (from is null && to is null)
        {
            var today = recaps.LocalToday();
            period = RecapPeriod.Month(today.Year, today.Month);
        }
        else if (RecapPeriod.TryParseDay(from, out var f) && RecapPeriod.TryParseDay(to, out var t) && t >= f)
        {
            period = RecapPeriod.Range(f, t);
        }
        else
        {
            return TypedResults.BadRequest(new ApiError($"from and to are local dates yyyy-MM-dd between {RecapPeriod.MinYear}-01-01 and {RecapPeriod.MaxYear}-12-31, to not before from."));
        }
        var r = await recaps.BuildAsync(period, identity: null, cancellationToken: ct);
        return TypedResults.Ok(new StatsDto(period.From, period.To, period.Label, r.Total, r.Answered, r.AnsweredOnTime, r.OnTimeShare,
            r.AverageRating, r.Agencies, r.Statuses));
    }

    private static bool TryRange(string? from, string? to, RecapService recaps, out long? start, out long? end, out string error)
    {
        start = end = null;
        error = "";
        if (from is not null)
        {
            if (!RecapPeriod.TryParseDay(from, out var f))
            {
                error = $"from is a local date yyyy-MM-dd between {RecapPeriod.MinYear}-01-01 and {RecapPeriod.MaxYear}-12-31.";
                return false;
            }
            start = RecapPeriod.Range(f, f).Instants(recaps.Zone).Start.ToUnixTimeMilliseconds();
        }
        if (to is not null)
        {
            if (!RecapPeriod.TryParseDay(to, out var t))
            {
                error = $"to is a local date yyyy-MM-dd (inclusive) between {RecapPeriod.MinYear}-01-01 and {RecapPeriod.MaxYear}-12-31.";
                return false;
            }
            end = RecapPeriod.Range(t, t).Instants(recaps.Zone).End.ToUnixTimeMilliseconds();
        }
        return true;
    }

    private static CaseDto ToDto(ComplaintRow r, IReadOnlyDictionary<string, string> agencies, RecapService recaps)
    {
        var x = recaps.ToCase(r, agencies, includeIdentity: false);
        DateTimeOffset? At(long? ms) => ms is { } v ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(v), recaps.Zone) : null;
        return new CaseDto(x.Number, At(r.CreatedAt)!.Value, r.Channel, x.AgencyCode, x.AgencyName, x.Status, x.StatusLabel, x.Reporter, x.Summary,
            x.Confidential, At(r.AssignedAt), At(r.AnsweredAt), At(r.ClosedAt), At(r.TotalDueAt), x.AnsweredOnTime, x.MinutesToAssign,
            x.MinutesToAnswer, x.Rating);
    }
}
