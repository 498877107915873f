using System.Text.Json;
using System.Text.Json.Nodes;
using LaporBot.Tests.Channels.Telegram;
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
            ["Scheduler:WatchInterval"] = "00:00:01",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            s[k] = v;
        }
        return s;
    }

    public static async Task<RoutingKit> StartAsync(IDictionary<string, string?>? extra = null, TimeProvider? clock = null) =>
        new(await TelegramTestKit.StartAsync(AgencySettings(extra), clock: clock));

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
        Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}");
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

    /// <summary>A citizen on Telegram files a complete complaint; returns its tracking number.</summary>
    public async Task<string> FileComplaintAsync(string text, long citizen = Citizen, string name = "Siti Rahayu", bool confidential = false)
    {
        await SayAsync(citizen, text);
        await SayAsync(citizen, name);
        await SayAsync(citizen, "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah");
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
            "SELECT e.actor, e.kind, e.note FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.tracking_number = @number ORDER BY e.id",
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

    public ValueTask DisposeAsync() => Telegram.DisposeAsync();
}
