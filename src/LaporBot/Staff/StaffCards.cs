using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.StatusPage;
using LaporBot.Workflow;

namespace LaporBot.Staff;

/// <summary>The case as a staff chat shows it (/lihat): the card, the step it is at, the draft, and its history.</summary>
internal static class StaffCards
{
    public static async Task<string> ViewAsync(DbSession s, ComplaintRow c, bool isTriage, ComplaintWorkflow workflow)
    {
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        var attachments = (int)await s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM complaint_attachments WHERE complaint_id = @id", new { id = c.Id }, s.Transaction);
        var events = await ComplaintStore.TimelineAsync(s.Connection, c.Id, s.Transaction);
        // The history in the status page's words (workflows/texts/web.yaml): one name per event and actor everywhere.
        var timeline = string.Join("\n", events.Select(e => e.Note is null
            ? StaffTexts.T("card.event", ("date", StaffTexts.When(e.At)), ("kind", WebTexts.Event(e.Kind)), ("actor", WebTexts.Actor(e.Actor)))
            : StaffTexts.T("card.event_note", ("date", StaffTexts.When(e.At)), ("kind", WebTexts.Event(e.Kind)), ("actor", WebTexts.Actor(e.Actor)), ("note", e.Note))));
        // Agencies never see a confidential reporter's identity. The triage desk does (it may have to
        // ask the citizen to complete the case), with a reminder that the identity is confidential.
        // The chat address (on WhatsApp a phone number) is for the triage desk only: an agency talks to
        // the citizen through the bot (answer, return with a reason), so it has no need of it (UU PDP:
        // data minimisation).
        var hide = c.Confidential && !isTriage;
        var reporter = !isTriage ? default : await s.Connection.QuerySingleOrDefaultAsync<(string? Channel, string? Address)>(
            "SELECT channel, address FROM reporters WHERE id = @id", new { id = c.ReporterId }, s.Transaction);
        var contact = reporter.Channel is null ? null : $"{WebTexts.Channel(reporter.Channel)} {reporter.Address}";
        var draft = await ComplaintDrafts.FindAsync(s, c.Id);
        var step = workflow.StepOf(c);
        var card = StaffTexts.Card(c, agency?.Name, hide, attachments, contact, draft?.Text, c.ApprovedAt is not null, step?.Name);
        return $"{card}\n\n{StaffTexts.T("card.history")}\n{timeline}";
    }
}
