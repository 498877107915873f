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
        Assert.Contains("giliran Anda", tasks);
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
        Assert.Equal(HttpStatusCode.Redirect, assign.StatusCode);
        Assert.Contains("hanya untuk Admin Utama", await member.HtmlAsync($"/status/aduan/{lamp}"));
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

    /// <summary>Posts one step action from the case page, as the browser does; returns the flash shown after the redirect.</summary>
    private static async Task<string> ActAsync(StaffClient who, string number, string action, Dictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? []) { ["action"] = action };
        var r = await who.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Act", form);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var page = await who.HtmlAsync($"/status/aduan/{number}");
        var flash = System.Text.RegularExpressions.Regex.Match(page, "<p class=\"flash[^\"]*\"[^>]*>([^<]*)</p>");
        return System.Net.WebUtility.HtmlDecode(flash.Groups[1].Value);
    }

    private static Task<string> StepAsync(StatusPageKit kit, string number) =>
        Db.ScalarAsync<string>(kit.DatabasePath, "SELECT step FROM complaints WHERE tracking_number = @number", new { number });

    [Fact]
    public async Task A_web_only_agency_handles_a_case_end_to_end_and_the_citizen_gets_the_answer()
    {
        var settings = StatusPageKit.AgencySettings();
        settings.Remove("Agencies:0:AdminTelegramIds:0"); // DPUPR: nobody on Telegram
        await using var kit = StatusPageKit.Start(extra: null, services: null, settings: settings);
        var number = await kit.FileAsync("warga-web", "Budi Santoso", Street, LampText);
        await kit.WaitForStatusAsync(number, "triage");
        var desk = kit.Staff();
        await desk.LoginOkAsync();

        // Nobody can receive it yet: refused on the page, with what to do.
        var refused = await desk.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DPUPR" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("belum punya petugas", await desk.HtmlAsync($"/status/aduan/{number}"));
        Assert.Equal("triage", await kit.StatusAsync(number));

        var accounts = kit.App.Service<StaffAccounts>();
        await accounts.CreateAsync("dpupr-admin", "admin", "sandi-admin-1", "DPUPR", "Rudi Hartono");
        await accounts.CreateAsync("dpupr-sekretaris", "penghubung", "sandi-sekr-1", "DPUPR", "Agus Salim");
        await accounts.CreateAsync("dpupr-kepala", "kepala", "sandi-kepala-1", "DPUPR", "Ir. Siti Rahayu");
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DPUPR" })).StatusCode);
        Assert.Equal("periksa", await StepAsync(kit, number));

        var admin = kit.Staff();
        await admin.LoginOkAsync("dpupr-admin", "sandi-admin-1");
        var sekretaris = kit.Staff();
        await sekretaris.LoginOkAsync("dpupr-sekretaris", "sandi-sekr-1");
        var kepala = kit.Staff();
        await kepala.LoginOkAsync("dpupr-kepala", "sandi-kepala-1");

        // Each acts only at its own step; the page offers only what it may do.
        Assert.DoesNotContain("id=\"action-forward\"", await sekretaris.HtmlAsync($"/status/aduan/{number}"));
        Assert.Contains("sedang di tahap", await ActAsync(sekretaris, number, "forward"));
        Assert.Equal("periksa", await StepAsync(kit, number));

        Assert.Contains("diterima", await ActAsync(admin, number, "accept"));
        Assert.Equal("koordinasi", await StepAsync(kit, number));
        // The liaison was told on its web channel, and sees the case as its turn.
        Assert.Contains("giliran Anda", await sekretaris.HtmlAsync("/status/tugas"));
        Assert.Contains(number, await sekretaris.HtmlAsync("/status/tugas"));
        Assert.Contains("diteruskan", await ActAsync(sekretaris, number, "forward", new() { ["text"] = "mohon arahan Kepala" }));
        Assert.Equal("tindak_lanjut", await StepAsync(kit, number));

        Assert.Contains("Tuliskan isinya", await ActAsync(kepala, number, "draft", new() { ["text"] = "" }));
        const string Answer = "Lampu penerangan jalan sudah kami ganti pada hari ini, terima kasih atas laporannya.";
        Assert.Contains("Draf jawaban", await ActAsync(kepala, number, "draft", new() { ["text"] = Answer }));
        Assert.Equal("teruskan_hasil", await StepAsync(kit, number));
        Assert.Contains("diteruskan", await ActAsync(sekretaris, number, "forward"));
        Assert.Equal("input_jawaban", await StepAsync(kit, number));
        // The admin sends the drafted answer (its page offers it pre-filled).
        Assert.Contains(Answer, await admin.HtmlAsync($"/status/aduan/{number}"));
        Assert.Contains("sudah dikirim ke pelapor", await ActAsync(admin, number, "answer", new() { ["text"] = Answer }));
        Assert.Equal("answered", await kit.StatusAsync(number));

        // The answer arrives in the citizen's chat; the timeline names each account.
        var citizen = new SimulatorCitizen(kit.App.CreateClient(), "warga-web");
        await Db.EventuallyAsync(async () => (await citizen.RepliesAsync()).Any(r => r.Contains("Lampu penerangan jalan sudah kami ganti")),
            "the answer reaches the citizen's chat");
        var timeline = await desk.HtmlAsync($"/status/aduan/{number}");
        foreach (var who in new[] { "Rudi Hartono lewat halaman status", "Agus Salim lewat halaman status", "Ir. Siti Rahayu lewat halaman status" })
        {
            Assert.Contains(who, timeline);
        }
        NoRawCodesTests.AssertNoLeaks("the answered case", timeline);
    }

    [Fact]
    public async Task Telegram_and_web_members_of_one_agency_share_a_case()
    {
        var settings = StatusPageKit.AgencySettings();
        settings.Remove("Agencies:1:AdminTelegramIds:0");
        settings["Agencies:1:Members:0:TelegramId"] = "7102"; // DLH's admin works on Telegram
        settings["Agencies:1:Members:0:Role"] = "admin";
        await using var kit = StatusPageKit.Start(extra: null, services: null, settings: settings);
        var accounts = kit.App.Service<StaffAccounts>();
        await accounts.CreateAsync("dlh-sekretaris", "penghubung", "sandi-sekr-1", "DLH", "Agus Salim");
        await accounts.CreateAsync("dlh-kepala", "kepala", "sandi-kepala-1", "DLH", "Dr. Maria Ulfa");
        var number = await kit.FileAsync("warga-campur", "Siti Aminah", "Jl. Pasar Baru No. 1, Cilacap", TrashText);
        await kit.WaitForStatusAsync(number, "triage");
        var desk = kit.Staff();
        await desk.LoginOkAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DLH" })).StatusCode);
        Assert.Equal("periksa", await StepAsync(kit, number));
        // The Telegram admin was notified on Telegram; the web members are not told about a step that is not theirs.
        Assert.True(await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'telegram' AND recipient = '7102' AND complaint_id = (SELECT id FROM complaints WHERE tracking_number = @number)", new { number }) > 0);

        // The admin accepts on Telegram (the Telegram staff pipeline), the liaison and the head act on the web.
        var desk2 = kit.App.Service<LaporBot.Staff.StaffDesk>();
        var accepted = await desk2.HandleAsync(new LaporBot.Staff.StaffInput("u-1", 7102, 7102, "Pak Joko", $"/terima {number}", null, null), CancellationToken.None);
        Assert.True(accepted.Allowed, accepted.Reply);
        Assert.Equal("koordinasi", await StepAsync(kit, number));
        Assert.True(await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'web' AND recipient = 'dlh-sekretaris'") > 0, "the web liaison is told on its task list");
        // Told as the web works: the page's buttons, no command to type or message to reply to (those are Telegram's).
        var webNote = await Db.ScalarAsync<string>(kit.DatabasePath,
            "SELECT body FROM outbox WHERE channel = 'web' AND recipient = 'dlh-sekretaris' AND purpose = 'notify' ORDER BY id DESC LIMIT 1");
        Assert.DoesNotContain("/teruskan", webNote);
        Assert.DoesNotContain("Membalas (reply)", webNote);
        Assert.Contains($"Buka aduan {number} di halaman status", webNote);
        Assert.Contains("➡️ Teruskan", webNote);
        Assert.Contains("Tahap Anda: Pejabat Penghubung berkoordinasi dengan Kepala OPD", webNote);
        Assert.DoesNotContain("Aduan: ", webNote); // the case itself is on the case page, one click away
        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE channel = 'web' AND buttons IS NOT NULL AND buttons <> '[]'"));
        Assert.Contains($"/terima {number}", await Db.ScalarAsync<string>(kit.DatabasePath,
            "SELECT body FROM outbox WHERE channel = 'telegram' AND recipient = '7102' AND purpose = 'notify' ORDER BY id LIMIT 1"));

        var sekretaris = kit.Staff();
        await sekretaris.LoginOkAsync("dlh-sekretaris", "sandi-sekr-1");
        Assert.Contains("Pemberitahuan", await sekretaris.HtmlAsync("/status/tugas"));
        Assert.Contains("diteruskan", await ActAsync(sekretaris, number, "forward"));
        var kepala = kit.Staff();
        await kepala.LoginOkAsync("dlh-kepala", "sandi-kepala-1");
        Assert.Contains("Draf jawaban", await ActAsync(kepala, number, "draft", new() { ["text"] = "Sampah sudah diangkut petugas DLH pagi ini." }));
        Assert.Contains("diteruskan", await ActAsync(sekretaris, number, "forward"));
        Assert.Equal("input_jawaban", await StepAsync(kit, number));

        // Back on Telegram: the admin sends the answer; a web account of another role could not.
        Assert.Contains("sedang di tahap", await ActAsync(kepala, number, "answer", new() { ["text"] = "Sampah sudah diangkut petugas DLH pagi ini." }));
        var answered = await desk2.HandleAsync(new LaporBot.Staff.StaffInput("u-2", 7102, 7102, "Pak Joko", $"/balas {number} Sampah sudah diangkut petugas DLH pagi ini.", null, null), CancellationToken.None);
        Assert.True(answered.Allowed, answered.Reply);
        Assert.Equal("answered", await kit.StatusAsync(number));
        var timeline = await desk.HtmlAsync($"/status/aduan/{number}");
        Assert.Contains("Agus Salim lewat halaman status", timeline);
        Assert.Contains("Dr. Maria Ulfa lewat halaman status", timeline);
        Assert.Contains("Petugas Telegram 7102", timeline);
    }
}

internal static class StaffPageModelPaths
{
    public const string Tasks = LaporBot.StatusPage.Pages.StaffPageModel.TasksPath;
}
