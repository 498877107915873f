using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LaporBot.Channels.Simulator;

/// <summary>workflows/demo/directory.yaml: the Development demo agencies, triage desk and password.</summary>
internal sealed class DemoDirectoryFile
{
    public int Version { get; set; }
    public string Password { get; set; } = "";
    public DemoTriage Triage { get; set; } = new();
    public List<DemoAgency> Agencies { get; set; } = [];

    internal sealed class DemoTriage
    {
        public string Name { get; set; } = "";
    }

    internal sealed class DemoAgency
    {
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public List<string> Keywords { get; set; } = [];
        public bool Inspectorate { get; set; }
    }
}

/// <summary>
/// In Development, with no agencies or triage desk configured, the service starts with the demo
/// directory so the whole loop can be tried locally: it is added as configuration (Agencies:*), so
/// it goes through the same seeding, checks and start-up warnings as a real deployment's.
/// </summary>
internal static class DemoDirectory
{
    public const string RelativePath = "workflows/demo/directory.yaml";

    public static bool IsOn(IHostEnvironment env, IConfiguration config) =>
        env.IsDevelopment() && config.GetValue("Demo:Enabled", true)
        && !config.GetSection("Agencies").GetChildren().Any() && !config.GetSection("Triage").GetChildren().Any();

    public static WebApplicationBuilder AddDemoDirectory(this WebApplicationBuilder builder)
    {
        if (!IsOn(builder.Environment, builder.Configuration))
        {
            return builder;
        }
        var demo = Load(StatusPage.WebTexts.Resolve(RelativePath, builder.Environment.ContentRootPath));
        builder.Configuration.AddInMemoryCollection(Settings(demo));
        builder.Services.AddSingleton(demo);
        return builder;
    }

    public static DemoDirectoryFile Load(string path)
    {
        var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<DemoDirectoryFile>(File.ReadAllText(path));
        if (file.Version != 1 || file.Agencies.Count == 0 || string.IsNullOrWhiteSpace(file.Password))
        {
            throw new InvalidOperationException($"{path}: expected version 1, a password and at least one agency.");
        }
        return file;
    }

    /// <summary>The demo directory as configuration keys.</summary>
    public static Dictionary<string, string?> Settings(DemoDirectoryFile demo)
    {
        var s = new Dictionary<string, string?>();
        for (var i = 0; i < demo.Agencies.Count; i++)
        {
            var a = demo.Agencies[i];
            var p = string.Create(CultureInfo.InvariantCulture, $"Agencies:{i}:");
            s[p + "Code"] = a.Code;
            s[p + "Name"] = a.Name;
            s[p + "IsInspectorate"] = a.Inspectorate ? "true" : "false";
            for (var k = 0; k < a.Keywords.Count; k++)
            {
                s[string.Create(CultureInfo.InvariantCulture, $"{p}Keywords:{k}")] = a.Keywords[k];
            }
        }
        return s;
    }
}
