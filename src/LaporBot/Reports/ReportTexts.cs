using System.Globalization;
using System.Text.Json;

namespace LaporBot.Reports;

/// <summary>
/// The reports' Indonesian words, read from report-texts.json (staff text lives outside C#).
/// An unknown key throws, so every report test also checks that its labels exist.
/// </summary>
internal static class ReportTexts
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Texts = new(() =>
    {
        using var stream = typeof(ReportTexts).Assembly.GetManifestResourceStream("LaporBot.Reports.report-texts.json")
            ?? throw new InvalidOperationException("report-texts.json is not embedded");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
    });

    public static string T(string key) =>
        Texts.Value.TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"report-texts.json has no '{key}'");

    public static string T(string key, params object?[] args) => string.Format(CultureInfo.InvariantCulture, T(key), args);

    public static bool Has(string key) => Texts.Value.ContainsKey(key);
}
