namespace LaporBot.Channels.Meta;

/// <summary>Configuration section "Meta" (WhatsApp Business Cloud API).</summary>
internal sealed class MetaOptions
{
    public const string Section = "Meta";

    public bool Enabled { get; set; }

    // System-user access token, sent as "Authorization: Bearer …".
    public string AccessToken { get; set; } = "";

    // Keys the X-Hub-Signature-256 HMAC on webhook POSTs.
    public string AppSecret { get; set; } = "";

    // The string typed into the App Dashboard's "Verify token" field (GET handshake).
    public string VerifyToken { get; set; } = "";

    // Our sender; part of the send path and of metadata.phone_number_id in webhooks.
    public string PhoneNumberId { get; set; } = "";

    // Tests and staging point this at a fake server on loopback.
    public string ApiBaseUrl { get; set; } = "https://graph.facebook.com";

    // Graph API version in the path; pin it so upgrades are deliberate.
    public string ApiVersion { get; set; } = "v26.0";

    // Approved template used when the 24-hour window is closed (error 131047).
    public string TemplateName { get; set; } = "";

    public string TemplateLanguage { get; set; } = "id";

    // Cloud API default throughput per business number is 80 messages per second.
    public double MessagesPerSecond { get; set; } = 80;

    // Inbound media larger than this is refused instead of filling memory or disk.
    public long MaxMediaBytes { get; set; } = 16 * 1024 * 1024;

    // Hosts (comma-separated) besides ApiBaseUrl's that may receive the access token when
    // fetching a media URL: Meta answers GET /{media-id} with a lookaside.fbsbx.com URL.
    public string MediaHosts { get; set; } = "lookaside.fbsbx.com";

    /// <summary>How long one call to Meta may take before it counts as a failed attempt.</summary>
    public double TimeoutSeconds { get; set; } = 15;
}
