using LaporBot.Complaints;
using LaporBot.Routing;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using LaporBot.Workflow;

namespace LaporBot.Tests.Workflow;

/// <summary>
/// The routing kit with Quartz off and a <see cref="ManualClock"/>: complaints come in over the
/// fake Telegram, and the test routes them and runs the SLA rounds itself after moving the clock,
/// so every deadline is checked to the minute without sleeping.
/// </summary>
internal sealed class DeadlineKit : IAsyncDisposable
{
    public const string Jalan = "Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh";
    public const string Sampah = "Sampah menumpuk di pinggir pasar Gumilir sudah dua minggu tidak diangkut dan bau sekali";
    public const string Pungli = "Ada pungli di puskesmas saat mengurus surat sehat, petugas minta uang tanpa kuitansi";
    public const string Unclear = "Tolong diperhatikan, di dekat sekolah ada masalah yang sudah lama dibiarkan oleh petugas setempat";

    public static readonly Dictionary<string, string?> WorkingTime = new()
    {
        ["Calendar:Enabled"] = "true",
        ["Workflow:File"] = Path.Combine(TestPaths.TestData, "workflows", "three-step-working.yaml"),
        ["Calendar:Holidays:0"] = "2026-12-24", // cuti bersama Natal
        ["Calendar:Holidays:1"] = "2026-12-25", // Natal
    };

    private DeadlineKit(RoutingKit kit, ManualClock clock) => (Kit, Clock) = (kit, clock);

    public RoutingKit Kit { get; }
    public ManualClock Clock { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A wall-clock time in Western Indonesia (WIB, UTC+7, no daylight saving).</summary>
    public static DateTimeOffset Wib(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(7));

    public static async Task<DeadlineKit> StartAsync(DateTimeOffset start, IDictionary<string, string?>? extra = null, Backend backend = Backend.Sqlite)
    {
        var settings = new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var clock = new ManualClock(start);
        return new DeadlineKit(await RoutingKit.StartAsync(settings, clock, backend), clock);
    }

    /// <summary>
    /// A shipped SOP file with one member per role in each agency (no all-roles admins) and the
    /// triage desk deciding every disposition (no automatic assignment), so every step is walked.
    /// </summary>
    public static async Task<DeadlineKit> StartSopAsync(string file, DateTimeOffset start, IDictionary<string, string?>? extra = null, Backend backend = Backend.Sqlite)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Routing:AutoAssign"] = "false",
            ["Workflow:File"] = Path.Combine(TestPaths.Workflows, file),
            ["Triage:AdminTelegramIds:0"] = Sop.Triage.ToString(),
            ["Agencies:0:Code"] = "DPUPR",
            ["Agencies:0:Name"] = "Dinas Pekerjaan Umum dan Penataan Ruang",
            ["Agencies:0:Keywords:0"] = "jalan rusak",
            ["Agencies:1:Code"] = "DLH",
            ["Agencies:1:Name"] = "Dinas Lingkungan Hidup",
            ["Agencies:1:Keywords:0"] = "sampah",
            ["Agencies:2:Code"] = "INSPEKTORAT",
            ["Agencies:2:Name"] = "Inspektorat Daerah",
            ["Agencies:2:IsInspectorate"] = "true",
            ["Agencies:2:Members:0:TelegramId"] = Sop.Inspektorat.ToString(),
            ["Agencies:2:Members:0:Role"] = "inspektorat",
        };
        var roles = new[] { ("admin", Sop.Admin), ("penghubung", Sop.Penghubung), ("kepala", Sop.Kepala), ("pelaksana", Sop.Pelaksana) };
        for (var i = 0; i < roles.Length; i++)
        {
            settings[$"Agencies:0:Members:{i}:TelegramId"] = roles[i].Item2.ToString();
            settings[$"Agencies:0:Members:{i}:Role"] = roles[i].Item1;
            settings[$"Agencies:1:Members:{i}:TelegramId"] = (roles[i].Item2 + 100).ToString();
            settings[$"Agencies:1:Members:{i}:Role"] = roles[i].Item1;
        }
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var clock = new ManualClock(start);
        return new DeadlineKit(await RoutingKit.StartWithAsync(settings, clock, backend), clock);
    }

    /// <summary>The Telegram ids of the SOP kit's people: DPUPR's members by role (DLH's are these + 100).</summary>
    public static class Sop
    {
        public const long Triage = 9000;
        public const long Admin = 9101;
        public const long Penghubung = 9102;
        public const long Kepala = 9103;
        public const long Pelaksana = 9104;
        public const long DlhAdmin = 9201;
        public const long Inspektorat = 9301;
    }

    public T Service<T>() where T : notnull => Kit.Telegram.App.Service<T>();

    public void At(DateTimeOffset t) => Clock.Set(t);

    /// <summary>Files the complaint over Telegram and routes it now, as the routing job would.</summary>
    public async Task<string> FileAndRouteAsync(string text, long citizen = RoutingKit.Citizen)
    {
        var number = await Kit.FileComplaintAsync(text, citizen);
        Assert.False(string.IsNullOrEmpty(number), "the complaint was not stored");
        Assert.Equal(ComplaintStatus.Submitted, await Kit.StatusAsync(number)); // nothing routes it but the test
        Assert.True(await Service<RoutingService>().RouteAsync((await RowAsync(number)).Id, CancellationToken.None));
        return number;
    }

    public Task<SlaWatch.Round> RoundAsync() => Service<SlaWatch>().RunOnceAsync(CancellationToken.None);

    public Task<bool> DigestAsync() => Service<SlaWatch>().SendDigestAsync(CancellationToken.None);

    public async Task<ComplaintRow> RowAsync(string number) =>
        (await Db.QueryAsync<ComplaintRow>(Kit.DatabasePath, $"SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View} WHERE tracking_number = @number",
            new { number })).Single();

    public static DateTimeOffset? Time(long? unixMs) => unixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public async Task<List<(string Actor, string Kind, string? Note)>> EventsAsync(string number, string kind) =>
        (await Kit.TimelineAsync(number)).Where(e => e.Kind == kind).ToList();

    /// <summary>Messages queued for a chat whose text contains <paramref name="contains"/> (the outbox, so nothing is missed in flight).</summary>
    public Task<long> QueuedAsync(long chat, string contains) =>
        Db.ScalarAsync<long>(Kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE recipient = @chat AND instr(body, @contains) > 0",
            new { chat = chat.ToString(), contains });

    public ValueTask DisposeAsync() => Kit.DisposeAsync();
}
