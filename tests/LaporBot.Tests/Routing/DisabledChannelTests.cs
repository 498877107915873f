using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Routing;

public class DisabledChannelTests
{
    [Fact]
    public async Task With_telegram_off_staff_notifications_are_dead_letters_with_the_reason_and_nothing_leaves_the_machine()
    {
        // Agencies and a triage desk with Telegram ids, but Telegram itself not enabled (the default):
        // the notification must not fall back to the real Bot API.
        var settings = RoutingKit.AgencySettings(new Dictionary<string, string?> { ["Telegram:ApiBaseUrl"] = "http://198.51.100.1" });
        await using var app = new LaporApp(settings: settings);
        var citizen = new SimulatorCitizen(app.CreateClient(), "warga-off");
        await citizen.SayAsync("Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh");
        await citizen.SayAsync("Siti Rahayu");
        await citizen.SayAsync("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        await citizen.SayAsync("sama");
        await citizen.SayAsync("ya");

        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(app.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'telegram' AND status = 'dead'") >= 1, "the agency notification settled");
        var error = await Db.ScalarAsync<string>(app.DatabasePath, "SELECT last_error FROM outbox WHERE channel = 'telegram' LIMIT 1");
        Assert.Contains("Telegram:Enabled=false", error);
        Assert.Equal(1, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT attempts FROM outbox WHERE channel = 'telegram' LIMIT 1"));
        SqliteConnection.ClearAllPools();
    }
}
