using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// A real headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run) driven by
/// Selenium against the app served by Kestrel on 127.0.0.1. Selenium's driver manager cannot
/// download anything here, so both binaries are named explicitly.
/// </summary>
internal sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _profile = TestPaths.NewTempDir();

    public Browser(string? downloadDirectory = null)
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        if (downloadDirectory is not null)
        {
            options.AddUserProfilePreference("download.default_directory", downloadDirectory);
            options.AddUserProfilePreference("download.prompt_for_download", false);
        }
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
            "--window-size=1280,900", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    /// <summary>
    /// Skips when Chromium is absent on a developer machine; under CI=true a missing browser is a
    /// failure, because .ci/run installs it.
    /// </summary>
    public static void RequireChromium()
    {
        var present = File.Exists(ChromiumPath) && File.Exists(DriverPath);
        if (!present && Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException("Chromium is required under CI: .ci/run installs chromium and chromium-driver.");
        }
        Skip.IfNot(present, "Chromium is not installed (apt-get install -y chromium chromium-driver); browser tests skipped.");
    }

    /// <summary>Serves the app on a real port (Kestrel) and returns its base address.</summary>
    public static string Serve(LaporApp app)
    {
        app.UseKestrel(0);
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
    }

    public IWebElement WaitFor(By by, int seconds = 30) =>
        new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)).Until(d => d.FindElements(by).FirstOrDefault(e => e.Displayed));

    public void WaitUntil(Func<IWebDriver, bool> condition, int seconds = 30) =>
        new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)).Until(condition);

    /// <summary>
    /// Saves a PNG of the current page. The README's screenshots (docs/screenshots/) are refreshed
    /// only when LAPORBOT_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the work tree clean;
    /// otherwise the picture goes to the temp folder (the capture itself is still exercised).
    /// </summary>
    public void Screenshot(string path)
    {
        if (Environment.GetEnvironmentVariable("LAPORBOT_UPDATE_SCREENSHOTS") != "1")
        {
            path = Path.Combine(Path.GetTempPath(), "laporbot-tests", "screenshots", Path.GetFileName(path));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Driver.GetScreenshot().SaveAsFile(path);
        Assert.True(new FileInfo(path).Length > 1000, $"screenshot {path} is empty");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned later.
        }
    }
}
