using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Twilio;

/// <summary>
/// WhatsApp through Twilio. Inside the 24-hour customer service window it sends free text;
/// outside it (or when Twilio answers 63016) it sends the approved template with the text as
/// variable {{1}}, because WhatsApp drops free text to a citizen who has not written for a day.
/// </summary>
internal sealed class TwilioChannel(TwilioClient client, IOptions<TwilioOptions> options, TimeProvider clock) : IChannel, IRateLimitedChannel
{
    public string Name => TwilioWebhook.ChannelName;

    public double MessagesPerSecond => options.Value.MessagesPerSecond;

    public TimeSpan PerChatInterval => TimeSpan.Zero;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            // Never fall back to the provider's real API from a deployment (or test) that has not configured it.
            return new SendResult.Permanent("Twilio is not enabled (Twilio:Enabled=false); message not sent");
        }
        var o = options.Value;
        var inWindow = WhatsAppWindow.IsOpen(message.LastInboundAt, clock.GetUtcNow());
        if (!inWindow && !string.IsNullOrEmpty(o.TemplateContentSid))
        {
            return await SendTemplateAsync(message, cancellationToken);
        }
        // Twilio's plain WhatsApp messages have no buttons: quick replies are listed as words to reply.
        var result = await client.SendTextAsync(message.Recipient, Markup.WithChoicesAsText(message.WhatsAppText, message.QuickReplies), cancellationToken);
        if (result is TemplateRequired && !string.IsNullOrEmpty(o.TemplateContentSid))
        {
            return await SendTemplateAsync(message, cancellationToken);
        }
        return result;
    }

    private Task<SendResult> SendTemplateAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var plain = message.WhatsAppText;
        var text = plain.Length <= WhatsAppWindow.MaxTemplateText ? plain : plain[..(WhatsAppWindow.MaxTemplateText - 1)] + "…";
        return client.SendTemplateAsync(message.Recipient, options.Value.TemplateContentSid,
            new Dictionary<string, string> { ["1"] = text }, cancellationToken);
    }
}
