using System.Net;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Conversations;

/// <summary>
/// The whole turn pipeline through the simulator channel: stored message → dialog → one transaction → outbox → delivery.
/// Runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class TurnPipelineTests : IAsyncLifetime
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TurnPipelineTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TurnPipelineTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private TestDatabase _db = null!;
    private LaporApp _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Backend);
        _app = new LaporApp(_db.Target);
        _http = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    internal static async Task FileComplaintAsync(SimulatorCitizen c, string name = "Budi Santoso")
    {
        await c.SayAsync("halo");
        await c.SayAsync(name);
        await c.SayAsync("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        await c.SayAsync("sama");
        await c.SayAsync("Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan");
        await c.SayAsync("ya");
    }

    [SkippableFact]
    public async Task A_complete_conversation_stores_the_complaint_its_first_event_and_delivers_every_reply()
    {
        var c = new SimulatorCitizen(_http, "warga-1");
        await FileComplaintAsync(c);

        var row = (await Db.QueryAsync<(string TrackingNumber, string Name, string Address, string Text, string Status, string Channel)>(_app.DatabasePath,
            "SELECT tracking_number, name, address, text, status, channel FROM complaint_details")).Single();
        Assert.Matches(@"^LPR-\d{4}-00001$", row.TrackingNumber);
        Assert.Equal("Budi Santoso", row.Name);
        Assert.Equal("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah", row.Address);
        Assert.Contains(row.Status, new[] { "submitted", "triage" }); // routing may already have run
        Assert.Equal("simulator", row.Channel);
        // The first timeline event commits with the complaint; routing (a job started right after) adds the next.
        var events = await Db.QueryAsync<(string Actor, string Kind)>(_app.DatabasePath, "SELECT actor, kind FROM complaint_events ORDER BY id");
        Assert.Equal(("citizen", "submitted"), events[0]);
        Assert.Equal(6, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));

        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 6,
            "all six replies delivered");
        Assert.Contains(row.TrackingNumber, await c.LastReplyAsync());
    }

    [SkippableFact]
    public async Task A_repeated_provider_message_id_is_stored_and_answered_once()
    {
        var c = new SimulatorCitizen(_http, "warga-dup");
        await c.SayAsync("halo", messageId: "m-1");
        await c.SayAsync("halo", messageId: "m-1");
        await c.SayAsync("halo", messageId: "m-1");

        Assert.Equal(1, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(1, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM outbox"));
    }

    [SkippableFact]
    public async Task Several_citizens_at_once_keep_separate_forms()
    {
        var a = new SimulatorCitizen(_http, "warga-a");
        var b = new SimulatorCitizen(_http, "warga-b");
        await a.SayAsync("halo");
        await b.SayAsync("halo");
        await a.SayAsync("Ani Lestari");
        await b.SayAsync("Bambang Wijaya");

        var name = Backend == Backend.Sqlite ? "json_extract(c.state, '$.values.name')" : "c.state::json #>> '{values,name}'";
        var names = await Db.QueryAsync<string>(_app.DatabasePath,
            $"SELECT {name} FROM conversations c JOIN reporters r ON r.id = c.reporter_id ORDER BY r.address");
        Assert.Equal(["Ani Lestari", "Bambang Wijaya"], names);
    }

    [SkippableTheory]
    [InlineData("", "kosong")]
    [InlineData("   ", "kosong")]
    [InlineData("😀😀😀", "huruf")]
    [InlineData("<b>Budi</b>", "Di mana alamat")] // accepted as a name; stored verbatim, shown encoded by pages
    [InlineData("/perintahaneh", "tidak dikenal")]
    public async Task Bad_input_at_the_name_question_gets_a_sensible_reply(string text, string expected)
    {
        var c = new SimulatorCitizen(_http, "warga-bad-" + Guid.NewGuid().ToString("N")[..6]);
        await c.SayAsync("halo");
        await c.SayAsync(text);

        Assert.Contains(expected, await c.LastReplyAsync());
    }

    [SkippableFact]
    public async Task A_sticker_gets_an_explanation_and_the_question_again()
    {
        var c = new SimulatorCitizen(_http, "warga-sticker");
        await c.SayAsync("halo");
        await c.SayAsync(null, sticker: true);

        var reply = await c.LastReplyAsync();
        Assert.Contains("stiker", reply);
        Assert.Contains("Siapa nama lengkap Anda?", reply);
    }

    [SkippableFact]
    public async Task A_ten_thousand_character_message_is_refused_with_the_limit_and_stored_intact()
    {
        var c = new SimulatorCitizen(_http, "warga-long");
        var longText = string.Concat(Enumerable.Repeat("jalan rusak ", 834))[..10_000];
        await c.SayAsync("halo");
        await c.SayAsync(longText);

        var reply = await c.LastReplyAsync();
        Assert.Contains("10000 karakter", reply);
        Assert.Contains("2000", reply);
        Assert.Equal(10_000, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT MAX(length(text)) FROM inbound_messages"));
        Assert.Equal(0, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM complaints"));
    }

    [SkippableFact]
    public async Task Html_and_sql_like_text_is_stored_verbatim_and_breaks_nothing()
    {
        var c = new SimulatorCitizen(_http, "warga-sql");
        const string nasty = "'; DROP TABLE complaints; -- <script>alert(\"x\")</script> jalan rusak parah di depan pasar";
        await c.SayAsync(nasty);
        await c.SayAsync("Robert'); DROP TABLE reporters;--");
        await c.SayAsync("Jl. \"Kutilang\" <No. 5>, Sidanegara, Cilacap");
        await c.SayAsync("sama");
        await c.SayAsync("ya");

        var row = (await Db.QueryAsync<(string Name, string Address, string Text)>(_app.DatabasePath, "SELECT name, address, text FROM complaint_details")).Single();
        Assert.Equal(nasty, row.Text);
        Assert.Equal("Robert'); DROP TABLE reporters;--", row.Name);
        Assert.Equal("Jl. \"Kutilang\" <No. 5>, Sidanegara, Cilacap", row.Address);
        Assert.Equal(1, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM reporters"));
    }

    [SkippableFact]
    public async Task Status_of_an_own_complaint_is_answered_and_another_citizens_is_not_revealed()
    {
        var owner = new SimulatorCitizen(_http, "warga-owner");
        await FileComplaintAsync(owner);
        var number = await Db.ScalarAsync<string>(_app.DatabasePath, "SELECT tracking_number FROM complaints");
        var stranger = new SimulatorCitizen(_http, "warga-stranger");
        await stranger.SayAsync("menu");

        await owner.SayAsync($"status {number}");
        await stranger.SayAsync($"status {number}");

        var ownerReply = await owner.LastReplyAsync();
        Assert.Contains($"Aduan {number}", ownerReply);
        Assert.DoesNotContain("tidak ditemukan", ownerReply);
        var strangerReply = await stranger.LastReplyAsync();
        Assert.Contains("tidak ditemukan", strangerReply);
        Assert.DoesNotContain("Budi", strangerReply);
    }

    [SkippableFact]
    public async Task A_turn_that_cannot_commit_leaves_nothing_half_done()
    {
        var c = new SimulatorCitizen(_http, "warga-atomic");
        await c.SayAsync("halo");
        await c.SayAsync("Budi Santoso");
        await c.SayAsync("Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        await c.SayAsync("sama");
        await c.SayAsync("Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan");
        // Make the reply to the confirmation impossible to store: the whole turn must roll back.
        await Db.FailInsertsAsync(_app.DatabasePath, "outbox", when: "NEW.body LIKE '%LPR-%'");
        var before = await Db.ScalarAsync<string>(_app.DatabasePath, "SELECT state FROM conversations");

        var response = await c.SendRawAsync(new { citizen = c.Citizen, text = "ya", messageId = "confirm-1" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("disk full", await response.Content.ReadAsStringAsync()); // no internals to the caller
        Assert.Equal(0, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM complaints"));
        Assert.Equal(0, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM complaint_events"));
        Assert.Equal(0, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM inbound_messages WHERE provider_message_id = 'confirm-1'"));
        Assert.Equal(before, await Db.ScalarAsync<string>(_app.DatabasePath, "SELECT state FROM conversations"));

        // The provider retries once storage works again: the same message now goes through once.
        await Db.StopFailingInsertsAsync(_app.DatabasePath, "outbox");
        var retry = await c.SendRawAsync(new { citizen = c.Citizen, text = "ya", messageId = "confirm-1" });
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(1, await Db.ScalarAsync<long>(_app.DatabasePath, "SELECT COUNT(*) FROM complaints"));
    }
}
