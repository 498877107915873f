using LaporBot.Reports;
using LaporBot.Routing;
using LaporBot.Workflow;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LaporBot.StatusPage.Pages;

/// <summary>
/// The reports page: stored reports with their sign-off state and history, the sign-off actions for the
/// levels the user holds, and downloads for this month, past periods, one day, or one agency.
/// </summary>
[Authorize(Policy = StaffPolicies.Viewer)]
public sealed class RekapModel : StaffPageModel
{
    internal sealed record StoredReport(string Period, string Title, string Label, string Dates, ReportState? State,
        IReadOnlyList<StoredRecap> Files, IReadOnlyList<ReportEvent> History, IReadOnlyList<ReportApproval> Approvals, long CaseCount);

    internal IReadOnlyList<StoredReport> Reports { get; private set; } = [];
    internal IReadOnlyList<RecapPeriod> Months { get; private set; } = [];
    internal IReadOnlyList<RecapPeriod> Longer { get; private set; } = [];
    internal RecapPeriod ThisMonth { get; private set; } = null!;
    internal DateOnly Today { get; private set; }
    internal IReadOnlyList<(string Code, string Name)> Agencies { get; private set; } = [];
    internal IReadOnlyList<string> MyLevels => User.SignOffLevels();

    internal static string StageLabel(string? stage) => ReportTexts.T("stage." + (stage ?? SignOff.Stages.None));

    internal static string ActionLabel(ReportEvent e) => e.Action switch
    {
        "approved" => ReportTexts.T("history.approved." + e.Level),
        "returned" => ReportTexts.T("history.returned") + (e.Level is null ? "" : $" ({ReportTexts.T("sign." + e.Level)})"),
        _ => ReportTexts.T("history." + e.Action),
    };

    internal static string LevelLabel(string level) => ReportTexts.T("sign." + level);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var services = HttpContext.RequestServices;
        var signOff = services.GetRequiredService<SignOff>();
        var files = await services.GetRequiredService<StoredRecaps>().ListAsync(ct);
        var states = (await signOff.ListAsync(ct)).ToDictionary(s => s.Period);
        var list = new List<StoredReport>();
        foreach (var g in files.GroupBy(f => f.Period))
        {
            var state = states.GetValueOrDefault(g.Key);
            var label = SignOff.TryParseStoredKey(g.Key, out var p) ? p : null;
            var kind = state?.Kind is { } k ? Enum.Parse<ReportKind>(k) : label?.Kind ?? ReportKind.Range;
            list.Add(new StoredReport(g.Key, ReportTexts.T("title." + kind), label?.Label ?? g.Key, label?.Dates ?? "", state,
                g.OrderBy(r => Array.IndexOf(RecapFormat.All, r.Format)).ToList(),
                state is null ? [] : await signOff.HistoryAsync(g.Key, ct),
                state is null ? [] : signOff.Approvals(state),
                g.First().CaseCount));
        }
        Reports = list;
        Today = Time.Today(Now);
        ThisMonth = RecapPeriod.MonthOf(Today);
        Months = Enumerable.Range(1, 12).Select(i => RecapPeriod.MonthOf(Today.AddMonths(-i))).ToList();
        var lastQuarter = RecapPeriod.QuarterOf(RecapPeriod.QuarterOf(Today).From.AddDays(-1));
        var lastSemester = RecapPeriod.SemesterOf(RecapPeriod.SemesterOf(Today).From.AddDays(-1));
        Longer =
        [
            RecapPeriod.QuarterOf(Today), lastQuarter, RecapPeriod.SemesterOf(Today), lastSemester,
            RecapPeriod.Year(Today.Year), RecapPeriod.Year(Today.Year - 1),
        ];
        await using var c = await Db.OpenAsync(ct);
        Agencies = (await AgencyStore.ActiveAsync(c)).Select(a => (a.Code, a.Name)).ToList();
    }

    public Task<IActionResult> OnPostApproveAsync(string period, string level, CancellationToken ct) =>
        ActAsync(level, s => s.ApproveAsync(period, Actor, level, ct), ReportTexts.T(level == SignOffLevels.PersonInCharge ? "flash.signed" : "flash.initialled"));

    public Task<IActionResult> OnPostReturnAsync(string period, string level, string? note, CancellationToken ct) =>
        ActAsync(level, s => s.ReturnAsync(period, Actor, level, note, ct), ReportTexts.T("flash.returned"));

    public async Task<IActionResult> OnPostRebuildAsync(string period, CancellationToken ct)
    {
        if (RequireOperator() is { } forbidden)
        {
            return forbidden;
        }
        var result = await HttpContext.RequestServices.GetRequiredService<SignOff>().RebuildAsync(period, Actor, ct);
        return Done(result, ReportTexts.T("flash.rebuilt"));
    }

    private async Task<IActionResult> ActAsync(string level, Func<SignOff, Task<SignOffOutcome>> act, string ok)
    {
        if (!MyLevels.Contains(level))
        {
            return Forbid();
        }
        return Done(await act(HttpContext.RequestServices.GetRequiredService<SignOff>()), ok);
    }

    private IActionResult Done(SignOffOutcome result, string ok)
    {
        switch (result)
        {
            case SignOffOutcome.Done:
                Flash = ok;
                break;
            case SignOffOutcome.NoteRequired:
                FlashError = ReportTexts.T("flash.noteRequired");
                break;
            case SignOffOutcome.NotFound:
                FlashError = ReportTexts.T("flash.notFound");
                break;
            default:
                FlashError = ReportTexts.T("flash.notYourTurn");
                break;
        }
        return RedirectToPage();
    }
}
