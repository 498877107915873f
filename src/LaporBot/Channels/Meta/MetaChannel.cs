using System.Text.RegularExpressions;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Channels.Meta;

/// <summary>
/// WhatsApp through Meta's Cloud API. Inside the 24-hour customer service window it sends text, or
/// reply buttons when the dialog offers 1–3 short choices; outside it (or when Meta answers 131047)
/// it sends the approved template with the text as body parameter {{1}}, because WhatsApp refuses
/// free-form messages to a citizen who has not written for a day (docs/PROTOCOLS.md §3.4–3.6).
/// </summary>
internal sealed partial class MetaChannel(MetaClient client, IOptions<MetaOptions> options, TimeProvider clock) : IChannel, IRateLimitedChannel
{
    public string Name => MetaWebhookParser.ChannelName;

    public double MessagesPerSecond => options.Value.MessagesPerSecond;

    public TimeSpan PerChatInterval => TimeSpan.Zero;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            // Never fall back to the provider's real API from a deployment (or test) that has not configured it.
            return new SendResult.Permanent("Meta is not enabled (Meta:Enabled=false); message not sent");
        }
        var inWindow = WhatsAppWindow.IsOpen(message.LastInboundAt, clock.GetUtcNow());
        if (!inWindow)
        {
            // Free text would only come back as 131047, so go straight to the template.
            return await SendTemplateAsync(message, "the citizen last wrote more than 24 hours ago", cancellationToken);
        }
        var result = Buttons(message) is { } buttons
            ? await client.SendReplyButtonsAsync(message.Recipient, message.WhatsAppText, buttons, null, cancellationToken)
            : await client.SendTextAsync(message.Recipient, Markup.WithChoicesAsText(message.WhatsAppText, message.QuickReplies), null, cancellationToken);
        return result is TemplateRequired t ? await SendTemplateAsync(message, t.Error, cancellationToken) : result;
    }

    /// <summary>
    /// Reply buttons when WhatsApp will take them (1–3 unique titles of at most 20 characters, a body
    /// of at most 1,024); otherwise null and the choices stay as words in the text, which the dialog
    /// always spells out ("Balas YA …").
    /// </summary>
    internal static IReadOnlyList<MetaReplyButton>? Buttons(OutboundMessage message)
    {
        var q = message.QuickReplies;
        if (q.Count is 0 or > MetaClient.MaxButtons
            || q.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > MetaClient.MaxButtonTitle)
            || q.Distinct(StringComparer.Ordinal).Count() != q.Count
            || string.IsNullOrWhiteSpace(message.Text) || message.WhatsAppText.Length > MetaClient.MaxInteractiveBody)
        {
            return null;
        }
        // The title is the id as well: a tap comes back as the title text, which the dialog reads like typed words.
        return q.Select(t => new MetaReplyButton(t, t)).ToList();
    }

    private async Task<SendResult> SendTemplateAsync(OutboundMessage message, string why, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.TemplateName))
        {
            return new TemplateRequired($"{why}; set Meta:TemplateName to an approved template to reach them");
        }
        return await client.SendTemplateAsync(message.Recipient, o.TemplateName, o.TemplateLanguage,
            [TemplateParameter(message.WhatsAppText)], cancellationToken);
    }

    /// <summary>
    /// Meta refuses template parameters with new lines, tabs or more than four spaces in a row
    /// (error 132018), so line breaks become spaces; long texts are cut with an ellipsis.
    /// </summary>
    internal static string TemplateParameter(string text)
    {
        var flat = Whitespace().Replace(text, " ").Trim();
        if (flat.Length <= WhatsAppWindow.MaxTemplateText)
            return flat;
        var cut = WhatsAppWindow.MaxTemplateText - 1;
        if (char.IsHighSurrogate(flat[cut - 1]))
            cut--;
        return flat[..cut].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
