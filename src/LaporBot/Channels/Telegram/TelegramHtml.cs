using System.Text;
using System.Text.RegularExpressions;

namespace LaporBot.Channels.Telegram;

/// <summary>
/// Splitting a text sent with parse mode HTML (docs/telegram.md, "Sending"). A message is
/// limited to 4096 characters after the markup is parsed, so a raw part of at most 4096
/// characters always fits; what must not happen is a cut inside a tag or an entity, or a part
/// that opens <c>&lt;b&gt;</c> and leaves it open — Telegram refuses such a message with 400
/// "can't parse entities". Each part closes the tags still open at its end, and the next part
/// opens them again.
/// </summary>
internal static partial class TelegramHtml
{
    [GeneratedRegex(@"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")]
    private static partial Regex Tag();

    public static IReadOnlyList<string> Split(string html, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 16);
        var raw = new List<string>();
        var rest = html.AsSpan();
        while (rest.Length > maxLength)
        {
            var window = rest[..maxLength];
            var cut = LastBreak(window, "\n\n");
            if (cut <= 0) cut = LastBreak(window, "\n");
            if (cut <= 0) cut = LastBreak(window, " ");
            if (cut <= 0) cut = HardCut(window);
            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
                raw.Add(part.ToString());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0 || raw.Count == 0)
            raw.Add(rest.ToString());
        return raw.Count == 1 ? raw : Balance(raw);
    }

    /// <summary>Closes the tags a part leaves open and reopens them at the start of the next.</summary>
    private static List<string> Balance(List<string> raw)
    {
        var result = new List<string>(raw.Count);
        var open = new List<(string Name, string Opening)>();
        foreach (var part in raw)
        {
            var sb = new StringBuilder();
            foreach (var (_, opening) in open)
                sb.Append(opening);
            sb.Append(part);
            foreach (Match m in Tag().Matches(part))
            {
                var name = m.Groups[2].Value.ToLowerInvariant();
                if (m.Groups[1].Value.Length == 0)
                {
                    open.Add((name, m.Value));
                }
                else if (open.FindLastIndex(t => t.Name == name) is var at and >= 0)
                {
                    open.RemoveAt(at);
                }
            }
            for (var i = open.Count - 1; i >= 0; i--)
                sb.Append("</").Append(open[i].Name).Append('>');
            result.Add(sb.ToString());
        }
        return result;
    }

    // The last separator that is not inside a tag (a tag such as <a href="…"> has spaces).
    private static int LastBreak(ReadOnlySpan<char> window, string separator)
    {
        var end = window.Length;
        while (end > 0)
        {
            var at = window[..end].LastIndexOf(separator.AsSpan());
            if (at <= 0)
                return at;
            if (!InsideTag(window[..at]))
                return at;
            end = at;
        }
        return -1;
    }

    // No break anywhere: cut at the limit, but before a tag or entity that would be cut in two, and never in a surrogate pair.
    private static int HardCut(ReadOnlySpan<char> window)
    {
        var cut = window.Length;
        var lt = window.LastIndexOf('<');
        if (lt > 0 && window[lt..].IndexOf('>') < 0)
            cut = lt;
        var amp = window[..cut].LastIndexOf('&');
        if (amp > 0 && cut - amp <= 10 && window[amp..cut].IndexOf(';') < 0)
            cut = amp;
        if (char.IsHighSurrogate(window[cut - 1]))
            cut--;
        return cut;
    }

    private static bool InsideTag(ReadOnlySpan<char> before) => before.LastIndexOf('<') > before.LastIndexOf('>');
}
