using Dapper;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Reports;

/// <summary>
/// The app with three agencies, the scheduler off, a manual clock on Tuesday 1 December 2026 09:00 WIB,
/// and complaints written straight into the database (the reports only read it): 50 in November 2026
/// spread over the month, agencies and every stage of the lifecycle, plus a few in other months and
/// years so that every period kind has something to leave out. Reports are checked against SQL
/// counts of these rows, never against numbers typed into the test.
/// </summary>
public class ReportKit : IAsyncLifetime
{
    private readonly Backend _backend;
    private TestDatabase? _database;

    public ReportKit() : this(Backend.Sqlite)
    {
    }

    /// <param name="backend">The database the app runs on (see <see cref="PostgresReportKit"/>).</param>
    protected ReportKit(Backend backend) => _backend = backend;

    /// <summary>Why this kit's database could not be had (PostgreSQL not installed); null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>First line of every test on this kit: skips where the kit's database is not available (never under CI=true).</summary>
    public void SkipIfUnavailable() => Skip.If(Unavailable is not null, Unavailable);

    public const string Institution = "Dinas Komunikasi dan Informatika Kabupaten Contoh";

    /// <summary>Tuesday 1 December 2026, 09:00 WIB.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    public static readonly TimeZoneInfo Wib = LaporBot.Complaints.TrackingNumbers.FindZone("Asia/Jakarta");

    internal ManualClock Clock { get; } = new(Now);
    internal LaporApp App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string RecapDir { get; private set; } = "";

    public static readonly string[] Agencies = ["DPUPR", "DLH", "INSPEKTORAT"];

    public async Task InitializeAsync()
    {
        var dir = TestPaths.NewTempDir();
        RecapDir = Path.Combine(dir, "recaps");
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
            ["Agencies:0:Categories:0"] = "Infrastruktur",
            ["Agencies:1:Code"] = "DLH",
            ["Agencies:1:Name"] = "Dinas Lingkungan Hidup",
            ["Agencies:1:Categories:0"] = "Lingkungan",
            ["Agencies:2:Code"] = "INSPEKTORAT",
            ["Agencies:2:Name"] = "Inspektorat Daerah",
            ["Agencies:2:IsInspectorate"] = "true",
            ["Agencies:2:Categories:0"] = "Pengawasan",
            ["Triage:AdminTelegramIds:0"] = "700001",
            ["Recaps:Directory"] = RecapDir,
            ["Recaps:Institution"] = Institution,
        });
        Http = App.CreateClient();
        await SeedAsync();
    }

    private async Task SeedAsync()
    {
        // Plain SQL both databases take (RETURNING, no last_insert_rowid), through the app's own engine.
        await using var c = TestDatabase.Connect(App.DatabasePath);
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var n = 0;
        async Task Add(DateTime receivedLocal, int variant)
        {
            n++;
            var created = new DateTimeOffset(receivedLocal, Wib.GetUtcOffset(receivedLocal)).ToUnixTimeMilliseconds();
            var reporter = await c.ExecuteScalarAsync<long>(
                "INSERT INTO reporters (channel, address, created_at) VALUES ('simulator', @a, @t) RETURNING id",
                new { a = $"6281200{n:D5}", t = created }, tx);
            var agency = (variant % 5) switch { 0 => null, 1 or 2 => "DPUPR", 3 => "DLH", _ => "INSPEKTORAT" };
            var stage = agency is null ? 0 : variant % 4; // 0 not dispositioned, 1 assigned, 2 accepted, 3 answered
            const long minute = 60_000;
            long? assigned = stage >= 1 ? created + (10 + variant) * minute : null;
            long? accepted = stage >= 2 ? assigned + 30 * minute : null;
            long? answered = stage >= 3 ? accepted + (variant % 3 == 0 ? 3000 : 200) * minute : null;
            long? totalDue = assigned is null ? null : created + 2 * 24 * 60 * minute;
            var closed = answered is not null && variant % 2 == 1;
            int? rating = answered is not null && variant % 3 != 2 ? 1 + variant % 5 : null;
            var status = stage switch { 0 => "triage", 1 => "assigned", 2 => "accepted", _ => closed ? "closed" : "answered" };
            bool overdue = stage == 1 && variant % 3 == 1;
            var id = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO complaints (tracking_number, reporter_id, channel, status, agency_code, confidential,
                    created_at, updated_at, oversight, assigned_at, accepted_at, answered_at, closed_at, total_due_at, rating,
                    step, due_at, overdue_at)
                VALUES (@num, @rep, 'simulator', @status, @agency, @conf, @created, @created, @oversight, @assigned,
                    @accepted, @answered, @closed, @totalDue, @rating, @step, @due, @overdue)
                RETURNING id
                """,
                new
                {
                    num = $"LPR-{receivedLocal:yyMM}-{n:D5}", rep = reporter, status, agency, conf = variant % 7 == 0 ? 1L : 0L, created,
                    oversight = agency == "INSPEKTORAT" ? 1L : 0L, assigned, accepted, answered,
                    closed = closed ? answered! + 10 * 24 * 60 * minute : null, totalDue, rating = (long?)rating,
                    step = stage == 1 ? "accept" : null, due = stage == 1 ? assigned! + 24 * 60 * minute : null,
                    overdue = overdue ? assigned! + 24 * 60 * minute : null,
                }, tx);
            // The personal part lives apart (migration 0011).
            await c.ExecuteAsync(
                """
                INSERT INTO complaint_personal (complaint_id, name, address, text, location_label, answer)
                VALUES (@id, @name, @addr, @text, @loc, @answer)
                """,
                new
                {
                    id, name = $"Warga Nomor {n}", addr = $"Jl. Contoh {n}, Kelurahan Uji",
                    text = $"Aduan ke-{n}: jalan rusak dan lampu penerangan mati di dekat pasar, mohon segera ditindaklanjuti oleh dinas terkait agar warga aman.",
                    loc = variant % 2 == 0 ? $"RT {n % 9 + 1} Kelurahan Uji" : null,
                    answer = answered is null ? null : $"Sudah ditindaklanjuti, terima kasih Warga Nomor {n}.",
                }, tx);
        }
        // 50 cases in November 2026: 1..30 November, some days twice, at hours that straddle UTC midnight.
        for (var i = 0; i < 50; i++)
        {
            await Add(new DateTime(2026, 11, 1 + i * 29 / 49, i % 2 == 0 ? 6 : 23, 15 + i % 40, 0), i);
        }
        // Other periods: October (same quarter, same semester), March (other semester), 2025 (other year),
        // and 30 November after 23:00 WIB is still November; 1 December 00:10 WIB is not.
        await Add(new DateTime(2026, 10, 5, 8, 0, 0), 1);
        await Add(new DateTime(2026, 10, 20, 14, 0, 0), 3);
        await Add(new DateTime(2026, 3, 3, 9, 0, 0), 2);
        await Add(new DateTime(2025, 12, 30, 9, 0, 0), 4);
        await Add(new DateTime(2026, 12, 1, 0, 10, 0), 1);
        await tx.CommitAsync();
    }

    public HttpRequestMessage Get(string url, string? role = "viewer")
    {
        var m = new HttpRequestMessage(HttpMethod.Get, url);
        if (role is not null)
        {
            m.Headers.Add(TestStaffAuth.Header, role);
        }
        return m;
    }

    public async Task<byte[]> DownloadAsync(string url, string role = "viewer")
    {
        var r = await Http.SendAsync(Get(url, role));
        Assert.True(r.StatusCode == System.Net.HttpStatusCode.OK, $"{r.StatusCode}: {App.Logs.All[^Math.Min(3000, App.Logs.All.Length)..]}");
        return await r.Content.ReadAsByteArrayAsync();
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

/// <summary><see cref="ReportKit"/> on PostgreSQL (skips the test where the server is not installed, never under CI=true).</summary>
public sealed class PostgresReportKit() : ReportKit(Backend.Postgres);
