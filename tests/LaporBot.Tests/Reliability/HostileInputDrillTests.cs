using System.Net;
using System.Net.Sockets;
using System.Text;
using LaporBot.Tests.Fakes;
using Xunit.Abstractions;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// Hostile input against every public endpoint of the real service on real Kestrel (defect 1 of
/// issue 9): malformed, truncated, oversized, forged and out-of-range requests. Every answer must
/// be the sender's 4xx (or a 2xx "ignored"), never a 5xx. On SQLite and on PostgreSQL: what the
/// corpus gets stored (clamped dates, oversized fields) must fit either store.
/// </summary>
public abstract class HostileInputDrillTests(ITestOutputHelper output)
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite(ITestOutputHelper output) : HostileInputDrillTests(output)
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres(ITestOutputHelper output) : HostileInputDrillTests(output)
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static readonly string[] PostPaths =
        ["/webhooks/telegram", "/webhooks/twilio", "/webhooks/twilio/status", "/webhooks/whatsapp", "/dev/chat/api/messages", "/status/masuk"];

    /// <summary>Sends raw bytes on a socket, half-closes, and returns the status code Kestrel answered.</summary>
    private static async Task<int> RawAsync(Uri baseAddress, string head, byte[] body)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n") + "\r\n"));
        await socket.SendAsync(body);
        // The rest never comes (the connection stays open, as with a stalled or malicious client).
        var buffer = new byte[4096];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int n;
        try
        {
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                if (received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (SocketException) when (received.Length == 0)
        {
            return -1; // reset without an answer
        }
        if (received.Length == 0)
        {
            return -1;
        }
        var statusLine = received.ToString().Split("\r\n")[0];
        return int.Parse(statusLine.Split(' ')[1]);
    }

    private static IEnumerable<Func<HttpRequestMessage>> Corpus()
    {
        HttpRequestMessage Json(HttpMethod m, string path, string body, string type = "application/json") =>
            new(m, path) { Content = new StringContent(body, Encoding.UTF8, type) };

        var telegramBodies = new[]
        {
            "", "{", "null", "[]", "\"x\"", "{\"update_id\":\"abc\"}", "{\"update_id\":1e400}", "{\"update_id\":99999999999999999999999}",
            "{\"update_id\":1,\"message\":null}", "{\"update_id\":2,\"message\":{}}", "{\"update_id\":3,\"message\":{\"chat\":{}}}",
            "{\"update_id\":4,\"message\":{\"message_id\":1,\"date\":99999999999999,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"halo\"}}",
            "{\"update_id\":5,\"message\":{\"message_id\":1,\"date\":-99999999999999,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"halo\"}}",
            "{\"update_id\":6,\"message\":{\"message_id\":1,\"date\":9223372036854775807,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"halo\"}}",
            "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":\"x\",\"type\":\"private\"},\"text\":\"halo\"}}",
            "{\"update_id\":8,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"" + new string('a', 100_000) + "\"}}",
            "{\"update_id\":9,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":5,\"type\":\"private\"},\"photo\":[{}]}}",
            "{\"update_id\":10,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":5,\"type\":\"private\"},\"location\":{\"latitude\":1e308,\"longitude\":\"x\"}}}",
            "{\"update_id\":11,\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":1},\"data\":\"" + new string('z', 5000) + "\"}}",
            "{\"update_id\":12,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"\\ud800\"}}",
            new string('[', 10_000),
            // A NUL character: valid JSON, but PostgreSQL cannot store or compare it in text.
            "{\"update_id\":13,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":6,\"type\":\"private\"},\"from\":{\"id\":6,\"first_name\":\"Si\\u0000ti\"},\"text\":\"ha\\u0000lo\"}}",
            "{\"update_id\":14,\"callback_query\":{\"id\":\"q\\u0000\",\"from\":{\"id\":6,\"first_name\":\"\\u0000\"},\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":6,\"type\":\"private\"}},\"data\":\"\\u0000\"}}",
        };
        foreach (var body in telegramBodies)
        {
            yield return () => DrillKit.TelegramUpdate(body);
            yield return () => DrillKit.TelegramUpdate(body, secret: "wrong");
            yield return () => DrillKit.TelegramUpdate(body, secret: null);
            yield return () => DrillKit.TelegramUpdate(body, contentType: "text/plain");
        }

        List<List<KeyValuePair<string, string>>> twilioForms =
        [
            [],
            [new("MessageSid", "")],
            [new("MessageSid", "SMx"), new("From", "")],
            [new("MessageSid", "SMy"), new("From", "whatsapp:+62"), new("NumMedia", "-1")],
            [new("MessageSid", "SMz"), new("From", "whatsapp:+6281"), new("NumMedia", "99999999999999")],
            [new("MessageSid", "SMw"), new("From", "whatsapp:+6281"), new("NumMedia", "1"), new("MediaUrl0", "not a url")],
            [new("MessageSid", "SMv"), new("From", "whatsapp:+6281"), new("Latitude", "abc"), new("Longitude", "1e999")],
            [new("MessageSid", "SMu"), new("From", "whatsapp:+6281"), new("Body", new string('b', 70_000))],
            [new("MessageSid", "SMt"), new("MessageStatus", "delivered")],
            [new("MessageSid", new string('S', 5000)), new("MessageStatus", "read"), new("ErrorCode", "abc")],
            [new("MessageSid", "SMnul\0"), new("From", "whatsapp:+6281\0"), new("Body", "ha\0lo"), new("ProfileName", "\0"), new("MessageStatus", "fail\0ed")],
        ];
        foreach (var form in twilioForms)
        {
            foreach (var path in new[] { "/webhooks/twilio", "/webhooks/twilio/status" })
            {
                yield return () => DrillKit.TwilioForm(path, form);
                yield return () => DrillKit.TwilioForm(path, form, sign: false);
            }
        }
        yield return () => Json(HttpMethod.Post, "/webhooks/twilio", "{\"a\":1}");
        yield return () => Json(HttpMethod.Post, "/webhooks/twilio/status", "%%%", "application/x-www-form-urlencoded");

        var metaBodies = new[]
        {
            "", "{", "[]", "{\"object\":\"whatsapp_business_account\"}", "{\"object\":\"whatsapp_business_account\",\"entry\":null}",
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"62812\",\"id\":\"wamid.h1\",\"timestamp\":\"99999999999999999\",\"type\":\"text\",\"text\":{\"body\":\"halo\"}}]}}]}]}",
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"statuses\":[{\"id\":\"wamid.h2\",\"status\":\"read\",\"timestamp\":\"99999999999999999\"}]}}]}]}",
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"\",\"id\":\"\",\"type\":\"image\",\"image\":{}}]}}]}]}",
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"62812\",\"id\":\"wamid.h3\",\"timestamp\":\"1\",\"type\":\"location\",\"location\":{\"latitude\":\"x\"}}]}}]}]}",
            "{\"object\":\"page\"}",
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"contacts\":[{\"wa_id\":\"62813\",\"profile\":{\"name\":\"\\u0000\"}}],\"messages\":[{\"from\":\"62813\",\"id\":\"wamid.h4\\u0000\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"ha\\u0000lo\"}}],\"statuses\":[{\"id\":\"wamid.\\u0000\",\"status\":\"read\",\"timestamp\":\"1\"}]}}]}]}",
        };
        foreach (var body in metaBodies)
        {
            yield return () => DrillKit.MetaNotification(body);
            yield return () => DrillKit.MetaNotification(body, sign: false);
        }
        foreach (var query in new[] { "", "?hub.mode=subscribe", "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                     $"?hub.mode=subscribe&hub.verify_token={DrillKit.MetaVerify}", $"?hub.mode=subscribe&hub.verify_token={DrillKit.MetaVerify}&hub.challenge=" + new string('9', 3000) })
        {
            yield return () => new HttpRequestMessage(HttpMethod.Get, "/webhooks/whatsapp" + query);
        }

        foreach (var query in new[] { "from=0001-01-01&to=9999-12-31", "from=0001-01-01", "to=9999-12-31", "from=2025-13-45", "from=x&to=y",
                     "page=-1", "page=99999999999", "page=abc", "status=%00", "agency=%00", "status=baru%00", "agency=" + new string('a', 3000), "from=2025-07-31&to=2025-07-01" })
        {
            foreach (var path in new[] { "/api/v1/cases", "/api/v1/stats" })
            {
                yield return () =>
                {
                    var r = new HttpRequestMessage(HttpMethod.Get, path + "?" + query);
                    r.Headers.Add("X-Api-Key", DrillKit.ApiKey);
                    return r;
                };
                yield return () => new HttpRequestMessage(HttpMethod.Get, path + "?" + query);
            }
        }
        foreach (var nomor in new[] { "LPR-2611-00001", "lpr-2611-00001", "%00", "LPR-9999-99999", new string('A', 4000), "..%2F..%2Fetc%2Fpasswd", "LPR-2611-0000%" })
        {
            yield return () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases/" + nomor) { Headers = { { "X-Api-Key", DrillKit.ApiKey } } };
            yield return () => new HttpRequestMessage(HttpMethod.Get, "/lacak/" + nomor);
            yield return () => new HttpRequestMessage(HttpMethod.Get, "/lacak?nomor=" + nomor);
        }
        foreach (var query in new[] { "periode=9999", "periode=0000-00", "periode=2025-S3", "from=0001-01-01&to=9999-12-31", "format=exe" })
        {
            yield return () => new HttpRequestMessage(HttpMethod.Get, "/status/rekap/unduh?" + query);
        }
        foreach (var body in new[] { "", "{", "{\"citizen\":\"\"}", "{\"citizen\":\"w\",\"text\":null}", "{\"citizen\":\"" + new string('w', 100) + "\"}",
                     "{\"citizen\":\"w\",\"latitude\":1e999}", "{\"citizen\":\"w\\u0000\",\"text\":\"ha\\u0000lo\"}", "{\"citizen\":\"w\",\"text\":\"" + new string('t', 50_000) + "\"}" })
        {
            yield return () => Json(HttpMethod.Post, "/dev/chat/api/messages", body);
        }
        foreach (var form in new[] { "", "username=admin", "username=admin&password=x", "username=ad%00min&password=x", "username=" + new string('u', 5000) + "&password=x", "%%%" })
        {
            yield return () => Json(HttpMethod.Post, "/status/masuk", form, "application/x-www-form-urlencoded");
        }
        foreach (var path in PostPaths.Concat(["/healthz", "/readyz", "/lacak", "/api/v1/cases", "/status", "/nope", "/openapi/v1.json"]))
        {
            foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Get })
            {
                yield return () => new HttpRequestMessage(method, path);
            }
        }
    }

    [SkippableFact]
    public async Task Hundreds_of_hostile_requests_across_every_public_endpoint_get_no_5xx()
    {
        await using var kit = await DrillKit.StartAsync(backend: Backend);
        var results = new List<(string What, int Status)>();
        foreach (var make in Corpus())
        {
            using var request = make();
            var what = $"{request.Method} {request.RequestUri}";
            var r = await kit.Http.SendAsync(request);
            results.Add((what.Length > 120 ? what[..120] : what, (int)r.StatusCode));
        }
        // Truncated and malformed bodies on a real socket: Kestrel's BadHttpRequestException.
        var raw = PostPaths.SelectMany(path => new[]
        {
            (What: $"truncated body (Content-Length 5000, 7 bytes) {path}", Task: RawAsync(kit.App.BaseAddress,
                $"POST {path} HTTP/1.1\nHost: localhost\nContent-Type: application/json\nX-Telegram-Bot-Api-Secret-Token: {DrillKit.TelegramSecret}\nContent-Length: 5000\n",
                Encoding.ASCII.GetBytes("{\"a\":1"))),
            (What: $"chunk size 'zz' {path}", Task: RawAsync(kit.App.BaseAddress,
                $"POST {path} HTTP/1.1\nHost: localhost\nContent-Type: application/json\nX-Telegram-Bot-Api-Secret-Token: {DrillKit.TelegramSecret}\nTransfer-Encoding: chunked\n",
                Encoding.ASCII.GetBytes("zz\r\nhello\r\n0\r\n\r\n"))),
        }).ToList();
        foreach (var (what, task) in raw)
        {
            results.Add((what, await task));
        }
        output.WriteLine(string.Join("\n", results.TakeLast(raw.Count).Select(r => $"{r.Status} {r.What}")));

        var fivexx = results.Where(r => r.Status >= 500).ToList();
        output.WriteLine($"[{Backend}] {results.Count} hostile requests; 5xx: {fivexx.Count}; by status: " +
            string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        Assert.True(results.Count >= 200, $"only {results.Count} requests");
        Assert.True(fivexx.Count == 0, "5xx answers:\n" + string.Join("\n", fivexx.Select(f => $"{f.Status} {f.What}")));
        Assert.All(results.Where(r => r.What.StartsWith("truncated", StringComparison.Ordinal) || r.What.StartsWith("chunk", StringComparison.Ordinal)),
            r => Assert.InRange(r.Status, 400, 499));
        Assert.DoesNotContain("Unhandled exception", kit.App.Output, StringComparison.Ordinal);
    }
}
