using LaporBot.Channels.Meta;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Channels.Meta;

/// <summary>SQLite only: start-up validation of settings, decided before any store is opened.</summary>
public class MetaOptionsTests
{
    private static MetaOptions Valid() => new()
    {
        Enabled = true, AccessToken = "EAAG", AppSecret = "s", VerifyToken = "v", PhoneNumberId = "106540352242922",
    };

    private static ValidateOptionsResult Validate(MetaOptions o, string environment = "Production") =>
        new MetaOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, o);

    [Fact]
    public void Disabled_needs_nothing() => Assert.True(Validate(new MetaOptions()).Succeeded);

    [Fact]
    public void Complete_settings_pass() => Assert.True(Validate(Valid()).Succeeded);

    [Theory]
    [InlineData("Meta:AccessToken", "API Setup")]
    [InlineData("Meta:PhoneNumberId", "API Setup")]
    [InlineData("Meta:VerifyToken", "Verify token")]
    [InlineData("Meta:AppSecret", "App secret")]
    [InlineData("Meta:ApiBaseUrl", "https://graph.facebook.com")]
    [InlineData("Meta:TemplateLanguage", "approved")]
    [InlineData("Meta:MessagesPerSecond", "80")]
    [InlineData("Meta:TimeoutSeconds", "1–120")]
    public void Each_missing_or_bad_key_is_named_with_where_to_find_the_value(string key, string hint)
    {
        var o = Valid();
        switch (key)
        {
            case "Meta:AccessToken": o.AccessToken = ""; break;
            case "Meta:PhoneNumberId": o.PhoneNumberId = " "; break;
            case "Meta:VerifyToken": o.VerifyToken = ""; break;
            case "Meta:AppSecret": o.AppSecret = ""; break;
            case "Meta:ApiBaseUrl": o.ApiBaseUrl = "graph.facebook.com"; break;
            case "Meta:TemplateLanguage": o.TemplateName = "laporbot_pemberitahuan"; o.TemplateLanguage = ""; break;
            case "Meta:MessagesPerSecond": o.MessagesPerSecond = 0; break;
            case "Meta:TimeoutSeconds": o.TimeoutSeconds = 0; break;
        }

        var failure = Assert.Single(Validate(o).Failures!);
        Assert.StartsWith(key + " ", failure);
        Assert.Contains(hint, failure);
    }

    [Fact]
    public void The_app_secret_may_be_empty_in_development_only()
    {
        var o = Valid();
        o.AppSecret = "";
        Assert.True(Validate(o, "Development").Succeeded);
        Assert.False(Validate(o, "Staging").Succeeded);
    }

    [Fact]
    public async Task Start_up_stops_when_Meta_is_enabled_without_its_keys()
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { ["Meta:Enabled"] = "true" }, "Production");

        var failures = e is OptionsValidationException ov ? ov.Failures : (e.InnerException as OptionsValidationException)?.Failures ?? [e.ToString()];
        var all = string.Join("\n", failures);
        foreach (var key in new[] { "Meta:AccessToken", "Meta:PhoneNumberId", "Meta:VerifyToken", "Meta:AppSecret" })
        {
            Assert.Contains(key, all);
        }
    }
}
