using System.Net;
using System.Net.Http.Json;
using LaporBot.StatusPage;
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
/// SQLite only: the webhook that waited was waiting for SQLite's one write lock, which PostgreSQL
/// does not have (a PostgreSQL transaction holding a staff row would not have blocked it), and the
/// limits act before any database work. The load figure under 64 logins is measured on both
/// stores in <see cref="LoadDrillTests"/>.
/// </summary>
public class LoginLoadTests
{
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

    [Theory]
    [InlineData(StaffClient.DevUser)]
    [InlineData("nobody-by-this-name")]
    public async Task A_webhook_is_stored_while_a_login_is_hashing_its_password(string username)
    {
        var hasher = new GatedHasher();
        await using var kit = StatusPageKit.Start(services: s => s.Replace(ServiceDescriptor.Singleton<IPasswordHasher<StaffAccount>>(hasher)));
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

    [Fact]
    public async Task Logins_are_limited_per_client_before_any_password_is_checked()
    {
        await using var kit = StatusPageKit.Start(
            extra: new Dictionary<string, string?> { ["Staff:LoginAttemptsPerMinutePerClient"] = "3" },
            services: s => s.AddTransient<IStartupFilter, ClientAddressFromHeader>());
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

    [Fact]
    public async Task Logins_are_limited_per_user_name_from_any_client()
    {
        await using var kit = StatusPageKit.Start(
            extra: new Dictionary<string, string?> { ["Staff:LoginAttemptsPerMinutePerUser"] = "3", ["Staff:MaxFailedLogins"] = "100" },
            services: s => s.AddTransient<IStartupFilter, ClientAddressFromHeader>());
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
