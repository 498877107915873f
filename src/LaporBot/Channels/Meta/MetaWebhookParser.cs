using System.Globalization;
using System.Text.Json;

namespace LaporBot.Channels.Meta;

/// <summary>A delivery status for a message we sent (sent, delivered, read, failed).</summary>
internal sealed record MetaStatusUpdate(
    string MessageId, string Status, string? RecipientId, DateTimeOffset? Timestamp, int? ErrorCode, string? ErrorTitle);

/// <summary>One webhook POST can batch several messages and statuses.</summary>
internal sealed record MetaWebhookBatch(
    IReadOnlyList<InboundMessage> Messages, IReadOnlyList<MetaStatusUpdate> Statuses, IReadOnlyList<MetaError> Errors);

/// <summary>
/// Turns a Cloud API webhook body (entry[].changes[].value) into LaporBot types. Check the
/// signature (<see cref="MetaWebhookSecurity"/>) on the raw bytes first.
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
/// </summary>
internal static class MetaWebhookParser
{
    public const string ChannelName = "meta";
    public const string MediaScheme = "meta-media:";

    public static ParseOutcome<MetaWebhookBatch> Parse(ReadOnlySpan<byte> json)
    {
        MetaWebhookPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<MetaWebhookPayload>(json);
        }
        catch (JsonException)
        {
            return new ParseOutcome<MetaWebhookBatch>.Rejected("body is not JSON");
        }
        if (payload?.Object != "whatsapp_business_account")
            return new ParseOutcome<MetaWebhookBatch>.Rejected($"object is '{payload?.Object}', not whatsapp_business_account");

        var messages = new List<InboundMessage>();
        var statuses = new List<MetaStatusUpdate>();
        var errors = new List<MetaError>();
        foreach (var value in (payload.Entry ?? []).SelectMany(e => e.Changes ?? []).Select(c => c.Value).OfType<MetaValue>())
        {
            foreach (var message in value.Messages ?? [])
            {
                if (ToInbound(message, value.Contacts) is { } inbound)
                    messages.Add(inbound);
            }
            foreach (var status in value.Statuses ?? [])
            {
                if (status.Id is null || status.Status is null)
                    continue;
                var error = status.Errors?.FirstOrDefault();
                statuses.Add(new MetaStatusUpdate(status.Id, status.Status, status.RecipientId, UnixTime(status.Timestamp), error?.Code, error?.Title));
            }
            errors.AddRange(value.Errors ?? []);
        }

        if (messages.Count == 0 && statuses.Count == 0 && errors.Count == 0)
            return new ParseOutcome<MetaWebhookBatch>.Ignored("no messages, statuses or errors");
        return new ParseOutcome<MetaWebhookBatch>.Accepted(new MetaWebhookBatch(messages, statuses, errors));
    }

    private static InboundMessage? ToInbound(MetaMessage m, IReadOnlyList<MetaContact>? contacts)
    {
        if (m.Id is null || m.From is null)
            return null;
        // contacts[] sits beside messages[]; match on wa_id, which equals messages[].from.
        var name = (contacts?.FirstOrDefault(c => c.WaId == m.From) ?? contacts?.FirstOrDefault())?.Profile?.Name;

        string? text = null, payload = null;
        GeoPoint? location = null;
        IReadOnlyList<InboundAttachment> attachments = InboundMessage.NoAttachments;
        var unsupported = false;
        switch (m.Type)
        {
            case "text":
                text = m.Text?.Body;
                break;
            case "location" when m.Location is { } l:
                var label = string.Join(", ", new[] { l.Name, l.Address }.Where(s => !string.IsNullOrEmpty(s)));
                location = new GeoPoint(l.Latitude, l.Longitude, label.Length == 0 ? null : label);
                break;
            case "interactive" when (m.Interactive?.ButtonReply ?? m.Interactive?.ListReply) is { } reply:
                text = reply.Title;
                payload = reply.Id;
                break;
            case "button" when m.Button is { } button:
                // Quick-reply tap on a template.
                text = button.Text;
                payload = button.Payload;
                break;
            case "image" when m.Image?.Id is { } imageId:
                text = m.Image.Caption;
                attachments = [new InboundAttachment(MediaScheme + imageId, m.Image.MimeType)];
                break;
            case "document" when m.Document?.Id is { } documentId:
                text = m.Document.Caption;
                attachments = [new InboundAttachment(MediaScheme + documentId, m.Document.MimeType)];
                break;
            default:
                // audio, video, sticker, contacts, reaction, "unsupported", … — the dialog says it can't read these.
                unsupported = true;
                break;
        }

        return new InboundMessage(ChannelName, m.Id, m.From, name, text, location, attachments,
            UnixTime(m.Timestamp) ?? DateTimeOffset.UnixEpoch, payload, unsupported);
    }

    // Timestamps are Unix seconds as strings; one out of range is treated as absent.
    private static DateTimeOffset? UnixTime(string? seconds) => Channels.UnixTime.FromSeconds(seconds);
}
