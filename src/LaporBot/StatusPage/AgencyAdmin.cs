using System.Data.Common;
using System.Text.Json;
using Dapper;
using LaporBot.Data;
using LaporBot.Routing;
using LaporBot.Workflow;

namespace LaporBot.StatusPage;

/// <summary>
/// Agencies as the status page edits them. The routing core's AgencyStore owns seeding from
/// configuration; this adds and edits rows in the same table and keeps page-added agencies active
/// across restarts (seeding deactivates whatever is not configured).
/// </summary>
internal static class AgencyAdmin
{
    public static async Task<IReadOnlyList<AgencyRow>> ListAsync(DbConnection c) =>
        (await c.QueryAsync<AgencyRow>(
            """
            SELECT code, name, keywords, categories, is_inspectorate, accept_seconds, answer_seconds, active, source
            FROM agencies ORDER BY active DESC, code
            """)).AsList();

    /// <summary>How many members each agency has on Telegram, in any role (by configuration or invite).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> AdminCountsAsync(DbConnection c) =>
        (await c.QueryAsync<(string Code, long Admins)>(
            "SELECT agency_code, COUNT(*) FROM staff_members WHERE channel = 'telegram' AND role <> 'triage' AND agency_code IS NOT NULL GROUP BY agency_code"))
        .ToDictionary(r => r.Code, r => r.Admins);

    /// <summary>Adds an agency; false when the code exists already.</summary>
    public static async Task<bool> AddAsync(IDatabase db, AgencyInput a, DateTimeOffset now)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            """
            INSERT INTO agencies (code, name, keywords, categories, is_inspectorate, accept_seconds, answer_seconds, active, updated_at, source)
            VALUES (@code, @name, @keywords, @categories, 0, @accept, @answer, 1, @now, 'status_page')
            ON CONFLICT DO NOTHING
            """,
            Args(a, now)) == 1;
    }

    public static async Task<bool> UpdateAsync(IDatabase db, AgencyInput a, DateTimeOffset now)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            """
            UPDATE agencies SET name = @name, keywords = @keywords, categories = @categories, accept_seconds = @accept,
                answer_seconds = @answer, updated_at = @now
            WHERE code = @code
            """,
            Args(a, now)) == 1;
    }

    /// <summary>Run right after configuration seeding: agencies an operator added stay in service.</summary>
    public static Task ReactivatePageAgenciesAsync(DbConnection c, DbTransaction? tx = null) =>
        c.ExecuteAsync("UPDATE agencies SET active = 1 WHERE source = 'status_page' AND active = 0", transaction: tx);

    private static object Args(AgencyInput a, DateTimeOffset now) => new
    {
        code = a.Code.Trim().ToUpperInvariant(),
        name = a.Name.Trim(),
        keywords = JsonSerializer.Serialize(SplitList(a.Keywords)),
        categories = JsonSerializer.Serialize(SplitList(a.Categories)),
        accept = a.AcceptMinutes is { } m ? (long?)(m * 60) : null,
        answer = a.AnswerMinutes is { } n ? (long?)(n * 60) : null,
        now = now.ToUnixTimeMilliseconds(),
    };

    /// <summary>Comma- or line-separated words, trimmed, without duplicates (routing normalises case and accents itself).</summary>
    public static List<string> SplitList(string? text) =>
        (text ?? "").Split([',', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}

/// <summary>The agency form (add and edit).</summary>
public sealed class AgencyInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Keywords { get; set; }
    public string? Categories { get; set; }
    public int? AcceptMinutes { get; set; }
    public int? AnswerMinutes { get; set; }

    /// <summary>Indonesian messages for the form, empty when valid.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(Code?.Trim() ?? "", "^[A-Za-z0-9_-]{2,20}$"))
        {
            errors.Add(WebTexts.T("agency.invalid_code"));
        }
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 200)
        {
            errors.Add(WebTexts.T("agency.invalid_name"));
        }
        if (AcceptMinutes is <= 0 or > 525_600 || AnswerMinutes is <= 0 or > 525_600)
        {
            errors.Add(WebTexts.T("agency.invalid_standard"));
        }
        return errors;
    }
}
