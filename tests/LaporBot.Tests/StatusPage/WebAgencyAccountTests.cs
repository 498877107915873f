using System.Net;
using LaporBot.StatusPage;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.StatusPage;

/// <summary>Status-page accounts bound to an agency and a workflow role: who they are and what they may see.</summary>
public sealed class WebAgencyAccountTests
{
    private const string Street = "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah";
    private const string LampText = "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan";
    private const string TrashText = "Sampah di pinggir pasar menumpuk tidak diangkut sejak sepekan";

    private static async Task<(int Code, string Out, string Err)> CliAsync(LaporApp app, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await StaffCli.RunAsync(app.Services, args, new StringReader(""), output, error,
            name => name == StaffCli.PasswordVariable ? "sandi-petugas-1" : null, inputRedirected: true);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Staff_add_binds_an_agency_role_to_an_agency_and_refuses_it_without_one()
    {
        await using var kit = StatusPageKit.Start();

        var (code, output, _) = await CliAsync(kit.App, "add", "siti", "kepala", "dlh", "Ir.", "Siti", "Rahayu");
        Assert.Equal(0, code);
        Assert.Contains("Added status page account 'siti' (kepala of DLH)", output);
        var row = (await Db.QueryAsync<(string Role, string Agency, string Name)>(kit.DatabasePath,
            "SELECT role, agency_code, display_name FROM staff_accounts WHERE username = 'siti'")).Single();
        Assert.Equal(("kepala", "DLH", "Ir. Siti Rahayu"), row);

        var (noAgency, _, err) = await CliAsync(kit.App, "add", "budi", "admin");
        Assert.Equal(2, noAgency);
        Assert.Contains("give the agency's code", err);

        var (unknown, _, err2) = await CliAsync(kit.App, "add", "budi", "admin", "TIDAKADA");
        Assert.Equal(2, unknown);
        Assert.Contains("no active agency with code TIDAKADA", err2);

        var (notAgencyRole, _, _) = await CliAsync(kit.App, "add", "budi", "operator", "DLH");
        Assert.Equal(2, notAgencyRole);
    }

    [Fact]
    public async Task An_agency_member_sees_its_agency_tasks_and_cases_and_nothing_else()
    {
        await using var kit = StatusPageKit.Start();
        var lamp = await kit.FileAsync("warga-lampu", "Budi Santoso", Street, LampText);
        var trash = await kit.FileAsync("warga-sampah", "Siti Aminah", "Jl. Pasar Baru No. 1, Cilacap", TrashText);
        await kit.WaitForStatusAsync(lamp, "triage");
        await kit.WaitForStatusAsync(trash, "triage");
        // The triage desk (an operator on the page) assigns one case to each agency.
        var desk = kit.Staff();
        await desk.LoginOkAsync();
        foreach (var (number, agency) in new[] { (lamp, "DPUPR"), (trash, "DLH") })
        {
            var r = await desk.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign",
                new Dictionary<string, string> { ["agency"] = agency });
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            await kit.WaitForStatusAsync(number, "assigned");
        }
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE complaints SET confidential = 1 WHERE tracking_number = @lamp", new { lamp });
        await kit.App.Service<StaffAccounts>().CreateAsync("dpupr-admin", "admin", "sandi-petugas-1", "DPUPR", "Rudi Hartono");

        var member = kit.Staff();
        await member.LoginOkAsync("dpupr-admin", "sandi-petugas-1");

        // Its home is the agency's task list: its case, waiting at its role's step, and not the other agency's.
        var home = await member.Http.GetAsync("/status");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal(StaffPageModelPaths.Tasks, home.Headers.Location?.OriginalString);
        var tasks = await member.HtmlAsync("/status/tugas");
        Assert.Contains($"data-nomor=\"{lamp}\"", tasks);
        Assert.DoesNotContain($"data-nomor=\"{trash}\"", tasks);
        // TODO(after the workflow-driven lifecycle lands): Assert.Contains("giliran Anda", tasks);
        Assert.Contains("Tugas DPUPR", tasks);

        // Its case, without the identity of a reporter who asked for confidentiality; the other agency's case does not exist for it.
        var page = await member.HtmlAsync($"/status/aduan/{lamp}");
        Assert.Contains("identitas dirahasiakan", page);
        Assert.DoesNotContain("Budi Santoso", page);
        Assert.Contains("Lampu penerangan jalan mati", page);
        await member.HtmlAsync($"/status/aduan/{trash}", HttpStatusCode.NotFound);

        // Every Diskominfo page sends it back to its tasks; reports and actions of the desk are refused.
        foreach (var path in new[] { "/status/aduan", "/status/outbox", "/status/instansi" })
        {
            var r = await member.Http.GetAsync(path);
            Assert.True(r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.OriginalString == StaffPageModelPaths.Tasks,
                $"{path} answers {(int)r.StatusCode} {r.Headers.Location}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync("/status/rekap")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync("/status/rekap/unduh?periode=2026-11&format=csv")).StatusCode);
        var assign = await member.PostFormAsync($"/status/aduan/{lamp}", $"/status/aduan/{lamp}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DLH" });
        Assert.Equal(HttpStatusCode.Forbidden, assign.StatusCode);
        Assert.Equal("DPUPR", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT agency_code FROM complaints WHERE tracking_number = @lamp", new { lamp }));
    }

    [Fact]
    public async Task Operators_add_web_members_on_the_agencies_screen()
    {
        await using var kit = StatusPageKit.Start();
        var desk = kit.Staff();
        await desk.LoginOkAsync();

        var r = await desk.PostFormAsync("/status/instansi", "/status/instansi?handler=Member", new Dictionary<string, string>
        {
            ["Agency"] = "DLH", ["Role"] = "penghubung", ["Username"] = "dlh-sekretaris", ["DisplayName"] = "Drs. Agus Salim", ["Password"] = "sandi-petugas-2",
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var list = await desk.HtmlAsync("/status/instansi");
        Assert.Contains("id=\"member-list\"", list);
        Assert.Contains("Drs. Agus Salim", list);
        Assert.Contains("Pejabat Penghubung", list);

        var bad = await desk.PostFormAsync("/status/instansi", "/status/instansi?handler=Member", new Dictionary<string, string>
        {
            ["Agency"] = "DLH", ["Role"] = "operator", ["Username"] = "x", ["Password"] = "pendek",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Pilih peran petugas instansi", await bad.Content.ReadAsStringAsync());

        var member = kit.Staff();
        await member.LoginOkAsync("dlh-sekretaris", "sandi-petugas-2");
        Assert.Contains("Tugas DLH", await member.HtmlAsync("/status/tugas"));
    }
}

internal static class StaffPageModelPaths
{
    public const string Tasks = LaporBot.StatusPage.Pages.StaffPageModel.TasksPath;
}
