using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LaporBot.Channels;

/// <summary>How an outbox body is written.</summary>
internal enum TextFormat
{
    /// <summary>Plain text (staff notices): shown exactly as written on every channel.</summary>
    Plain,

    /// <summary>Channel-neutral markup (citizen messages from the dialogs): see <see cref="Markup"/>.</summary>
    Markup,
}

/// <summary>
/// The bot's channel-neutral formatting. A dialog text marks bold as <c>*bold*</c>; rendered, it is a
/// tiny HTML subset — <c>&lt;b&gt;…&lt;/b&gt;</c> and the entities <c>&amp;amp; &amp;lt; &amp;gt;</c> —
/// with every filled-in value escaped, so text a citizen or staff member typed (<c>&lt;b&gt;</c>,
/// <c>*_[</c>) can never change the formatting. Line breaks and "•" lists are plain characters.
/// Each channel turns it into its own form: Telegram HTML (parse mode), WhatsApp <c>*bold*</c>,
/// the simulator's HTML. No channel ever shows the raw marks.
/// </summary>
internal static partial class Markup
{
    [GeneratedRegex(@"\*([^*\n]+?)\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"</?b>")]
    private static partial Regex BoldTags();

    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A dialog template with its <c>*bold*</c> marks and <c>{placeholders}</c> filled with escaped values.</summary>
    public static string FromTemplate(string template, IReadOnlyDictionary<string, string>? args)
    {
        var text = Bold().Replace(Escape(template), "<b>$1</b>");
        if (args is null || args.Count == 0 || !text.Contains('{'))
        {
            return text;
        }
        // One pass over the template, so a value that itself contains "{name}" is never filled again.
        var sb = new StringBuilder(text.Length + 64);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            var close = text.IndexOf('}', open + 1);
            if (close < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            sb.Append(text, i, open - i);
            var key = text[(open + 1)..close];
            if (args.TryGetValue(key, out var value))
            {
                sb.Append(IsMarkupArg(key) ? value : Escape(value));
            }
            else
            {
                sb.Append(text, open, close - open + 1);
            }
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Placeholders filled with text the dialog itself rendered (already markup): the summary's
    /// <c>{extras}</c>, status parts. Everything else is a value and is escaped.
    /// </summary>
    private static bool IsMarkupArg(string key) => key is "extras" or "agency" or "answer_part" or "items" or "cases";

    public static string ToPlain(string markup) => WebUtility.HtmlDecode(BoldTags().Replace(markup, ""));

    /// <summary>WhatsApp's own formatting: <c>*bold*</c>; everything else as plain text.</summary>
    public static string ToWhatsApp(string body, TextFormat format) =>
        format == TextFormat.Plain ? body : WebUtility.HtmlDecode(BoldTags().Replace(body, "*"));

    /// <summary>Telegram with parse mode HTML: markup as is, plain text escaped.</summary>
    public static string ToTelegramHtml(string body, TextFormat format) => format == TextFormat.Plain ? Escape(body) : body;

    /// <summary>HTML for the simulator page (shown with white-space: pre-wrap).</summary>
    public static string ToHtml(string body, TextFormat format) => format == TextFormat.Plain ? Escape(body) : body;

    /// <summary>
    /// Quick replies on a channel without buttons: the labels listed under the text, to be typed back.
    /// Bullets, not numbers — a lone digit answers the rating question, so "1" must never mean "option 1".
    /// </summary>
    public static string WithChoicesAsText(string text, IReadOnlyList<string> choices) =>
        choices.Count == 0 ? text : text + "\n\n" + string.Join("\n", choices.Select(c => "• " + c));

    /// <summary>The Telegram Bot API's name for the parse mode <see cref="ToTelegramHtml"/> writes.</summary>
    public const string TelegramParseMode = "HTML";
}
