using LaporBot.Complaints;
using LaporBot.Outbox;
using LaporBot.Routing;
using Microsoft.AspNetCore.Mvc;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Pages.Aduan;

/// <summary>One case: every field, the timeline, its outgoing messages and, for operators, the triage desk's actions.</summary>
public sealed class CaseDetailModel : StaffPageModel
{
    internal ComplaintRow? Case { get; private set; }
    internal IReadOnlyList<TimelineEvent> Timeline { get; private set; } = [];
    internal IReadOnlyList<OutboxProblem> Outbox { get; private set; } = [];
    internal IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];
    internal int Attachments { get; private set; }
    internal string? AgencyName { get; private set; }
    internal string MaskedContact { get; private set; } = "";
    internal IReadOnlyList<Privacy.AccessEntry> Accesses { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string nomor)
    {
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        Case = await ComplaintStore.FindByNumberAsync(c, nomor);
        if (Case is null)
        {
            return NotFound();
        }
        Timeline = await ComplaintStore.TimelineAsync(c, Case.Id);
        Outbox = await StatusQueries.OutboxForComplaintAsync(c, Case.Id);
        Agencies = await AgencyStore.ActiveAsync(c);
        Attachments = await StatusQueries.AttachmentCountAsync(c, Case.Id);
        AgencyName = Case.AgencyCode is null ? null : (await AgencyStore.FindAsync(c, Case.AgencyCode))?.Name;
        var address = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(c, "SELECT address FROM reporters WHERE id = @id", new { id = Case.ReporterId });
        MaskedContact = LaporBot.Channels.Redact.Phone(address);
        // Opening a case shows the citizen's personal data: on record, and the record shown to operators.
        await Privacy.AccessLog.RecordAsync(c, null, Now, User.Identity?.Name ?? "?", Privacy.AccessLog.StatusPage, Case.Id, Case.ReporterId,
            "membuka halaman aduan");
        if (IsOperator)
        {
            Accesses = await Privacy.AccessLog.ForComplaintAsync(c, Case.Id);
        }
        return Page();
    }

    public Task<IActionResult> OnPostAssignAsync(string nomor, string? agency, string? note) =>
        ActAsync(nomor, string.IsNullOrWhiteSpace(agency) ? "Pilih instansi tujuan." : null,
            async (w, s, c, now) =>
            {
                if (await AgencyStore.FindAsync(s.Connection, agency!.Trim(), s.Transaction) is { Active: true } target
                    && await w.NobodyCanActAsync(s, target) is { } role)
                {
                    Refusal = Staff.StaffTexts.T("assign.nobody", ("number", c.TrackingNumber), ("agency", target.Name), ("role", role), ("code", target.Code));
                    return false;
                }
                return await w.AssignAsync(s, c, agency.Trim(), Actor, Clean(note), now);
            },
            $"Aduan {nomor} didisposisikan ke {agency?.Trim().ToUpperInvariant()}.");

    public Task<IActionResult> OnPostReturnAsync(string nomor, string? reason) =>
        ActAsync(nomor, string.IsNullOrWhiteSpace(reason) ? "Tulis alasan pengembalian untuk pelapor." : null,
            (w, s, c, now) => w.ReturnToCitizenAsync(s, c, Actor, Clean(reason)!, now),
            $"Aduan {nomor} dikembalikan ke pelapor untuk dilengkapi.");

    public Task<IActionResult> OnPostCloseAsync(string nomor, string? reason) =>
        ActAsync(nomor, string.IsNullOrWhiteSpace(reason) ? "Tulis alasan penutupan." : null,
            (w, s, c, now) => w.CloseAsync(s, c, Actor, "closed_by_staff", Clean(reason), now, citizenMessage: "closed_notice"),
            $"Aduan {nomor} ditutup.");

    public async Task<IActionResult> OnPostRetryAsync(string nomor, long id)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        if (await OutboxStore.RetryDeadAsync(Db, id, Now, HttpContext.RequestAborted))
        {
            HttpContext.RequestServices.GetRequiredService<OutboxSignal>().Notify();
            Flash = $"Pesan #{id} masuk antrean kirim lagi.";
        }
        else
        {
            FlashError = $"Pesan #{id} tidak dalam status gagal; tidak ada yang diubah.";
        }
        return RedirectToPage(new { nomor });
    }

    private async Task<IActionResult> ActAsync(string nomor, string? invalid,
        Func<ComplaintWorkflow, Data.DbSession, ComplaintRow, DateTimeOffset, Task<bool>> action, string done)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        if (invalid is not null)
        {
            FlashError = invalid;
            return RedirectToPage(new { nomor });
        }
        var workflow = HttpContext.RequestServices.GetRequiredService<ComplaintWorkflow>();
        bool changed;
        await using (var s = await Db.BeginAsync(HttpContext.RequestAborted))
        {
            // Read inside the write transaction: the workflow's guarded UPDATE decides against the current state.
            var c = await ComplaintStore.FindByNumberAsync(s.Connection, nomor, s.Transaction);
            if (c is null)
            {
                return NotFound();
            }
            changed = await action(workflow, s, c, Now);
            if (changed)
            {
                await s.CommitAsync(HttpContext.RequestAborted);
            }
        }
        if (changed)
        {
            HttpContext.RequestServices.GetRequiredService<OutboxSignal>().Notify();
            Flash = done;
        }
        else
        {
            FlashError = Refusal ?? "Tindakan tidak dapat dilakukan pada status aduan saat ini (atau instansi tidak aktif); tidak ada yang diubah.";
        }
        return RedirectToPage(new { nomor });
    }

    /// <summary>Why the action was refused, when the reason is more specific than the status.</summary>
    private string? Refusal { get; set; }

    private static string? Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is var t && t.Length > 1000 ? t[..1000] : text.Trim();
}
