namespace LaporBot.Complaints;

internal sealed class ComplaintOptions
{
    public const string Section = "Complaints";

    /// <summary>Tracking numbers look like {TrackingPrefix}-YYMM-NNNNN; 2–10 capital letters.</summary>
    public string TrackingPrefix { get; set; } = "LPR";
}
