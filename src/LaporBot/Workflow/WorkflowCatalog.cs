using Microsoft.Extensions.Options;

namespace LaporBot.Workflow;

internal sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>The deployment's workflow file (relative paths are looked up like dialogs/): one per SOP under workflows/.</summary>
    public string File { get; set; } = "workflows/cilacap.yaml";
}

/// <summary>
/// The workflow files in use, loaded and validated once: the deployment's (<c>Workflow:File</c>) and any
/// agency's own (<c>Agencies:N:Workflow</c>). A broken file stops start-up with its file:line.
/// </summary>
internal sealed class WorkflowCatalog
{
    private readonly Dictionary<string, WorkflowDefinition> _byAgency;

    public WorkflowCatalog(IOptions<WorkflowOptions> options, IOptions<List<AgencyConfig>> agencies, IHostEnvironment env)
    {
        var cache = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        WorkflowDefinition Load(string configured)
        {
            var path = Resolve(configured, env.ContentRootPath);
            if (!cache.TryGetValue(path, out var w))
            {
                if (!System.IO.File.Exists(path))
                {
                    throw new FileNotFoundException($"Workflow file '{configured}' not found (looked at {path}). Set Workflow:File to one of workflows/*.yaml.", path);
                }
                cache[path] = w = WorkflowLoader.LoadFile(path);
            }
            return w;
        }
        Default = Load(options.Value.File);
        _byAgency = new Dictionary<string, WorkflowDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in agencies.Value.Where(a => !string.IsNullOrWhiteSpace(a.Workflow)))
        {
            _byAgency[a.Code.Trim()] = Load(a.Workflow!);
        }
    }

    public WorkflowDefinition Default { get; }

    /// <summary>The workflow a case at this agency follows (its own file, or the deployment's).</summary>
    public WorkflowDefinition For(string? agencyCode) =>
        agencyCode is not null && _byAgency.TryGetValue(agencyCode, out var w) ? w : Default;

    public IEnumerable<WorkflowDefinition> All => _byAgency.Values.Append(Default).Distinct();

    /// <summary>workflows/ sits at the repository root and is copied beside the binary; relative paths are found like dialogs/.</summary>
    public static string Resolve(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }
        foreach (var start in new[] { AppContext.BaseDirectory, contentRoot, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, configured);
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine(contentRoot, configured);
    }
}

/// <summary>One agency as the start-up check sees it: its code, whether it is the inspectorate, and the roles its members hold.</summary>
internal sealed record DirectoryEntry(string Code, bool IsInspectorate, IReadOnlyCollection<string> Roles);

/// <summary>
/// Nobody is forgotten: what start-up warns about — agencies nobody can act for, no inspectorate for
/// oversight complaints, a workflow role nobody holds, an empty triage desk.
/// </summary>
internal static class DirectoryWarnings
{
    /// <summary>The legacy agency role ("agency", from AdminTelegramIds) acts in every agency role.</summary>
    public const string AnyAgencyRole = "agency";

    public static async Task<IReadOnlyList<string>> CheckAsync(Data.IDatabase db, WorkflowCatalog workflows, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var entries = await AgencyStoreDirectory.EntriesAsync(c);
        var triageMembers = (await AgencyStore.TriageAdminsAsync(c)).Count > 0;
        return Check(workflows, entries, triageMembers);
    }

    public static IReadOnlyList<string> Check(WorkflowCatalog workflows, IReadOnlyList<DirectoryEntry> agencies, bool triageHasMembers)
    {
        var warnings = new List<string>();
        if (!triageHasMembers && workflows.All.Any(w => w.UsedRoles.Contains("triage")))
        {
            warnings.Add("No triage desk member (Triage:AdminTelegramIds, an invite for 'triage', or a status page account): new complaints that need a disposition reach nobody.");
        }
        foreach (var a in agencies.Where(a => a.Roles.Count == 0))
        {
            warnings.Add($"Agency {a.Code} has no members: cases assigned to it would reach nobody (add Agencies:N:Members or send an invite code).");
        }
        if (!agencies.Any(a => a.IsInspectorate) && workflows.All.Any(w => w.OversightStart is not null))
        {
            warnings.Add("No agency has IsInspectorate=true: oversight complaints (berkadar pengawasan) have nowhere to go; add the inspectorate (APIP).");
        }
        foreach (var a in agencies.Where(a => a.Roles.Count > 0 && !a.Roles.Contains(AnyAgencyRole)))
        {
            var w = workflows.For(a.Code);
            var needed = a.IsInspectorate
                ? w.OversightStart is null ? [] : w.MainPath(w.OversightStart).Select(s => s.Role).Where(r => r != "triage").Distinct()
                : w.MainPath().Select(s => s.Role).Where(r => r is not "triage" and not "inspektorat").Distinct();
            foreach (var role in needed.Where(r => !a.Roles.Contains(r)))
            {
                warnings.Add($"Agency {a.Code}: nobody holds the role '{role}' ({w.Roles[role]}) that workflow {w.Id} needs; its cases would stop at that step.");
            }
        }
        return warnings;
    }
}
