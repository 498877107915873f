namespace LaporBot.Complaints;

/// <summary>The steps of a complaint's life (docs/DESIGN.md); stored as these lower-case words.</summary>
internal static class ComplaintStatus
{
    public const string Submitted = "submitted";
    public const string Triage = "triage";
    public const string Assigned = "assigned";
    public const string Accepted = "accepted";
    public const string Returned = "returned";
    public const string Answered = "answered";
    public const string Reopened = "reopened";
    public const string Closed = "closed";
}
