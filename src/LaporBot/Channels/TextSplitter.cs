namespace LaporBot.Channels;

/// <summary>
/// Splits text longer than a provider's limit (Telegram 4096, Meta 4096) into parts, preferring
/// paragraph breaks, then line breaks, then spaces, and never cutting a surrogate pair.
/// </summary>
internal static class TextSplitter
{
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var parts = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > maxLength)
        {
            var window = rest[..maxLength];
            var cut = LastBreak(window, "\n\n");
            if (cut <= 0) cut = LastBreak(window, "\n");
            if (cut <= 0) cut = LastBreak(window, " ");
            if (cut <= 0)
            {
                cut = maxLength;
                if (char.IsHighSurrogate(rest[cut - 1]))
                    cut--;
            }
            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
                parts.Add(part.ToString());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0 || parts.Count == 0)
            parts.Add(rest.ToString());
        return parts;
    }

    // Position just before the separator, so the separator itself is dropped at the cut.
    private static int LastBreak(ReadOnlySpan<char> window, string separator) => window.LastIndexOf(separator.AsSpan());

    /// <summary>
    /// Sends each part in order and stops at the first failure, naming the part in the error so an
    /// operator can see that earlier parts were already delivered. Returns the last part's id.
    /// </summary>
    public static Task<SendResult> SendInPartsAsync(string text, int maxLength, Func<string, int, Task<SendResult>> sendPart) =>
        SendInPartsAsync(Split(text, maxLength), sendPart);

    /// <summary>As above, for parts a channel has already split its own way (e.g. Telegram HTML).</summary>
    public static async Task<SendResult> SendInPartsAsync(IReadOnlyList<string> parts, Func<string, int, Task<SendResult>> sendPart)
    {
        SendResult last = new SendResult.Sent(null);
        for (var i = 0; i < parts.Count; i++)
        {
            last = await sendPart(parts[i], i);
            if (last is SendResult.Sent)
                continue;
            if (i == 0)
                return last;
            var where = $"part {i + 1} of {parts.Count}: ";
            return last switch
            {
                SendResult.Retryable r => r with { Error = where + r.Error },
                SendResult.Permanent p => p with { Error = where + p.Error },
                TemplateRequired t => t with { Error = where + t.Error },
                _ => last,
            };
        }
        return last;
    }
}
