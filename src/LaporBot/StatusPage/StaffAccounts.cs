using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using LaporBot.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LaporBot.StatusPage;

internal sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>Account created at start-up when there is none yet (role operator).</summary>
    public string BootstrapUser { get; set; } = "admin";

    /// <summary>Its password; required outside Development when no account exists. Development default: admin-dev-only.</summary>
    public string BootstrapPassword { get; set; } = "";

    /// <summary>Failed logins in a row that lock an account.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account refuses every login, even with the right password.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts one client address may make per minute (on top of the lockout).</summary>
    public int LoginAttemptsPerMinutePerClient { get; set; } = 20;

    /// <summary>Sign-in attempts per user name per minute, from anywhere.</summary>
    public int LoginAttemptsPerMinutePerUser { get; set; } = 10;

    /// <summary>Password checks computed at once; they are slow on purpose and must not take every core.</summary>
    public int ConcurrentPasswordChecks { get; set; } = 1;

    /// <summary>Password checks that may wait for a slot; beyond that a login is answered "too many attempts" at once.</summary>
    public int QueuedPasswordChecks { get; set; } = 8;

    /// <summary>An idle session ends after this long (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    public const string DevelopmentPassword = "admin-dev-only";
}

/// <summary>
/// The roles a status-page account can have. Every role may look; operators act on cases; the three
/// sign-off roles of the reporting SOP initial or sign stored reports. New roles are added here (with
/// their label) and, where they grant something, next to the policy that checks them.
/// </summary>
internal static class StaffRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string SectionHead = "kepala_seksi";
    public const string DivisionHead = "kepala_bidang";
    public const string PersonInCharge = "penanggung_jawab";

    /// <summary>Diskominfo's roles (named in workflows/texts/web.yaml, role.*).</summary>
    public static readonly IReadOnlyList<string> DiskominfoRoles = [Viewer, Operator, SectionHead, DivisionHead, PersonInCharge];

    /// <summary>
    /// The workflow roles an agency member can hold on the web (as in workflows/*.yaml): such an account
    /// belongs to one agency, sees its cases and acts at the steps of its role, like a Telegram member.
    /// </summary>
    public static readonly IReadOnlyList<string> AgencyRoles = ["admin", "penghubung", "kepala", "pelaksana", "inspektorat"];

    public static IReadOnlyCollection<string> All => [.. DiskominfoRoles, .. AgencyRoles];

    /// <summary>Diskominfo's roles, which see every agency's cases and the reports (agency members see their agency's cases only).</summary>
    public static IReadOnlyCollection<string> Diskominfo => (IReadOnlyCollection<string>)DiskominfoRoles;

    public static bool IsValid(string? role) => role is not null && (DiskominfoRoles.Contains(role) || IsAgencyRole(role));

    public static bool IsAgencyRole(string? role) => role is not null && AgencyRoles.Contains(role);

    /// <summary>
    /// What staff read for a role: a workflow role by the name its workflow file gives it (the agency's
    /// file where known, so the invite, the desk and the notifications say the same), else the status
    /// page's name for it (workflows/texts/web.yaml, role.*).
    /// </summary>
    public static string Label(string role, Workflow.WorkflowDefinition? workflow = null) =>
        workflow is not null && workflow.Roles.TryGetValue(role, out var named) ? named
        : WebTexts.Catalog.Has("role." + role) ? WebTexts.T("role." + role) : WebTexts.T("role.unknown");

    /// <summary>The role of a logged-in account as it reads: an agency member's by its agency's workflow file.</summary>
    public static string LabelOf(System.Security.Claims.ClaimsPrincipal user, IServiceProvider services)
    {
        var role = user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "";
        var agency = user.FindFirst(StatusPageRegistration.AgencyClaim)?.Value;
        return Label(role, agency is null ? null : services.GetRequiredService<Workflow.WorkflowCatalog>().For(agency));
    }

    /// <summary>The sign-off level a role checks or signs at, if any.</summary>
    public static string? SignOffLevel(string role) => role switch
    {
        SectionHead => Reports.SignOffLevels.SectionHead,
        DivisionHead => Reports.SignOffLevels.DivisionHead,
        PersonInCharge => Reports.SignOffLevels.PersonInCharge,
        _ => null,
    };
}

internal sealed record StaffAccount
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Role { get; init; } = "";
    public int FailedAttempts { get; init; }
    public long? LockedUntil { get; init; }
    public long CreatedAt { get; init; }
    public long? LastLoginAt { get; init; }
    /// <summary>For an agency member (a workflow role): the agency it acts for.</summary>
    public string? AgencyCode { get; init; }
    /// <summary>The name the timeline shows; the username when empty.</summary>
    public string? DisplayName { get; init; }

    public string ShownName => string.IsNullOrWhiteSpace(DisplayName) ? Username : DisplayName;
}

internal enum LoginResult { Success, WrongCredentials, Locked, TooMany }

/// <summary>Staff accounts of the status page: creation, password check with lockout.</summary>
internal sealed partial class StaffAccounts(IDatabase db, TimeProvider clock, IOptions<StaffOptions> options, IPasswordHasher<StaffAccount> hasher, LoginThrottle throttle)
{
    private const string Columns = "id, username, password_hash, role, failed_attempts, locked_until, created_at, last_login_at, agency_code, display_name";
    private static readonly PasswordHasher<StaffAccount> Hasher = new();

    // A hash of a throwaway password, verified when the username is unknown so that a wrong name
    // takes as long as a wrong password and does not reveal which accounts exist.
    private static readonly string DummyHash = Hasher.HashPassword(new StaffAccount(), Guid.NewGuid().ToString());

    public const int MinPasswordLength = 8;

    [GeneratedRegex("^[A-Za-z0-9._-]{2,40}$")]
    private static partial Regex UsernamePattern();

    /// <summary>Why a new account cannot be created, or null when it can.</summary>
    public static string? Problem(string username, string role, string password, string? agencyCode = null)
    {
        if (StaffRoles.IsAgencyRole(role) && string.IsNullOrWhiteSpace(agencyCode))
        {
            return $"role {role} is a member of an agency: give the agency's code, e.g. staff add {username} {role} DPUPR";
        }
        if (!StaffRoles.IsAgencyRole(role) && !string.IsNullOrWhiteSpace(agencyCode))
        {
            return $"role {role} is not an agency role; agency members are {string.Join(", ", StaffRoles.AgencyRoles)}";
        }
        if (!UsernamePattern().IsMatch(username))
        {
            return "username must be 2–40 characters: letters, digits, '.', '_' or '-'";
        }
        if (!StaffRoles.IsValid(role))
        {
            return $"role must be one of: {string.Join(", ", StaffRoles.All)}";
        }
        if (password.Length < MinPasswordLength)
        {
            return $"password must be at least {MinPasswordLength} characters";
        }
        return null;
    }

    public static async Task<long> CountAsync(DbConnection c) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff_accounts");

    public static Task<StaffAccount?> FindAsync(DbConnection c, string username) =>
        c.QuerySingleOrDefaultAsync<StaffAccount>(
            $"SELECT {Columns} FROM staff_accounts WHERE lower(username) = lower(@username)", new { username = username.Trim() });

    public static Task<StaffAccount?> FindByIdAsync(DbConnection c, long id) =>
        c.QuerySingleOrDefaultAsync<StaffAccount>($"SELECT {Columns} FROM staff_accounts WHERE id = @id", new { id });

    /// <summary>Creates the account; false when the username is taken (ignoring case).</summary>
    public async Task<bool> CreateAsync(string username, string role, string password, CancellationToken ct = default) =>
        await CreateAsync(username, role, password, null, null, ct);

    /// <summary>Creates the account, for an agency member with its agency; false when the username is taken (ignoring case).</summary>
    /// <exception cref="ArgumentException">The values cannot make an account, or the agency is not an active one.</exception>
    public async Task<bool> CreateAsync(string username, string role, string password, string? agencyCode, string? displayName, CancellationToken ct = default)
    {
        var agency = string.IsNullOrWhiteSpace(agencyCode) ? null : agencyCode.Trim().ToUpperInvariant();
        if (Problem(username, role, password, agency) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        await using var c = await db.OpenAsync(ct);
        if (agency is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agencies WHERE code = @agency AND active = 1", new { agency }) == 0)
        {
            throw new ArgumentException($"there is no active agency with code {agency}");
        }
        return await CreateAsync(c, username, role, password, clock.GetUtcNow(), agency: agency, displayName: displayName);
    }

    internal static async Task<bool> CreateAsync(DbConnection c, string username, string role, string password, DateTimeOffset now, DbTransaction? tx = null,
        string? agency = null, string? displayName = null)
    {
        var hash = Hasher.HashPassword(new StaffAccount { Username = username }, password);
        var name = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        var created = await c.ExecuteAsync(
            """
            INSERT INTO staff_accounts (username, password_hash, role, created_at, agency_code, display_name)
            VALUES (@username, @hash, @role, @now, @agency, @name)
            ON CONFLICT DO NOTHING
            """,
            new { username, hash, role, now = now.ToUnixTimeMilliseconds(), agency, name }, tx) == 1;
        if (created && agency is not null)
        {
            // An agency member on the web is a member like one on Telegram, reached on the "web" staff
            // channel (its task list): it holds its role for routing, "nobody is forgotten" and the start-up checks.
            await c.ExecuteAsync(
                """
                INSERT INTO staff_members (telegram_user_id, role, agency_code, display_name, source, created_at, channel)
                VALUES (@address, @role, @agency, @name, 'web', @now, @channel)
                ON CONFLICT DO NOTHING
                """,
                new { address = username.ToLowerInvariant(), role, agency, name = name ?? username, now = now.ToUnixTimeMilliseconds(), channel = WebInboxChannel.ChannelName }, tx);
        }
        return created;
    }

    /// <summary>The web members of an agency (accounts bound to it), or of every agency when <paramref name="agencyCode"/> is null.</summary>
    public static async Task<IReadOnlyList<StaffAccount>> AgencyMembersAsync(DbConnection c, string? agencyCode) =>
        (await c.QueryAsync<StaffAccount>(
            $"SELECT {Columns} FROM staff_accounts WHERE agency_code IS NOT NULL AND (@agencyCode IS NULL OR agency_code = @agencyCode) ORDER BY agency_code, role, username",
            new { agencyCode })).AsList();

    /// <summary>
    /// Checks a login. A locked account is refused without looking at the password; each wrong
    /// password counts, and the MaxFailedLogins-th in a row locks the account for LockoutDuration.
    /// The password hash (deliberately slow CPU work) is checked outside any transaction, so logins
    /// never hold the database's write lock while hashing and never delay webhooks that way; an
    /// unknown name costs the same hash. At most <see cref="LoginThrottle"/>'s few hashes run at once,
    /// and each user name gets a few attempts a minute: beyond that the answer is TooMany, at once.
    /// </summary>
    public async Task<(LoginResult Result, StaffAccount? Account, DateTimeOffset? LockedUntil)> LoginAsync(
        string username, string password, CancellationToken ct = default)
    {
        var o = options.Value;
        var name = username.Trim();
        if (!throttle.TryUser(name))
        {
            return (LoginResult.TooMany, null, null);
        }
        StaffAccount? account;
        await using (var c = await db.OpenAsync(ct))
        {
            account = await FindAsync(c, name);
        }
        var now = clock.GetUtcNow();
        var ms = now.ToUnixTimeMilliseconds();
        if (account?.LockedUntil is { } until && until > ms)
        {
            return (LoginResult.Locked, null, DateTimeOffset.FromUnixTimeMilliseconds(until));
        }
        PasswordVerificationResult verdict;
        string? rehash = null;
        using (var slot = await throttle.HashSlotAsync(ct))
        {
            if (!slot.IsAcquired)
            {
                return (LoginResult.TooMany, null, null);
            }
            if (account is null)
            {
                hasher.VerifyHashedPassword(new StaffAccount(), DummyHash, password);
                return (LoginResult.WrongCredentials, null, null);
            }
            verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                rehash = hasher.HashPassword(account, password);
            }
        }
        if (verdict == PasswordVerificationResult.Failed)
        {
            // One short write: count the failure atomically, lock on the MaxFailedLogins-th.
            await using var s = await db.BeginAsync(ct);
            var failed = await s.Connection.ExecuteScalarAsync<int>(
                "UPDATE staff_accounts SET failed_attempts = failed_attempts + 1 WHERE id = @id RETURNING failed_attempts",
                new { id = account.Id }, s.Transaction);
            var lockNow = failed >= o.MaxFailedLogins;
            long? lockedUntil = lockNow ? (now + o.LockoutDuration).ToUnixTimeMilliseconds() : null;
            if (lockNow)
            {
                await s.Connection.ExecuteAsync(
                    "UPDATE staff_accounts SET failed_attempts = 0, locked_until = @lockedUntil WHERE id = @id",
                    new { id = account.Id, lockedUntil }, s.Transaction);
            }
            await s.CommitAsync(ct);
            return lockNow
                ? (LoginResult.Locked, null, DateTimeOffset.FromUnixTimeMilliseconds(lockedUntil!.Value))
                : (LoginResult.WrongCredentials, null, null);
        }
        var hash = rehash ?? account.PasswordHash;
        await using (var c = await db.OpenAsync(ct))
        {
            // A concurrent wrong guess may have locked the account meanwhile: then this attempt does not sign in.
            var updated = await c.ExecuteAsync(
                """
                UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL, last_login_at = @ms, password_hash = @hash
                WHERE id = @id AND (locked_until IS NULL OR locked_until <= @ms)
                """,
                new { id = account.Id, ms, hash });
            if (updated == 0)
            {
                return (LoginResult.WrongCredentials, null, null);
            }
        }
        return (LoginResult.Success, account with { LastLoginAt = ms, FailedAttempts = 0, LockedUntil = null }, null);
    }

    /// <summary>Creates the bootstrap operator when no account exists; inside one transaction so two instances create it once.</summary>
    public static async Task<string?> BootstrapAsync(IDatabase db, StaffOptions o, bool development, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var s = await db.BeginAsync(ct);
        if (await s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff_accounts", transaction: s.Transaction) > 0)
        {
            return null;
        }
        var user = string.IsNullOrWhiteSpace(o.BootstrapUser) ? "admin" : o.BootstrapUser.Trim();
        var password = o.BootstrapPassword;
        if (string.IsNullOrEmpty(password))
        {
            if (!development)
            {
                throw new InvalidOperationException(
                    "No staff account exists for the status page and Staff:BootstrapPassword is empty. Set Staff:BootstrapPassword " +
                    "(environment variable Staff__BootstrapPassword; optionally Staff:BootstrapUser, default 'admin') to create the first " +
                    "operator at start-up, or add one with: LaporBot staff add <username> operator");
            }
            password = StaffOptions.DevelopmentPassword;
        }
        if (Problem(user, StaffRoles.Operator, password) is { } problem)
        {
            throw new InvalidOperationException($"Staff:BootstrapUser / Staff:BootstrapPassword cannot be used: {problem}.");
        }
        await CreateAsync(s.Connection, user, StaffRoles.Operator, password, now, s.Transaction);
        await s.CommitAsync(ct);
        return user;
    }
}

/// <summary>Creates the bootstrap account after migrations; stops start-up with a readable message when it cannot.</summary>
internal sealed class StaffBootstrap(IDatabase db, IOptions<StaffOptions> options, IHostEnvironment env, TimeProvider clock, ILogger<StaffBootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var created = await StaffAccounts.BootstrapAsync(db, options.Value, env.IsDevelopment(), clock.GetUtcNow(), cancellationToken);
        if (created is not null)
        {
            logger.LogWarning("Created the status page account {User} (operator) from Staff:BootstrapUser/Staff:BootstrapPassword; add named accounts with 'staff add'", created);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
