namespace LaporBot.Workflow;

/// <summary>One agency (OPD) as configured under <c>Agencies</c>; upserted by code at start-up.</summary>
internal sealed class AgencyConfig
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Keywords { get; set; } = [];
    public List<string> Categories { get; set; } = [];
    /// <summary>Telegram user ids of the agency's admins; they act in every role of the agency (kept for older settings).</summary>
    public List<long> AdminTelegramIds { get; set; } = [];
    /// <summary>The agency's people by workflow role (admin, penghubung, kepala, pelaksana, inspektorat).</summary>
    public List<MemberConfig> Members { get; set; } = [];
    /// <summary>This agency's own workflow file; empty = Workflow:File.</summary>
    public string? Workflow { get; set; }
    /// <summary>Receives oversight complaints (misconduct of officials): the inspectorate (APIP).</summary>
    public bool IsInspectorate { get; set; }
    /// <summary>
    /// The old per-agency standards, only read to refuse them: an agency with other standards follows
    /// its own workflow file (<see cref="Workflow"/>).
    /// </summary>
    public TimeSpan? AcceptWithin { get; set; }
    public TimeSpan? AnswerWithin { get; set; }
}

internal sealed class TriageOptions
{
    public const string Section = "Triage";

    /// <summary>Telegram user ids of the triage desk (Admin Utama, Diskominfo).</summary>
    public List<long> AdminTelegramIds { get; set; } = [];
}

/// <summary>One person acting for an agency: <c>Agencies:N:Members:M:TelegramId</c> and <c>:Role</c>.</summary>
internal sealed class MemberConfig
{
    public long TelegramId { get; set; }
    public string Role { get; set; } = "";
}
