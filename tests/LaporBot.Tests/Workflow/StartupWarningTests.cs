using LaporBot.Tests.Fakes;
using LaporBot.Workflow;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Workflow;

/// <summary>Nobody is forgotten: start-up says which agency, inspectorate or role would leave cases with nobody to act.
/// SQLite only: warnings come from the settings and the workflow file, read before any case exists.</summary>
public class StartupWarningTests
{
    [Fact]
    public async Task Startup_WarnsAboutAgencyWithoutMembers_MissingInspectorate_AndRoleNobodyHolds()
    {
        await using var app = new LaporApp(settings: new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Triage:AdminTelegramIds:0"] = "100",
            ["Agencies:0:Code"] = "DPUPR",
            ["Agencies:0:Name"] = "Dinas Pekerjaan Umum",
            ["Agencies:1:Code"] = "DINKES",
            ["Agencies:1:Name"] = "Dinas Kesehatan",
            ["Agencies:1:Members:0:TelegramId"] = "201",
            ["Agencies:1:Members:0:Role"] = "admin",
            ["Agencies:1:Members:1:TelegramId"] = "202",
            ["Agencies:1:Members:1:Role"] = "kepala",
        });
        app.CreateClient();
        var warnings = await DirectoryWarnings.CheckAsync(app.Service<LaporBot.Data.IDatabase>(), app.Service<WorkflowCatalog>(), CancellationToken.None);

        Assert.Contains(warnings, w => w.Contains("Agency DPUPR has no members"));
        Assert.Contains(warnings, w => w.Contains("No agency has IsInspectorate=true"));
        // Cilacap: admin → penghubung → kepala → penghubung → admin; DINKES has no liaison.
        Assert.Equal(["Agency DINKES: nobody holds the role 'penghubung' (Pejabat Penghubung (Sekretaris OPD)) that workflow cilacap needs; its cases would stop at that step."],
            warnings.Where(w => w.Contains("DINKES")));
        Assert.DoesNotContain(warnings, w => w.Contains("triage desk"));
        Assert.Contains("Directory: Agency DPUPR has no members", app.Logs.All);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Startup_WithEveryRoleHeld_HasNoWarnings()
    {
        await using var app = new LaporApp(settings: new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Triage:AdminTelegramIds:0"] = "100",
            ["Agencies:0:Code"] = "DPUPR",
            ["Agencies:0:Name"] = "Dinas Pekerjaan Umum",
            ["Agencies:0:Members:0:TelegramId"] = "301",
            ["Agencies:0:Members:0:Role"] = "admin",
            ["Agencies:0:Members:1:TelegramId"] = "302",
            ["Agencies:0:Members:1:Role"] = "penghubung",
            ["Agencies:0:Members:2:TelegramId"] = "303",
            ["Agencies:0:Members:2:Role"] = "kepala",
            ["Agencies:1:Code"] = "INSPEKTORAT",
            ["Agencies:1:Name"] = "Inspektorat",
            ["Agencies:1:IsInspectorate"] = "true",
            ["Agencies:1:AdminTelegramIds:0"] = "400",
        });
        app.CreateClient();
        Assert.Empty(await DirectoryWarnings.CheckAsync(app.Service<LaporBot.Data.IDatabase>(), app.Service<WorkflowCatalog>(), CancellationToken.None));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task BrokenWorkflowFile_StopsStartup_WithFileAndLine()
    {
        var dir = TestPaths.NewTempDir();
        var file = Path.Combine(dir, "broken.yaml");
        await File.WriteAllTextAsync(file, "version: 1\nid: x\nroles:\n  triage: A\nstart: a\nsteps:\n  - id: a\n    role: lurah\n    actions:\n      answer: citizen\n");
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false", ["Workflow:File"] = file });
        Assert.Contains($"{file}:8:", e.ToString());
    }

    [Fact]
    public void MemberWithUnknownRole_IsRefusedNamingTheKey()
    {
        var result = new AgencyConfigValidator().Validate(null,
            [new AgencyConfig { Code = "DPUPR", Name = "Dinas PU", Members = [new MemberConfig { TelegramId = 5, Role = "lurah" }] }]);
        Assert.True(result.Failed);
        Assert.Contains("Agencies:0:Members:0:Role is 'lurah'", result.FailureMessage);
    }
}
