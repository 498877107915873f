using LaporBot.Conversations;
using LaporBot.Staff;

namespace LaporBot.StatusPage;

/// <summary>
/// What the status page calls things: the sentences live in workflows/texts/web.yaml (checked like
/// the staff texts: every key present, nothing unknown), the status names in dialogs/lapor.yaml
/// (<see cref="StatusVocabulary"/>). This class only picks the sentence.
/// </summary>
internal static class WebTexts
{
    public const string RelativePath = "workflows/texts/web.yaml";

    /// <summary>The timeline event kinds the workflow writes; each has an Indonesian name.</summary>
    public static readonly IReadOnlyList<string> EventKinds =
    [
        "submitted", "to_triage", "assigned", "accepted", "rejected_by_agency", "forwarded", "drafted", "approved", "revised",
        "extended", "escalated", "answered", "returned_to_citizen", "returned_reminder", "returned_expired", "completed_by_citizen",
        "rated", "satisfied", "reopened", "citizen_comment", "reminder", "overdue", "total_overdue", "digest", "closed_by_staff", "auto_closed",
    ];

    /// <summary>Every key the code renders; the file must define exactly these.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "channel.twilio", "channel.meta", "channel.telegram", "channel.simulator", "channel.web",
        "step.assign", "step.accept", "step.answer", "step.returned", "step.none", "step.unknown",
        .. EventKinds.Select(k => "event." + k), "event.unknown",
        "actor.citizen", "actor.system", "actor.system_sla", "actor.system_routing", "actor.system_reports",
        "actor.telegram", "actor.telegram_id", "actor.web", "actor.simulator", "actor.staff",
        "access.status_page", "access.telegram", "access.export", "access.cli", "access.unknown", "reason.case_page", "reason.incident_list",
        "duration.days", "duration.hours", "duration.minutes", "chart.bar",
        "outbox.pending", "outbox.sent", "outbox.delivered", "outbox.read", "outbox.failed", "outbox.dead", "outbox.unknown",
        "case.suggestions_none", "case.suggestion",
        "role.admin", "role.penghubung", "role.kepala", "role.pelaksana", "role.inspektorat", "role.agency", "role.triage", "role.unknown",
        "role.viewer", "role.operator", "role.kepala_seksi", "role.kepala_bidang", "role.penanggung_jawab",
        "member.added", "member.taken", "member.invalid", "member.invalid_role",
        "action.need_text", "action.need_days",
        "case.assign_need_agency", "outbox.retry_done", "outbox.retry_refused", "agency.code_taken", "agency.added", "agency.not_found", "agency.updated", "agency.inactive", "invite.for_triage", "invite.for_agency", "invite.invalid_role", "agency.invalid_code", "agency.invalid_name", "agency.invalid_standard", "login.locked", "login.wrong", "login.too_many_title", "login.too_many_text", 
    ];

    private static StaffTextCatalog? _catalog;

    /// <summary>Loaded at start-up by the status page's registration; on first use otherwise (tools, tests).</summary>
    public static StaffTextCatalog Catalog
    {
        get => _catalog ??= Load(AppContext.BaseDirectory);
        set => _catalog = value;
    }

    public static StaffTextCatalog Load(string contentRoot) =>
        StaffTextCatalog.LoadFile(ResolvePath(contentRoot), Keys);

    public static string T(string key, params (string, object?)[] args) => Catalog.Render(key, args);

    private static string Known(string prefix, string? value) =>
        value is not null && Catalog.Has(prefix + value) ? T(prefix + value) : T(prefix + "unknown");

    public static string Status(string status) => StatusVocabulary.Name(status);

    public static string Channel(string channel) => Catalog.Has("channel." + channel) ? T("channel." + channel) : channel;

    public static string Event(string kind) => Known("event.", kind);

    public static string AccessVia(string via) => Known("access.", via);

    public static string Outbox(string status) => Known("outbox.", status);

    /// <summary>A legacy step word (assign/accept/answer) when the workflow file does not name the step.</summary>
    public static string Step(string? step) => step is null ? T("step.none") : Catalog.Has("step." + step) ? T("step." + step) : T("step.unknown");

    /// <summary>
    /// Who acted, as staff read it. Stored actors are "pelapor"/"citizen", "sistem[:part]",
    /// "web:NAME", "telegram:NAME", "simulator:NAME" and, from the Telegram desk, "staf:ID (AGENCY)".
    /// </summary>
    public static string Actor(string actor)
    {
        var (kind, rest) = actor.IndexOf(':') is var i and >= 0 ? (actor[..i], actor[(i + 1)..]) : (actor, "");
        return kind switch
        {
            "pelapor" or "citizen" => T("actor.citizen"),
            "sistem" or "system" => rest switch
            {
                "sla" => T("actor.system_sla"),
                "routing" => T("actor.system_routing"),
                "laporan" => T("actor.system_reports"),
                _ => T("actor.system"),
            },
            "web" => T("actor.web", ("who", rest)),
            "telegram" => T("actor.telegram", ("who", rest)),
            "simulator" => T("actor.simulator", ("who", rest)),
            "staf" or "staff" => T("actor.telegram_id", ("id", rest)),
            _ => T("actor.staff", ("who", actor)),
        };
    }

    public static string ResolvePath(string contentRoot) => Resolve(RelativePath, contentRoot);

    /// <summary>Text files sit at the repository root and are copied beside the binary: look beside the binary, then upwards.</summary>
    public static string Resolve(string relativePath, string contentRoot)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, contentRoot, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine(contentRoot, relativePath);
    }
}

/// <summary>The running step of a case as staff read it: the workflow file's name for it (the agency's own file, or the deployment's).</summary>
internal sealed class StepNames(Workflow.WorkflowCatalog workflows)
{
    public string Name(string? agencyCode, string? step) =>
        workflows.For(agencyCode).FindStep(step)?.Name ?? workflows.Default.FindStep(step)?.Name ?? WebTexts.Step(step);

    /// <summary>The workflow role that acts at the case's step, if the file knows the step.</summary>
    public string? Role(string? agencyCode, string? step) => workflows.For(agencyCode).FindStep(step)?.Role;
}
