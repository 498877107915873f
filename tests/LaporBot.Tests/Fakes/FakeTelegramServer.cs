using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LaporBot.Tests.Fakes;

/// <summary>One request the fake Bot API received.</summary>
internal sealed record TelegramCall(string Method, string Path, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A fake Telegram Bot API on 127.0.0.1 (a real Kestrel server on a free port) speaking the wire
/// format: POST /bot&lt;token&gt;/&lt;method&gt; with JSON, the {ok, result | error_code, description,
/// parameters} envelope, and GET /file/bot&lt;token&gt;/&lt;path&gt; for downloads. Records every call.
/// Unscripted calls get a plausible success; <see cref="Script"/> queues a response for a method.
/// getUpdates serves <see cref="AddUpdate"/>'d updates with update_id ≥ offset and otherwise
/// long-polls briefly (capped so tests stay fast), like the real server.
/// </summary>
internal sealed class FakeTelegramServer : IAsyncDisposable
{
    public const string Token = "123456:TEST-token-abc";

    /// <summary>The bytes served for every file download (a JPEG's first bytes are enough for the app).</summary>
    public static readonly byte[] FileBytes = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TelegramCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Body)>> _scripts = new(StringComparer.Ordinal);
    private readonly List<(long Id, string Json)> _updates = [];
    private readonly SemaphoreSlim _updateAdded = new(0);
    private long _nextMessageId = 5000;

    private FakeTelegramServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<TelegramCall> Calls => _calls.ToArray();

    /// <summary>Longest time getUpdates holds a request open when there is nothing to return.</summary>
    public TimeSpan MaxLongPoll { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>When set, file downloads answer this status instead of <see cref="FileBytes"/>.</summary>
    public HttpStatusCode? FileStatus { get; set; }

    public IReadOnlyList<TelegramCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToList();

    public static async Task<FakeTelegramServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTelegramServer(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseUrl = address.TrimEnd('/');
        return fake;
    }

    /// <summary>Queues one response for the next call of <paramref name="method"/>.</summary>
    public FakeTelegramServer Script(string method, int status, string body)
    {
        _scripts.GetOrAdd(method, _ => new()).Enqueue((status, body));
        return this;
    }

    public void AddUpdate(string updateJson)
    {
        var id = JsonDocument.Parse(updateJson).RootElement.GetProperty("update_id").GetInt64();
        lock (_updates)
        {
            _updates.Add((id, updateJson));
        }
        _updateAdded.Release();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);

        var filePrefix = $"/file/bot{Token}/";
        if (context.Request.Method == "GET" && path.StartsWith(filePrefix, StringComparison.Ordinal))
        {
            _calls.Enqueue(new TelegramCall("file", path, "", DateTimeOffset.UtcNow));
            if (FileStatus is { } status)
            {
                context.Response.StatusCode = (int)status;
                return;
            }
            // Telegram's file server labels files application/octet-stream.
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(FileBytes, context.RequestAborted);
            return;
        }

        var botPrefix = $"/bot{Token}/";
        if (context.Request.Method != "POST" || !path.StartsWith(botPrefix, StringComparison.Ordinal))
        {
            _calls.Enqueue(new TelegramCall("(unknown)", path, body, DateTimeOffset.UtcNow));
            await WriteAsync(context, 404, """{"ok":false,"error_code":404,"description":"Not Found"}""");
            return;
        }
        var method = path[botPrefix.Length..];
        _calls.Enqueue(new TelegramCall(method, path, body, DateTimeOffset.UtcNow));
        if (_scripts.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            await WriteAsync(context, scripted.Status, scripted.Body);
            return;
        }
        if (method == "sendPhoto")
        {
            // multipart/form-data: chat_id, caption and the file; answer like Telegram with a Message.
            var chat = System.Text.RegularExpressions.Regex.Match(body, "name=\"?chat_id\"?\\r\\n\\r\\n(-?\\d+)");
            var photo = new JsonObject
            {
                ["message_id"] = Interlocked.Increment(ref _nextMessageId),
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = chat.Success ? long.Parse(chat.Groups[1].Value) : 0, ["type"] = "private" },
            };
            await WriteAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = photo }.ToJsonString());
            return;
        }
        var request = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!.AsObject();
        switch (method)
        {
            case "sendMessage":
                var sent = new JsonObject
                {
                    ["message_id"] = Interlocked.Increment(ref _nextMessageId),
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = request["chat_id"]!.GetValue<long>(), ["type"] = "private" },
                    ["text"] = request["text"]!.GetValue<string>(),
                };
                await WriteAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = sent }.ToJsonString());
                return;
            case "getFile":
                await WriteAsync(context, 200, TestData.Text("telegram/getfile-ok.json"));
                return;
            case "setWebhook" or "deleteWebhook" or "answerCallbackQuery":
                await WriteAsync(context, 200, TestData.Text("telegram/true-ok.json"));
                return;
            case "getUpdates":
                await GetUpdatesAsync(context, request);
                return;
            default:
                await WriteAsync(context, 404, """{"ok":false,"error_code":404,"description":"Not Found: method not found"}""");
                return;
        }
    }

    private async Task GetUpdatesAsync(HttpContext context, JsonObject request)
    {
        var offset = request["offset"]?.GetValue<long>() ?? 0;
        var timeout = TimeSpan.FromSeconds(request["timeout"]?.GetValue<int>() ?? 0);
        var until = DateTimeOffset.UtcNow + (timeout < MaxLongPoll ? timeout : MaxLongPoll);
        while (true)
        {
            List<string> due;
            lock (_updates)
            {
                due = _updates.Where(u => u.Id >= offset).OrderBy(u => u.Id).Select(u => u.Json).ToList();
            }
            var left = until - DateTimeOffset.UtcNow;
            if (due.Count > 0 || left <= TimeSpan.Zero)
            {
                await WriteAsync(context, 200, $$"""{"ok":true,"result":[{{string.Join(',', due)}}]}""");
                return;
            }
            try
            {
                await _updateAdded.WaitAsync(left, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client went away (app shutting down)
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _updateAdded.Dispose();
    }
}
