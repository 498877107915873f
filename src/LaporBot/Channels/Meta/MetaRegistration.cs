using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Meta;

internal static class MetaRegistration
{
    public static WebApplicationBuilder AddMeta(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetaOptions>().Bind(builder.Configuration.GetSection(MetaOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetaOptions>, MetaOptionsValidator>();
        builder.Services.AddHttpClient<MetaClient>((sp, http) =>
            {
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<MetaOptions>>().Value.TimeoutSeconds);
                // Meta's media host answers some clients without a User-Agent with an HTML page instead of the file.
                http.DefaultRequestHeaders.UserAgent.ParseAdd("LaporBot/1.0");
            })
            .RemoveAllLoggers(); // the default HTTP logs would carry media URLs and the phone number id
        builder.Services.AddSingleton<IChannel, MetaChannel>();
        return builder;
    }
}

internal sealed class MetaOptionsValidator(IHostEnvironment env) : IValidateOptions<MetaOptions>
{
    private const string Where = "Meta App Dashboard → WhatsApp → API Setup";

    public ValidateOptionsResult Validate(string? name, MetaOptions o)
    {
        if (!o.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.AccessToken))
        {
            errors.Add($"Meta:AccessToken is empty; set it to a permanent system-user token with whatsapp_business_messaging (Business Settings → System users; the temporary token is under {Where}), e.g. environment variable Meta__AccessToken, or set Meta:Enabled=false.");
        }
        if (string.IsNullOrWhiteSpace(o.PhoneNumberId))
        {
            errors.Add($"Meta:PhoneNumberId is empty; copy the \"Phone number ID\" (digits, not the phone number) from {Where}, or set Meta:Enabled=false.");
        }
        if (string.IsNullOrWhiteSpace(o.VerifyToken))
        {
            errors.Add("Meta:VerifyToken is empty; choose a random string and type the same value into Meta App Dashboard → WhatsApp → Configuration → Webhook → Verify token, or set Meta:Enabled=false.");
        }
        if (string.IsNullOrWhiteSpace(o.AppSecret) && !env.IsDevelopment())
        {
            errors.Add("Meta:AppSecret is empty; it is required outside Development to check X-Hub-Signature-256. Copy it from Meta App Dashboard → App settings → Basic → App secret (e.g. environment variable Meta__AppSecret), or set Meta:Enabled=false.");
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _))
        {
            errors.Add($"Meta:ApiBaseUrl '{o.ApiBaseUrl}' is not an absolute URL; use https://graph.facebook.com.");
        }
        if (string.IsNullOrWhiteSpace(o.ApiVersion))
        {
            errors.Add($"Meta:ApiVersion is empty; use the Graph API version shown in {Where}, e.g. v26.0.");
        }
        if (!string.IsNullOrWhiteSpace(o.TemplateName) && string.IsNullOrWhiteSpace(o.TemplateLanguage))
        {
            errors.Add("Meta:TemplateLanguage is empty; use the language code the template was approved in (WhatsApp Manager → Message templates), e.g. id.");
        }
        if (o.MessagesPerSecond is <= 0 or > 10_000)
        {
            errors.Add($"Meta:MessagesPerSecond is {o.MessagesPerSecond}; use a value above 0 and at most 10000 (Cloud API numbers start at 80; Meta raises it to 1000 on request).");
        }
        if (o.MaxMediaBytes < 1)
        {
            errors.Add($"Meta:MaxMediaBytes is {o.MaxMediaBytes}; use a positive number of bytes, e.g. 16777216.");
        }
        if (o.TimeoutSeconds is < 1 or > 120)
        {
            errors.Add($"Meta:TimeoutSeconds is {o.TimeoutSeconds}; use 1–120.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
