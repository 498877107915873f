namespace LaporBot.Routing;

internal sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>Assign automatically when the rules find one confident match; otherwise the triage desk decides.</summary>
    public bool AutoAssign { get; set; } = true;

    /// <summary>Extra words that make a complaint an oversight complaint, on top of the built-in list.</summary>
    public List<string> OversightKeywords { get; set; } = [];

    /// <summary>How long after an answer the citizen's messages about the case are forwarded to the agency.</summary>
    public TimeSpan ReplyWindow { get; set; } = TimeSpan.FromDays(10);

    /// <summary>How long an invite code for linking a Telegram account stays valid.</summary>
    public TimeSpan InviteValidFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>A complaint still unrouted this long after submission is routed by the sweep (the immediate job was lost).</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(30);
}
