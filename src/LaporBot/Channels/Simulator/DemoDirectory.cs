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

/// <summary>
/// The demo status-page accounts (Development with the demo directory only): the triage desk as an
/// operator, and for the first agency one account per agency role of its workflow, plus the
/// inspectorate's. All share the demo file's password; README.md lists them. Created once, after
/// the bootstrap account and the agencies exist.
/// </summary>
internal sealed class DemoAccounts(Data.IDatabase db, Workflow.WorkflowCatalog workflows, TimeProvider clock, ILogger<DemoAccounts> logger,
    DemoDirectoryFile? demo = null) : IHostedService
{
    /// <summary>(username, role, agency, display name) for the demo file and workflow.</summary>
    public static IReadOnlyList<(string Username, string Role, string? Agency, string Name)> Plan(DemoDirectoryFile demo, Workflow.WorkflowCatalog workflows)
    {
        var list = new List<(string, string, string?, string)> { ("triase", StatusPage.StaffRoles.Operator, null, demo.Triage.Name) };
        if (demo.Agencies.FirstOrDefault(a => !a.Inspectorate) is { } first)
        {
            foreach (var role in workflows.For(first.Code).UsedRoles.Where(r => StatusPage.StaffRoles.IsAgencyRole(r) && r != "inspektorat"))
            {
                list.Add(($"{first.Code.ToLowerInvariant()}-{role}", role, first.Code, $"{StatusPage.StaffRoles.Label(role)} {first.Code} (demo)"));
            }
        }
        if (demo.Agencies.FirstOrDefault(a => a.Inspectorate) is { } inspectorate)
        {
            list.Add(("inspektorat", "inspektorat", inspectorate.Code, $"{inspectorate.Name} (demo)"));
        }
        return list;
    }

    /// <summary>The demo staff of the simulator's staff chat: the triage desk, and one member per role of each agency's workflow.</summary>
    public static IReadOnlyList<(long Id, string Role, string? Agency, string Name)> Members(DemoDirectoryFile demo, Workflow.WorkflowCatalog workflows)
    {
        var list = new List<(long, string, string?, string)> { (FirstMemberId, Workflow.StaffRole.Triage, null, demo.Triage.Name) };
        for (var i = 0; i < demo.Agencies.Count; i++)
        {
            var a = demo.Agencies[i];
            var roles = a.Inspectorate ? ["inspektorat"]
                : workflows.For(a.Code).UsedRoles.Where(r => StatusPage.StaffRoles.IsAgencyRole(r) && r != "inspektorat").ToList();
            for (var r = 0; r < roles.Count; r++)
            {
                list.Add((FirstMemberId + 10 * (i + 1) + r, roles[r], a.Code, $"{StatusPage.StaffRoles.Label(roles[r])} {a.Code} (demo)"));
            }
        }
        return list;
    }

    /// <summary>Demo staff ids in the simulator (like Telegram user ids): 91000 the triage desk, 91010+ the first agency, …</summary>
    public const long FirstMemberId = 91000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (demo is null)
        {
            return;
        }
        await using (var s = await db.BeginAsync(cancellationToken))
        {
            foreach (var (id, role, agency, name) in Members(demo, workflows))
            {
                await Workflow.AgencyStore.AddStaffAsync(s, id.ToString(CultureInfo.InvariantCulture), role, agency, name, "demo", clock.GetUtcNow(),
                    SimulatorChannel.ChannelName);
            }
            await s.CommitAsync(cancellationToken);
        }
        await using var c = await db.OpenAsync(cancellationToken);
        var created = new List<string>();
        foreach (var (username, role, agency, name) in Plan(demo, workflows))
        {
            if (await StatusPage.StaffAccounts.CreateAsync(c, username, role, demo.Password, clock.GetUtcNow(), agency: agency, displayName: name))
            {
                created.Add(username);
            }
        }
        if (created.Count > 0)
        {
            logger.LogWarning("Development demo: created the status page accounts {Accounts} (password in workflows/demo/directory.yaml)", string.Join(", ", created));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
