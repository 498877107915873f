using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LaporBot.Staff;

/// <summary>A staff texts file that cannot be used, with the file and line that says why.</summary>
internal sealed class StaffTextsException(string file, long line, string message) : Exception($"{file}:{line}: {message}");

/// <summary>
/// The staff sentences from workflows/texts/staff.yaml (keys → templates with {placeholders}),
/// checked once when loaded: version, every key the code uses present, nothing unknown.
/// </summary>
internal sealed partial class StaffTextCatalog
{
    public const int SupportedVersion = 1;
    public const string RelativePath = "workflows/texts/staff.yaml";

    private readonly Dictionary<string, string> _texts;

    private StaffTextCatalog(Dictionary<string, string> texts) => _texts = texts;

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>Fills {name} placeholders; a placeholder without a value is a bug in the caller and throws.</summary>
    public string Render(string key, params (string Name, object? Value)[] args)
    {
        if (!_texts.TryGetValue(key, out var template))
        {
            throw new KeyNotFoundException($"Staff text '{key}' is not in {RelativePath}.");
        }
        if (args.Length == 0)
        {
            return template;
        }
        return Placeholder().Replace(template, m =>
        {
            foreach (var (name, value) in args)
            {
                if (name == m.Groups[1].Value)
                {
                    return value?.ToString() ?? "";
                }
            }
            throw new ArgumentException($"Staff text '{key}' needs a value for {{{m.Groups[1].Value}}}.");
        });
    }

    public bool Has(string key) => _texts.ContainsKey(key);

    public IReadOnlyCollection<string> Keys => _texts.Keys;

    public static StaffTextCatalog LoadFile(string path, IEnumerable<string> required) => Parse(File.ReadAllText(path), path, required);

    public static StaffTextCatalog Parse(string yaml, string file, IEnumerable<string> required)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new StaffTextsException(file, e.Start.Line, "not valid YAML: " + e.Message);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new StaffTextsException(file, 1, "expected a mapping with version and texts");
        }
        var version = root.Children.FirstOrDefault(k => k.Key is YamlScalarNode { Value: "version" });
        if (version.Value is not YamlScalarNode { Value: var v } || v != SupportedVersion.ToString())
        {
            throw new StaffTextsException(file, version.Key?.Start.Line ?? 1, $"version must be {SupportedVersion}");
        }
        var textsNode = root.Children.FirstOrDefault(k => k.Key is YamlScalarNode { Value: "texts" });
        if (textsNode.Value is not YamlMappingNode texts)
        {
            throw new StaffTextsException(file, textsNode.Key?.Start.Line ?? 1, "texts must be a mapping of key: sentence");
        }
        var requiredSet = required.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, value) in texts.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            if (value is not YamlScalarNode { Value: { } text })
            {
                throw new StaffTextsException(file, k.Start.Line, $"'{key}' must be a sentence (a string)");
            }
            if (!requiredSet.Contains(key))
            {
                throw new StaffTextsException(file, k.Start.Line, $"'{key}' is not a staff text LaporBot uses (a typo?)");
            }
            if (!result.TryAdd(key, text))
            {
                throw new StaffTextsException(file, k.Start.Line, $"'{key}' is defined twice");
            }
        }
        var missing = requiredSet.Where(r => !result.ContainsKey(r)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new StaffTextsException(file, textsNode.Key!.Start.Line, $"missing staff texts: {string.Join(", ", missing)}");
        }
        return new StaffTextCatalog(result);
    }

    /// <summary>workflows/ sits at the repository root and is copied beside the binary: look beside the binary, then upwards.</summary>
    public static string ResolvePath(string contentRoot)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, contentRoot, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine(contentRoot, RelativePath);
    }
}
