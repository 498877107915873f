using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using OpenQA.Selenium;

namespace LaporBot.Tests.BrowserTests;

/// <summary>
/// The whole loop in Development, in a real headless Chromium, with nothing but the demo directory:
/// a citizen files in the simulator, the triage desk disposes in the simulator's staff chat, DPUPR's
/// admin accepts there with a button, the liaison and the head act on the status page, the admin
/// answers in the simulator, and the answer arrives in the citizen's chat.
/// </summary>
public class WholeLoopBrowserTests
{
    private const string Answer = "Saluran di gang Anda sudah kami bersihkan hari ini. Terima kasih atas laporannya.";

    [SkippableFact]
    public async Task A_case_goes_from_the_citizen_through_triage_and_every_agency_role_back_to_the_citizen()
    {
        Browser.RequireChromium();
        await using var app = new LaporApp(settings: new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Scheduler:WatchInterval"] = "00:00:01" });
        var baseUrl = Browser.Serve(app);
        using var browser = new Browser();
        var d = browser.Driver;

        void Say(string text)
        {
            var input = browser.WaitFor(By.Id("text"));
            input.SendKeys(text);
            input.SendKeys(Keys.Enter);
        }
        void Click(Func<IWebElement?> find) => browser.WaitUntil(_ =>
        {
            try
            {
                var e = find();
                e?.Click();
                return e is not null;
            }
            catch (StaleElementReferenceException)
            {
                return false;
            }
        });
        string Log()
        {
            try
            {
                return d.FindElement(By.Id("log")).Text;
            }
            catch (StaleElementReferenceException)
            {
                return "";
            }
        }
        Task<string?> Step(string number) =>
            Db.ScalarAsync<string?>(app.DatabasePath, "SELECT step FROM complaints WHERE tracking_number = @number", new { number });

        // 1. The citizen, in the simulator: a complaint no keyword decides goes to the triage desk.
        d.Navigate().GoToUrl(baseUrl + "/dev/chat/");
        Say("Saluran air di gang rumah kami mampet dan meluap setiap hujan, mohon dibantu");
        browser.WaitUntil(_ => Log().Contains("Siapa nama lengkap Anda?"));
        Say("Siti Rahayu");
        browser.WaitUntil(_ => Log().Contains("alamat", StringComparison.OrdinalIgnoreCase));
        Say("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        Click(() => d.FindElements(By.CssSelector("#log .quick button")).FirstOrDefault(b => b.Text == "Sama dengan alamat"));
        Click(() => d.FindElements(By.CssSelector("#log .quick button")).FirstOrDefault(b => b.Text == "Ya"));
        browser.WaitUntil(_ => Log().Contains("LPR-"));
        var number = await Db.ScalarAsync<string>(app.DatabasePath, "SELECT tracking_number FROM complaints");
        await Db.EventuallyAsync(async () => await Step(number) == "disposisi", "the case waits for the triage desk");

        // 2. The triage desk, in the simulator's staff chat: notified, disposes to DPUPR by command.
        Click(() => d.FindElements(By.CssSelector("#staff button")).FirstOrDefault(b => b.Text.Contains("Admin Utama")));
        browser.WaitUntil(_ => Log().Contains(number));
        Say($"/disposisi {number} DPUPR");
        await Db.EventuallyAsync(async () => await Step(number) == "periksa", "assigned to DPUPR's admin");

        // 3. DPUPR's admin, in the simulator: the notification's Terima button accepts.
        Click(() => d.FindElements(By.CssSelector("#staff button")).FirstOrDefault(b => b.Text.StartsWith("Admin OPD DPUPR", StringComparison.Ordinal)));
        browser.WaitUntil(_ => Log().Contains(number));
        Click(() => d.FindElements(By.CssSelector("#log .buttons button")).FirstOrDefault(b => b.Text.Contains("Terima")));
        await Db.EventuallyAsync(async () => await Step(number) == "koordinasi", "accepted; the liaison's turn");
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "loop-simulator-staff.png"));

        // 4. The liaison and the head, on the status page.
        void Login(string user)
        {
            d.Navigate().GoToUrl(baseUrl + "/status/keluar");
            d.Manage().Cookies.DeleteAllCookies();
            d.Navigate().GoToUrl(baseUrl + "/status/masuk");
            browser.WaitFor(By.Id("username")).SendKeys(user);
            d.FindElement(By.Id("password")).SendKeys("demo-dev-only");
            d.FindElement(By.CssSelector("form button[type=submit]")).Click();
            browser.WaitFor(By.Id("task-list"));
        }
        void Act(string form, string? text = null)
        {
            d.Navigate().GoToUrl(baseUrl + "/status/aduan/" + number);
            var f = browser.WaitFor(By.Id(form));
            if (text is not null)
            {
                var box = f.FindElement(By.CssSelector("textarea, input[name=text]"));
                box.Clear();
                box.SendKeys(text);
            }
            f.FindElement(By.CssSelector("button[type=submit]")).Click();
            browser.WaitFor(By.CssSelector("p.flash"));
        }
        Login("dpupr-penghubung");
        Assert.Contains(number, d.FindElement(By.Id("task-list")).Text);
        Act("action-forward", "mohon arahan Kepala");
        await Db.EventuallyAsync(async () => await Step(number) == "tindak_lanjut", "forwarded to the head");
        Login("dpupr-kepala");
        Act("action-draft", Answer);
        await Db.EventuallyAsync(async () => await Step(number) == "teruskan_hasil", "the head's follow-up drafted");
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "loop-status-page.png"));
        Login("dpupr-penghubung");
        Act("action-forward");
        await Db.EventuallyAsync(async () => await Step(number) == "input_jawaban", "back to the admin to post the answer");

        // 5. The admin, in the simulator, sends the answer; the citizen reads it in their chat.
        d.Navigate().GoToUrl(baseUrl + "/dev/chat/");
        Click(() => d.FindElements(By.CssSelector("#staff button")).FirstOrDefault(b => b.Text.StartsWith("Admin OPD DPUPR", StringComparison.Ordinal)));
        browser.WaitUntil(_ => Log().Contains(number));
        Say($"/balas {number}");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<string>(app.DatabasePath,
            "SELECT status FROM complaints WHERE tracking_number = @number", new { number }) == "answered", "answered");
        Click(() => d.FindElements(By.CssSelector("#citizens button")).FirstOrDefault());
        browser.WaitUntil(_ => Log().Contains("Saluran di gang Anda sudah kami bersihkan"));
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "loop-citizen-answer.png"));
        SqliteConnection.ClearAllPools();
    }
}
