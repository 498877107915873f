using System.Collections.Concurrent;
using System.Text.Json;
using LaporBot.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LaporBot.Tests.Channels.Meta;

/// <summary>
/// A stand-in for graph.facebook.com: a real Kestrel server on 127.0.0.1 speaking the Cloud API
/// wire format for the three calls LaporBot makes (send a message, look up a media id, fetch the
/// media file). Records every request; sends succeed unless a failure is scripted.
/// </summary>
/// <remarks>
/// Hand-written rather than WireMock.Net: on this registry WireMock 1.25.0 restores only with two
/// dozen NU1603 version substitutions (Scriban, Handlebars, GraphQL, OpenTelemetry …) and a
/// Newtonsoft.Json downgrade error, and these three routes are all we need.
/// </remarks>
internal sealed class FakeGraphApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(Func<JsonElement, bool> Match, int Status, string Body)> _failures = new();
    private readonly ConcurrentDictionary<string, (byte[] Content, string ContentType)> _media = new();
    private int _sent;

    private FakeGraphApi(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>The bodies POSTed to /{version}/{phone_number_id}/messages, in order.</summary>
    public IReadOnlyList<FakeRequest> Sends => Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    public static async Task<FakeGraphApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeGraphApi(builder.Build());
        fake.Map();
        await fake._app.StartAsync();
        fake.Url = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>The next send whose JSON matches answers with this status and body (once).</summary>
    public void FailNextSend(Func<JsonElement, bool> match, int status, string body) => _failures.Enqueue((match, status, body));

    /// <summary>Serves a media id: the lookup answers with a URL on this server, which returns the bytes.</summary>
    public void AddMedia(string mediaId, byte[] content, string contentType) => _media[mediaId] = (content, contentType);

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            context.Items["body"] = body;
            Requests.Enqueue(new FakeRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body));
            await next(context);
        });

        _app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpContext context) =>
        {
            var json = JsonDocument.Parse((string)context.Items["body"]!).RootElement;
            if (_failures.TryPeek(out var failure) && failure.Match(json) && _failures.TryDequeue(out _))
            {
                context.Response.StatusCode = failure.Status;
                await context.Response.WriteAsync(failure.Body);
                return;
            }
            var n = Interlocked.Increment(ref _sent);
            await context.Response.WriteAsJsonAsync(new
            {
                messaging_product = "whatsapp",
                contacts = new[] { new { input = json.GetProperty("to").GetString(), wa_id = json.GetProperty("to").GetString() } },
                messages = new[] { new { id = $"wamid.fake{n:D4}" } },
            });
        });

        _app.MapGet("/{version}/{mediaId}", async (string mediaId, HttpContext context) =>
        {
            if (!_media.TryGetValue(mediaId, out var media))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(TestData.Text("meta/error-100.json"));
                return;
            }
            await context.Response.WriteAsJsonAsync(new
            {
                messaging_product = "whatsapp",
                url = $"{Url}/whatsapp_business/attachments/?mid={mediaId}&ext=1752546300&hash=ATt",
                mime_type = media.ContentType,
                sha256 = "c4rLzTrUXcDFm8aFoVqHQvyC7FYgMBnYpWaa6Jv0KnE=",
                file_size = media.Content.Length,
                id = mediaId,
            });
        });

        _app.MapGet("/whatsapp_business/attachments/", (string mid) =>
            _media.TryGetValue(mid, out var media) ? Results.Bytes(media.Content, media.ContentType) : Results.NotFound());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record FakeRequest(string Method, string Path, string Authorization, string? ContentType, string Body)
{
    public JsonElement Json() => JsonDocument.Parse(Body).RootElement;
}
