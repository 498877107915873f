using LaporBot.Reports;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Reports;

/// <summary>
/// The daily report's "working day" is the deployment's, not the server's or Jakarta's: a regency in
/// Papua (WIT, UTC+9) gets Monday's report when it is Monday there, once, while it is still Sunday in Jakarta.
/// SQLite only: the deployment's working day is computed before any query; the report queries run on both in RecapTests.
/// </summary>
public sealed class DailyReportZoneTests
{
    [Fact]
    public async Task The_daily_report_follows_the_deployments_day_once_per_working_day()
    {
        var wit = TimeSpan.FromHours(9);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 29, 10, 0, 0, wit)); // Sunday
        await using var app = new LaporApp(clock: clock, settings: new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Deployment:TimeZone"] = "Asia/Jayapura",
            ["Triage:AdminTelegramIds:0"] = "700001",
            ["Recaps:Directory"] = Path.Combine(TestPaths.NewTempDir(), "recaps"),
        });
        var daily = app.Service<DailyReport>();
        Task<long> Sent() => Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE recipient = '700001' AND body LIKE 'Laporan harian identifikasi isu%'");

        Assert.False(await daily.SendAsync()); // Sunday in Jayapura
        // Monday 00:30 WIT is still Sunday 22:30 in Jakarta: Jayapura's Monday counts.
        clock.Set(new DateTimeOffset(2026, 11, 30, 0, 30, 0, wit));
        Assert.True(await daily.SendAsync());
        Assert.Equal(1, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM reports WHERE period = '2026-11-27_2026-11-29'"));
        // Monday 23:00 WIT is Monday in Jakarta too, but Jayapura's Monday already had its report.
        clock.Set(new DateTimeOffset(2026, 11, 30, 23, 0, 0, wit));
        Assert.False(await daily.SendAsync());
        Assert.Equal(1, await Sent());
        // Tuesday 00:10 WIT (Monday 22:10 in Jakarta): Tuesday's report, covering Monday.
        clock.Set(new DateTimeOffset(2026, 12, 1, 0, 10, 0, wit));
        Assert.True(await daily.SendAsync());
        Assert.Equal(2, await Sent());
        Assert.Equal(1, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM reports WHERE period = '2026-11-30'"));
        SqliteConnection.ClearAllPools();
    }
}
