using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LaporBot.Channels.Telegram;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Channels.Telegram;

/// <summary>The real app with Telegram enabled against a <see cref="FakeTelegramServer"/>, plus wire-format helpers.</summary>
internal sealed class TelegramTestKit : IAsyncDisposable
{
    public const string Secret = "s3cret_Webhook-Token";
    public const long ChatId = 5123456789;

    private TestDatabase? _database;

    private TelegramTestKit(FakeTelegramServer fake, string dir) => (Fake, Dir) = (fake, dir);

    public FakeTelegramServer Fake { get; }
    public string Dir { get; }
    /// <summary>The database target (see <see cref="TestDatabase"/>): the SQLite file, or a PostgreSQL database of the kit's own.</summary>
    public string DatabasePath => _database?.Target ?? Path.Combine(Dir, "laporbot.db");
    public string AttachmentDir => Path.Combine(Dir, "attachments");
    public LaporApp App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>
    /// Per-chat spacing is off by default so a conversation's replies are not paced a second apart;
    /// the throttle itself is the outbox's and is tested there.
    /// </summary>
    public static async Task<TelegramTestKit> StartAsync(
        IDictionary<string, string?>? settings = null, string environment = "Development", Action<FakeTelegramServer>? arrange = null,
        TimeProvider? clock = null, Backend backend = Backend.Sqlite)
    {
        var database = backend == Backend.Postgres ? await TestDatabase.CreateAsync(backend) : null;
        var kit = new TelegramTestKit(await FakeTelegramServer.StartAsync(), TestPaths.NewTempDir()) { _database = database };
        arrange?.Invoke(kit.Fake); // before the app starts, so start-up calls (setWebhook, getUpdates) see it
        await kit.StartAppAsync(settings, environment, clock);
        return kit;
    }

    public Dictionary<string, string?> Settings(IDictionary<string, string?>? extra)
    {
        var s = new Dictionary<string, string?>
        {
            ["Telegram:Enabled"] = "true",
            ["Telegram:BotToken"] = FakeTelegramServer.Token,
            ["Telegram:ApiBaseUrl"] = Fake.BaseUrl,
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:PerChatInterval"] = "00:00:00",
            ["Attachments:Directory"] = AttachmentDir,
            ["Simulator:Enabled"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            s[k] = v;
        }
        return s;
    }

    /// <summary>
    /// Starts (or, after <see cref="StopAppAsync"/>, restarts) the app on the same database file and
    /// returns once it is running (<see cref="LaporApp.StartAsync"/>): what a test waits for afterwards
    /// is counted from then, not from the restart. <paramref name="clock"/> replaces the app's TimeProvider.
    /// </summary>
    public async Task StartAppAsync(IDictionary<string, string?>? settings = null, string environment = "Development", TimeProvider? clock = null)
    {
        App = new LaporApp(DatabasePath, environment, Settings(settings), clock);
        _running = true;
        Http = await App.StartAsync(); // starts the host, and with it polling / setWebhook
    }

    private bool _running;

    public async Task StopAppAsync()
    {
        if (!_running)
        {
            return;
        }
        _running = false;
        Http?.Dispose(); // null when start-up failed
        await App.DisposeAsync();
        EarlierLogs.AddRange(App.Logs.Lines);
        SqliteConnection.ClearAllPools();
    }

    /// <summary>What the app runs before the current one logged (a restart test's evidence).</summary>
    public List<string> EarlierLogs { get; } = [];

    public Task<HttpResponseMessage> PostAsync(string body, string? secret = Secret, string contentType = "application/json") =>
        PostAsync(Encoding.UTF8.GetBytes(body), secret, contentType);

    public async Task<HttpResponseMessage> PostAsync(byte[] body, string? secret = Secret, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (secret is not null)
        {
            request.Headers.Add(TelegramSecret.HeaderName, secret);
        }
        return await Http.SendAsync(request);
    }

    public Task<long> CountAsync(string sql) => Db.ScalarAsync<long>(DatabasePath, sql);

    /// <summary>A private-chat text message Update, as Telegram sends it.</summary>
    public static string TextUpdate(long updateId, string text, long chatId = ChatId, string firstName = "Siti", string lastName = "Rahayu") =>
        new JsonObject
        {
            ["update_id"] = updateId,
            ["message"] = new JsonObject
            {
                ["message_id"] = updateId % 100000,
                ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = firstName, ["last_name"] = lastName, ["language_code"] = "id" },
                ["chat"] = new JsonObject { ["id"] = chatId, ["first_name"] = firstName, ["last_name"] = lastName, ["type"] = "private" },
                ["date"] = 1752545647 + updateId % 1000,
                ["text"] = text,
            },
        }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        await Fake.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a file still held open is removed with the temp folder later
        }
    }
}
