using System.Net;
using System.Net.Http.Json;
using LaporBot.StatusPage;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.StatusPage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// Defect 5 of issue 9: the login POST hashed the password while holding the database write lock
/// (even for unknown names) and had no rate limit, so a flood of logins starved webhooks.
/// On SQLite and on PostgreSQL: each has one writer at a time (SQLite's lock; on PostgreSQL the
/// advisory lock every write unit of work takes), so a hash inside a write would stall webhooks on
/// both.
/// </summary>
public abstract class LoginLoadTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : LoginLoadTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : LoginLoadTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    /// <summary>The status page kit on this test's database (a PostgreSQL one of its own, or the kit's SQLite file).</summary>
    private async Task<(StatusPageKit Kit, TestDatabase Database)> StartAsync(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(Backend);
        extra ??= [];
        if (Backend == Backend.Postgres)
        {
            foreach (var (k, v) in TestDatabase.AppSettings(database.Target))
            {
                extra[k] = v;
            }
        }
        return (StatusPageKit.Start(extra: extra, services: services), database);
    }

    /// <summary>A password hasher that stops inside the hash until the test lets it go.</summary>
    private sealed class GatedHasher : IPasswordHasher<StaffAccount>
    {
        private readonly PasswordHasher<StaffAccount> _real = new();
        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Release { get; } = new();

        public string HashPassword(StaffAccount user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffAccount user, string hashedPassword, string providedPassword)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromMinutes(2));
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [SkippableTheory]
    [InlineData(StaffClient.DevUser)]
    [InlineData("nobody-by-this-name")]
    public async Task A_webhook_is_stored_while_a_login_is_hashing_its_password(string username)
    {
        var hasher = new GatedHasher();
        var (kit, database) = await StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IPasswordHasher<StaffAccount>>(hasher)));
        await using var _ = database;
        await using var __ = kit;
        var staff = kit.Staff();
        var token = StaffClient.Token(await staff.HtmlAsync("/status/masuk"));

        var login = staff.Http.PostAsync("/status/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = "wrong-password", ["__RequestVerificationToken"] = token,
        }));
        try
        {
            Assert.True(await Task.Run(() => hasher.Entered.Wait(TimeSpan.FromSeconds(60))), "the login reached the password check");

            // Meanwhile a citizen writes: stored and answered while the hash is still running.
            var webhook = await kit.App.CreateClient().PostAsJsonAsync("/dev/chat/api/messages", new { citizen = "warga-1", text = "halo" });
            Assert.True(webhook.IsSuccessStatusCode, $"webhook: {(int)webhook.StatusCode}");
            Assert.False(login.IsCompleted);
        }
        finally
        {
            hasher.Release.Set();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await login).StatusCode);
    }

    /// <summary>Sets the client address from a test header, so one test can be several clients.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext ctx, Func<Task> nextMiddleware) =>
            {
                if (ctx.Request.Headers.TryGetValue("X-Test-Client", out var ip))
                {
                    ctx.Connection.RemoteIpAddress = IPAddress.Parse(ip!);
                }
                return nextMiddleware();
            });
            next(app);
        };
    }

    private static async Task<HttpResponseMessage> LoginFromAsync(StaffClient staff, string ip, string username, string password)
    {
        var token = StaffClient.Token(await staff.HtmlAsync("/status/masuk"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/status/masuk")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("X-Test-Client", ip);
        return await staff.Http.SendAsync(request);
    }

    [SkippableFact]
    public async Task Logins_are_limited_per_client_before_any_password_is_checked()
    {
        var (kit, database) = await StartAsync(
            extra: new Dictionary<string, string?> { ["Staff:LoginAttemptsPerMinutePerClient"] = "3" },
            services: s => s.AddTransient<IStartupFilter, ClientAddressFromHeader>());
        await using var _ = database;
        await using var __ = kit;
        var staff = kit.Staff();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(staff, "203.0.113.7", $"user{i}", "wrong")).StatusCode);
        }

        var limited = await LoginFromAsync(staff, "203.0.113.7", StaffClient.DevUser, StaffClient.DevPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("Terlalu banyak percobaan masuk", await limited.Content.ReadAsStringAsync());
        // Another client is not affected, and showing the form never counts.
        await staff.HtmlAsync("/status/masuk");
        Assert.Equal(HttpStatusCode.Redirect, (await LoginFromAsync(staff, "198.51.100.2", StaffClient.DevUser, StaffClient.DevPassword)).StatusCode);
    }

    [SkippableFact]
    public async Task Logins_are_limited_per_user_name_from_any_client()
    {
        var (kit, database) = await StartAsync(
            extra: new Dictionary<string, string?> { ["Staff:LoginAttemptsPerMinutePerUser"] = "3", ["Staff:MaxFailedLogins"] = "100" },
            services: s => s.AddTransient<IStartupFilter, ClientAddressFromHeader>());
        await using var _ = database;
        await using var __ = kit;
        var staff = kit.Staff();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(staff, $"203.0.113.{i + 1}", "ADMIN", "wrong")).StatusCode);
        }

        var limited = await LoginFromAsync(staff, "203.0.113.99", StaffClient.DevUser, StaffClient.DevPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Terlalu banyak percobaan masuk", await limited.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(staff, "203.0.113.99", "someone-else", "wrong")).StatusCode);
    }
}
