namespace LaporBot.Channels;

/// <summary>
/// WhatsApp's 24-hour customer service window, the same for Twilio and Meta: free text only while
/// the citizen wrote less than 24 h ago, an approved template otherwise (docs/PROTOCOLS.md §1.7, §3.4).
/// </summary>
internal static class WhatsAppWindow
{
    /// <summary>24 h minus a margin, so a message queued at 23:59 is not refused in flight.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromHours(24) - TimeSpan.FromMinutes(5);

    /// <summary>A template variable is capped by WhatsApp; longer texts are cut with an ellipsis.</summary>
    public const int MaxTemplateText = 1000;

    public static bool IsOpen(DateTimeOffset? lastInboundAt, DateTimeOffset now) =>
        lastInboundAt is { } last && now - last < Length;
}
