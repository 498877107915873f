using System.Globalization;
using System.Net;
using System.Text;

namespace LaporBot.StatusPage;

/// <summary>
/// Server-rendered pages without a template engine: every value goes through <see cref="E"/>, so
/// whatever a citizen typed is shown as text, never as markup. Small, no scripts, no CDN.
/// </summary>
internal static class Html
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>HTML-encodes text for element content and double-quoted attributes (&lt; &gt; &amp; " ').</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Num(double? value, string format = "0.#") =>
        value is { } v ? v.ToString(format, CultureInfo.GetCultureInfo("id-ID")) : "–";

    public static string Pct(double? share) => share is { } s ? Num(s * 100, "0.#") + "%" : "–";

    public static string Page(string title, string body, string extraCss = "") =>
        new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append("</title><style>").Append(BaseCss).Append(extraCss).Append("</style></head><body>\n")
            .Append(body)
            .Append("\n</body></html>\n")
            .ToString();

    private const string BaseCss =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;color:#111;line-height:1.4}" +
        "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}" +
        "th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#eee}" +
        "td.n{text-align:right}label{display:inline-block;margin:.25rem .75rem .25rem 0}input,select,button{font:inherit;padding:.2rem .4rem}" +
        ".muted{color:#555}";
}
