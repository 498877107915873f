using System.Net;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.StatusPage;

/// <summary>`dotnet run` in Development starts with a demo directory and demo accounts; never anywhere else.</summary>
public sealed class DemoDirectoryTests
{
    public const string Password = "demo-dev-only";

    private static async Task<LaporApp> StartAsync(string environment, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Scheduler:Enabled"] = "false" };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var app = new LaporApp(environment: environment, settings: settings);
        app.CreateClient().Dispose();
        return app;
    }

    [Fact]
    public async Task Development_starts_with_typical_agencies_an_inspectorate_and_a_demo_account_per_role()
    {
        var app = await StartAsync("Development");
        try
        {
            var agencies = await Db.QueryAsync<(string Code, long Inspectorate, string Keywords)>(app.DatabasePath,
                "SELECT code, is_inspectorate, keywords FROM agencies WHERE active = 1 ORDER BY code");
            Assert.True(agencies.Count >= 5, $"a handful of agencies, got {agencies.Count}");
            Assert.Contains(agencies, a => a.Code == "DPUPR" && a.Keywords.Contains("jalan berlubang"));
            Assert.Single(agencies, a => a.Inspectorate == 1);

            // One account per role of cilacap.yaml's agency steps, the triage desk and the inspectorate, besides admin.
            var accounts = (await Db.QueryAsync<(string Username, string Role, string? Agency)>(app.DatabasePath,
                "SELECT username, role, agency_code FROM staff_accounts ORDER BY username")).ToList();
            foreach (var expected in new[] { ("dpupr-admin", "admin", "DPUPR"), ("dpupr-penghubung", "penghubung", "DPUPR"), ("dpupr-kepala", "kepala", "DPUPR") })
            {
                Assert.Contains(expected, accounts.Select(a => (a.Username, a.Role, a.Agency ?? "")));
            }
            Assert.Contains(accounts, a => a.Username == "triase" && a.Role == "operator");
            Assert.Contains(accounts, a => a.Username == "inspektorat" && a.Role == "inspektorat" && a.Agency == "INSPEKTORAT");
            Assert.Contains(accounts, a => a.Username == "admin");
            // The demo's staff hold every role, so a newcomer's first start warns about no one being unreachable.
            Assert.DoesNotContain("Directory:", app.Logs.All);

            var kepala = StatusPage.StaffClient.For(app);
            await kepala.LoginOkAsync("dpupr-kepala", Password);
            Assert.Contains("Tugas DPUPR", await kepala.HtmlAsync("/status/tugas"));
            await StatusPage.StaffClient.For(app).LoginOkAsync("admin", StatusPage.StaffClient.DevPassword);
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task The_members_follow_the_chosen_workflow_file()
    {
        var app = await StartAsync("Development", new Dictionary<string, string?> { ["Workflow:File"] = "workflows/muara-enim.yaml" });
        try
        {
            var roles = await Db.QueryAsync<string>(app.DatabasePath, "SELECT role FROM staff_accounts WHERE agency_code = 'DPUPR' ORDER BY role");
            Assert.Contains("pelaksana", roles);
            Assert.DoesNotContain("kepala", roles);
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task Production_never_gets_the_demo_directory_or_its_accounts()
    {
        var app = await StartAsync("Production");
        try
        {
            Assert.Equal(0, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM agencies"));
            Assert.Equal(0, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM staff_accounts WHERE username <> 'admin'"));
            var r = await StatusPage.StaffClient.For(app).LoginAsync("dpupr-kepala", Password);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_configured_directory_wins_over_the_demo_one()
    {
        var app = await StartAsync("Development", StatusPageKit.AgencySettings());
        try
        {
            var codes = await Db.QueryAsync<string>(app.DatabasePath, "SELECT code FROM agencies WHERE active = 1 ORDER BY code");
            Assert.Equal(["DLH", "DPUPR"], codes);
            Assert.Equal(0, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM staff_accounts WHERE username = 'dpupr-kepala'"));
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
