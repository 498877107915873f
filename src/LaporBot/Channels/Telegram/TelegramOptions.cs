namespace LaporBot.Channels.Telegram;

/// <summary>Configuration section "Telegram".</summary>
internal sealed class TelegramOptions
{
    public const string Section = "Telegram";

    public bool Enabled { get; set; }

    // From BotFather, "123456:ABC-…". Part of every request path, so never log a raw URI (see Redact).
    public string BotToken { get; set; } = "";

    // Tests and staging point this at a fake server on loopback.
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    // Passed to setWebhook as secret_token and echoed in X-Telegram-Bot-Api-Secret-Token;
    // 1–256 characters of A-Z a-z 0-9 _ -.
    public string WebhookSecret { get; set; } = "";

    // Long polling (getUpdates) instead of a webhook; handy behind NAT in development.
    public bool UsePolling { get; set; }

    // The public HTTPS URL registered with setWebhook (ports 443, 80, 88 or 8443 only).
    public string PublicWebhookUrl { get; set; } = "";

    // Without "@"; used to accept "/cmd@LaporBot" addressed commands.
    public string BotUsername { get; set; } = "";

    // Bots may download files of up to 20 MB (getFile).
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    // Telegram's broadcast limit is about 30 messages per second across all chats (Bot FAQ).
    public double MessagesPerSecond { get; set; } = 30;

    // Telegram throttles more than about one message per second to the same chat (Bot FAQ).
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    // getUpdates long-poll timeout in seconds; the polling HttpClient waits longer than this.
    public int PollTimeoutSeconds { get; set; } = 25;

    /// <summary>
    /// Long polling runs on one instance at a time, holding a lease in the database; it is renewed
    /// every third of this, and another instance takes over polling this long after the holder died.
    /// </summary>
    public TimeSpan PollingLease { get; set; } = TimeSpan.FromSeconds(10);

    // Timeout for every other Bot API call and file download.
    public int TimeoutSeconds { get; set; } = 30;
}
