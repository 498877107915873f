using System.Runtime.CompilerServices;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// Settings every app host in the test process shares. Each host would otherwise watch its
/// appsettings files for changes; that costs an inotify instance per host, and the per-user
/// limit (128 on Debian) is shared with every other test run and server on the machine, so a
/// busy machine made unrelated tests fail with "the configured user limit (128) on the number of
/// inotify instances has been reached". Tests never edit appsettings while a host runs.
/// </summary>
internal static class TestHostDefaults
{
    [ModuleInitializer]
    internal static void Apply() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
