using System.Net;
using LaporBot.Reports;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Reports;

/// <summary>
/// The reporting SOP's standards (3 h, 3 h, 2 days) counted in office time with the working calendar on,
/// and each level's reminder going to that level's approvers, on a manual clock.
/// SQLite only: office-time arithmetic on a manual clock; the sign-off store runs on both in SignOffTests.
/// </summary>
public sealed class SignOffReminderTests : IAsyncLifetime
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);
    private const string SectionHead = "810001", DivisionHead = "820002", PersonInCharge = "830003", Triage = "700001";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 6, 14, 0, 0, Wib)); // Friday 14:00 WIB
    private LaporApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new LaporApp(clock: _clock, settings: new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Calendar:Enabled"] = "true",            // Monday–Friday 07:30–16:00, Asia/Jakarta
            ["Triage:AdminTelegramIds:0"] = Triage,
            ["Recaps:Directory"] = Path.Combine(TestPaths.NewTempDir(), "recaps"),
            ["Recaps:Approvers:SectionHead:0"] = SectionHead,
            ["Recaps:Approvers:DivisionHead:0"] = DivisionHead,
            ["Recaps:Approvers:PersonInCharge:0"] = PersonInCharge,
        });
        _ = _app.Services; // start the host
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private Task<List<string>> RemindersTo(string telegramId) =>
        Db.QueryAsync<string>(_app.DatabasePath, "SELECT body FROM outbox WHERE recipient = @r AND body LIKE 'Pengingat pengesahan%'", new { r = telegramId });

    private async Task<DateTimeOffset> DueAsync(string period) =>
        DateTimeOffset.FromUnixTimeMilliseconds((await _app.Service<SignOff>().FindAsync(period))!.DueAt!.Value).ToOffset(Wib);

    [Fact]
    public async Task Each_level_is_due_in_working_time_and_reminded_once_at_its_own_approvers()
    {
        var store = _app.Service<StoredRecaps>();
        var signOff = _app.Service<SignOff>();
        const string period = "2026-10";
        Assert.True(await store.ProduceAsync(RecapPeriod.Month(2026, 10)) > 0);

        // Stored Friday 14:00: 3 working hours are Friday 14:00–16:00 and Monday 07:30–08:30.
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 8, 30, 0, Wib), await DueAsync(period));
        _clock.Set(new DateTimeOffset(2026, 11, 7, 10, 0, 0, Wib)); // Saturday: not late in office time
        Assert.Equal(0, await signOff.RemindAsync());
        _clock.Set(new DateTimeOffset(2026, 11, 9, 8, 31, 0, Wib));
        Assert.Equal(1, await signOff.RemindAsync());
        Assert.Equal(0, await signOff.RemindAsync()); // once per stage
        var first = Assert.Single(await RemindersTo(SectionHead));
        Assert.Contains("menunggu paraf kepala seksi", first);
        Assert.Empty(await RemindersTo(DivisionHead));
        Assert.Empty(await RemindersTo(Triage)); // the level's own people, not the triage desk

        // Initialled Monday 09:00: the division head has until 12:00.
        _clock.Set(new DateTimeOffset(2026, 11, 9, 9, 0, 0, Wib));
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, "web:kasi", SignOffLevels.SectionHead));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 12, 0, 0, Wib), await DueAsync(period));
        _clock.Set(new DateTimeOffset(2026, 11, 9, 11, 59, 0, Wib));
        Assert.Equal(0, await signOff.RemindAsync());
        _clock.Set(new DateTimeOffset(2026, 11, 9, 12, 1, 0, Wib));
        Assert.Equal(1, await signOff.RemindAsync());
        Assert.Single(await RemindersTo(DivisionHead));

        // Initialled Monday 13:00: the person in charge has 2 working days, to Wednesday 13:00.
        _clock.Set(new DateTimeOffset(2026, 11, 9, 13, 0, 0, Wib));
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, "web:kabid", SignOffLevels.DivisionHead));
        Assert.Equal(new DateTimeOffset(2026, 11, 11, 13, 0, 0, Wib), await DueAsync(period));
        _clock.Set(new DateTimeOffset(2026, 11, 10, 15, 0, 0, Wib));
        Assert.Equal(0, await signOff.RemindAsync());
        _clock.Set(new DateTimeOffset(2026, 11, 11, 13, 5, 0, Wib));
        Assert.Equal(1, await signOff.RemindAsync());
        Assert.Single(await RemindersTo(PersonInCharge));

        // A return (Wednesday 13:05) restarts the lower level's clock and its reminder: 2 h 55 min that day, 5 min on Thursday.
        Assert.Equal(SignOffOutcome.Done, await signOff.ReturnAsync(period, "web:pj", SignOffLevels.PersonInCharge, "Lengkapi ringkasan"));
        Assert.Equal(new DateTimeOffset(2026, 11, 12, 7, 35, 0, Wib), await DueAsync(period));
        _clock.Set(new DateTimeOffset(2026, 11, 11, 18, 0, 0, Wib));
        Assert.Equal(0, await signOff.RemindAsync());
        _clock.Set(new DateTimeOffset(2026, 11, 12, 7, 36, 0, Wib));
        Assert.Equal(1, await signOff.RemindAsync());
        Assert.Equal(2, (await RemindersTo(DivisionHead)).Count);

        // Signed: nothing is pending, no more reminders.
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, "web:kabid", SignOffLevels.DivisionHead));
        Assert.Equal(SignOffOutcome.Done, await signOff.ApproveAsync(period, "web:pj", SignOffLevels.PersonInCharge));
        _clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await signOff.RemindAsync());
        var history = await signOff.HistoryAsync(period);
        Assert.Equal(4, history.Count(h => h.Action == "reminder"));
        Assert.Equal([SignOffLevels.SectionHead, SignOffLevels.DivisionHead, SignOffLevels.PersonInCharge, SignOffLevels.DivisionHead],
            history.Where(h => h.Action == "reminder").Select(h => h.Level ?? "").ToArray());
    }
}
