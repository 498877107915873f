using System.Net.Http.Headers;
using System.Text;
using LaporBot.Channels.Meta;
using LaporBot.Channels.Telegram;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// The service as a real child process with every provider enabled against fakes on loopback, and
/// helpers that speak each provider's wire format. Drill sizes scale with LAPORBOT_DRILL_SCALE
/// (1 in CI; the long runs in docs/reliability.md use more). The database is a SQLite file or a
/// database of its own on the test run's PostgreSQL server (<see cref="Backend"/>).
/// </summary>
internal sealed class DrillKit : IAsyncDisposable
{
    public const string TwilioSid = "ACdrill0000000000000000000000000ab";
    public const string TwilioToken = "drill-twilio-auth-token-0123456789";
    public const string PublicBase = "https://lapor.example.go.id";
    public const string TelegramSecret = "drill_Webhook-Secret";
    public const string MetaSecret = "drill-meta-app-secret";
    public const string MetaVerify = "drill-verify";
    public const string ApiKey = "drill-api-key-123";

    public static int Scale { get; } = int.TryParse(Environment.GetEnvironmentVariable("LAPORBOT_DRILL_SCALE"), out var s) && s > 0 ? s : 1;

    private DrillKit(TestDatabase database, FakeProviderServer twilio, FakeTelegramServer telegram, FakeProviderServer meta, ChildApp app)
    {
        Database = database;
        Twilio = twilio;
        Telegram = telegram;
        Meta = meta;
        App = app;
    }

    public TestDatabase Database { get; }
    public Backend Backend => Database.Backend;
    public FakeProviderServer Twilio { get; }
    public FakeTelegramServer Telegram { get; }
    public FakeProviderServer Meta { get; }
    public ChildApp App { get; private set; }
    public HttpClient Http { get; private set; } = null!;
    public string DatabasePath => App.DatabasePath;
    private IDictionary<string, string> _settings = null!;

    private int _sid;

    public FakeProviderServer.Reply TwilioReply(FakeProviderServer.Recorded r) =>
        r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)
            ? new(201, $"{{\"sid\":\"SM{Interlocked.Increment(ref _sid):D32}\",\"status\":\"queued\"}}")
            : new(404, "{}");

    /// <summary>Starts the fakes and the app; a PostgreSQL kit skips the test when the server is not installed (never under CI=true).</summary>
    public static async Task<DrillKit> StartAsync(IDictionary<string, string>? extra = null, Backend backend = Backend.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(backend);
        DrillKit? kit = null;
        var twilio = await FakeProviderServer.StartAsync(r => kit!.TwilioReply(r));
        var telegram = await FakeTelegramServer.StartAsync();
        var meta = await FakeProviderServer.StartAsync(_ => new(200, "{\"messages\":[{\"id\":\"wamid.out\"}]}"));
        var settings = new Dictionary<string, string>
        {
            ["Twilio:Enabled"] = "true",
            ["Twilio:AccountSid"] = TwilioSid,
            ["Twilio:AuthToken"] = TwilioToken,
            ["Twilio:WhatsAppNumber"] = "whatsapp:+14155238886",
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl,
            ["Twilio:WebhookUrl"] = PublicBase + "/webhooks/twilio",
            ["Twilio:StatusCallbackUrl"] = PublicBase + "/webhooks/twilio/status",
            ["Twilio:MessagesPerSecond"] = "500",
            ["Telegram:Enabled"] = "true",
            ["Telegram:BotToken"] = FakeTelegramServer.Token,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram:WebhookSecret"] = TelegramSecret,
            ["Meta:Enabled"] = "true",
            ["Meta:AccessToken"] = "drill-meta-access-token",
            ["Meta:AppSecret"] = MetaSecret,
            ["Meta:VerifyToken"] = MetaVerify,
            ["Meta:PhoneNumberId"] = "106540352242922",
            ["Meta:ApiBaseUrl"] = meta.BaseUrl,
            ["Api:Keys:0"] = ApiKey,
            ["Outbox:InstanceId"] = "drill-node",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }
        var app = new ChildApp(database.Target, settings, database.Dir);
        kit = new DrillKit(database, twilio, telegram, meta, app) { _settings = settings, Http = app.Client() };
        try
        {
            await app.StartAsync();
            kit.Http.Dispose();
            kit.Http = app.Client();
            await app.WaitReadyAsync();
        }
        catch
        {
            await kit.DisposeAsync(); // the PostgreSQL database too
            throw;
        }
        return kit;
    }

    /// <summary>Starts the app again on the same database (after <see cref="ChildApp.Kill"/>).</summary>
    public async Task RestartAsync()
    {
        await App.DisposeAsync();
        Http.Dispose();
        App = new ChildApp(DatabasePath, _settings, Database.Dir);
        await App.StartAsync();
        Http = App.Client();
    }

    public static HttpRequestMessage TwilioInbound(string from, string text, string messageSid)
    {
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", messageSid), new("AccountSid", TwilioSid), new("From", from), new("To", "whatsapp:+14155238886"),
            new("Body", text), new("NumMedia", "0"), new("WaId", from.Replace("whatsapp:+", "")), new("ProfileName", "Warga"),
        };
        return TwilioForm("/webhooks/twilio", pairs);
    }

    public static HttpRequestMessage TwilioForm(string path, List<KeyValuePair<string, string>> pairs, bool sign = true)
    {
        var body = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        if (sign)
        {
            request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(PublicBase + path, pairs, TwilioToken));
        }
        return request;
    }

    public static HttpRequestMessage TelegramUpdate(string json, string? secret = TelegramSecret, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (secret is not null)
        {
            request.Headers.Add(LaporBot.Channels.Telegram.TelegramSecret.HeaderName, secret);
        }
        return request;
    }

    public static HttpRequestMessage MetaNotification(string json, bool sign = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, MetaApi.Path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (sign)
        {
            request.Headers.Add("X-Hub-Signature-256", MetaWebhookSecurity.Sign(bytes, MetaSecret));
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
        await Telegram.DisposeAsync();
        await Meta.DisposeAsync();
        await Database.DisposeAsync();
    }
}
