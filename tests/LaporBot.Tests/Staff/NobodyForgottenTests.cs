using System.Net;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using LaporBot.Tests.StatusPage;

namespace LaporBot.Tests.Staff;

/// <summary>An agency nobody can act for never receives a case: refused on Telegram and on the page; routing hands it to the desk.</summary>
public class NobodyForgottenTests
{
    [Fact]
    public async Task Telegram_AssignToAgencyWithoutTheStepsRole_IsRefusedWithAClearMessage_AndRoutingSendsItToTriage()
    {
        // DISDAG has only its head, but Cilacap's first agency step is the Admin OPD's.
        await using var kit = await RoutingKit.StartAsync(new Dictionary<string, string?>
        {
            ["Agencies:3:Code"] = "DISDAG",
            ["Agencies:3:Name"] = "Dinas Perdagangan",
            ["Agencies:3:Keywords:0"] = "kios pasar",
            ["Agencies:3:Members:0:TelegramId"] = "9401",
            ["Agencies:3:Members:0:Role"] = "kepala",
        });
        // A confident keyword match for DISDAG: routing would assign, but nobody there can take the first step.
        var number = await kit.FileComplaintAsync("Atap kios pasar Sidanegara bocor parah setiap hujan, barang dagangan pedagang rusak semua");
        await kit.WaitForStatusAsync(number, "triage");
        var toTriage = (await kit.WaitForMessageAsync(RoutingKit.Triage, "Aduan perlu disposisi")).GetProperty("text").GetString()!;
        Assert.Contains("DISDAG belum punya petugas (Admin OPD) yang dapat menerima aduan", toTriage);

        await kit.SayAsync(RoutingKit.Triage, $"/disposisi {number} DISDAG");
        await kit.WaitForExactMessageAsync(RoutingKit.Triage,
            $"⛔ Aduan {number} tidak didisposisikan: Dinas Perdagangan belum punya petugas yang dapat menerimanya (peran Admin OPD). " +
            "Pilih instansi lain, atau hubungkan petugasnya dulu (kode undangan untuk peran itu di halaman Instansi, atau: invite DISDAG admin).");
        Assert.Equal("triage", await kit.StatusAsync(number));
        Assert.Null(await kit.AgencyAsync(number));

        // Another agency with a member takes it.
        await kit.SayAsync(RoutingKit.Triage, $"/disposisi {number} DLH");
        await kit.WaitForStatusAsync(number, "assigned");
    }

    [Fact]
    public async Task StatusPage_AssignToAgencyWithoutMembers_IsRefusedOnThePage()
    {
        await using var kit = StatusPageKit.Start(extra: new Dictionary<string, string?>
        {
            ["Agencies:2:Code"] = "DISDIK",
            ["Agencies:2:Name"] = "Dinas Pendidikan",
        });
        var number = await kit.FileAsync("6281200000901", "Budi", "Jl. Merdeka 1", "Lampu jalan mati di depan balai desa sejak seminggu");
        await kit.WaitForStatusAsync(number, "triage");
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var r = await staff.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign", new Dictionary<string, string> { ["agency"] = "DISDIK" });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var page = WebUtility.HtmlDecode(await staff.HtmlAsync($"/status/aduan/{number}"));
        Assert.Contains($"⛔ Aduan {number} tidak didisposisikan: Dinas Pendidikan belum punya petugas yang dapat menerimanya (peran Admin OPD)", page);
        Assert.Equal("triage", await kit.StatusAsync(number));
    }
}
