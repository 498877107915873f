using System.Security.Cryptography;
using System.Text;

namespace LaporBot.Channels.Twilio;

/// <summary>
/// Validates <c>X-Twilio-Signature</c> the way twilio-csharp's RequestValidator does.
/// https://www.twilio.com/docs/usage/webhooks/webhooks-security
/// </summary>
internal static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>
    /// Base64(HMAC-SHA1(authToken, url + key1 + value1 + key2 + value2 …)) with the form fields
    /// sorted by key in ordinal (case-sensitive) order. Repeated keys are appended one pair at a
    /// time in the order received; how Twilio signs them is unconfirmed and Messaging does not send them.
    /// Takes the same pair list as <see cref="TwilioWebhook"/>; an absent value is an empty string.
    /// </summary>
    public static string Compute(string url, IEnumerable<KeyValuePair<string, string>> form, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var pair in form.OrderBy(p => p.Key, StringComparer.Ordinal))
            data.Append(pair.Key).Append(pair.Value);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// True when <paramref name="signature"/> matches the URL either without its port or with the
    /// default port added: Twilio's back end signs both ways, so the official validator accepts either.
    /// <paramref name="url"/> must be the public URL Twilio called, query string included, as configured.
    /// </summary>
    public static bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> form, string authToken, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
            return false;
        var fields = form as IReadOnlyCollection<KeyValuePair<string, string>> ?? form.ToList();
        var withoutPort = Compute(WithoutPort(url), fields, authToken);
        var withPort = Compute(WithDefaultPort(url), fields, authToken);
        // Evaluate both before combining so timing does not reveal which variant matched.
        var a = FixedEquals(withoutPort, signature);
        var b = FixedEquals(withPort, signature);
        return a | b;
    }

    /// <summary>
    /// JSON-bodied callbacks: the URL carries <c>bodySHA256</c> (lowercase hex SHA-256 of the raw
    /// body) and is signed with no appended parameters (Twilio error 57012; twilio-csharp ValidateBody).
    /// </summary>
    public static bool IsValidJsonBody(string url, ReadOnlySpan<byte> rawBody, string authToken, string? signature)
    {
        var expectedHash = BodySha256(url);
        if (expectedHash is null)
            return false;
        var actualHash = Convert.ToHexStringLower(SHA256.HashData(rawBody));
        var bodyOk = FixedEquals(actualHash, expectedHash);
        var signatureOk = IsValid(url, [], authToken, signature);
        return bodyOk & signatureOk;
    }

    /// <summary><c>https://host:1234/p</c> → <c>https://host/p</c>; host and scheme casing kept as given.</summary>
    internal static string WithoutPort(string url)
    {
        var (authorityStart, authorityEnd, portStart) = Locate(url);
        if (authorityStart < 0 || portStart < 0)
            return url;
        return url[..portStart] + url[authorityEnd..];
    }

    /// <summary>Adds :443 / :80 when the URL names no port; an explicit port is kept.</summary>
    internal static string WithDefaultPort(string url)
    {
        var (authorityStart, authorityEnd, portStart) = Locate(url);
        if (authorityStart < 0 || portStart >= 0)
            return url;
        var scheme = url[..(authorityStart - 3)];
        var port = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80" : null;
        return port is null ? url : url[..authorityEnd] + port + url[authorityEnd..];
    }

    // Works on the text instead of System.Uri, which would lower-case the host and re-escape the
    // query; the signature covers the URL exactly as Twilio has it.
    private static (int AuthorityStart, int AuthorityEnd, int PortStart) Locate(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
            return (-1, -1, -1);
        var start = schemeEnd + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        if (end < 0)
            end = url.Length;
        var hostStart = url.LastIndexOf('@', end - 1, end - start) + 1;
        if (hostStart == 0)
            hostStart = start;
        // Skip an IPv6 literal so its colons are not taken for a port separator.
        var searchFrom = hostStart;
        if (searchFrom < end && url[searchFrom] == '[')
        {
            var close = url.IndexOf(']', searchFrom, end - searchFrom);
            searchFrom = close < 0 ? end : close;
        }
        var colon = url.IndexOf(':', searchFrom, end - searchFrom);
        return (start, end, colon);
    }

    private static string? BodySha256(string url)
    {
        var query = url.IndexOf('?');
        if (query < 0)
            return null;
        var fragment = url.IndexOf('#', query);
        var queryText = fragment < 0 ? url[(query + 1)..] : url[(query + 1)..fragment];
        foreach (var part in queryText.Split('&'))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == "bodySHA256")
                return Uri.UnescapeDataString(part[(eq + 1)..]);
        }
        return null;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
