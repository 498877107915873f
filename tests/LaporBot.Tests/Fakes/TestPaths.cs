namespace LaporBot.Tests.Fakes;

internal static class TestPaths
{
    /// <summary>The repository root (the folder holding LaporBot.sln), found from the test binary upwards.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string Dialogs => Path.Combine(RepoRoot, "dialogs");

    public static string DialogTests => Path.Combine(RepoRoot, "dialogs", "tests");

    public static string Workflows => Path.Combine(RepoRoot, "workflows");

    public static string TestData => Path.Combine(AppContext.BaseDirectory, "testdata");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "LaporBot.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("LaporBot.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh folder under the system temp dir, removed by the caller's Dispose.</summary>
    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "laporbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
