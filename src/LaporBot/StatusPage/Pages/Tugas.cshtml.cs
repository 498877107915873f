using LaporBot.Complaints;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Pages;

/// <summary>
/// An agency member's desk on the web (/status/tugas): the agency's open cases, those waiting at a
/// step of the member's role first. Diskominfo's accounts see every agency's cases elsewhere.
/// </summary>
public sealed class TugasModel : StaffPageModel
{
    protected override bool OpenToAgencyMembers => true;

    internal sealed record Task(ComplaintRow Case, string StepName, bool Mine);

    internal IReadOnlyList<Task> Tasks { get; private set; } = [];

    internal string AgencyName { get; private set; } = "";

    /// <summary>The notifications this member received on the web staff channel, newest first.</summary>
    internal IReadOnlyList<(string Text, long At, string? Number)> Notifications { get; private set; } = [];

    public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnGetAsync()
    {
        if (MemberAgency is not { } agency)
        {
            return RedirectToPage("/Aduan/Index");
        }
        var steps = HttpContext.RequestServices.GetRequiredService<StepNames>();
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        AgencyName = (await AgencyStore.FindAsync(c, agency))?.Name ?? agency;
        Tasks = (await StatusQueries.OpenForAgencyAsync(c, agency))
            .Select(row => new Task(row, steps.Name(agency, row.Step), steps.Role(agency, row.Step) == Role))
            .OrderByDescending(t => t.Mine)
            .ToList();
        Notifications = (await Dapper.SqlMapper.QueryAsync<(string Body, long CreatedAt, string? Number)>(c,
                """
                SELECT o.body, o.created_at, c.tracking_number FROM outbox o LEFT JOIN complaints c ON c.id = o.complaint_id
                WHERE o.channel = @channel AND o.recipient = @me ORDER BY o.id DESC LIMIT 10
                """,
                new { channel = WebInboxChannel.ChannelName, me = User.Identity!.Name!.ToLowerInvariant() }))
            .Select(n => (Channels.Markup.ToPlain(n.Body), n.CreatedAt, n.Number)).ToList();
        return Page();
    }
}
