using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Conversations;

/// <summary>A conversation survives a restart, and concurrent submissions get unique numbers: on SQLite and on PostgreSQL.</summary>
public abstract class RestartAndConcurrencyTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : RestartAndConcurrencyTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : RestartAndConcurrencyTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [SkippableFact]
    public async Task A_half_filled_form_survives_an_app_restart()
    {
        await using var db = await TestDatabase.CreateAsync(Backend);
        var dbPath = db.Target;
        {
            await using (var first = new LaporApp(dbPath))
            {
                var c = new SimulatorCitizen(first.CreateClient(), "warga-restart");
                await c.SayAsync("halo");
                await c.SayAsync("Siti Aminah");
                Assert.Contains("Di mana alamat", await c.LastReplyAsync());
            }
            SqliteConnection.ClearAllPools();

            await using (var second = new LaporApp(dbPath))
            {
                var c = new SimulatorCitizen(second.CreateClient(), "warga-restart");
                await c.SayAsync("Jl. Kenanga 12, Desa Tritih Kulon, Cilacap Utara");
                await c.SayAsync("sama");
                Assert.Contains("Ceritakan aduan Anda", await c.LastReplyAsync());
                await c.SayAsync("Sampah menumpuk di pinggir jalan sudah seminggu tidak diangkut petugas");
                await c.SayAsync("ya");
            }
            var name = await Db.ScalarAsync<string>(dbPath, "SELECT name FROM complaint_details");
            Assert.Equal("Siti Aminah", name);
        }
    }

    [SkippableFact]
    public async Task Tracking_numbers_stay_unique_when_many_citizens_submit_at_the_same_time()
    {
        await using var db = await TestDatabase.CreateAsync(Backend);
        await using var app = new LaporApp(db.Target);
        var http = app.CreateClient();
        const int citizens = 24;
        var tasks = Enumerable.Range(1, citizens).Select(async i =>
        {
            var c = new SimulatorCitizen(http, $"warga-par-{i}");
            await c.SayAsync("Jalan di depan pasar rusak parah, banyak lubang besar sejak bulan lalu");
            await c.SayAsync($"Warga Nomor {ToWords(i)}");
            await c.SayAsync("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
            await c.SayAsync("sama");
            await c.SayAsync("ya");
        });
        await Task.WhenAll(tasks);

        var numbers = await Db.QueryAsync<string>(app.DatabasePath, "SELECT tracking_number FROM complaints ORDER BY tracking_number");
        Assert.Equal(citizens, numbers.Count);
        Assert.Equal(citizens, numbers.Distinct().Count());
        // The sequence has no gaps: 00001 … 000NN.
        Assert.Equal(Enumerable.Range(1, citizens).Select(n => n.ToString("D5")), numbers.Select(n => n[^5..]));
    }

    private static string ToWords(int i) => string.Concat(i.ToString().Select(d => "nol satu dua tiga empat lima enam tujuh delapan sembilan".Split(' ')[d - '0'] + " ")).Trim();
}
