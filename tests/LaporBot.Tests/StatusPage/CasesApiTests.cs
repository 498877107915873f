using LaporBot.Tests.Reports;
using System.Net;
using System.Text.Json;
using LaporBot.StatusPage.Api;
using LaporBot.Reports;

namespace LaporBot.Tests.StatusPage;

/// <summary>The read-only staff API: API key, contents against the database, OpenAPI document.</summary>
public abstract class CasesApiTests(RecapKit kit)
{
    public sealed class OnSqlite(RecapKit kit) : CasesApiTests(kit), IClassFixture<RecapKit>;

    public sealed class OnPostgres(PostgresRecapKit kit) : CasesApiTests(kit), IClassFixture<PostgresRecapKit>;

    private async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(string url, string? key = RecapKit.ApiKey)
    {
        var r = await kit.Http.SendAsync(kit.Get(url, role: null, apiKey: key));
        var body = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    [SkippableTheory]
    [InlineData("/api/v1/cases", null)]
    [InlineData("/api/v1/cases", "wrong-key")]
    [InlineData("/api/v1/cases", RecapKit.ApiKey + "x")]
    [InlineData("/api/v1/stats", "")]
    [InlineData("/api/v1/cases/LPR-2507-00001", "kunci-uji-7f3a9")]
    public async Task Requests_without_a_valid_key_are_401(string url, string? key)
    {
        kit.SkipIfUnavailable();
        var r = await kit.Http.SendAsync(kit.Get(url, role: "operator", apiKey: key));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("X-Api-Key", r.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(kit.A, await r.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public void Key_comparison_accepts_only_an_exact_configured_key()
    {
        Assert.True(CasesApi.IsValidKey("abc-123", ["x", "abc-123"]));
        Assert.False(CasesApi.IsValidKey("abc-12", ["abc-123"]));
        Assert.False(CasesApi.IsValidKey("", [""]));
        Assert.False(CasesApi.IsValidKey("anything", []));
    }

    [SkippableFact]
    public async Task The_case_list_matches_the_database_and_masks_the_reporter()
    {
        kit.SkipIfUnavailable();
        var (status, json) = await GetAsync("/api/v1/cases?from=2025-07-01&to=2025-07-31");
        Assert.Equal(HttpStatusCode.OK, status);
        var db = await DbCase.AllAsync(kit.App.DatabasePath);
        Assert.Equal(db.Count, json.GetProperty("total").GetInt32());
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(db.Select(c => c.TrackingNumber).Reverse(), items.Select(i => i.GetProperty("number").GetString()));
        foreach (var item in items)
        {
            var c = db.Single(x => x.TrackingNumber == item.GetProperty("number").GetString());
            Assert.Equal(c.Status, item.GetProperty("status").GetString());
            Assert.Equal(c.AgencyCode, item.GetProperty("agencyCode").GetString());
            Assert.Equal(c.Rating, item.GetProperty("rating").ValueKind == JsonValueKind.Null ? null : item.GetProperty("rating").GetInt64());
            Assert.Equal(c.OnTime, item.GetProperty("answeredOnTime").ValueKind == JsonValueKind.Null ? null : item.GetProperty("answeredOnTime").GetBoolean());
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt), item.GetProperty("receivedAt").GetDateTimeOffset());
            Assert.EndsWith("+07:00", item.GetProperty("receivedAt").GetString());
            Assert.NotEqual(c.Name, item.GetProperty("reporter").GetString());
        }
        var raw = json.GetRawText();
        foreach (var (citizen, name, address, _) in RecapKit.Reporters)
        {
            Assert.DoesNotContain(citizen, raw);
            Assert.DoesNotContain(name, raw);
            Assert.DoesNotContain(address, raw);
        }

        var (_, dpupr) = await GetAsync("/api/v1/cases?agency=dpupr");
        Assert.Equal(2, dpupr.GetProperty("total").GetInt32());
        var (_, answered) = await GetAsync("/api/v1/cases?status=answered&agency=DPUPR");
        Assert.Equal([kit.B, kit.A], answered.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!).ToArray());
        var (_, june) = await GetAsync("/api/v1/cases?from=2025-06-01&to=2025-06-30");
        Assert.Equal(0, june.GetProperty("total").GetInt32());
        var (page2, p2) = await GetAsync("/api/v1/cases?page=2");
        Assert.Equal(HttpStatusCode.OK, page2);
        Assert.Empty(p2.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/v1/cases?from=kemarin")).Status);
    }

    [SkippableFact]
    public async Task One_case_by_number_with_the_answer_and_a_confidential_reporter_hidden()
    {
        kit.SkipIfUnavailable();
        var (status, a) = await GetAsync($"/api/v1/cases/{kit.A}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(kit.A, a.GetProperty("case").GetProperty("number").GetString());
        Assert.Equal("B*** S******", a.GetProperty("case").GetProperty("reporter").GetString());
        Assert.StartsWith(RecapKit.AnswerA, a.GetProperty("answer").GetString());
        Assert.Equal(5, a.GetProperty("case").GetProperty("rating").GetInt32());
        Assert.Equal(60.0, a.GetProperty("case").GetProperty("minutesToAnswer").GetDouble());

        var (_, c) = await GetAsync($"/api/v1/cases/{kit.C}");
        Assert.Equal(RecapService.Confidential, c.GetProperty("case").GetProperty("reporter").GetString());
        Assert.True(c.GetProperty("case").GetProperty("confidential").GetBoolean());

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/v1/cases/LPR-2507-99999")).Status);
    }

    [SkippableFact]
    public async Task Stats_match_the_database()
    {
        kit.SkipIfUnavailable();
        var (status, s) = await GetAsync("/api/v1/stats?from=2025-07-01&to=2025-07-31");
        Assert.Equal(HttpStatusCode.OK, status);
        var db = await DbCase.AllAsync(kit.App.DatabasePath);
        Assert.Equal("Juli 2025", s.GetProperty("label").GetString());
        Assert.Equal(db.Count, s.GetProperty("total").GetInt32());
        Assert.Equal(db.Count(c => c.AnsweredAt is not null), s.GetProperty("answered").GetInt32());
        Assert.Equal(db.Count(c => c.OnTime == true), s.GetProperty("answeredOnTime").GetInt32());
        Assert.Equal(0.5, s.GetProperty("onTimeShare").GetDouble());
        Assert.Equal(3.5, s.GetProperty("averageRating").GetDouble());
        var agencies = s.GetProperty("agencies").EnumerateArray().ToDictionary(a => a.GetProperty("code").GetString() ?? "-");
        Assert.Equal(2, agencies["DPUPR"].GetProperty("received").GetInt32());
        Assert.Equal(1, agencies["DLH"].GetProperty("received").GetInt32());
        Assert.Equal(JsonValueKind.Null, agencies["DLH"].GetProperty("onTimeShare").ValueKind);
        Assert.Equal(1, agencies["-"].GetProperty("received").GetInt32());
        var statuses = s.GetProperty("statuses").EnumerateArray().ToDictionary(x => x.GetProperty("status").GetString()!, x => x.GetProperty("count").GetInt32());
        foreach (var g in db.GroupBy(c => c.Status))
        {
            Assert.Equal(g.Count(), statuses[g.Key]);
        }
    }

    [SkippableFact]
    public async Task The_OpenAPI_document_lists_the_api_paths_and_the_key_header()
    {
        kit.SkipIfUnavailable();
        var r = await kit.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/cases", paths);
        Assert.Contains("/api/v1/cases/{nomor}", paths);
        Assert.Contains("/api/v1/stats", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/webhooks", StringComparison.Ordinal) || p.StartsWith("/status", StringComparison.Ordinal));
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
    }
}
