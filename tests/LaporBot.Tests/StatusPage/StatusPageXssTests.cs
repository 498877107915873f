using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.StatusPage;

/// <summary>Whatever a citizen wrote is shown as text, never as markup, on every staff page.</summary>
public sealed class StatusPageXssTests
{
    // No digits: a name with digits is refused by the form.
    private const string Script = "<script>alert(document.cookie)</script>";
    private const string Attribute = "\"><img src=x onerror=alert(document.domain)>";

    [Fact]
    public async Task Markup_in_name_address_and_text_is_shown_inert_on_every_page()
    {
        await using var kit = StatusPageKit.Start(extra: new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" });
        var number = await kit.FileAsync("warga-xss",
            $"Budi {Script} {Attribute}",
            $"Jl. Merdeka {Script} No. 5 {Attribute}",
            $"Lampu jalan mati {Script} sudah dua minggu {Attribute} mohon segera diperbaiki");
        // The payload really is stored verbatim, so the pages below have something to encode.
        var stored = (await Db.QueryAsync<(string Name, string Address, string Text)>(kit.DatabasePath,
            "SELECT name, address, text FROM complaint_details WHERE tracking_number = @number", new { number })).Single();
        foreach (var field in new[] { stored.Name, stored.Address, stored.Text })
        {
            Assert.Contains(Script, field);
            Assert.Contains(Attribute, field);
        }
        // A dead message whose body repeats the citizen's words (the bot's summary), for the outbox page.
        await Db.ExecuteAsync(kit.DatabasePath,
            "UPDATE outbox SET status = 'dead', last_error = @error WHERE id = (SELECT MAX(id) FROM outbox WHERE recipient = 'warga-xss' AND body LIKE '%&lt;script&gt;%')",
            new { error = $"provider said {Script}" });
        Assert.Equal(1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'dead'"));
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        foreach (var path in new[] { "/status", "/status/aduan", $"/status/aduan?q=Budi", $"/status/aduan/{number}", "/status/outbox" })
        {
            var html = await staff.HtmlAsync(path);
            Assert.True(html.Contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;"), $"{path} shows the script tag as text");
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("onerror=alert(document.domain)>", html);
            Assert.True(html.Contains("&quot;&gt;&lt;img src=x onerror=alert(document.domain)&gt;"), $"{path} shows the attribute-breaking text as text");
        }
    }
}
