using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// Stands in for the network: records each request, answers from a script, and fails the test
/// if anything tries to reach a host that is not loopback.
/// </summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    public RecordingHandler Respond(HttpStatusCode status, string body = "", string contentType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    public RecordingHandler RespondBytes(HttpStatusCode status, byte[] body, string? contentType, long? contentLength = null)
    {
        _script.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
            if (contentType is not null)
                response.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            if (contentLength is not null)
                response.Content.Headers.ContentLength = contentLength;
            return response;
        });
        return this;
    }

    public RecordingHandler Throw(Exception exception)
    {
        _script.Enqueue(_ => throw exception);
        return this;
    }

    public RecordedRequest Single() => Assert.Single(Requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("request without URI");
        if (!uri.IsLoopback)
            throw new InvalidOperationException($"Test tried to reach the network: {uri.Host}");
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, uri, request.Headers.Authorization,
            request.Content?.Headers.ContentType?.MediaType, body));
        if (_script.Count == 0)
            throw new InvalidOperationException($"No scripted response left for {request.Method} {uri.AbsolutePath}");
        return _script.Dequeue()(request);
    }
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, AuthenticationHeaderValue? Authorization, string? ContentType, string Body)
{
    public Dictionary<string, string> Form() =>
        QueryHelpers.ParseQuery(Body).ToDictionary(p => p.Key, p => p.Value.ToString());

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement;

    public (string User, string Password) BasicCredentials()
    {
        Assert.Equal("Basic", Authorization?.Scheme);
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(Authorization!.Parameter!));
        var colon = decoded.IndexOf(':');
        return (decoded[..colon], decoded[(colon + 1)..]);
    }
}
