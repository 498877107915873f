using LaporBot.Channels.Telegram;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>Start-up checks of the Telegram section: each message names the key and says how to fix it.
/// SQLite only: start-up validation of settings, decided before any store is opened.</summary>
public class TelegramOptionsTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "LaporBot";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static TelegramOptions Valid() => new()
    {
        Enabled = true,
        BotToken = FakeTelegramServer.Token,
        WebhookSecret = "s3cret_Webhook-Token",
    };

    private static ValidateOptionsResult Validate(TelegramOptions o, string environment = "Production") =>
        new TelegramOptionsValidator(new Env(environment)).Validate(null, o);

    [Fact]
    public void Disabled_needs_nothing() => Assert.True(Validate(new TelegramOptions()).Succeeded);

    [Fact]
    public void A_complete_webhook_configuration_is_valid() => Assert.True(Validate(Valid()).Succeeded);

    /// <summary>One key changed from <see cref="Valid"/>, bound the way the app binds configuration.</summary>
    private static TelegramOptions With(string key, string value)
    {
        var o = Valid();
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build().GetSection(TelegramOptions.Section).Bind(o);
        return o;
    }

    [Theory]
    [InlineData("Telegram:BotToken", "", "Production", "Telegram:BotToken is empty; create a bot with @BotFather")]
    [InlineData("Telegram:WebhookSecret", "", "Production", "Telegram:WebhookSecret is empty")]
    [InlineData("Telegram:WebhookSecret", "not allowed", "Development", "A-Z a-z 0-9 _ -")]
    [InlineData("Telegram:ApiBaseUrl", "api.telegram.org", "Production", "Telegram:ApiBaseUrl 'api.telegram.org' is not an absolute URL")]
    [InlineData("Telegram:BotToken", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "Production", "Telegram:BotToken does not look like a token from @BotFather")]
    [InlineData("Telegram:ApiBaseUrl", "ftp://api.telegram.org", "Production", "Telegram:ApiBaseUrl 'ftp://api.telegram.org' is not an absolute URL")]
    [InlineData("Telegram:ApiBaseUrl", "https://proxy.example.go.id/telegram", "Production", "Telegram:ApiBaseUrl 'https://proxy.example.go.id/telegram' has a path")]
    [InlineData("Telegram:ApiBaseUrl", "http://127.0.0.1:8081/?x=1", "Production", "Telegram:ApiBaseUrl 'http://127.0.0.1:8081/' has a path (or query)")]
    [InlineData("Telegram:PublicWebhookUrl", "http://lapor.example.go.id/webhooks/telegram", "Production", "must be an absolute https URL")]
    [InlineData("Telegram:PublicWebhookUrl", "/webhooks/telegram", "Production", "must be an absolute https URL")]
    [InlineData("Telegram:MessagesPerSecond", "0", "Production", "Telegram:MessagesPerSecond")]
    [InlineData("Telegram:PerChatInterval", "-00:00:01", "Production", "Telegram:PerChatInterval")]
    [InlineData("Telegram:PollTimeoutSeconds", "600", "Production", "Telegram:PollTimeoutSeconds")]
    public void Invalid_settings_are_refused_with_the_key_and_the_fix(string key, string value, string environment, string message)
    {
        var result = Validate(With(key, value), environment);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Failures!, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Development", false)]
    [InlineData("Production", true)]
    public void Without_a_secret_webhook_mode_is_allowed_only_in_development_but_polling_anywhere(string environment, bool polling)
    {
        var o = Valid();
        o.WebhookSecret = "";
        o.UsePolling = polling;
        Assert.True(Validate(o, environment).Succeeded);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/webhooks/telegram")]
    [InlineData("http://localhost/webhooks/telegram")]
    [InlineData("https://lapor.example.go.id:8443/webhooks/telegram")]
    public void Public_webhook_url_is_https_or_loopback_http(string url)
    {
        var o = Valid();
        o.PublicWebhookUrl = url;
        Assert.True(Validate(o).Succeeded);
    }

    [Fact]
    public async Task The_app_refuses_to_start_with_Telegram_enabled_and_no_token()
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?>
        {
            ["Telegram:Enabled"] = "true",
            ["Telegram:WebhookSecret"] = "s3cret",
        }, "Production");

        var messages = string.Join("\n", Flatten(e));
        Assert.Contains("Telegram:BotToken", messages);
        Assert.Contains("@BotFather", messages);
    }

    [Theory]
    [InlineData("https://api.telegram.org")]
    [InlineData("https://api.telegram.org/")]
    [InlineData("http://127.0.0.1:8081")]
    public void Api_base_url_without_a_path_is_valid(string url)
    {
        var o = Valid();
        o.ApiBaseUrl = url;
        Assert.True(Validate(o).Succeeded);
    }

    [Fact]
    public async Task The_app_refuses_to_start_with_an_api_base_url_that_has_a_path()
    {
        // Telegram.Bot would drop "/telegram-proxy" and call http://127.0.0.1:9/bot…/ instead: refuse rather than misroute.
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?>
        {
            ["Telegram:Enabled"] = "true",
            ["Telegram:BotToken"] = FakeTelegramServer.Token,
            ["Telegram:WebhookSecret"] = "s3cret",
            ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9/telegram-proxy",
        }, "Production");

        var messages = string.Join("\n", Flatten(e));
        Assert.Contains("Telegram:ApiBaseUrl 'http://127.0.0.1:9/telegram-proxy' has a path", messages);
        Assert.Contains("scheme, host and port", messages);
        Assert.DoesNotContain("TEST-token-abc", messages);
    }

    private static IEnumerable<string> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x.Message;
            if (x is OptionsValidationException ov)
            {
                foreach (var f in ov.Failures)
                    yield return f;
            }
            if (x is AggregateException ag)
            {
                foreach (var inner in ag.InnerExceptions.SelectMany(Flatten))
                    yield return inner;
            }
        }
    }
}
