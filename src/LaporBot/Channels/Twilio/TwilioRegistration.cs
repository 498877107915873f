using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Twilio;

internal static class TwilioRegistration
{
    public static WebApplicationBuilder AddTwilio(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TwilioOptions>().Bind(builder.Configuration.GetSection(TwilioOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidator>();
        builder.Services.AddHttpClient<TwilioClient>((sp, http) =>
            {
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.TimeoutSeconds);
            })
            .RemoveAllLoggers(); // the default HTTP logs would carry URLs with the account SID
        builder.Services.AddSingleton<IChannel, TwilioChannel>();
        return builder;
    }
}

internal sealed class TwilioOptionsValidator(IHostEnvironment env) : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions o)
    {
        if (!o.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.AccountSid))
        {
            errors.Add("Twilio:AccountSid is empty; set it to your account SID (AC…) from the Twilio console, or set Twilio:Enabled=false.");
        }
        if (string.IsNullOrWhiteSpace(o.AuthToken) && !env.IsDevelopment())
        {
            errors.Add("Twilio:AuthToken is empty; it is required outside Development to check X-Twilio-Signature. Set it (e.g. environment variable Twilio__AuthToken) or set Twilio:Enabled=false.");
        }
        if (string.IsNullOrWhiteSpace(o.WhatsAppNumber))
        {
            errors.Add("Twilio:WhatsAppNumber is empty; set the WhatsApp sender, e.g. whatsapp:+6285290082800.");
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _))
        {
            errors.Add($"Twilio:ApiBaseUrl '{o.ApiBaseUrl}' is not an absolute URL; use https://api.twilio.com.");
        }
        if (!string.IsNullOrEmpty(o.WebhookUrl) && !Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out _))
        {
            errors.Add($"Twilio:WebhookUrl '{o.WebhookUrl}' is not an absolute URL; use the public URL Twilio calls, e.g. https://lapor.example.go.id/webhooks/twilio.");
        }
        if (!string.IsNullOrEmpty(o.TemplateContentSid) && !TwilioClient.IsContentSid(o.TemplateContentSid))
        {
            errors.Add($"Twilio:TemplateContentSid '{o.TemplateContentSid}' is not a Content SID; copy the HX… SID (34 characters) of the approved template from the Twilio console.");
        }
        foreach (var (buttons, sid) in o.QuickReplyContentSids)
        {
            if (buttons is < 1 or > TwilioClient.MaxQuickReplies)
            {
                errors.Add($"Twilio:QuickReplyContentSids:{buttons} names a template with {buttons} buttons; WhatsApp takes 1–{TwilioClient.MaxQuickReplies} quick replies in a conversation, so use the keys 1, 2 and 3.");
            }
            if (!TwilioClient.IsContentSid(sid))
            {
                errors.Add($"Twilio:QuickReplyContentSids:{buttons} '{sid}' is not a Content SID; copy the HX… SID (34 characters) of the twilio/quick-reply template from the Twilio console.");
            }
        }
        if (o.MessagesPerSecond is <= 0 or > 10_000)
        {
            errors.Add($"Twilio:MessagesPerSecond is {o.MessagesPerSecond}; use a value above 0 and at most 10000 (WhatsApp senders start at 80; Twilio raises it on request).");
        }
        if (o.TimeoutSeconds is < 1 or > 120)
        {
            errors.Add($"Twilio:TimeoutSeconds is {o.TimeoutSeconds}; use 1–120.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
