using System.Net;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>The real service, a citizen on Telegram, and a fake Bot API on loopback: what goes over the wire both ways. On SQLite and on PostgreSQL.</summary>
public abstract class TelegramConversationTests : IAsyncLifetime
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : TelegramConversationTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : TelegramConversationTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private TelegramTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await TelegramTestKit.StartAsync(backend: Backend);

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [SkippableFact]
    public async Task A_citizen_files_a_complaint_over_the_webhook_and_gets_the_tracking_number_on_Telegram()
    {
        string[] said =
        [
            "halo",
            "Siti Rahayu",
            "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah",
            "sama",
            "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan",
            "ya",
        ];
        for (var i = 0; i < said.Length; i++)
        {
            var response = await _kit.PostAsync(TelegramTestKit.TextUpdate(734120100 + i, said[i]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Db.EventuallyAsync(() => Task.FromResult(_kit.Fake.CallsTo("sendMessage").Count == said.Length), "six sendMessage calls");
        var sent = _kit.Fake.CallsTo("sendMessage").Select(c => c.Json).ToList();
        Assert.All(sent, m => Assert.Equal(TelegramTestKit.ChatId, m.GetProperty("chat_id").GetInt64()));
        Assert.All(_kit.Fake.CallsTo("sendMessage"), c => Assert.Equal($"/bot{FakeTelegramServer.Token}/sendMessage", c.Path));

        var confirmation = sent[4];
        Assert.Contains("Kirim sekarang?", confirmation.GetProperty("text").GetString());
        // Every message in parse mode HTML (Telegram.Bot writes its enum as "Html"; the Bot API reads it
        // case-insensitively, docs/telegram.md): the dialog's bold as <b>, nothing raw.
        Assert.All(sent, m => Assert.Equal("HTML", m.GetProperty("parse_mode").GetString(), ignoreCase: true));
        Assert.Contains("<b>Nama:</b> Siti Rahayu", confirmation.GetProperty("text").GetString());
        Assert.DoesNotContain("*", confirmation.GetProperty("text").GetString());
        var markup = confirmation.GetProperty("reply_markup");
        Assert.Equal(["Ya", "Tidak", "Ubah"], markup.GetProperty("keyboard").EnumerateArray().Select(row => row[0].GetProperty("text").GetString()));
        Assert.True(markup.GetProperty("one_time_keyboard").GetBoolean());
        Assert.True(markup.GetProperty("resize_keyboard").GetBoolean());

        var complaint = (await Db.QueryAsync<(string TrackingNumber, string Name, string Address, string Text, string Channel)>(_kit.DatabasePath,
            "SELECT tracking_number, name, address, text, channel FROM complaint_details")).Single();
        Assert.Matches(@"^LPR-\d{4}-00001$", complaint.TrackingNumber);
        Assert.Equal(("Siti Rahayu", said[2], said[4], "telegram"), (complaint.Name, complaint.Address, complaint.Text, complaint.Channel));

        var last = sent[5];
        Assert.Contains(complaint.TrackingNumber, last.GetProperty("text").GetString());
        // The confirmation keyboard is taken away once the question is answered.
        Assert.Equal("""{"remove_keyboard":true}""", last.GetProperty("reply_markup").GetRawText());

        // The last call's "sent" update lands just after the fake answered it.
        await Db.EventuallyAsync(async () => await _kit.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND channel = 'telegram'") == 6,
            "all six marked sent");
        var providerIds = await Db.QueryAsync<string>(_kit.DatabasePath, "SELECT provider_message_id FROM outbox ORDER BY id");
        Assert.All(providerIds, id => Assert.Matches(@"^\d+$", id));
    }

    [SkippableFact]
    public async Task The_first_reply_offers_the_Telegram_profile_name_with_Ya_and_Tidak_buttons()
    {
        await _kit.PostAsync(TelegramTestKit.TextUpdate(734120200, "halo"));
        await Db.EventuallyAsync(() => Task.FromResult(_kit.Fake.CallsTo("sendMessage").Count == 1), "the welcome");

        var json = _kit.Fake.CallsTo("sendMessage")[0].Json;
        Assert.Contains("Selamat datang", json.GetProperty("text").GetString());
        Assert.Contains("Apakah nama Anda <b>Siti Rahayu</b>?", json.GetProperty("text").GetString()); // first + last name from Telegram
        Assert.Equal("""{"keyboard":[[{"text":"Ya"}],[{"text":"Tidak"}]],"resize_keyboard":true,"one_time_keyboard":true}""",
            json.GetProperty("reply_markup").GetRawText());
    }
}
