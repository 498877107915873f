namespace LaporBot.Complaints;

internal sealed class ComplaintOptions
{
    public const string Section = "Complaints";

    /// <summary>Tracking numbers look like {TrackingPrefix}-YYMM-NNNNN; 2–10 capital letters.</summary>
    public string TrackingPrefix { get; set; } = "LPR";

    /// <summary>Time zone whose calendar month starts a new tracking-number sequence.</summary>
    public string TimeZone { get; set; } = "Asia/Jakarta";
}
