using System.Globalization;

namespace LaporBot.Channels.Twilio;

/// <summary>A delivery status callback for a message we sent.</summary>
internal sealed record TwilioStatusCallback(string MessageSid, string MessageStatus, int? ErrorCode, string? ErrorMessage, string? To);

/// <summary>
/// Turns Twilio's form-encoded webhooks into LaporBot types. Validate the signature first
/// (<see cref="TwilioSignature"/>), over every received field.
/// Fields: https://www.twilio.com/docs/messaging/guides/webhook-request (docs/PROTOCOLS.md §1.2).
/// </summary>
internal static class TwilioWebhook
{
    public const string ChannelName = "twilio";

    // WhatsApp allows at most 10 media per message; a larger NumMedia is a malformed request.
    private const int MaxMedia = 10;

    /// <summary>An inbound WhatsApp message. Twilio adds parameters without notice, so unknown ones are ignored.</summary>
    public static ParseOutcome<InboundMessage> ParseMessage(IEnumerable<KeyValuePair<string, string>> form, DateTimeOffset receivedAt)
    {
        var f = ToLookup(form);
        var sid = Get(f, "MessageSid") ?? Get(f, "SmsMessageSid");
        var from = Get(f, "From");
        if (sid is null)
            return new ParseOutcome<InboundMessage>.Rejected("missing MessageSid");
        if (from is null)
            return new ParseOutcome<InboundMessage>.Rejected("missing From");
        if (Get(f, "MessageStatus") is not null && Get(f, "Body") is null && Get(f, "NumMedia") is null)
            return new ParseOutcome<InboundMessage>.Ignored("status callback posted to the message webhook");

        var attachments = new List<InboundAttachment>();
        var numMediaText = Get(f, "NumMedia");
        var numMedia = 0;
        if (numMediaText is not null && (!int.TryParse(numMediaText, NumberStyles.None, CultureInfo.InvariantCulture, out numMedia) || numMedia > MaxMedia))
            return new ParseOutcome<InboundMessage>.Rejected($"bad NumMedia '{numMediaText}'");
        for (var i = 0; i < numMedia; i++)
        {
            var url = Get(f, $"MediaUrl{i}");
            if (url is not null)
                attachments.Add(new InboundAttachment(url, Get(f, $"MediaContentType{i}")));
        }

        GeoPoint? location = null;
        if (TryCoordinate(Get(f, "Latitude"), 90, out var lat) && TryCoordinate(Get(f, "Longitude"), 180, out var lon))
            location = new GeoPoint(lat, lon, Get(f, "Address") ?? Get(f, "Label"));

        // A quick-reply tap carries the visible text in Body/ButtonText and our id in ButtonPayload.
        var payload = Get(f, "ButtonPayload");
        var text = Get(f, "Body") ?? Get(f, "ButtonText");
        var unsupported = text is null && location is null && attachments.Count == 0 && payload is null;

        return new ParseOutcome<InboundMessage>.Accepted(new InboundMessage(
            ChannelName, sid, from, Get(f, "ProfileName"), text, location,
            attachments.Count == 0 ? InboundMessage.NoAttachments : attachments,
            receivedAt, payload, unsupported));
    }

    /// <summary>A status callback (docs/PROTOCOLS.md §1.6): MessageSid, MessageStatus and ErrorCode when failed/undelivered.</summary>
    public static ParseOutcome<TwilioStatusCallback> ParseStatus(IEnumerable<KeyValuePair<string, string>> form)
    {
        var f = ToLookup(form);
        var sid = Get(f, "MessageSid") ?? Get(f, "SmsSid");
        var status = Get(f, "MessageStatus") ?? Get(f, "SmsStatus");
        if (sid is null || status is null)
            return new ParseOutcome<TwilioStatusCallback>.Rejected("missing MessageSid or MessageStatus");
        int? errorCode = int.TryParse(Get(f, "ErrorCode"), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        return new ParseOutcome<TwilioStatusCallback>.Accepted(
            new TwilioStatusCallback(sid, status, errorCode, Get(f, "ErrorMessage"), Get(f, "To")));
    }

    private static Dictionary<string, string> ToLookup(IEnumerable<KeyValuePair<string, string>> form)
    {
        // Keys are case-sensitive on Twilio's side; first value wins if a key repeats.
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
            lookup.TryAdd(key, value);
        return lookup;
    }

    private static string? Get(Dictionary<string, string> form, string key) =>
        form.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static bool TryCoordinate(string? text, double limit, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value) && Math.Abs(value) <= limit;
}
