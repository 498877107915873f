using System.IO.Compression;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using OpenQA.Selenium;

namespace LaporBot.Tests.BrowserTests;

/// <summary>
/// Diskominfo staff on the status page in a real headless Chromium: a case that came in through
/// the Twilio webhook is found, inspected and assigned; the recap is downloaded; logins are
/// guarded. The screenshots in the README come from this test.
/// </summary>
public class StatusPageBrowserTests
{
    private static Dictionary<string, string?> Settings(string twilioApi)
    {
        var s = StatusPage.StatusPageKit.AgencySettings();
        s["Twilio:Enabled"] = "true";
        s["Twilio:AccountSid"] = TwilioHarness.AccountSid;
        s["Twilio:AuthToken"] = TwilioHarness.AuthToken;
        s["Twilio:WhatsAppNumber"] = TwilioHarness.Sender;
        s["Twilio:ApiBaseUrl"] = twilioApi;
        s["Twilio:WebhookUrl"] = TwilioHarness.PublicBase + "/webhooks/twilio";
        return s;
    }

    /// <summary>A citizen's whole report over the signed Twilio webhook, as WhatsApp delivers it.</summary>
    private static async Task FileOverTwilioAsync(HttpClient http, string from, params string[] texts)
    {
        var n = 0;
        foreach (var text in texts)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("MessageSid", $"SMbrowser{from[^4..]}{n++:D20}"), new("AccountSid", TwilioHarness.AccountSid),
                new("From", from), new("To", TwilioHarness.Sender), new("Body", text), new("NumMedia", "0"),
            };
            // Like Twilio, retry a 503 (the database was busy): the message was not kept, so it is safe to send again.
            HttpResponseMessage response;
            var attempt = 0;
            do
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio") { Content = new FormUrlEncodedContent(form) };
                request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(TwilioHarness.PublicBase + "/webhooks/twilio", form, TwilioHarness.AuthToken));
                response = await http.SendAsync(request);
            }
            while (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && ++attempt < 3);
            Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}");
        }
    }

    [SkippableFact]
    public async Task Staff_log_in_find_the_case_read_its_timeline_assign_it_download_the_recap_and_log_out()
    {
        Browser.RequireChromium();
        await using var twilio = await FakeProviderServer.StartAsync(_ => new(201, "{\"sid\":\"SM0000000000000000000000000000000b\"}"));
        await using var app = new LaporApp(settings: Settings(twilio.BaseUrl));
        var baseUrl = Browser.Serve(app);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await FileOverTwilioAsync(http, "whatsapp:+6281234567001",
            "Lampu jalan di perempatan Gumilir mati sejak seminggu, jalan gelap dan rawan", "Budi Santoso",
            "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", "sama", "ya");
        await FileOverTwilioAsync(http, "whatsapp:+6281234567002",
            "Sampah menumpuk di pinggir pasar sudah dua minggu tidak diangkut petugas kebersihan", "Ani Lestari",
            "Pasar Gede, Kelurahan Sidakaya, Cilacap Selatan", "sama", "ya");
        var number = await Db.ScalarAsync<string>(app.DatabasePath,
            "SELECT tracking_number FROM complaint_details WHERE name = 'Budi Santoso'");
        var downloads = TestPaths.NewTempDir();
        using var browser = new Browser(downloads);
        var d = browser.Driver;

        // Anonymous: every staff page sends you to the login.
        d.Navigate().GoToUrl(baseUrl + "/status/aduan");
        browser.WaitFor(By.Id("login-form"));
        Assert.Contains("/status/masuk", d.Url);

        // A wrong password is refused.
        Login(browser, "admin", "salah-sekali");
        Assert.Contains("salah", browser.WaitFor(By.Id("login-error")).Text);

        Login(browser, "admin", "admin-dev-only");
        Assert.Contains("/status/aduan", d.Url); // back to the page first asked for
        d.Navigate().GoToUrl(baseUrl + "/status");
        browser.WaitFor(By.Id("dashboard"));
        browser.WaitUntil(_ => d.PageSource.Contains(number));
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "dashboard.png"));

        // Filter the list down to the one case.
        d.Navigate().GoToUrl(baseUrl + "/status/aduan");
        var q = browser.WaitFor(By.Id("q"));
        q.SendKeys("Gumilir");
        d.FindElement(By.CssSelector("#case-filter button[type=submit], #case-filter input[type=submit]")).Click();
        browser.WaitUntil(_ => d.Url.Contains("q=Gumilir") && d.FindElements(By.Id("case-count")).Count == 1);
        var rows = d.FindElements(By.CssSelector("#case-list tbody tr"));
        Assert.Single(rows); // the other citizen's case is filtered out
        Assert.Contains(number, rows[0].Text);

        // Open it: the timeline shows the submission.
        rows[0].FindElement(By.CssSelector("a")).Click();
        var timeline = browser.WaitFor(By.Id("timeline"));
        browser.WaitUntil(_ => d.FindElement(By.Id("timeline")).Text.Contains("submitted"));
        Assert.Equal("Budi Santoso", d.FindElement(By.Id("case-name")).Text);

        // An operator action: assign to DPUPR.
        d.FindElement(By.CssSelector("#agency option[value='DPUPR']")).Click();
        d.FindElement(By.CssSelector("#action-assign button[type=submit]")).Click();
        browser.WaitUntil(_ => d.FindElements(By.Id("case-status")).FirstOrDefault()?.GetAttribute("data-status") == "assigned");
        Assert.Contains("assigned", d.FindElement(By.Id("timeline")).Text);
        Assert.Equal("DPUPR", await Db.ScalarAsync<string>(app.DatabasePath, "SELECT agency_code FROM complaints WHERE tracking_number = @number", new { number }));
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "case.png"));

        // This month's report as Excel, from the reports page ("Bulan ini"), inside the status page's menu.
        var local = DateTime.UtcNow.AddHours(7);
        await app.Service<LaporBot.Reports.StoredRecaps>().ProduceAsync(LaporBot.Reports.RecapPeriod.Month(local.Year, local.Month));
        d.Navigate().GoToUrl(baseUrl + "/status/rekap");
        browser.WaitFor(By.Id("unduh-cepat"));
        Assert.Equal("page", d.FindElement(By.CssSelector("header.top nav a[href='/status/rekap']")).GetAttribute("aria-current"));
        var stored = d.FindElement(By.Id("laporan-tersimpan")).Text;
        Assert.Contains("Menunggu paraf Kepala Seksi", stored);
        Assert.Contains("Rekapitulasi Bulanan", stored);
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "reports.png"));
        d.FindElement(By.CssSelector("#unduh-cepat a[href*='format=xlsx']")).Click();
        string? xlsx = null;
        browser.WaitUntil(_ => (xlsx = Directory.GetFiles(downloads, "*.xlsx").FirstOrDefault()) is not null, 30);
        using (var zip = ZipFile.OpenRead(xlsx!))
        {
            var text = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                .Select(e => new StreamReader(e.Open()).ReadToEnd()));
            Assert.Contains(number, text);
            Assert.Contains("_xlnm.Print_Titles", text); // prints with the header repeated
            Assert.Contains("Rekapitulasi Bulanan Pengaduan Pelayanan Publik dan Data Statistik", text);
        }

        // Log out: the session is gone.
        d.Navigate().GoToUrl(baseUrl + "/status");
        browser.WaitFor(By.CssSelector("#logout button")).Click();
        browser.WaitFor(By.Id("login-form"));
        d.Navigate().GoToUrl(baseUrl + "/status");
        browser.WaitFor(By.Id("login-form"));

        // Five failures lock the account: even the right password is refused afterwards.
        for (var i = 0; i < 5; i++)
        {
            Login(browser, "admin", $"salah-{i}");
        }
        Login(browser, "admin", "admin-dev-only");
        Assert.Contains("dikunci", browser.WaitFor(By.Id("login-error")).Text);
        Assert.DoesNotContain("dashboard", d.PageSource);
        SqliteConnection.ClearAllPools();
    }

    private static void Login(Browser browser, string user, string password)
    {
        var d = browser.Driver;
        if (!d.Url.Contains("/status/masuk"))
        {
            d.Navigate().GoToUrl(new Uri(new Uri(d.Url), "/status/masuk").ToString());
        }
        var u = browser.WaitFor(By.Id("username"));
        u.Clear();
        u.SendKeys(user);
        var p = d.FindElement(By.Id("password"));
        p.Clear();
        p.SendKeys(password);
        d.FindElement(By.CssSelector("#login-form button[type=submit]")).Click();
        // Either refused (the error is shown) or in (sent on to the page asked for).
        browser.WaitUntil(_ => d.FindElements(By.Id("login-error")).Count > 0 || !d.Url.Contains("/status/masuk"));
    }
}
