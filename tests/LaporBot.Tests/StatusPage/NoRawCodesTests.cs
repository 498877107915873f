using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LaporBot.StatusPage;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.StatusPage;

/// <summary>
/// Every page staff or the public read, rendered with cases that went through many events: what a
/// person reads (the text, not the markup) never shows a stored status, event or actor code, JSON,
/// or an English-only word where Indonesian is expected.
/// </summary>
public sealed partial class NoRawCodesTests
{
    private const string Street = "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah";

    // <code> holds technical detail shown verbatim on purpose (a provider's error text), marked as such.
    [GeneratedRegex(@"<(script|style|code)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Blocks();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    /// <summary>What a reader sees: the page's text without markup, attributes or styles.</summary>
    internal static string VisibleText(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(Blocks().Replace(html, " "), " "));

    private static readonly (string What, Regex Pattern)[] Leaks =
    [
        ("a stored status", new(@"\b(submitted|triage|assigned|accepted|returned|answered|reopened|closed)\b")),
        ("a stored event kind", new(@"\b[a-z]+_[a-z_]+\b")),
        ("a stored actor", new(@"\b(sistem|system|web|staf|staff|telegram|simulator|citizen|pelapor):\S")),
        ("JSON", new(@"[\[{]\s*""|""\s*:\s*[""\[{\d]")),
        ("an English-only word", new(@"\b(pending|sent|dead|failed|delivered|viewer|unknown|none|null|true|false)\b")),
    ];

    internal static void AssertNoLeaks(string page, string html)
    {
        var text = VisibleText(html);
        foreach (var (what, pattern) in Leaks)
        {
            var m = pattern.Match(text);
            Assert.False(m.Success, $"{page} shows {what}: '{m.Value}' in …{(m.Success ? text.Substring(Math.Max(0, m.Index - 80), Math.Min(160, text.Length - Math.Max(0, m.Index - 80))) : "")}…");
        }
    }

    [Fact]
    public async Task No_page_shows_a_raw_code_JSON_or_an_English_only_label()
    {
        await using var kit = StatusPageKit.Start(extra: new Dictionary<string, string?> { ["Triage:AdminTelegramIds:0"] = "7000" });
        // One case assigned by the desk on the page, one returned to the citizen, one closed.
        var assigned = await kit.FileAsync("warga-1", "Budi Santoso", Street, "Lampu penerangan jalan mati sudah dua minggu, jalan gelap");
        var returned = await kit.FileAsync("warga-2", "Siti Aminah", "Jl. Pasar Baru No. 1, Cilacap", "Sampah di pinggir pasar menumpuk tidak diangkut sejak sepekan");
        var closed = await kit.FileAsync("warga-3", "Joko Widodo", "Jl. Gatot Subroto 3, Cilacap", "Ada sampah dan lampu jalan mati di gang kami sejak lama");
        foreach (var n in new[] { assigned, returned, closed })
        {
            await kit.WaitForStatusAsync(n, "triage");
        }
        var desk = kit.Staff();
        await desk.LoginOkAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync($"/status/aduan/{assigned}", $"/status/aduan/{assigned}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DPUPR", ["note"] = "mohon segera dicek" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync($"/status/aduan/{returned}", $"/status/aduan/{returned}?handler=Return",
            new Dictionary<string, string> { ["reason"] = "Mohon sebutkan nama pasarnya" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync($"/status/aduan/{closed}", $"/status/aduan/{closed}?handler=Close",
            new Dictionary<string, string> { ["reason"] = "Aduan ganda" })).StatusCode);
        // A dead outgoing message and an overdue case, so those tables have rows too.
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE outbox SET status = 'dead', last_error = 'HTTP 400' WHERE id = (SELECT MIN(id) FROM outbox)");
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE complaints SET due_at = 1000 WHERE tracking_number = @assigned", new { assigned });
        await kit.App.Service<StaffAccounts>().CreateAsync("dpupr-admin", "admin", "sandi-petugas-1", "DPUPR", "Rudi Hartono");

        var local = DateTime.UtcNow.AddHours(7);
        var pages = new List<string>
        {
            "/status", "/status/aduan", "/status/aduan?status=closed", "/status/outbox", "/status/instansi", "/status/rekap",
            $"/status/rekap/unduh?periode={local:yyyy-MM}&format=html",
        };
        pages.AddRange(new[] { assigned, returned, closed }.Select(n => $"/status/aduan/{n}"));
        foreach (var page in pages)
        {
            AssertNoLeaks(page, await desk.HtmlAsync(page));
        }

        var member = kit.Staff();
        await member.LoginOkAsync("dpupr-admin", "sandi-petugas-1");
        AssertNoLeaks("/status/tugas", await member.HtmlAsync("/status/tugas"));
        AssertNoLeaks($"/status/aduan/{assigned} (agency member)", await member.HtmlAsync($"/status/aduan/{assigned}"));

        var anyone = kit.App.CreateClient();
        foreach (var page in new[] { "/lacak", $"/lacak/{assigned}", $"/lacak/{returned}", $"/lacak/{closed}" })
        {
            AssertNoLeaks(page, await anyone.GetStringAsync(page));
        }
        AssertNoLeaks("/lacak (not found)", await (await anyone.GetAsync("/lacak/LPR-2001-99999")).Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A case card on Telegram (/lihat) and the notifications around it, after a disposition, a
    /// refusal by the agency, a second disposition and an acceptance: the history names each event
    /// and actor as the status page does, in the one date format, no stored code.
    /// </summary>
    [Fact]
    public async Task Telegram_case_cards_and_notifications_show_no_raw_code()
    {
        await using var kit = await RoutingKit.StartAsync();
        var number = await kit.FileComplaintAsync("Sampah menumpuk di TPS Jl. Kenanga sudah seminggu tidak diangkut");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.SayAsync(RoutingKit.DlhAdmin, $"/tolak {number} bukan wilayah kami, mohon dicek ulang");
        await kit.WaitForStatusAsync(number, "triage");
        await kit.SayAsync(RoutingKit.Triage, $"/disposisi {number} DLH mohon ditangani");
        await kit.WaitForStatusAsync(number, "assigned");
        await kit.SayAsync(RoutingKit.DlhAdmin, $"/terima {number}");
        await kit.WaitForStatusAsync(number, "accepted");

        foreach (var who in new[] { RoutingKit.Triage, RoutingKit.DlhAdmin })
        {
            await kit.SayAsync(who, $"/lihat {number}");
            var card = (await kit.WaitForMessageAsync(who, "Riwayat:")).GetProperty("text").GetString()!;
            AssertNoLeaks($"/lihat to {who}", card);
            // The same words as the status page's timeline, and the deployment's date format.
            Assert.Contains("Aduan masuk", card);
            Assert.Contains("Ditolak instansi (bukan kewenangannya)", card);
            Assert.Contains("Diterima instansi", card);
            Assert.Contains("Sistem (pembagian otomatis)", card);
            Assert.Matches(@"• \d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB — Didisposisikan ke instansi — ", card);
            foreach (var text in kit.TextsTo(who))
            {
                AssertNoLeaks($"a message to {who}", text);
            }
        }
    }

    private sealed record StaffLine(string Direction, long Id, string Text, List<JsonElement> Buttons, long At);

    /// <summary>
    /// The simulator in Development with the demo directory (Cilacap's file, whose step ids have
    /// underscores): the staff chat's cards and notifications, and the side panel's case list, show
    /// the statuses and steps by name.
    /// </summary>
    [Fact]
    public async Task The_simulators_staff_chat_and_case_panel_show_no_raw_code()
    {
        var app = new LaporApp(settings: new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Scheduler:WatchInterval"] = "00:00:01" });
        try
        {
            var http = app.CreateClient();
            var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            var staff = (await http.GetFromJsonAsync<List<JsonElement>>("/dev/chat/api/staff", web))!;
            long Id(string role) => staff.First(x => x.GetProperty("role").GetString() == role
                && x.GetProperty("agency").ValueKind is JsonValueKind.Null or JsonValueKind.String
                && (role == "triage" || x.GetProperty("agency").GetString() == "DPUPR")).GetProperty("id").GetInt64();
            Assert.All(staff, x => Assert.False(string.IsNullOrEmpty(x.GetProperty("roleName").GetString())));
            async Task Say(long who, string text) =>
                Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/dev/chat/api/staff/messages", new { staff = who, text })).StatusCode);
            async Task<List<StaffLine>> Chat(long who) => (await http.GetFromJsonAsync<List<StaffLine>>($"/dev/chat/api/staff/messages?staff={who}", web))!;

            var citizen = new SimulatorCitizen(http, "warga-kode");
            var number = await citizen.ReportDemoPotholeAsync(app.DatabasePath);
            // The admin presses the notification's Terima button: the chat shows the button, not its data.
            await Db.EventuallyAsync(async () => (await Chat(Id("admin"))).Any(l => l.Text.Contains(number) && l.Buttons.Count > 0), "the admin is notified");
            var data = (await Chat(Id("admin"))).First(l => l.Text.Contains(number) && l.Buttons.Count > 0).Buttons
                .Select(b => b.GetProperty("data").GetString()!).First(d => d.StartsWith("terima:", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/dev/chat/api/staff/messages", new { staff = Id("admin"), button = data })).StatusCode);
            Assert.Contains(await Chat(Id("admin")), l => l.Direction == "in" && l.Text == "✅ Terima");
            Assert.DoesNotContain(await Chat(Id("admin")), l => l.Text.Contains(data, StringComparison.Ordinal));
            await Say(Id("penghubung"), $"/teruskan {number} mohon arahan");
            Assert.Equal("tindak_lanjut", await Db.ScalarAsync<string>(app.DatabasePath, "SELECT step FROM complaints WHERE tracking_number = @number", new { number }));

            foreach (var who in new[] { Id("triage"), Id("admin"), Id("kepala") })
            {
                await Say(who, $"/lihat {number}");
                // The card is a reply through the outbox: wait for it to be delivered to the chat.
                await Db.EventuallyAsync(async () => (await Chat(who)).Any(l => l.Direction == "out" && l.Text.Contains("Riwayat:")), $"the card in {who}'s chat");
                var lines = await Chat(who);
                var card = lines.Last(l => l.Direction == "out" && l.Text.Contains("Riwayat:")).Text;
                Assert.Contains("Diteruskan ke tahap berikutnya", card);
                Assert.Contains("lewat simulator", card);
                foreach (var l in lines.Where(l => l.Direction == "out"))
                {
                    AssertNoLeaks($"the simulator chat of {who}", l.Text);
                }
            }

            var panel = (await http.GetFromJsonAsync<List<JsonElement>>("/dev/chat/api/complaints", web))!.Single(c => c.GetProperty("trackingNumber").GetString() == number);
            Assert.Equal("Kepala OPD memberikan hasil tindak lanjut", panel.GetProperty("stepName").GetString());
            AssertNoLeaks("the simulator's case panel", $"{panel.GetProperty("statusName").GetString()} {panel.GetProperty("stepName").GetString()}");
            var transcript = await citizen.TranscriptAsync();
            Assert.Contains(transcript, l => l.Direction == "out");
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
