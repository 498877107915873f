using LaporBot.Outbox;
using Microsoft.AspNetCore.Mvc;

namespace LaporBot.StatusPage.Pages;

public sealed class OutboxModel : StaffPageModel
{
    internal IReadOnlyList<OutboxProblem> Dead { get; private set; } = [];
    internal IReadOnlyList<OutboxProblem> Retrying { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        (Dead, Retrying) = await StatusQueries.OutboxProblemsAsync(c, 200);
    }

    public async Task<IActionResult> OnPostRetryAsync(long id)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        if (await OutboxStore.RetryDeadAsync(Db, id, Now, HttpContext.RequestAborted))
        {
            HttpContext.RequestServices.GetRequiredService<OutboxSignal>().Notify();
            Flash = WebTexts.T("outbox.retry_done", ("id", id));
        }
        else
        {
            FlashError = WebTexts.T("outbox.retry_refused", ("id", id));
        }
        return RedirectToPage();
    }
}
