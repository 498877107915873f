using System.Net;
using System.Text.RegularExpressions;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using LaporBot.Tests.StatusPage;
using LaporBot.Workflow;

namespace LaporBot.Tests.Staff;

/// <summary>Agency members hold workflow roles, from configuration or from an invite code that carries the role.</summary>
public class MemberRoleTests
{
    [Fact]
    public async Task InviteWithRole_LinksTheMemberInThatRole_WhoThenActsForTheAgency()
    {
        await using var kit = await RoutingKit.StartAsync();
        var db = kit.Telegram.App.Service<LaporBot.Data.IDatabase>();
        var code = await AgencyStore.CreateInviteAsync(db, "admin", "DPUPR", "test", TimeSpan.FromDays(3), DateTimeOffset.UtcNow);
        var head = await AgencyStore.CreateInviteAsync(db, "kepala", "DPUPR", "test", TimeSpan.FromDays(3), DateTimeOffset.UtcNow);

        await kit.SayAsync(9201, $"/start {code}", firstName: "Pak Admin");
        await kit.SayAsync(9202, $"/start {head}", firstName: "Bu Kepala");

        // The role by its name (the workflow file's, or the status page's for a role the file does not use), never its id.
        Assert.StartsWith("✅ Akun Telegram Anda terhubung sebagai Admin OPD DPUPR.", (await kit.WaitForMessageAsync(9201, "terhubung")).GetProperty("text").GetString());
        Assert.StartsWith("✅ Akun Telegram Anda terhubung sebagai Kepala OPD DPUPR.", (await kit.WaitForMessageAsync(9202, "terhubung")).GetProperty("text").GetString());
        Assert.Equal("admin", await Db.ScalarAsync<string>(kit.DatabasePath,
            "SELECT role FROM staff_members WHERE telegram_user_id = '9201' AND agency_code = 'DPUPR' AND source = 'invite'"));

        // The holder of the step's role is notified and may act; another role of the same agency is neither.
        var number = await kit.FileComplaintAsync("Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.WaitForMessageAsync(9201, "📋 Aduan baru untuk");
        await kit.SayAsync(9202, $"/terima {number}");
        await kit.WaitForMessageAsync(9202, "bukan untuk peran Anda");
        Assert.DoesNotContain(kit.TextsTo(9202), t => t.Contains("Aduan baru", StringComparison.Ordinal));
        Assert.Equal("assigned", await kit.StatusAsync(number));
        await kit.SayAsync(9201, $"/terima {number}");
        await kit.WaitForStatusAsync(number, "accepted");
    }

    [Fact]
    public async Task ConfiguredMembers_AreSeededWithTheirRoles()
    {
        await using var kit = await RoutingKit.StartAsync(new Dictionary<string, string?>
        {
            ["Agencies:0:Members:0:TelegramId"] = "9301",
            ["Agencies:0:Members:0:Role"] = "penghubung",
            ["Agencies:0:Members:1:TelegramId"] = "9302",
            ["Agencies:0:Members:1:Role"] = "Kepala",
        });
        var code = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT agency_code FROM staff_members WHERE telegram_user_id = '9301'");
        Assert.Equal("penghubung", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT role FROM staff_members WHERE telegram_user_id = '9301'"));
        Assert.Equal("kepala", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT role FROM staff_members WHERE telegram_user_id = '9302'"));
        Assert.False(string.IsNullOrEmpty(code));
    }

    /// <summary>
    /// The status page's agencies screen makes an invite that carries the role picked there, from the
    /// roles of the agency's workflow file (Cilacap's: the liaison is "Pejabat Penghubung (Sekretaris
    /// OPD)"); redeeming it on Telegram links that role, and the member is told of cases at that role's
    /// step, not at another's.
    /// </summary>
    [Fact]
    public async Task An_invite_made_on_the_page_carries_the_picked_role_to_the_telegram_member()
    {
        const long liaison = 9401;
        await using var kit = await RoutingKit.StartAsync(new Dictionary<string, string?>
        {
            ["Workflow:File"] = Path.Combine(TestPaths.Workflows, "cilacap.yaml"),
        });
        var operatorPage = StaffClient.For(kit.Telegram.App);
        await operatorPage.LoginOkAsync();

        // The picker offers the file's roles by their names, not ids; Cilacap has no implementing officer.
        var screen = await operatorPage.HtmlAsync("/status/instansi");
        var form = Regex.Match(screen, @"<form[^>]*class=""invite-form"" data-agency=""DPUPR"".*?</form>", RegexOptions.Singleline).Value;
        Assert.Contains("<option value=\"penghubung\">Pejabat Penghubung (Sekretaris OPD)</option>", form);
        Assert.Contains("<option value=\"kepala\">Kepala OPD</option>", form);
        Assert.DoesNotContain("value=\"pelaksana\"", form);
        Assert.DoesNotContain("value=\"triage\"", form);
        Assert.DoesNotContain("value=\"inspektorat\"", form);
        // The inspectorate's invite carries the inspectorate's role (or the whole agency's), not an OPD's.
        var apip = Regex.Match(screen, @"<form[^>]*class=""invite-form"" data-agency=""INSPEKTORAT"".*?</form>", RegexOptions.Singleline).Value;
        Assert.Contains("<option value=\"inspektorat\">Inspektorat (APIP)</option>", apip);
        Assert.DoesNotContain("value=\"admin\"", apip);

        // A role the agency's file does not have is refused, and no code is made.
        var refused = await operatorPage.PostFormAsync("/status/instansi", "/status/instansi?handler=Invite",
            new Dictionary<string, string> { ["code"] = "DPUPR", ["role"] = "pelaksana" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("Pilih peran yang dibawa kode undangan", await operatorPage.HtmlAsync("/status/instansi"));
        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM invite_codes"));

        var made = await operatorPage.PostFormAsync("/status/instansi", "/status/instansi?handler=Invite",
            new Dictionary<string, string> { ["code"] = "DPUPR", ["role"] = "penghubung" });
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var code = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT code FROM invite_codes WHERE agency_code = 'DPUPR' AND role = 'penghubung'");
        var shown = await operatorPage.HtmlAsync("/status/instansi");
        Assert.Contains($"id=\"invite-code\">{code}<", shown);
        Assert.Contains("untuk Pejabat Penghubung (Sekretaris OPD) DPUPR", shown);

        await kit.SayAsync(liaison, $"/start {code}", firstName: "Bu Sekretaris");
        Assert.StartsWith("✅ Akun Telegram Anda terhubung sebagai Pejabat Penghubung (Sekretaris OPD) DPUPR.",
            (await kit.WaitForMessageAsync(liaison, "terhubung")).GetProperty("text").GetString());
        Assert.Equal("penghubung", await Db.ScalarAsync<string>(kit.DatabasePath,
            "SELECT role FROM staff_members WHERE telegram_user_id = @id AND agency_code = 'DPUPR' AND source = 'invite'", new { id = liaison.ToString() }));

        // A case for DPUPR: the admin's step first (the liaison is not told), then the liaison's, with its deadline.
        var number = await kit.FileComplaintAsync("Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.WaitForMessageAsync(RoutingKit.PuAdmin, "📋 Aduan baru untuk");
        Assert.DoesNotContain(kit.TextsTo(liaison), t => t.Contains(number, StringComparison.Ordinal));
        await kit.SayAsync(RoutingKit.PuAdmin, $"/terima {number}");
        var notified = (await kit.WaitForMessageAsync(liaison, $"Aduan {number} diterima")).GetProperty("text").GetString()!;
        Assert.Matches(@"Tahap Anda: Pejabat Penghubung berkoordinasi dengan Kepala OPD \(Pejabat Penghubung \(Sekretaris OPD\)\), batas waktu \d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB", notified);
        Assert.Contains($"/teruskan {number}", notified);
        await kit.SayAsync(liaison, $"/teruskan {number} sudah dikoordinasikan");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<string?>(kit.DatabasePath,
            "SELECT step FROM complaints WHERE tracking_number = @number", new { number }) == "tindak_lanjut", "the liaison forwarded the case");
    }
}
