using System.Text.RegularExpressions;
using LaporBot.Conversations;
using YamlDotNet.RepresentationModel;

namespace LaporBot.Privacy;

/// <summary>
/// dialogs/privacy/privasi.yaml: what citizens read about their personal data and the words that ask
/// for it. Checked at load: every text and word list in every language, every message the desk says.
/// </summary>
internal sealed partial class PrivacyTexts
{
    public const string FileName = "privasi.yaml";

    public static readonly string[] RequiredMessages =
    [
        "notice_short", "notice_full", "my_data", "my_data_item", "my_data_no_items", "erase_explain", "erase_explain_open",
        "erase_done", "erase_done_partial", "erase_cancelled", "stopped",
    ];

    public static readonly string[] RequiredWords = ["privacy", "my_data", "erase", "stop", "yes", "no"];

    private readonly Dictionary<string, Dictionary<string, string>> _messages;
    private readonly Dictionary<string, Dictionary<string, string[]>> _words;

    public IReadOnlyList<string> Languages { get; }

    private PrivacyTexts(IReadOnlyList<string> languages, Dictionary<string, Dictionary<string, string>> messages,
        Dictionary<string, Dictionary<string, string[]>> words) => (Languages, _messages, _words) = (languages, messages, words);

    public static string PathIn(string dialogsDirectory) => Path.Combine(dialogsDirectory, "privacy", FileName);

    public static PrivacyTexts Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string Where(YamlNode n) => $"{path}:{n.Start.Line}";
        YamlNode Get(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw new InvalidDataException($"{Where(m)}: '{key}' is missing");
        if (((YamlScalarNode)Get(root, "version")).Value != "1")
        {
            throw new InvalidDataException($"{Where(root)}: version must be 1");
        }
        var languages = ((YamlSequenceNode)Get(root, "languages")).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
        var messages = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (k, v) in ((YamlMappingNode)Get(root, "messages")).Children)
        {
            var m = (YamlMappingNode)v;
            messages[((YamlScalarNode)k).Value!] = languages.ToDictionary(l => l, l => ((YamlScalarNode)Get(m, l)).Value!);
        }
        var words = new Dictionary<string, Dictionary<string, string[]>>();
        foreach (var (k, v) in ((YamlMappingNode)Get(root, "words")).Children)
        {
            var m = (YamlMappingNode)v;
            words[((YamlScalarNode)k).Value!] = languages.ToDictionary(l => l,
                l => ((YamlSequenceNode)Get(m, l)).Children.Select(n => Normalise(((YamlScalarNode)n).Value!)).ToArray());
        }
        foreach (var key in RequiredMessages.Where(k => !messages.ContainsKey(k)))
        {
            throw new InvalidDataException($"{path}: messages must define '{key}'");
        }
        foreach (var key in RequiredWords.Where(k => !words.ContainsKey(k)))
        {
            throw new InvalidDataException($"{path}: words must define '{key}'");
        }
        return new PrivacyTexts(languages, messages, words);
    }

    /// <summary>Which word list the whole message matches, in any language ("Data saya." → my_data).</summary>
    public string? Match(string? text, params string[] kinds)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = Normalise(text);
        return kinds.FirstOrDefault(k => _words[k].Values.Any(ws => ws.Contains(t)));
    }

    public string Render(string key, string language, IReadOnlyDictionary<string, string>? args = null)
    {
        var texts = _messages[key];
        var text = texts.TryGetValue(language, out var t) ? t : texts[Languages[0]];
        return args is null ? text : Placeholder().Replace(text, m => args.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    private static string Normalise(string s) =>
        string.Join(' ', s.Trim().TrimStart('/').TrimEnd('.', '!', '?', ',').ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
