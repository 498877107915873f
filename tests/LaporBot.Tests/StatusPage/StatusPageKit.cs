using LaporBot.StatusPage;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.StatusPage;

/// <summary>The app with two agencies and auto-assignment off (so cases wait for the triage desk), plus helpers to file cases.</summary>
internal sealed class StatusPageKit : IAsyncDisposable
{
    private StatusPageKit(LaporApp app) => App = app;

    public LaporApp App { get; }
    public string DatabasePath => App.DatabasePath;

    /// <summary>Two agencies and auto-assignment off, so cases wait for the triage desk.</summary>
    public static Dictionary<string, string?> AgencySettings() => new()
    {
        ["Agencies:0:Code"] = "DPUPR",
        ["Agencies:0:Name"] = "Dinas Pekerjaan Umum dan Penataan Ruang",
        ["Agencies:0:Keywords:0"] = "lampu jalan",
        ["Agencies:1:Code"] = "DLH",
        ["Agencies:1:Name"] = "Dinas Lingkungan Hidup",
        ["Agencies:1:Keywords:0"] = "sampah",
        // Someone must be able to receive what is assigned (nobody is forgotten).
        ["Agencies:0:AdminTelegramIds:0"] = "7001",
        ["Agencies:1:AdminTelegramIds:0"] = "7002",
        ["Routing:AutoAssign"] = "false",
        ["Scheduler:WatchInterval"] = "00:00:01",
    };

    public static StatusPageKit Start(TimeProvider? clock = null, IDictionary<string, string?>? extra = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var settings = AgencySettings();
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var kit = new StatusPageKit(new LaporApp(settings: settings, clock: clock, services: services));
        kit.App.CreateClient().Dispose(); // start the host (migrations, bootstrap account)
        return kit;
    }

    public StaffClient Staff() => StaffClient.For(App);

    /// <summary>Files a complaint through the simulator pipeline, as a citizen would; returns its tracking number.</summary>
    public async Task<string> FileAsync(string citizen, string name, string address, string text)
    {
        var c = new SimulatorCitizen(App.CreateClient(), citizen);
        await c.SayAsync("lapor");
        await Db.AnswerIdentityAsync(DatabasePath, citizen, t => c.SayAsync(t), name, address);
        await c.SayAsync("sama");
        await c.SayAsync(text);
        await c.SayAsync("ya");
        var numbers = await Db.QueryAsync<string>(DatabasePath,
            "SELECT c.tracking_number FROM complaints c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @citizen ORDER BY c.id DESC",
            new { citizen });
        Assert.True(numbers.Count > 0, $"the simulator conversation of {citizen} filed a complaint");
        return numbers[0];
    }

    public Task WaitForStatusAsync(string number, string status) =>
        Db.EventuallyAsync(async () => await StatusAsync(number) == status, $"{number} reaches {status}");

    public Task<string> StatusAsync(string number) =>
        Db.ScalarAsync<string>(DatabasePath, "SELECT status FROM complaints WHERE tracking_number = @number", new { number });

    public Task AddAccountAsync(string username, string role, string password) =>
        App.Service<StaffAccounts>().CreateAsync(username, role, password);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
