using System.Net;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.StatusPage;

public sealed class StaffLoginTests
{
    [Theory]
    [InlineData("/status")]
    [InlineData("/status/aduan")]
    [InlineData("/status/aduan?status=triage")]
    [InlineData("/status/aduan/LPR-2601-00001")]
    [InlineData("/status/outbox")]
    [InlineData("/status/instansi")]
    [InlineData("/status/keluar")]
    public async Task Anonymous_access_to_a_staff_page_redirects_to_the_login_page(string path)
    {
        await using var kit = StatusPageKit.Start();
        var r = await kit.Staff().Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("http://localhost/status/masuk?kembali=", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_login_page_itself_is_open_and_has_the_form()
    {
        await using var kit = StatusPageKit.Start();
        var html = await kit.Staff().HtmlAsync("/status/masuk");

        Assert.Contains("id=\"login-form\"", html);
        Assert.Contains("__RequestVerificationToken", html);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_gives_no_session()
    {
        await using var kit = StatusPageKit.Start();
        var staff = kit.Staff();

        var r = await staff.LoginAsync(StaffClient.DevUser, "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Nama pengguna atau kata sandi salah", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await staff.Http.GetAsync("/status")).StatusCode);
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT failed_attempts FROM staff_accounts WHERE username = 'admin'"));
    }

    [Fact]
    public async Task An_unknown_username_is_refused_with_the_same_message()
    {
        await using var kit = StatusPageKit.Start();
        var r = await kit.Staff().LoginAsync("nobody", StaffClient.DevPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Nama pengguna atau kata sandi salah", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account_even_against_the_right_password_until_the_lock_passes()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 3, 0, 0, TimeSpan.Zero));
        await using var kit = StatusPageKit.Start(clock);
        var staff = kit.Staff();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await staff.LoginAsync(StaffClient.DevUser, $"wrong-{i}")).StatusCode);
        }
        Assert.Null(await Db.ScalarAsync<long?>(kit.DatabasePath, "SELECT locked_until FROM staff_accounts WHERE username = 'admin'"));
        var fifth = await staff.LoginAsync(StaffClient.DevUser, "wrong-5");
        Assert.Contains("dikunci", await fifth.Content.ReadAsStringAsync());
        Assert.Equal(clock.GetUtcNow().AddMinutes(15).ToUnixTimeMilliseconds(),
            await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT locked_until FROM staff_accounts WHERE username = 'admin'"));

        var right = await staff.LoginAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("dikunci", await right.Content.ReadAsStringAsync());

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.LoginAsync()).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await staff.LoginOkAsync();
        Assert.Equal(HttpStatusCode.OK, (await staff.Http.GetAsync("/status")).StatusCode);
    }

    [Fact]
    public async Task A_successful_login_resets_the_failure_count()
    {
        await using var kit = StatusPageKit.Start();
        var staff = kit.Staff();
        for (var i = 0; i < 4; i++)
        {
            await staff.LoginAsync(StaffClient.DevUser, "wrong");
        }

        await staff.LoginOkAsync();

        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT failed_attempts FROM staff_accounts WHERE username = 'admin'"));
        Assert.NotNull(await Db.ScalarAsync<long?>(kit.DatabasePath, "SELECT last_login_at FROM staff_accounts WHERE username = 'admin'"));
    }

    [Fact]
    public async Task Usernames_ignore_case_and_the_session_cookie_is_httponly_and_samesite_lax()
    {
        await using var kit = StatusPageKit.Start();
        var staff = kit.Staff();
        var token = StaffClient.Token(await staff.HtmlAsync("/status/masuk"));

        var r = await staff.Http.PostAsync("/status/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "ADMIN", ["password"] = StaffClient.DevPassword, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var cookie = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("laporbot.staf="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/status", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("laporbot.staf", ""), StringComparison.OrdinalIgnoreCase); // plain http here
    }

    [Fact]
    public async Task Login_goes_back_to_the_requested_staff_page_but_never_to_another_site()
    {
        await using var kit = StatusPageKit.Start();
        var staff = kit.Staff();
        var html = await staff.HtmlAsync("/status/masuk?kembali=%2Fstatus%2Foutbox");
        var back = await staff.Http.PostAsync("/status/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = StaffClient.DevPassword, ["kembali"] = "/status/outbox",
            ["__RequestVerificationToken"] = StaffClient.Token(html),
        }));
        Assert.Equal("/status/outbox", back.Headers.Location?.OriginalString);

        var other = StatusPageKit.Start();
        await using var _ = other;
        var staff2 = other.Staff();
        var evil = await staff2.Http.PostAsync("/status/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = StaffClient.DevPassword, ["kembali"] = "//evil.example/status",
            ["__RequestVerificationToken"] = StaffClient.Token(await staff2.HtmlAsync("/status/masuk")),
        }));
        Assert.Equal("/status", evil.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Logout_is_a_post_that_ends_the_session()
    {
        await using var kit = StatusPageKit.Start();
        var staff = kit.Staff();
        await staff.LoginOkAsync();
        var dashboard = await staff.HtmlAsync("/status");
        Assert.Contains("id=\"logout\"", dashboard);

        var r = await staff.Http.PostAsync("/status/keluar", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StaffClient.Token(dashboard),
        }));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/status/masuk", r.Headers.Location?.OriginalString);
        var after = await staff.Http.GetAsync("/status");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/status/masuk", after.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_rejected()
    {
        await using var kit = StatusPageKit.Start();
        var staff = kit.Staff();

        var login = await staff.PostFormAsync("/status/masuk", "/status/masuk",
            new Dictionary<string, string> { ["username"] = "admin", ["password"] = StaffClient.DevPassword }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Null(await Db.ScalarAsync<long?>(kit.DatabasePath, "SELECT last_login_at FROM staff_accounts WHERE username = 'admin'"));
    }
}
