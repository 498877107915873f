using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
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

        Assert.StartsWith("✅ Akun Telegram Anda terhubung sebagai admin DPUPR.", (await kit.WaitForMessageAsync(9201, "terhubung")).GetProperty("text").GetString());
        Assert.StartsWith("✅ Akun Telegram Anda terhubung sebagai kepala DPUPR.", (await kit.WaitForMessageAsync(9202, "terhubung")).GetProperty("text").GetString());
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
}
