using System.Net;
using LaporBot.StatusPage;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.StatusPage;

public sealed class StaffCliTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(LaporApp app, string[] args, string? envPassword, string stdin = "")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await StaffCli.RunAsync(app.Services, args, new StringReader(stdin), output, error,
            name => name == StaffCli.PasswordVariable ? envPassword : null, inputRedirected: true);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Staff_add_with_the_password_in_the_environment_creates_an_account_that_can_log_in()
    {
        await using var kit = StatusPageKit.Start();

        var (code, output, _) = await RunAsync(kit.App, ["add", "Siti", "operator"], "kata-sandi-siti");

        Assert.Equal(0, code);
        Assert.Contains("Added status page account 'Siti' (operator)", output);
        var staff = kit.Staff();
        await staff.LoginOkAsync("siti", "kata-sandi-siti");
        Assert.Contains("id=\"dashboard\"", await staff.HtmlAsync("/status"));
        var hash = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT password_hash FROM staff_accounts WHERE username = 'Siti'");
        Assert.DoesNotContain("kata-sandi-siti", hash);
    }

    [Fact]
    public async Task Staff_add_reads_the_password_from_standard_input_and_makes_a_viewer()
    {
        await using var kit = StatusPageKit.Start();

        var (code, _, _) = await RunAsync(kit.App, ["add", "pemantau", "viewer"], envPassword: null, stdin: "sandi-pemantau\n");

        Assert.Equal(0, code);
        Assert.Equal("viewer", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT role FROM staff_accounts WHERE username = 'pemantau'"));
        var staff = kit.Staff();
        await staff.LoginOkAsync("pemantau", "sandi-pemantau");
        Assert.DoesNotContain("id=\"action-assign\"", await staff.HtmlAsync("/status"));
    }

    [Theory]
    [InlineData(new[] { "add", "budi" }, "pw-long-enough", "Usage: staff add")]
    [InlineData(new[] { "add", "budi", "admin" }, "pw-long-enough", "role must be one of: viewer, operator, kepala_seksi, kepala_bidang, penanggung_jawab")]
    [InlineData(new[] { "add", "budi", "viewer" }, "short", "at least 8 characters")]
    [InlineData(new[] { "add", "bu di", "viewer" }, "pw-long-enough", "username must be")]
    public async Task Staff_add_refuses_bad_input_with_a_reason(string[] args, string password, string expected)
    {
        await using var kit = StatusPageKit.Start();

        var (code, _, err) = await RunAsync(kit.App, args, password);

        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM staff_accounts")); // only the bootstrap account
    }

    [Fact]
    public async Task Staff_add_refuses_a_name_that_exists_in_another_case()
    {
        await using var kit = StatusPageKit.Start();

        var (code, _, err) = await RunAsync(kit.App, ["add", "ADMIN", "viewer"], "another-password");

        Assert.Equal(1, code);
        Assert.Contains("already exists", err);
        await kit.Staff().LoginOkAsync(); // the original admin is untouched
    }

    [Fact]
    public async Task Outside_development_start_up_without_an_account_or_a_bootstrap_password_names_the_keys()
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { ["Staff:BootstrapPassword"] = "" }, "Production");

        var all = e.ToString();
        Assert.Contains("Staff:BootstrapPassword", all);
        Assert.Contains("Staff:BootstrapUser", all);
    }

    [Fact]
    public async Task Outside_development_the_configured_bootstrap_account_is_created_once_as_operator()
    {
        await using var app = new LaporApp(environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Staff:BootstrapUser"] = "kominfo",
            ["Staff:BootstrapPassword"] = "rahasia-awal-123",
        });
        var staff = StaffClient.For(app);

        await staff.LoginOkAsync("kominfo", "rahasia-awal-123");

        Assert.Equal("operator", await Db.ScalarAsync<string>(app.DatabasePath, "SELECT role FROM staff_accounts"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await StaffClient.For(app).LoginAsync("admin", StaffClient.DevPassword)).StatusCode);
        SqliteConnection.ClearAllPools();
    }
}
