using System.Text.RegularExpressions;

namespace LaporBot.Channels;

/// <summary>Masks personal data and secrets before anything is written to a log or an error text.</summary>
internal static partial class Redact
{
    // ITU-T E.164 country codes that are one or two digits long; every other code has three.
    private static readonly HashSet<string> ShortCountryCodes =
    [
        "1", "7",
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
        "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];

    // The mask has a fixed length so the log does not leak how long the number is.
    private const string Mask = "*******";

    /// <summary>
    /// <c>whatsapp:+6285290082800</c> → <c>whatsapp:+62*******800</c>. Keeps any channel prefix
    /// (<c>whatsapp:</c>), the country code and the last three digits. Non-phone input is masked whole.
    /// </summary>
    public static string Phone(string? address)
    {
        if (string.IsNullOrEmpty(address))
            return "";
        var colon = address.IndexOf(':');
        var prefix = colon >= 0 ? address[..(colon + 1)] : "";
        var rest = address[prefix.Length..];
        var plus = rest.StartsWith('+') ? "+" : "";
        var digits = rest[plus.Length..];
        if (digits.Length < 7 || !digits.All(char.IsAsciiDigit))
            return prefix + Mask;
        var cc = CountryCodeLength(digits);
        return prefix + plus + digits[..cc] + Mask + digits[^3..];
    }

    /// <summary>Masks Telegram bot tokens (<c>bot123:ABC…</c> → <c>bot123:***</c>) anywhere in a string, e.g. a request URI.</summary>
    public static string Secrets(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        text = BotTokenInPath().Replace(text, "bot$1:***");
        return BareBotToken().Replace(text, "$1:***");
    }

    /// <summary>Secrets plus phone numbers in free text (see <see cref="Phones"/>).</summary>
    public static string All(string? text) => Phones(Secrets(text));

    /// <summary>
    /// Masks phone numbers however they are written: <c>+62 812-3456-7890</c>, <c>6281234567890</c>,
    /// <c>0812 3456 7890</c>, <c>+1 415 523 8886</c>. Keeps the prefix (<c>+62</c>, <c>62</c>, <c>0</c>) and
    /// the last three digits, like <see cref="Phone"/>. Used for logs, recap summaries and the staff API.
    /// </summary>
    public static string Phones(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        text = PhoneInText().Replace(text, m => Phone("+" + Digits(m.Value)));
        return LocalPhoneInText().Replace(text, m =>
        {
            var digits = Digits(m.Value);
            var prefix = digits.StartsWith("62", StringComparison.Ordinal) ? "62" : "0";
            return prefix + Mask + digits[^3..];
        });
    }

    private static string Digits(string s) => new(s.Where(char.IsAsciiDigit).ToArray());

    private static int CountryCodeLength(string digits)
    {
        if (ShortCountryCodes.Contains(digits[..1]))
            return 1;
        return ShortCountryCodes.Contains(digits[..2]) ? 2 : 3;
    }

    // Telegram tokens look like 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11 (Bot API "Authorizing your bot").
    [GeneratedRegex(@"bot(\d+):[A-Za-z0-9_-]+")]
    private static partial Regex BotTokenInPath();

    [GeneratedRegex(@"(?<![\w:])(\d{5,}):[A-Za-z0-9_-]{20,}")]
    private static partial Regex BareBotToken();

    // "+" then 7–15 digits, single spaces, dashes or dots allowed between digits (E.164 is at most 15).
    [GeneratedRegex(@"\+\d(?:[ .-]?\d){6,14}")]
    private static partial Regex PhoneInText();

    // Indonesian numbers without "+": mobile 08xx / 628xx (9–13 digits after the prefix), and fixed lines
    // 0xx(x) / 62xx(x) with an area code, written with optional spaces, dashes, dots or (area code).
    [GeneratedRegex(@"(?<![\w+*])(?:62|0|\(0)(?:[ .-]?\)?[ .-]?\d){8,13}(?![\w*])")]
    private static partial Regex LocalPhoneInText();
}
