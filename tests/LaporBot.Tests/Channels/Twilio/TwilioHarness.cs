using System.Net.Http.Headers;
using System.Text;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Fakes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Channels.Twilio;

/// <summary>The real service wired to a fake Twilio API on loopback, plus helpers to post signed webhooks.</summary>
internal sealed class TwilioHarness : IAsyncDisposable
{
    public const string AccountSid = "ACtest00000000000000000000000000ab";
    public const string AuthToken = "twilio-auth-token-0123456789abcdef";
    public const string Sender = "whatsapp:+14155238886";
    public const string PublicBase = "https://lapor.example.go.id";
    public const string Citizen = "whatsapp:+6281234567890";

    public FakeProviderServer Api { get; }
    public LaporApp App { get; }
    private HttpClient? _http;

    /// <summary>Created on first use, so a test can observe a start-up failure through <see cref="App"/>.</summary>
    public HttpClient Http => _http ??= App.CreateClient();

    /// <summary>The PostgreSQL database the app runs on (null: a SQLite file of the app's own).</summary>
    private TestDatabase? _database;

    private TwilioHarness(FakeProviderServer api, LaporApp app)
    {
        Api = api;
        App = app;
    }

    public static async Task<TwilioHarness> StartAsync(IDictionary<string, string?>? extra = null, TimeProvider? clock = null, string environment = "Development",
        Backend backend = Backend.Sqlite)
    {
        var database = backend == Backend.Postgres ? await TestDatabase.CreateAsync(backend) : null;
        TwilioHarness? h = null;
        var api = await FakeProviderServer.StartAsync(r => h!.DefaultReply(r));
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:Enabled"] = "true",
            ["Twilio:AccountSid"] = AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:WhatsAppNumber"] = Sender,
            ["Twilio:ApiBaseUrl"] = api.BaseUrl,
            ["Twilio:WebhookUrl"] = PublicBase + "/webhooks/twilio",
            ["Twilio:StatusCallbackUrl"] = PublicBase + "/webhooks/twilio/status",
            ["Twilio:TimeoutSeconds"] = "2",
            ["Outbox:InitialBackoff"] = "00:00:00.050",
            ["Outbox:MaxBackoff"] = "00:00:00.200",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        h = new TwilioHarness(api, new LaporApp(databasePath: database?.Target, settings: settings, clock: clock, environment: environment)) { _database = database };
        return h;
    }

    /// <summary>The Messages API as Twilio checks and renders it (templates, quick replies).</summary>
    public FakeTwilioApi Twilio { get; } = new();

    public FakeProviderServer.Reply DefaultReply(FakeProviderServer.Recorded r)
    {
        if (Twilio.Answer(r) is { } reply)
        {
            return reply;
        }
        if (r.Method == "GET" && r.Path.Contains("/Media/", StringComparison.Ordinal))
        {
            return new(200, ContentType: "image/jpeg", Bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]);
        }
        return new(404, "{\"code\":20404,\"message\":\"not found\"}");
    }

    public IReadOnlyList<FakeProviderServer.Recorded> Sent => Api.To("/Messages.json");

    /// <summary>Posts a form to a Twilio webhook, signed as Twilio signs it (or not, or wrongly).</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form, string signature = "valid")
    {
        var pairs = form.ToList();
        var body = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        switch (signature)
        {
            case "valid":
                request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(PublicBase + path, pairs, AuthToken));
                break;
            case "invalid":
                request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(PublicBase + path, pairs, "not-the-token"));
                break;
        }
        return await Http.SendAsync(request);
    }

    private int _messageCounter;

    /// <summary>A citizen's WhatsApp text as Twilio posts it.</summary>
    public Task<HttpResponseMessage> SayAsync(string text, string from = Citizen, string? profileName = "Budi Santoso", string? messageSid = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", messageSid ?? $"SMin{Interlocked.Increment(ref _messageCounter):D30}"),
            new("AccountSid", AccountSid),
            new("From", from),
            new("To", Sender),
            new("Body", text),
            new("NumMedia", "0"),
            new("WaId", from.Replace("whatsapp:+", "")),
        };
        if (profileName is not null)
        {
            form.Add(new("ProfileName", profileName));
        }
        return PostAsync("/webhooks/twilio", form);
    }

    public static List<KeyValuePair<string, string>> Form(string body) =>
        QueryHelpers.ParseQuery(body).Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())).ToList();

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await App.DisposeAsync();
        await Api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
