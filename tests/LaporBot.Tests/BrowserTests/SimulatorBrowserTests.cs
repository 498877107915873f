using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using OpenQA.Selenium;

namespace LaporBot.Tests.BrowserTests;

/// <summary>The local chat simulator in a real headless Chromium: a newcomer's first experience of LaporBot.</summary>
public class SimulatorBrowserTests
{
    [SkippableFact]
    public async Task A_citizen_files_a_complaint_in_the_simulator_page_and_sees_the_tracking_number()
    {
        Browser.RequireChromium();
        await using var app = new LaporApp();
        var baseUrl = Browser.Serve(app);
        using var browser = new Browser();
        var d = browser.Driver;

        d.Navigate().GoToUrl(baseUrl + "/dev/chat/");
        void Say(string text)
        {
            var input = browser.WaitFor(By.Id("text"));
            input.SendKeys(text);
            input.SendKeys(Keys.Enter);
        }
        int Bubbles() => d.FindElements(By.CssSelector("#log .msg.out")).Count;

        Say("Jalan di depan pasar Sidanegara rusak parah, banyak lubang besar sejak bulan lalu");
        browser.WaitUntil(_ => Bubbles() >= 1);
        browser.WaitUntil(_ => LastReply(d).Contains("Siapa nama lengkap Anda?"));
        Say("Siti Rahayu");
        browser.WaitUntil(_ => Bubbles() >= 2);
        Say("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        // "Where is the problem?" offers one button: the problem is at the applicant's address.
        browser.WaitUntil(_ =>
        {
            try
            {
                var same = d.FindElements(By.CssSelector("#log .quick button")).FirstOrDefault(b => b.Text == "Sama dengan alamat");
                same?.Click();
                return same is not null;
            }
            catch (StaleElementReferenceException)
            {
                return false;
            }
        });
        browser.WaitUntil(_ => d.FindElements(By.CssSelector("#log .quick button")).Count == 3);
        // The dialog's *bold* is shown as bold, never as asterisks.
        Assert.Contains(d.FindElements(By.CssSelector("#log .msg.out b")), e => e.Text == "Nama:");
        Assert.DoesNotContain("*Nama:*", LastReply(d));
        // Quick replies are buttons: tap "Ya". The page redraws when a message's delivery state changes,
        // so find the button afresh if it went stale.
        browser.WaitUntil(_ =>
        {
            try
            {
                d.FindElements(By.CssSelector("#log .quick button")).First(b => b.Text == "Ya").Click();
                return true;
            }
            catch (StaleElementReferenceException)
            {
                return false;
            }
        });
        browser.WaitUntil(_ => LastReply(d).Contains("LPR-"));

        var last = LastReply(d);
        var number = await Db.ScalarAsync<string>(app.DatabasePath, "SELECT tracking_number FROM complaints");
        Assert.Contains(number, last);
        browser.WaitUntil(_ => d.FindElement(By.Id("clist")).Text.Contains(number));
        browser.Screenshot(Path.Combine(TestPaths.RepoRoot, "docs", "screenshots", "simulator.png"));
        SqliteConnection.ClearAllPools();
    }

    private static string LastReply(IWebDriver d)
    {
        try
        {
            return d.FindElements(By.CssSelector("#log .msg.out")).LastOrDefault()?.Text ?? "";
        }
        catch (StaleElementReferenceException)
        {
            return "";
        }
    }
}
