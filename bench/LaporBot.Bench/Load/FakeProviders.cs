using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LaporBot.Bench.Load;

/// <summary>
/// Twilio's Messages API and Telegram's Bot API on one loopback Kestrel server, accepting every
/// send at once (the wire format the app's clients expect). Records when each reply arrived and,
/// for agency notifications, which tracking number it carried.
/// </summary>
internal sealed partial class FakeProviders : IAsyncDisposable
{
    public const string TelegramToken = "123456:BENCH-token-abc";
    public const string TwilioSid = "ACbench00000000000000000000000000";

    private readonly WebApplication _app;
    private long _twilio;
    private long _telegram;
    private long _nextId;

    /// <summary>Milliseconds (Stopwatch) of every accepted send, for the outbound rate over time.</summary>
    public ConcurrentQueue<long> SendTimes { get; } = new();

    /// <summary>Tracking number → first time (Unix ms) a notification naming it reached an agency admin.</summary>
    public ConcurrentDictionary<string, long> AdminNotified { get; } = new(StringComparer.Ordinal);

    public HashSet<long> AdminChats { get; } = [];

    public string BaseUrl { get; }

    public long Twilio => Interlocked.Read(ref _twilio);

    public long Telegram => Interlocked.Read(ref _telegram);

    public long Total => Twilio + Telegram;

    private FakeProviders(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeProviders> StartAsync(IEnumerable<long> adminChats)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeProviders? fake = null;
        app.Run(ctx => fake!.HandleAsync(ctx));
        await app.StartAsync();
        fake = new FakeProviders(app, app.Urls.First().TrimEnd('/'));
        fake.AdminChats.UnionWith(adminChats);
        return fake;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _twilio, 0);
        Interlocked.Exchange(ref _telegram, 0);
        SendTimes.Clear();
        AdminNotified.Clear();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ctx.RequestAborted);
        var id = Interlocked.Increment(ref _nextId);
        if (path.StartsWith($"/2010-04-01/Accounts/{TwilioSid}/Messages.json", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _twilio);
            SendTimes.Enqueue(Stopwatch.GetTimestamp());
            ctx.Response.StatusCode = 201;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync($$"""{"sid":"SM{{id:x32}}","status":"queued","error_code":null,"error_message":null}""");
            return;
        }
        var prefix = $"/bot{TelegramToken}/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        var method = path[prefix.Length..];
        ctx.Response.ContentType = "application/json";
        if (method is not ("sendMessage" or "sendPhoto"))
        {
            // setWebhook, deleteWebhook, answerCallbackQuery, …
            await ctx.Response.WriteAsync("""{"ok":true,"result":true}""");
            return;
        }
        Interlocked.Increment(ref _telegram);
        SendTimes.Enqueue(Stopwatch.GetTimestamp());
        var request = JsonNode.Parse(body)!.AsObject();
        var chat = request["chat_id"]!.GetValue<long>();
        var text = request["text"]?.GetValue<string>() ?? "";
        if (AdminChats.Contains(chat) && TrackingNumber().Match(text) is { Success: true } m)
        {
            AdminNotified.TryAdd(m.Value, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        var sent = new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
            ["text"] = text,
        };
        await ctx.Response.WriteAsync(new JsonObject { ["ok"] = true, ["result"] = sent }.ToJsonString());
    }

    [GeneratedRegex(@"LPR-\d{4}-\d{5}")]
    private static partial Regex TrackingNumber();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
