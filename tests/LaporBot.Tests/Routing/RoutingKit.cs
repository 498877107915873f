using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Channels.Telegram;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Routing;

/// <summary>
/// The real service with Telegram (citizens and staff) against a fake Bot API on loopback, three
/// agencies and a triage desk configured: everything the routing core needs, end to end.
/// </summary>
internal sealed class RoutingKit : IAsyncDisposable
{
    public const long Triage = 9000;
    public const long PuAdmin = 9001;     // DPUPR
    public const long DlhAdmin = 9002;    // DLH
    public const long InspAdmin = 9003;   // INSPEKTORAT
    public const long Stranger = 9999;    // nobody
    public const long Citizen = TelegramTestKit.ChatId;

    private long _updateId = 800_000_000;

    private RoutingKit(TelegramTestKit telegram) => Telegram = telegram;

    public TelegramTestKit Telegram { get; }
    public FakeTelegramServer Fake => Telegram.Fake;
    public string DatabasePath => Telegram.DatabasePath;

    /// <summary>triage → assigned → accepted → answered in 15 + 15 + 60 minutes, as LaporBot worked before the workflow files.</summary>
    public static string ThreeStepWorkflow => Path.Combine(TestPaths.TestData, "workflows", "three-step.yaml");

    public static Dictionary<string, string?> AgencySettings(IDictionary<string, string?>? extra = null)
    {
        var s = new Dictionary<string, string?>
        {
            ["Triage:AdminTelegramIds:0"] = Triage.ToString(),
            ["Agencies:0:Code"] = "DPUPR",
            ["Agencies:0:Name"] = "Dinas Pekerjaan Umum dan Penataan Ruang",
            ["Agencies:0:Keywords:0"] = "jalan rusak",
            ["Agencies:0:Keywords:1"] = "jalan berlubang",
            ["Agencies:0:Keywords:2"] = "lampu jalan",
            ["Agencies:0:Keywords:3"] = "jembatan",
            ["Agencies:0:AdminTelegramIds:0"] = PuAdmin.ToString(),
            ["Agencies:1:Code"] = "DLH",
            ["Agencies:1:Name"] = "Dinas Lingkungan Hidup",
            ["Agencies:1:Keywords:0"] = "sampah",
            ["Agencies:1:Keywords:1"] = "sampah menumpuk",
            ["Agencies:1:Keywords:2"] = "limbah",
            ["Agencies:1:Keywords:3"] = "tidak diangkut",
            ["Agencies:1:AdminTelegramIds:0"] = DlhAdmin.ToString(),
            ["Agencies:2:Code"] = "INSPEKTORAT",
            ["Agencies:2:Name"] = "Inspektorat Daerah",
            ["Agencies:2:IsInspectorate"] = "true",
            ["Agencies:2:AdminTelegramIds:0"] = InspAdmin.ToString(),
            ["Routing:AutoAssign"] = "true",
            // The pre-workflow-file lifecycle as a file: these tests are about routing and the desk, not one SOP.
            ["Workflow:File"] = ThreeStepWorkflow,
            ["Scheduler:WatchInterval"] = "00:00:01",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            s[k] = v;
        }
        return s;
    }

    public static async Task<RoutingKit> StartAsync(IDictionary<string, string?>? extra = null, TimeProvider? clock = null, Backend backend = Backend.Sqlite) =>
        new(await TelegramTestKit.StartAsync(AgencySettings(extra), clock: clock, backend: backend));

    /// <summary>The kit with exactly these settings (no agencies or staff but the ones given).</summary>
    public static async Task<RoutingKit> StartWithAsync(IDictionary<string, string?> settings, TimeProvider? clock = null, Backend backend = Backend.Sqlite) =>
        new(await TelegramTestKit.StartAsync(settings, clock: clock, backend: backend));

    public async Task SayAsync(long from, string text, long? replyTo = null, string firstName = "Siti")
    {
        var update = JsonNode.Parse(TelegramTestKit.TextUpdate(Interlocked.Increment(ref _updateId), text, from, firstName))!.AsObject();
        if (replyTo is { } r)
        {
            update["message"]!["reply_to_message"] = new JsonObject
            {
                ["message_id"] = r,
                ["date"] = 1752545647,
                ["chat"] = new JsonObject { ["id"] = from, ["type"] = "private" },
                ["text"] = "(notification)",
            };
        }
        var response = await Telegram.PostAsync(update.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}: {string.Join("\n", Telegram.App.Logs.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("rror")).TakeLast(3))}");
    }

    public async Task PressAsync(long from, string data, long messageId = 1)
    {
        var update = new JsonObject
        {
            ["update_id"] = Interlocked.Increment(ref _updateId),
            ["callback_query"] = new JsonObject
            {
                ["id"] = $"cb-{_updateId}",
                ["from"] = new JsonObject { ["id"] = from, ["is_bot"] = false, ["first_name"] = "Petugas" },
                ["message"] = new JsonObject
                {
                    ["message_id"] = messageId,
                    ["date"] = 1752545647,
                    ["chat"] = new JsonObject { ["id"] = from, ["type"] = "private" },
                    ["text"] = "(notification)",
                },
                ["chat_instance"] = "1",
                ["data"] = data,
            },
        };
        var response = await Telegram.PostAsync(update.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}");
    }

    /// <summary>Where the kit's citizens say the problem is.</summary>
    public const string ProblemLocation = "Depan Pasar Sidanegara, Cilacap Tengah";

    /// <summary>A citizen on Telegram files a complete complaint; returns its tracking number.</summary>
    public async Task<string> FileComplaintAsync(string text, long citizen = Citizen, string name = "Siti Rahayu", bool confidential = false)
    {
        await SayAsync(citizen, text);
        await Db.AnswerIdentityAsync(DatabasePath, citizen.ToString(System.Globalization.CultureInfo.InvariantCulture), t => SayAsync(citizen, t),
            name, "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
        await SayAsync(citizen, ProblemLocation);
        if (confidential)
        {
            await SayAsync(citizen, "rahasia");
        }
        await SayAsync(citizen, "ya");
        return await Db.ScalarAsync<string>(DatabasePath,
            "SELECT tracking_number FROM complaints c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @a ORDER BY c.id DESC LIMIT 1",
            new { a = citizen.ToString() });
    }

    public Task<string> StatusAsync(string number) =>
        Db.ScalarAsync<string>(DatabasePath, "SELECT status FROM complaints WHERE tracking_number = @number", new { number });

    public Task<string?> AgencyAsync(string number) =>
        Db.ScalarAsync<string?>(DatabasePath, "SELECT agency_code FROM complaints WHERE tracking_number = @number", new { number });

    public async Task<List<(string Actor, string Kind, string? Note)>> TimelineAsync(string number) =>
        await Db.QueryAsync<(string, string, string?)>(DatabasePath,
            "SELECT e.actor, e.kind, n.note FROM complaint_events e LEFT JOIN complaint_event_notes n ON n.event_id = e.id JOIN complaints c ON c.id = e.complaint_id WHERE c.tracking_number = @number ORDER BY e.id",
            new { number });

    /// <summary>The messages sent on the wire to one chat, oldest first.</summary>
    public List<JsonElement> SentTo(long chat) =>
        Fake.CallsTo("sendMessage").Select(c => c.Json).Where(j => j.GetProperty("chat_id").GetInt64() == chat).ToList();

    public async Task<JsonElement> WaitForMessageAsync(long chat, string contains, int timeoutMs = 10_000)
    {
        JsonElement found = default;
        await Db.EventuallyAsync(() =>
        {
            var m = SentTo(chat).LastOrDefault(j => j.GetProperty("text").GetString()!.Contains(contains, StringComparison.Ordinal));
            found = m;
            return Task.FromResult(m.ValueKind != JsonValueKind.Undefined);
        }, $"a message to {chat} containing \"{contains}\"", timeoutMs);
        return found;
    }

    /// <summary>The Telegram message_id our notification to <paramref name="chat"/> about <paramref name="number"/> got.</summary>
    public async Task<long> NotificationIdAsync(long chat, string number)
    {
        long id = 0;
        await Db.EventuallyAsync(async () =>
        {
            id = await Db.ScalarAsync<long?>(DatabasePath,
                """
                SELECT CAST(o.provider_message_id AS INTEGER) FROM outbox o JOIN complaints c ON c.id = o.complaint_id
                WHERE o.recipient = @chat AND c.tracking_number = @number AND o.purpose = 'notify' AND o.provider_message_id IS NOT NULL
                ORDER BY o.id DESC LIMIT 1
                """, new { chat = chat.ToString(), number }) ?? 0;
            return id != 0;
        }, $"notification about {number} delivered to {chat}");
        return id;
    }

    public async Task WaitForStatusAsync(string number, string status, int timeoutMs = 10_000) =>
        await Db.EventuallyAsync(async () => await StatusAsync(number) == status, $"{number} becomes {status}", timeoutMs);

    /// <summary>A Telegram location message (shared with the attachment button).</summary>
    public async Task ShareLocationAsync(long from, double latitude, double longitude)
    {
        var update = JsonNode.Parse(TelegramTestKit.TextUpdate(Interlocked.Increment(ref _updateId), "x", from))!.AsObject();
        var message = update["message"]!.AsObject();
        message.Remove("text");
        message["location"] = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude };
        var response = await Telegram.PostAsync(update.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}");
    }

    /// <summary>What staff can change about a complaint, to prove a refused action changed nothing.</summary>
    public sealed record Snapshot(string Status, string? AgencyCode, string? Answer, long UpdatedAt, long Events);

    public async Task<Snapshot> SnapshotAsync(string number)
    {
        var row = (await Db.QueryAsync<(string Status, string? AgencyCode, string? Answer, long UpdatedAt)>(DatabasePath,
            "SELECT status, agency_code, answer, updated_at FROM complaint_details WHERE tracking_number = @number", new { number })).Single();
        var events = await Db.ScalarAsync<long>(DatabasePath,
            "SELECT COUNT(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.tracking_number = @number", new { number });
        return new(row.Status, row.AgencyCode, row.Answer, row.UpdatedAt, events);
    }

    /// <summary>The texts sent on the wire to one chat, oldest first.</summary>
    public List<string> TextsTo(long chat) => SentTo(chat).Select(j => j.GetProperty("text").GetString()!).ToList();

    /// <summary>Waits for a message to <paramref name="chat"/> whose text is exactly <paramref name="text"/>.</summary>
    public async Task<JsonElement> WaitForExactMessageAsync(long chat, string text, int timeoutMs = 10_000)
    {
        JsonElement found = default;
        await Db.EventuallyAsync(() =>
        {
            found = SentTo(chat).LastOrDefault(j => j.GetProperty("text").GetString() == text);
            return Task.FromResult(found.ValueKind != JsonValueKind.Undefined);
        }, $"a message to {chat} reading exactly \"{text}\" (got: {string.Join(" | ", TextsTo(chat).TakeLast(3))})", timeoutMs);
        return found;
    }

    /// <summary>The Telegram message_id of the last message to <paramref name="chat"/> with this outbox purpose.</summary>
    public async Task<long> DeliveredIdAsync(long chat, string purpose)
    {
        long id = 0;
        await Db.EventuallyAsync(async () =>
        {
            id = await Db.ScalarAsync<long?>(DatabasePath,
                """
                SELECT CAST(provider_message_id AS INTEGER) FROM outbox
                WHERE recipient = @chat AND purpose = @purpose AND provider_message_id IS NOT NULL ORDER BY id DESC LIMIT 1
                """, new { chat = chat.ToString(), purpose }) ?? 0;
            return id != 0;
        }, $"a '{purpose}' message delivered to {chat}");
        return id;
    }

    // ---- WhatsApp citizens (Twilio) next to Telegram staff ----------------------------------

    /// <summary>A fake Twilio Messages API on loopback that checks each send as Twilio does and accepts the valid ones.</summary>
    public static Task<FakeProviderServer> StartAcceptingTwilioAsync(FakeTwilioApi? api = null)
    {
        api ??= new FakeTwilioApi();
        return FakeProviderServer.StartAsync(r => api.Answer(r) ?? new(404, "{\"code\":20404}"));
    }

    /// <summary>Settings that turn on the Twilio channel against a fake Twilio API on loopback.</summary>
    public static Dictionary<string, string?> TwilioSettings(string apiBaseUrl, string? templateContentSid = null)
    {
        var s = new Dictionary<string, string?>
        {
            ["Twilio:Enabled"] = "true",
            ["Twilio:AccountSid"] = TwilioHarness.AccountSid,
            ["Twilio:AuthToken"] = TwilioHarness.AuthToken,
            ["Twilio:WhatsAppNumber"] = TwilioHarness.Sender,
            ["Twilio:ApiBaseUrl"] = apiBaseUrl,
            ["Twilio:WebhookUrl"] = TwilioHarness.PublicBase + "/webhooks/twilio",
            ["Twilio:TimeoutSeconds"] = "2",
        };
        if (templateContentSid is not null)
        {
            s["Twilio:TemplateContentSid"] = templateContentSid;
        }
        return s;
    }

    private int _twilioSid;

    /// <summary>A citizen's WhatsApp text, posted to /webhooks/twilio and signed as Twilio signs it.</summary>
    public async Task WhatsAppSayAsync(string text, string from = TwilioHarness.Citizen)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", $"SMrk{Interlocked.Increment(ref _twilioSid):D30}"),
            new("AccountSid", TwilioHarness.AccountSid),
            new("From", from),
            new("To", TwilioHarness.Sender),
            new("Body", text),
            new("NumMedia", "0"),
            new("WaId", from.Replace("whatsapp:+", "")),
            new("ProfileName", "Budi Santoso"),
        };
        var body = string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(TwilioHarness.PublicBase + "/webhooks/twilio", form, TwilioHarness.AuthToken));
        var response = await Telegram.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"Twilio webhook answered {(int)response.StatusCode}");
    }

    /// <summary>A WhatsApp citizen files a complete complaint; returns its tracking number.</summary>
    public async Task<string> FileWhatsAppComplaintAsync(string text, string from = TwilioHarness.Citizen)
    {
        await WhatsAppSayAsync(text, from);
        await Db.AnswerIdentityAsync(DatabasePath, from, t => WhatsAppSayAsync(t, from), "Budi Santoso", "Jl. Gatot Subroto No. 12, Gunungsimping, Cilacap Tengah");
        await WhatsAppSayAsync(ProblemLocation, from);
        await WhatsAppSayAsync("ya", from);
        return await Db.ScalarAsync<string>(DatabasePath,
            "SELECT tracking_number FROM complaints c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @from ORDER BY c.id DESC LIMIT 1",
            new { from });
    }

    public ValueTask DisposeAsync() => Telegram.DisposeAsync();
}
