using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Twilio;

/// <summary>
/// WhatsApp through Twilio. Inside the 24-hour customer service window it sends free text;
/// outside it (or when Twilio answers 63016) it sends the approved template with the text as
/// variable {{1}}, because WhatsApp drops free text to a citizen who has not written for a day.
/// Quick replies become buttons through a twilio/quick-reply template where one is configured.
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
        // Quick replies as buttons when a twilio/quick-reply template for that many choices is configured
        // and WhatsApp will take them; otherwise listed under the text as words to reply.
        var result = QuickReplyTemplate(message, o) is { } contentSid
            ? await client.SendQuickReplyAsync(message.Recipient, contentSid, message.WhatsAppText, message.QuickReplies, cancellationToken)
            : await client.SendTextAsync(message.Recipient, Markup.WithChoicesAsText(message.WhatsAppText, message.QuickReplies), cancellationToken);
        if (result is TemplateRequired && !string.IsNullOrEmpty(o.TemplateContentSid))
        {
            return await SendTemplateAsync(message, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// The configured twilio/quick-reply template for this message's choices, or null when there is none
    /// or WhatsApp would refuse the buttons: 1–3 unique titles of 1–20 characters, a body of at most 1,024.
    /// The dialog always spells the choices out in its text too, so the text fallback loses nothing.
    /// </summary>
    internal static string? QuickReplyTemplate(OutboundMessage message, TwilioOptions o)
    {
        var q = message.QuickReplies;
        if (q.Count is 0 or > TwilioClient.MaxQuickReplies
            || !o.QuickReplyContentSids.TryGetValue(q.Count, out var sid) || string.IsNullOrEmpty(sid)
            || q.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > TwilioClient.MaxQuickReplyTitle)
            || q.Distinct(StringComparer.Ordinal).Count() != q.Count
            || string.IsNullOrWhiteSpace(message.Text) || message.WhatsAppText.Length > TwilioClient.MaxQuickReplyBody)
        {
            return null;
        }
        return sid;
    }

    private Task<SendResult> SendTemplateAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var plain = message.WhatsAppText;
        var text = plain.Length <= WhatsAppWindow.MaxTemplateText ? plain : plain[..(WhatsAppWindow.MaxTemplateText - 1)] + "…";
        return client.SendTemplateAsync(message.Recipient, options.Value.TemplateContentSid,
            new Dictionary<string, string> { ["1"] = text }, cancellationToken);
    }
}
