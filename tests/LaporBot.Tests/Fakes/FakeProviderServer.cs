using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, random port) standing in for a provider's API. It
/// records every request and answers through a handler the test can change at any time, so a
/// test can make the provider fail, stall, throttle and recover.
/// </summary>
internal sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile Func<Recorded, Task<Reply>> _handler;

    public sealed record Recorded(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

        public Dictionary<string, string> Form =>
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(BodyText).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    }

    public sealed record Reply(int Status, string Body = "", string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, byte[]? Bytes = null);

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public string BaseUrl { get; }

    private FakeProviderServer(WebApplication app, string baseUrl, Func<Recorded, Task<Reply>> handler)
    {
        _app = app;
        BaseUrl = baseUrl;
        _handler = handler;
    }

    public static async Task<FakeProviderServer> StartAsync(Func<Recorded, Reply> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeProviderServer? server = null;
        app.Run(async ctx =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            var rec = new Recorded(ctx.Request.Method, ctx.Request.Path, ctx.Request.QueryString.Value ?? "",
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), ms.ToArray());
            server!.Requests.Enqueue(rec);
            var reply = await server._handler(rec);
            if (reply.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(reply.Delay, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            ctx.Response.StatusCode = reply.Status;
            foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>())
            {
                ctx.Response.Headers[k] = v;
            }
            ctx.Response.ContentType = reply.ContentType;
            if (reply.Bytes is not null)
            {
                await ctx.Response.Body.WriteAsync(reply.Bytes);
            }
            else
            {
                await ctx.Response.WriteAsync(reply.Body);
            }
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new FakeProviderServer(app, address, r => Task.FromResult(handler(r)));
        return server;
    }

    /// <summary>Changes how the server answers from now on.</summary>
    public void Handle(Func<Recorded, Reply> handler) => _handler = r => Task.FromResult(handler(r));

    /// <summary>Changes how the server answers from now on; the reply may wait (a provider that stalls until told).</summary>
    public void HandleAsync(Func<Recorded, Task<Reply>> handler) => _handler = handler;

    public IReadOnlyList<Recorded> To(string pathContains) => Requests.Where(r => r.Path.Contains(pathContains, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
