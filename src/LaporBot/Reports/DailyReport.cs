using Dapper;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Routing;
using LaporBot.Workflow;
using static LaporBot.Reports.ReportTexts;

namespace LaporBot.Reports;

/// <summary>
/// The daily issue-identification report (Bontang's SOP): each working morning, what came in since the
/// previous working day's report (on a Monday: Friday to Sunday), by agency and topic, what is overdue
/// and the new oversight cases. Stored like every report and sent once per working day to the triage desk.
/// </summary>
internal sealed class DailyReport(StoredRecaps store, WorkingCalendar calendar, IDatabase db, TimeProvider clock,
    OutboxSignal signal, ILogger<DailyReport> logger)
{
    /// <summary>Working days of the deployment: the working calendar's when it is on, Monday to Friday otherwise.</summary>
    public bool IsWorkingDay(DateOnly day) => calendar.Enabled
        ? calendar.IsWorkingDay(day)
        : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>From the previous working day to yesterday.</summary>
    public RecapPeriod PeriodFor(DateOnly today)
    {
        var from = today.AddDays(-1);
        for (var i = 0; i < 14 && !IsWorkingDay(from); i++)
        {
            from = from.AddDays(-1);
        }
        return RecapPeriod.Range(from, today.AddDays(-1));
    }

    /// <returns>True when this call sent today's report; false on a non-working day or when it was already sent.</returns>
    public async Task<bool> SendAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = calendar.Local(now).Day;
        if (!IsWorkingDay(today))
        {
            return false;
        }
        var period = PeriodFor(today);
        await store.ProduceAsync(period, ReportKind.Day, ct);
        await using (var s = await db.BeginAsync(ct))
        {
            if (await s.Connection.ExecuteAsync("UPDATE reports SET sent_at = @now WHERE period = @period AND sent_at IS NULL",
                    new { now = now.ToUnixTimeMilliseconds(), period = period.Key }, s.Transaction) == 0)
            {
                return false;
            }
            var state = await s.Connection.QuerySingleAsync<string>("SELECT snapshot FROM reports WHERE period = @period", new { period = period.Key }, s.Transaction);
            var report = RecapReport.FromJson(state);
            var text = T("daily.message",
                period.Label,
                report.Total,
                Join(report.Agencies.Where(a => a.Received > 0).Select(a => $"{a.Code ?? T("unassigned")} {a.Received}")),
                Join(report.Topics.Select(t => $"{t.Label} {t.Count}")),
                report.Overdue.Count,
                report.OversightCount);
            var admins = await AgencyStore.TriageAdminsAsync(s.Connection, s.Transaction);
            foreach (var admin in admins)
            {
                await ComplaintWorkflow.EnqueueStaffAsync(s, admin, null, text, [], "notify", now);
            }
            await SignOff.AppendAsync(s, period.Key, now, StoredRecaps.System_, "sent", null, $"{admins.Count}");
            await s.CommitAsync(ct);
        }
        signal.Notify();
        logger.LogInformation("Daily report {Period} sent to the triage desk", period.Key);
        return true;
    }

    private static string Join(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count == 0 ? T("empty") : string.Join(", ", list);
    }
}
