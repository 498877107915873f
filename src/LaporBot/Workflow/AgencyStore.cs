using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using LaporBot.Data;

namespace LaporBot.Workflow;

internal sealed record AgencyRow
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Keywords { get; init; } = "[]";
    public string Categories { get; init; } = "[]";
    public bool IsInspectorate { get; init; }
    public long? AcceptSeconds { get; init; }
    public long? AnswerSeconds { get; init; }
    public bool Active { get; init; }
    /// <summary>config (seeded at start-up) or status_page (added by staff on the status page).</summary>
    public string Source { get; init; } = "config";

    public IReadOnlyList<string> KeywordList => JsonSerializer.Deserialize<List<string>>(Keywords) ?? [];
    public IReadOnlyList<string> CategoryList => JsonSerializer.Deserialize<List<string>>(Categories) ?? [];
    public TimeSpan? AcceptWithin => AcceptSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
    public TimeSpan? AnswerWithin => AnswerSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
}

internal static class StaffRole
{
    public const string Triage = "triage";

    /// <summary>An agency admin from AdminTelegramIds or an older invite: acts in every role of the agency.</summary>
    public const string Agency = "agency";

    /// <summary>Roles a member of an agency can hold; the workflow file says which step each acts at.</summary>
    public static readonly IReadOnlyList<string> AgencyRoles = [Agency, "admin", "penghubung", "kepala", "pelaksana", "inspektorat"];
}

internal sealed record StaffRow
{
    public long Id { get; init; }
    public string TelegramUserId { get; init; } = "";
    public string Role { get; init; } = "";
    public string? AgencyCode { get; init; }
    public string? DisplayName { get; init; }
}

internal enum InviteResult { Linked, Unknown, Expired, AlreadyUsed }

/// <summary>The agency directory: agencies, the staff who act for them on Telegram, and invite codes.</summary>
internal static class AgencyStore
{
    private const string AgencyColumns = "code, name, keywords, categories, is_inspectorate, accept_seconds, answer_seconds, active, source";

    /// <summary>
    /// Upserts the configured agencies by code and replaces the staff that came from configuration
    /// (staff linked by invite are kept). Agencies no longer configured are deactivated, not deleted,
    /// because complaints refer to them.
    /// </summary>
    public static async Task SeedAsync(DbSession s, IReadOnlyList<AgencyConfig> agencies, TriageOptions triage, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        await s.Connection.ExecuteAsync("UPDATE agencies SET active = 0 WHERE active = 1", transaction: s.Transaction);
        foreach (var a in agencies)
        {
            await s.Connection.ExecuteAsync(
                """
                INSERT INTO agencies (code, name, keywords, categories, is_inspectorate, accept_seconds, answer_seconds, active, updated_at)
                VALUES (@code, @name, @keywords, @categories, @inspectorate, @accept, @answer, 1, @at)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, keywords = excluded.keywords, categories = excluded.categories,
                    is_inspectorate = excluded.is_inspectorate, accept_seconds = excluded.accept_seconds,
                    answer_seconds = excluded.answer_seconds, active = 1, updated_at = excluded.updated_at
                """,
                new
                {
                    code = a.Code.Trim().ToUpperInvariant(), name = a.Name.Trim(),
                    keywords = JsonSerializer.Serialize(a.Keywords), categories = JsonSerializer.Serialize(a.Categories),
                    inspectorate = a.IsInspectorate ? 1 : 0,
                    accept = (long?)null, answer = (long?)null, at,
                },
                s.Transaction);
        }
        await s.Connection.ExecuteAsync("DELETE FROM staff_members WHERE source = 'config'", transaction: s.Transaction);
        foreach (var id in triage.AdminTelegramIds.Distinct())
        {
            await AddStaffAsync(s, id.ToString(), StaffRole.Triage, null, null, "config", now);
        }
        foreach (var a in agencies)
        {
            foreach (var id in a.AdminTelegramIds.Distinct())
            {
                await AddStaffAsync(s, id.ToString(), StaffRole.Agency, a.Code.Trim().ToUpperInvariant(), null, "config", now);
            }
            foreach (var m in a.Members.DistinctBy(m => (m.TelegramId, m.Role)))
            {
                await AddStaffAsync(s, m.TelegramId.ToString(), m.Role.Trim().ToLowerInvariant(), a.Code.Trim().ToUpperInvariant(), null, "config", now);
            }
        }
    }

    public static Task AddStaffAsync(DbSession s, string userId, string role, string? agency, string? name, string source, DateTimeOffset now,
        string channel = "telegram") =>
        s.Connection.ExecuteAsync(
            """
            INSERT INTO staff_members (telegram_user_id, role, agency_code, display_name, source, created_at, channel)
            VALUES (@userId, @role, @agency, @name, @source, @at, @channel)
            ON CONFLICT DO NOTHING
            """,
            new { userId, role, agency, name, source, at = now.ToUnixTimeMilliseconds(), channel },
            s.Transaction);

    public static async Task<IReadOnlyList<AgencyRow>> ActiveAsync(DbConnection c, DbTransaction? tx = null) =>
        (await c.QueryAsync<AgencyRow>($"SELECT {AgencyColumns} FROM agencies WHERE active = 1 ORDER BY code", transaction: tx)).AsList();

    public static Task<AgencyRow?> FindAsync(DbConnection c, string code, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<AgencyRow>($"SELECT {AgencyColumns} FROM agencies WHERE code = @code", new { code = code.ToUpperInvariant() }, tx);

    /// <summary>The roles a person holds, by their address on a staff channel (Telegram user id by default).</summary>
    public static async Task<IReadOnlyList<StaffRow>> StaffAsync(DbConnection c, string telegramUserId, DbTransaction? tx = null, string channel = "telegram") =>
        (await c.QueryAsync<StaffRow>(
            "SELECT id, telegram_user_id, role, agency_code, display_name FROM staff_members WHERE telegram_user_id = @telegramUserId AND channel = @channel",
            new { telegramUserId, channel }, tx)).AsList();

    public static async Task<IReadOnlyList<string>> AgencyAdminsAsync(DbConnection c, string agencyCode, DbTransaction? tx = null) =>
        (await c.QueryAsync<string>(
            "SELECT DISTINCT telegram_user_id FROM staff_members WHERE role <> 'triage' AND agency_code = @agencyCode ORDER BY telegram_user_id",
            new { agencyCode }, tx)).AsList();

    /// <summary>Everyone acting for the agency, whatever their role, where they are reached.</summary>
    public static async Task<IReadOnlyList<StaffAddress>> AgencyMembersAsync(DbConnection c, string agencyCode, DbTransaction? tx = null) =>
        (await c.QueryAsync<StaffAddress>(
            "SELECT DISTINCT channel, telegram_user_id AS address FROM staff_members WHERE role <> 'triage' AND agency_code = @agencyCode ORDER BY channel, telegram_user_id",
            new { agencyCode }, tx)).AsList();

    public static async Task<IReadOnlyList<string>> TriageAdminsAsync(DbConnection c, DbTransaction? tx = null) =>
        (await c.QueryAsync<string>(
            "SELECT DISTINCT telegram_user_id FROM staff_members WHERE role = 'triage' ORDER BY telegram_user_id", transaction: tx)).AsList();

    /// <summary>A one-time code an admin sends as /start CODE; letters and digits that cannot be confused on a phone.</summary>
    public static async Task<string> CreateInviteAsync(IDatabase db, string role, string? agencyCode, string createdBy, TimeSpan validFor, DateTimeOffset now)
    {
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        var code = string.Concat(Enumerable.Range(0, 8).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]));
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO invite_codes (code, role, agency_code, created_by, created_at, expires_at) VALUES (@code, @role, @agencyCode, @createdBy, @now, @expires)",
            new { code, role, agencyCode, createdBy, now = now.ToUnixTimeMilliseconds(), expires = (now + validFor).ToUnixTimeMilliseconds() });
        return code;
    }

    public static async Task<(InviteResult Result, string? Role, string? AgencyCode)> RedeemInviteAsync(
        DbSession s, string code, string telegramUserId, string? displayName, DateTimeOffset now, string channel = "telegram")
    {
        var invite = await s.Connection.QuerySingleOrDefaultAsync<(string Role, string? AgencyCode, long ExpiresAt, string? UsedBy)>(
            "SELECT role, agency_code, expires_at, used_by FROM invite_codes WHERE code = @code", new { code = code.Trim().ToUpperInvariant() }, s.Transaction);
        if (invite.Role is null)
        {
            return (InviteResult.Unknown, null, null);
        }
        if (invite.UsedBy is not null)
        {
            return (InviteResult.AlreadyUsed, invite.Role, invite.AgencyCode);
        }
        if (invite.ExpiresAt <= now.ToUnixTimeMilliseconds())
        {
            return (InviteResult.Expired, invite.Role, invite.AgencyCode);
        }
        await s.Connection.ExecuteAsync("UPDATE invite_codes SET used_by = @telegramUserId, used_at = @now WHERE code = @code",
            new { telegramUserId, now = now.ToUnixTimeMilliseconds(), code = code.Trim().ToUpperInvariant() }, s.Transaction);
        await AddStaffAsync(s, telegramUserId, invite.Role, invite.AgencyCode, displayName, "invite", now, channel);
        return (InviteResult.Linked, invite.Role, invite.AgencyCode);
    }
}

internal static partial class AgencyStoreDirectory
{
    /// <summary>Every active agency with the roles its members hold (Telegram members and status page accounts alike).</summary>
    public static async Task<IReadOnlyList<DirectoryEntry>> EntriesAsync(DbConnection c, DbTransaction? tx = null)
    {
        var agencies = await AgencyStore.ActiveAsync(c, tx);
        var roles = (await c.QueryAsync<(string AgencyCode, string Role)>(
            "SELECT DISTINCT agency_code, role FROM staff_members WHERE agency_code IS NOT NULL", transaction: tx)).AsList();
        return agencies.Select(a => new DirectoryEntry(a.Code, a.IsInspectorate,
            roles.Where(r => string.Equals(r.AgencyCode, a.Code, StringComparison.OrdinalIgnoreCase)).Select(r => r.Role).ToHashSet())).ToList();
    }
}
