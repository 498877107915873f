using System.Globalization;
using LaporBot.Complaints;
using LaporBot.Staff;
using LaporBot.Tests.Fakes;
using Quartz;

namespace LaporBot.Tests.StatusPage;

/// <summary>
/// Staff texts take the zone from the process (one deployment, one zone), so a test that starts a
/// WITA app must not overlap with tests expecting WIB staff texts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnTimeZoneCollection
{
    public const string Name = "own time zone";
}

/// <summary>One time-zone setting, Deployment:TimeZone, for everything a deployment shows and schedules.</summary>
[Collection(OwnTimeZoneCollection.Name)]
public sealed class TimeZoneTests
{
    private const string Street = "Jl. Ahmad Yani No. 12, Bontang Utara";
    private const string LampText = "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan";

    [Fact]
    public async Task A_WITA_deployment_shows_WITA_times_everywhere_and_runs_its_jobs_on_local_time()
    {
        var extra = new Dictionary<string, string?>
        {
            ["Deployment:TimeZone"] = "Asia/Makassar",
            ["Triage:AdminTelegramIds:0"] = "7000",
        };
        try
        {
            await using var kit = StatusPageKit.Start(extra: extra);
            var number = await kit.FileAsync("warga-bontang", "Budi Santoso", Street, LampText);
            await kit.WaitForStatusAsync(number, "triage");
            var created = await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT created_at FROM complaints WHERE tracking_number = @number", new { number });
            // Bontang is UTC+8, whatever the machine's zone: the one format, then WITA.
            var local = DateTimeOffset.FromUnixTimeMilliseconds(created).ToOffset(TimeSpan.FromHours(8))
                .ToString("dd-MM-yyyy HH:mm", CultureInfo.InvariantCulture) + " WITA";

            // The citizen's bot message.
            var citizen = new SimulatorCitizen(kit.App.CreateClient(), "warga-bontang");
            await citizen.SayAsync("status " + number);
            Assert.Contains(local, await citizen.LastReplyAsync());

            // The staff message (the triage desk's notification).
            var staffMessage = await Db.ScalarAsync<string>(kit.DatabasePath,
                "SELECT body FROM outbox WHERE channel = 'telegram' AND recipient = '7000' ORDER BY id LIMIT 1");
            Assert.Contains(local, staffMessage);
            Assert.DoesNotContain("WIB", staffMessage);

            // The status page and public tracking.
            var staff = kit.Staff();
            await staff.LoginOkAsync();
            var casePage = await staff.HtmlAsync($"/status/aduan/{number}");
            Assert.Contains(local, casePage);
            Assert.DoesNotContain(" WIB", casePage);
            Assert.Contains("Semua waktu dalam WITA", await staff.HtmlAsync("/status"));
            var tracking = await kit.App.CreateClient().GetStringAsync($"/lacak/{number}");
            Assert.Contains(local, tracking);

            // The recap counts the case in its local month and says which zone its times are in.
            var month = DateTimeOffset.FromUnixTimeMilliseconds(created).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var recap = await staff.HtmlAsync($"/status/rekap/unduh?periode={month}&format=html");
            Assert.Contains(number, recap);
            Assert.Contains("WITA", recap);
            Assert.DoesNotContain(" WIB", recap);

            // Tracking numbers follow the local month too.
            Assert.StartsWith("LPR-" + DateTimeOffset.FromUnixTimeMilliseconds(created).ToOffset(TimeSpan.FromHours(8)).ToString("yyMM", CultureInfo.InvariantCulture), number);

            // Jobs fire at local wall-clock times: the digest at 08:00 WITA (00:00 UTC), the daily
            // report at its local time, the monthly recap at 01:00 WITA on the 1st.
            var scheduler = await kit.App.Service<ISchedulerFactory>().GetScheduler();
            foreach (var (key, hour) in new[] { ("overdue-digest", 8), ("daily-report", 7), ("monthly-recap", 1) })
            {
                var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey(key, "laporbot")));
                Assert.Equal("Asia/Makassar", trigger.TimeZone.Id);
                var next = trigger.NextFireTimeUtc!.Value.ToOffset(TimeSpan.FromHours(8));
                Assert.True(next.Hour == hour, $"{key} fires at {next:HH:mm} WITA, expected {hour:00}:xx");
            }
        }
        finally
        {
            StaffTexts.Zone = LocalZone.Jakarta;
        }
    }

    [Theory]
    [InlineData("Complaints:TimeZone")]
    [InlineData("Calendar:TimeZone")]
    public async Task The_retired_per_feature_zone_keys_stop_start_up_with_a_clear_message(string key)
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { [key] = "Asia/Makassar" });
        Assert.Contains($"{key} ('Asia/Makassar') is no longer read", e.ToString());
        Assert.Contains("Move the value to Deployment:TimeZone", e.ToString());
    }

    [Fact]
    public async Task A_zone_outside_Indonesia_is_refused()
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { ["Deployment:TimeZone"] = "Europe/Berlin" });
        Assert.Contains("Deployment:TimeZone 'Europe/Berlin' is not one of Indonesia's time zones", e.ToString());
    }

    [Theory]
    [InlineData("Asia/Jakarta", "WIB", "24-11-2026 09:05 WIB")]
    [InlineData("Asia/Makassar", "WITA", "24-11-2026 10:05 WITA")]
    [InlineData("Asia/Jayapura", "WIT", "24-11-2026 11:05 WIT")]
    public void Each_zone_writes_times_the_one_way_with_its_abbreviation(string id, string abbreviation, string written)
    {
        var zone = new LocalZone(id);
        Assert.Equal(abbreviation, zone.Abbreviation);
        Assert.Equal(written, zone.Format(new DateTimeOffset(2026, 11, 24, 2, 5, 0, TimeSpan.Zero)));
    }
}
