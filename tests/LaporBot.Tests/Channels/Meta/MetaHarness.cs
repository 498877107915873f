using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LaporBot.Channels.Meta;
using LaporBot.Outbox;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.Channels.Meta;

public enum Signature { Right, Wrong, Missing }

/// <summary>
/// The real service with Meta enabled, pointed at a <see cref="FakeGraphApi"/> on loopback, plus
/// helpers to POST signed webhooks. Disposing stops both and removes the temporary folder.
/// </summary>
internal sealed class MetaHarness : IAsyncDisposable
{
    public const string AccessToken = "EAAGm0PX4ZCpsBA-meta-access-token-9f3c";
    public const string AppSecret = "meta-app-secret-5e1b7c";
    public const string VerifyToken = "laporbot-verify-8d2a";
    public const string PhoneNumberId = "106540352242922";
    public const string Citizen = "6281234567890";

    private MetaHarness(FakeGraphApi graph, LaporApp app)
    {
        Graph = graph;
        App = app;
        Http = app.CreateClient();
    }

    public FakeGraphApi Graph { get; }
    public LaporApp App { get; }

    /// <summary>The PostgreSQL database the app runs on (null: a SQLite file of the app's own).</summary>
    private TestDatabase? _database;
    public HttpClient Http { get; }
    public string DatabasePath => App.DatabasePath;

    /// <summary>Starts the fake Graph API and the app; <paramref name="settings"/> override the defaults below.</summary>
    public static async Task<MetaHarness> StartAsync(
        IDictionary<string, string?>? settings = null, TimeProvider? clock = null, bool dispatcher = false, string environment = "Development",
        Backend backend = Backend.Sqlite)
    {
        var database = backend == Backend.Postgres ? await TestDatabase.CreateAsync(backend) : null;
        var graph = await FakeGraphApi.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Meta:Enabled"] = "true",
            ["Meta:AccessToken"] = AccessToken,
            ["Meta:AppSecret"] = AppSecret,
            ["Meta:VerifyToken"] = VerifyToken,
            ["Meta:PhoneNumberId"] = PhoneNumberId,
            ["Meta:ApiBaseUrl"] = graph.Url,
            ["Meta:TemplateName"] = "laporbot_pemberitahuan",
            ["Meta:TemplateLanguage"] = "id",
            ["Outbox:DispatcherEnabled"] = dispatcher ? "true" : "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }
        // The SQLite database (or, on PostgreSQL, only the app's files) and attachments live in one
        // temporary folder, removed on dispose.
        var dir = TestPaths.NewTempDir();
        all["Attachments:Directory"] = Path.Combine(dir, "attachments");
        return new MetaHarness(graph, new LaporApp(database?.Target ?? Path.Combine(dir, "laporbot.db"), environment, all, clock)) { _database = database };
    }

    public string AttachmentsDir => Path.Combine(App.Dir, "attachments");

    public Task<HttpResponseMessage> PostAsync(string json, Signature signature = Signature.Right, string contentType = "application/json") =>
        PostAsync(Encoding.UTF8.GetBytes(json), signature, contentType);

    public Task<HttpResponseMessage> PostAsync(byte[] body, Signature signature = Signature.Right, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, MetaApi.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (signature != Signature.Missing)
        {
            request.Headers.Add(MetaWebhookSecurity.SignatureHeader,
                MetaWebhookSecurity.Sign(body, signature == Signature.Right ? AppSecret : "not-the-app-secret"));
        }
        return Http.SendAsync(request);
    }

    /// <summary>Says something as the citizen and checks Meta would be told 200.</summary>
    public async Task SayAsync(string wamid, string text)
    {
        var r = await PostAsync(MetaPayloads.Text(Citizen, wamid, text));
        Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode);
    }

    /// <summary>Waits (bounded) until the fake has received <paramref name="count"/> sends, and returns the last.</summary>
    public async Task<FakeRequest> SendNumberAsync(int count)
    {
        await Db.EventuallyAsync(() => Task.FromResult(Graph.Sends.Count >= count), $"{count} message(s) sent to the fake Graph API");
        return Graph.Sends[count - 1];
    }

    public Task<long> CountAsync(string sql) => Db.ScalarAsync<long>(DatabasePath, sql);

    public Task<int> DispatchOnceAsync() => App.Service<OutboxDispatcher>().DispatchOnceAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        await Graph.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(App.Dir, true);
        }
        catch (IOException)
        {
            // A file still held open by a background thread; the OS temp cleaner gets it.
        }
    }
}

/// <summary>Webhook bodies in Meta's shape (docs/PROTOCOLS.md §3.3), for conversations the recorded files do not cover.</summary>
internal static class MetaPayloads
{
    public static string Text(string from, string wamid, string text) =>
        Message(from, new { from, id = wamid, timestamp = "1763175600", type = "text", text = new { body = text } });

    public static string ButtonReply(string from, string wamid, string id, string title) =>
        Message(from, new
        {
            from, id = wamid, timestamp = "1763175600", type = "interactive",
            context = new { from = "6285290082800", id = "wamid.fake0004" },
            interactive = new { type = "button_reply", button_reply = new { id, title } },
        });

    private static string Message(string from, object message) => JsonSerializer.Serialize(new
    {
        @object = "whatsapp_business_account",
        entry = new[]
        {
            new
            {
                id = "102290129340398",
                changes = new[]
                {
                    new
                    {
                        field = "messages",
                        value = new
                        {
                            messaging_product = "whatsapp",
                            metadata = new { display_phone_number = "6285290082800", phone_number_id = MetaHarness.PhoneNumberId },
                            contacts = new[] { new { profile = new { name = "Budi" }, wa_id = from } },
                            messages = new[] { message },
                        },
                    },
                },
            },
        },
    });
}
