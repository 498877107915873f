using System.Security.Cryptography;
using System.Text;

namespace LaporBot.Channels.Meta;

/// <summary>
/// The two checks on Meta's webhook: the GET verification handshake and the POST signature.
/// https://developers.facebook.com/docs/graph-api/webhooks/getting-started (docs/PROTOCOLS.md §3.1–3.2).
/// </summary>
internal static class MetaWebhookSecurity
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    /// <summary>
    /// GET ?hub.mode=subscribe&amp;hub.verify_token=…&amp;hub.challenge=…: returns the challenge to echo
    /// back as the 200 body, or null to refuse (403).
    /// </summary>
    public static string? VerifyHandshake(string? mode, string? verifyToken, string? challenge, string expectedVerifyToken)
    {
        if (mode != "subscribe" || string.IsNullOrEmpty(challenge) || string.IsNullOrEmpty(expectedVerifyToken) || verifyToken is null)
            return null;
        var match = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(verifyToken), Encoding.UTF8.GetBytes(expectedVerifyToken));
        return match ? challenge : null;
    }

    /// <summary>
    /// <c>sha256=</c> + lowercase hex HMAC-SHA256(app secret, raw body). Must run on the bytes as
    /// received: Meta signs its escaped-unicode form, so re-serialised JSON would not match.
    /// </summary>
    public static bool IsValidSignature(ReadOnlySpan<byte> rawBody, string? header, string appSecret)
    {
        if (string.IsNullOrEmpty(appSecret) || header is null || !header.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody));
        // Hex from other tooling may be upper-case; the digest is the same.
        var given = header[Prefix.Length..].ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
    }

    public static string Sign(ReadOnlySpan<byte> rawBody, string appSecret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody));
}
