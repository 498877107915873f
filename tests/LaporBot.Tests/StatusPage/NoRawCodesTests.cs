using System.Net;
using System.Text.RegularExpressions;
using LaporBot.StatusPage;
using LaporBot.Tests.Fakes;

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
}
