using Microsoft.Extensions.Options;

namespace LaporBot.Conversations;

/// <summary>The dialogs loaded (and validated) once at start-up.</summary>
internal sealed class DialogCatalog
{
    public DialogCatalog(IOptions<ConversationOptions> options, IHostEnvironment env)
    {
        var dir = ResolveDirectory(options.Value.DialogsDirectory, env.ContentRootPath);
        Dialogs = new DialogLoader(ValidatorRegistry.Default).LoadDirectory(dir);
        if (!Dialogs.TryGetValue(options.Value.Dialog, out var main))
        {
            throw new InvalidOperationException(
                $"Conversations:Dialog is '{options.Value.Dialog}', but {dir} has no dialog with that id (found: {string.Join(", ", Dialogs.Keys)}).");
        }
        Main = main;
        StatusVocabulary.Use(main);
        Engine = new DialogEngine(main);
        Directory = dir;
    }

    public IReadOnlyDictionary<string, DialogDefinition> Dialogs { get; }
    public DialogDefinition Main { get; }
    public DialogEngine Engine { get; }
    public string Directory { get; }

    /// <summary>
    /// dialogs/ sits at the repository root and is copied beside the binary; look beside the binary,
    /// then under the content root, then upwards (so `dotnet run` and tests find the source copy).
    /// </summary>
    public static string ResolveDirectory(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }
        foreach (var start in new[] { AppContext.BaseDirectory, contentRoot, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, configured);
                if (File.Exists(Path.Combine(candidate, "lapor.yaml")) || (System.IO.Directory.Exists(candidate) && System.IO.Directory.GetFiles(candidate, "*.yaml").Length > 0))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine(contentRoot, configured);
    }
}
