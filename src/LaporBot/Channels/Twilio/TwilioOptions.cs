namespace LaporBot.Channels.Twilio;

/// <summary>Configuration section "Twilio".</summary>
internal sealed class TwilioOptions
{
    public const string Section = "Twilio";

    public bool Enabled { get; set; }

    // "AC…"; also the Basic-auth user name for the REST API and media downloads.
    public string AccountSid { get; set; } = "";

    // Signs webhooks and is the Basic-auth password. Only the primary token validates signatures.
    public string AuthToken { get; set; } = "";

    // Our sender, "whatsapp:+14155238886" (the "whatsapp:" prefix is added when missing).
    public string WhatsAppNumber { get; set; } = "";

    // Tests and staging point this at a fake server on loopback.
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";

    // The public URL Twilio calls for inbound messages, exactly as configured in the console;
    // the signature covers it, so behind a TLS proxy it cannot be rebuilt from the request.
    public string WebhookUrl { get; set; } = "";

    // Sent as StatusCallback on every message when set; signed the same way as WebhookUrl.
    public string StatusCallbackUrl { get; set; } = "";

    // "HX…" Content API template used when the 24-hour window is closed (error 63016).
    public string TemplateContentSid { get; set; } = "";

    // Content API twilio/quick-reply templates by number of buttons (1–3), e.g. QuickReplyContentSids:3 = "HX…".
    // Each has body "{{1}}" and buttons whose title and id are "{{2}}", "{{3}}", "{{4}}" (docs/whatsapp-twilio.md).
    // A message whose choices fit a configured template goes out with tappable buttons; otherwise the
    // choices are listed under the text as words to reply.
    public Dictionary<int, string> QuickReplyContentSids { get; set; } = [];

    // Twilio's WhatsApp senders start at 80 messages per second (Twilio raises it on request).
    public double MessagesPerSecond { get; set; } = 80;

    // Inbound media larger than this is refused instead of filling memory or disk.
    public long MaxMediaBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long one call to Twilio may take before it counts as a failed attempt.</summary>
    public double TimeoutSeconds { get; set; } = 15;
}
