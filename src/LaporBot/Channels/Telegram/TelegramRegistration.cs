using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Telegram;

internal static partial class TelegramRegistration
{
    public static WebApplicationBuilder AddTelegram(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>().Bind(builder.Configuration.GetSection(TelegramOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        // Named clients rather than one typed client: the consumers are singletons (see TelegramClients).
        // RemoveAllLoggers: the bot token is part of every request path, and the default HTTP logs print it.
        builder.Services.AddHttpClient(TelegramClients.HttpClientName, (sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TelegramOptions>>().Value.TimeoutSeconds))
            .RemoveAllLoggers();
        builder.Services.AddHttpClient(TelegramClients.LongPollHttpClientName, (sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                http.Timeout = TimeSpan.FromSeconds(o.PollTimeoutSeconds + o.TimeoutSeconds);
            })
            .RemoveAllLoggers();
        builder.Services.AddSingleton<TelegramClients>();
        builder.Services.AddSingleton<TelegramInbound>();
        builder.Services.AddSingleton<IChannel, TelegramChannel>();
        builder.Services.AddHostedService<TelegramPolling>();
        builder.Services.AddHostedService<TelegramWebhookSetup>();
        return builder;
    }

    // setWebhook's secret_token: 1–256 characters, only A-Z a-z 0-9 _ - (docs/telegram.md "Webhook mode").
    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    internal static partial Regex SecretTokenFormat();

    // BotFather's tokens: the bot's numeric id, a colon, the secret (docs/telegram.md "Create the bot").
    [GeneratedRegex("^[0-9]{1,16}:[A-Za-z0-9_-]+$")]
    internal static partial Regex BotTokenFormat();
}

internal sealed class TelegramOptionsValidator(IHostEnvironment env) : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions o)
    {
        if (!o.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.BotToken))
        {
            errors.Add("Telegram:BotToken is empty; create a bot with @BotFather in Telegram (/newbot) and set the token it gives you (e.g. environment variable Telegram__BotToken), or set Telegram:Enabled=false.");
        }
        else if (!TelegramRegistration.BotTokenFormat().IsMatch(o.BotToken))
        {
            // Never echo the token itself: it is the bot's password.
            errors.Add("Telegram:BotToken does not look like a token from @BotFather (digits, a colon, then the secret part, e.g. 123456789:AA…); copy it again from BotFather.");
        }
        if (string.IsNullOrEmpty(o.WebhookSecret))
        {
            if (!o.UsePolling && !env.IsDevelopment())
            {
                errors.Add("Telegram:WebhookSecret is empty; it is required outside Development to authenticate POST /webhooks/telegram. Set 1–256 random characters of A-Z a-z 0-9 _ - (e.g. environment variable Telegram__WebhookSecret), or set Telegram:UsePolling=true.");
            }
        }
        else if (!TelegramRegistration.SecretTokenFormat().IsMatch(o.WebhookSecret))
        {
            errors.Add("Telegram:WebhookSecret has characters Telegram does not accept; use 1–256 characters of A-Z a-z 0-9 _ - only.");
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"Telegram:ApiBaseUrl '{o.ApiBaseUrl}' is not an absolute URL with http or https; use https://api.telegram.org.");
        }
        else if (api.AbsolutePath != "/" || api.Query.Length > 0 || api.Fragment.Length > 0 || api.UserInfo.Length > 0)
        {
            // Telegram.Bot keeps only scheme, host and port and would silently send every call to
            // https://host/bot<token>/… — not to the path configured here.
            errors.Add($"Telegram:ApiBaseUrl '{api.Scheme}://{api.Authority}{api.AbsolutePath}' has a path (or query); the Telegram library uses only scheme, host and port, so set it to e.g. https://api.telegram.org or http://bot-api.internal:8081 — a Bot API server behind a sub-path is not supported.");
        }
        if (!string.IsNullOrEmpty(o.PublicWebhookUrl))
        {
            if (!Uri.TryCreate(o.PublicWebhookUrl, UriKind.Absolute, out var url)
                || !(url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            {
                errors.Add($"Telegram:PublicWebhookUrl '{o.PublicWebhookUrl}' must be an absolute https URL that Telegram can reach, e.g. https://lapor.example.go.id/webhooks/telegram (ports 443, 80, 88 or 8443), or empty to skip setWebhook.");
            }
        }
        if (o.MessagesPerSecond is <= 0 or > 10_000)
        {
            errors.Add($"Telegram:MessagesPerSecond is {o.MessagesPerSecond}; use a value above 0 and at most 10000 (Telegram allows about 30; paid broadcasts up to 1000).");
        }
        if (o.PerChatInterval < TimeSpan.Zero || o.PerChatInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Telegram:PerChatInterval is {o.PerChatInterval}; use 00:00:00–00:01:00 (Telegram allows about one message per second per chat).");
        }
        if (o.PollTimeoutSeconds is < 1 or > 50)
        {
            errors.Add($"Telegram:PollTimeoutSeconds is {o.PollTimeoutSeconds}; use 1–50.");
        }
        if (o.TimeoutSeconds is < 1 or > 120)
        {
            errors.Add($"Telegram:TimeoutSeconds is {o.TimeoutSeconds}; use 1–120.");
        }
        if (o.MaxFileBytes is < 1 or > 20 * 1024 * 1024)
        {
            errors.Add($"Telegram:MaxFileBytes is {o.MaxFileBytes}; use 1–20971520 (bots may download files of up to 20 MB).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
