using System.Security.Cryptography;
using System.Text;

namespace LaporBot.Channels.Telegram;

/// <summary>
/// Telegram signs nothing: the webhook is authenticated only by the secret_token we gave
/// setWebhook, echoed back in a header (docs/telegram.md "Webhook mode").
/// </summary>
internal static class TelegramSecret
{
    public const string HeaderName = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Constant-time compare; a missing header or an unconfigured secret never matches.</summary>
    public static bool IsValid(string? header, string configuredSecret)
    {
        if (string.IsNullOrEmpty(header) || string.IsNullOrEmpty(configuredSecret))
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(configuredSecret));
    }
}
