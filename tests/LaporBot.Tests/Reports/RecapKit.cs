using System.Security.Claims;
using System.Text.Encodings.Web;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Routing;
using LaporBot.Tests.Fakes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Tests.Reports;

/// <summary>
/// Authenticates a request that carries "X-Test-User: viewer" or "X-Test-User: operator" as a staff
/// member with that role; stands in for the cookie login in these tests.
/// </summary>
internal sealed class TestStaffAuth(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "TestStaff";
    public const string Header = "X-Test-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var role = Request.Headers[Header].ToString();
        if (role.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "petugas-" + role), new Claim(ClaimTypes.Role, role)], Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
    }

    public static void Register(IServiceCollection services) =>
        services.AddAuthentication(Name).AddScheme<AuthenticationSchemeOptions, TestStaffAuth>(Name, _ => { });
}

/// <summary>
/// The app with two agencies, the scheduler off (the tests move cases with ComplaintWorkflow), a
/// manual clock in July 2025, and four complaints filed through the simulator pipeline:
/// A (DPUPR, answered on time, rated 5), B (DPUPR, answered late, rated 2), C (DLH, confidential,
/// accepted), D (not dispositioned, with an XSS payload in its text).
/// </summary>
public class RecapKit : IAsyncLifetime
{
    private readonly Backend _backend;
    private TestDatabase? _database;

    public RecapKit() : this(Backend.Sqlite)
    {
    }

    /// <param name="backend">The database the app runs on (see <see cref="PostgresRecapKit"/>).</param>
    protected RecapKit(Backend backend) => _backend = backend;

    /// <summary>Why this kit's database could not be had (PostgreSQL not installed); null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>First line of every test on this kit: skips where the kit's database is not available (never under CI=true).</summary>
    public void SkipIfUnavailable() => Skip.If(Unavailable is not null, Unavailable);

    public const string ApiKey = "kunci-uji-7f3a9c";
    public const string AnswerA = "Lubang sudah ditambal oleh tim UPT jalan pada pagi ini.";
    public const string AnswerB = "Perbaikan lampu selesai.";
    public const string Xss = "<script>alert('xss')</script>\"><img src=x onerror=alert(1)> ' onmouseover='alert(2)";

    /// <summary>Thursday 10 July 2025, 09:00 WIB.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 7, 10, 2, 0, 0, TimeSpan.Zero);

    internal ManualClock Clock { get; } = new(T0);
    internal LaporApp App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string A { get; private set; } = "";
    public string B { get; private set; } = "";
    public string C { get; private set; } = "";
    public string D { get; private set; } = "";

    public static readonly (string Citizen, string Name, string Address, string Text)[] Reporters =
    [
        ("62812000111", "Budi Santoso", "Jl. Merdeka No. 5, Sidanegara", "Jalan rusak dan berlubang besar di depan pasar Sidanegara, motor sering jatuh"),
        ("62812000222", "Ani Lestari", "Jl. Gatot Subroto 12, Gumilir", "Lampu penerangan jalan mati sudah dua minggu di perempatan Gumilir"),
        ("62812000333", "Rahmat Hidayat", "Jl. Kalimantan 7, Donan", "Ada pungutan liar di kantor kelurahan untuk pengurusan surat, saya takut disebut namanya"),
        ("62812000444", "Dewi Kartika", "Jl. Sudirman 99, Tegalreja", "Sampah menumpuk di TPS dekat sekolah " + Xss),
    ];

    public async Task InitializeAsync()
    {
        var dir = TestPaths.NewTempDir();
        try
        {
            _database = _backend == Backend.Postgres ? await TestDatabase.CreateAsync(_backend) : null;
        }
        catch (SkipException e)
        {
            Unavailable = e.Message; // each test then skips (see SkipIfUnavailable)
            return;
        }
        App = new LaporApp(databasePath: _database?.Target ?? Path.Combine(dir, "laporbot.db"), clock: Clock, services: TestStaffAuth.Register, settings: new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Agencies:0:Code"] = "DPUPR",
            ["Agencies:0:Name"] = "Dinas Pekerjaan Umum dan Penataan Ruang",
            ["Agencies:1:Code"] = "DLH",
            ["Agencies:1:Name"] = "Dinas Lingkungan Hidup",
            // Someone must be able to receive what is assigned (nobody is forgotten).
            ["Agencies:0:AdminTelegramIds:0"] = "7001",
            ["Agencies:1:AdminTelegramIds:0"] = "7002",
            ["Recaps:Directory"] = Path.Combine(dir, "recaps"),
            ["Api:Keys:0"] = "another-key-not-used",
            ["Api:Keys:1"] = ApiKey,
        });
        Http = App.CreateClient();
        var numbers = new List<string>();
        foreach (var (citizen, name, address, text) in Reporters)
        {
            numbers.Add(await FileAsync(citizen, name, address, text, confidential: citizen.EndsWith("333", StringComparison.Ordinal)));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        (A, B, C, D) = (numbers[0], numbers[1], numbers[2], numbers[3]);

        var wf = App.Service<ComplaintWorkflow>();
        await MoveAsync(A, T0 + TimeSpan.FromMinutes(5), (s, c, at) => wf.AssignAsync(s, c, "DPUPR", "test", null, at));
        await MoveAsync(A, T0 + TimeSpan.FromMinutes(10), (s, c, at) => wf.AcceptAsync(s, c, "test", at));
        await MoveAsync(A, T0 + TimeSpan.FromMinutes(60), (s, c, at) => wf.AnswerAsync(s, c, "test", AnswerA + " Terima kasih Bapak Budi Santoso.", at));
        await MoveAsync(A, T0 + TimeSpan.FromMinutes(70), (s, c, at) => wf.RateAsync(s, c, 5, at));
        await MoveAsync(B, T0 + TimeSpan.FromMinutes(20), (s, c, at) => wf.AssignAsync(s, c, "DPUPR", "test", null, at));
        await MoveAsync(B, T0 + TimeSpan.FromHours(5), (s, c, at) => wf.AnswerAsync(s, c, "test", AnswerB + " " + Xss, at));
        await MoveAsync(B, T0 + TimeSpan.FromHours(6), (s, c, at) => wf.RateAsync(s, c, 2, at));
        await MoveAsync(C, T0 + TimeSpan.FromMinutes(12), (s, c, at) => wf.AssignAsync(s, c, "DLH", "test", null, at));
        await MoveAsync(C, T0 + TimeSpan.FromMinutes(30), (s, c, at) => wf.AcceptAsync(s, c, "test", at));
        Clock.Set(T0 + TimeSpan.FromHours(8));
    }

    private async Task<string> FileAsync(string citizen, string name, string address, string text, bool confidential)
    {
        var c = new SimulatorCitizen(Http, citizen);
        await c.SayAsync("lapor");
        await Db.AnswerIdentityAsync(App.DatabasePath, citizen, t => c.SayAsync(t), name, address);
        await c.SayAsync("sama");
        await c.SayAsync(text);
        if (confidential)
        {
            await c.SayAsync("rahasia");
        }
        await c.SayAsync("ya");
        return await Db.ScalarAsync<string>(App.DatabasePath,
            "SELECT c.tracking_number FROM complaints c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @citizen", new { citizen });
    }

    private async Task MoveAsync(string number, DateTimeOffset at, Func<DbSession, ComplaintRow, DateTimeOffset, Task<bool>> step)
    {
        await using var s = await App.Service<IDatabase>().BeginAsync();
        var c = (await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction))!;
        Assert.True(await step(s, c, at), $"workflow step on {number} ({c.Status}) refused");
        await s.CommitAsync();
    }

    public HttpRequestMessage Get(string url, string? role = "viewer", string? apiKey = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, url);
        if (role is not null)
        {
            m.Headers.Add(TestStaffAuth.Header, role);
        }
        if (apiKey is not null)
        {
            m.Headers.Add("X-Api-Key", apiKey);
        }
        return m;
    }

    public async Task DisposeAsync()
    {
        if (Unavailable is not null)
        {
            return;
        }
        Http.Dispose();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary><see cref="RecapKit"/> on PostgreSQL (skips the test where the server is not installed, never under CI=true).</summary>
public sealed class PostgresRecapKit() : RecapKit(Backend.Postgres);
