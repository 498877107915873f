namespace LaporBot.Reports;

/// <summary>The sign-off levels of the reporting SOP, in order.</summary>
internal static class SignOffLevels
{
    public const string SectionHead = "section_head";
    public const string DivisionHead = "division_head";
    public const string PersonInCharge = "person_in_charge";
    public static readonly string[] All = [SectionHead, DivisionHead, PersonInCharge];
}

/// <summary>One level's approval as printed on the report: who initialled or signed, and when (local time).</summary>
internal sealed record ReportApproval(string Level, string By, DateTime AtLocal);

/// <summary>What a rendering needs besides the figures: the office's name and the approvals so far.</summary>
internal sealed record ReportContext(string Institution, IReadOnlyList<ReportApproval> Approvals)
{
    public ReportApproval? For(string level) => Approvals.FirstOrDefault(a => a.Level == level);
}
