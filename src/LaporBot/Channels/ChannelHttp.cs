using System.Net;

namespace LaporBot.Channels;

/// <summary>HTTP details shared by the provider clients.</summary>
internal static class ChannelHttp
{
    /// <summary>
    /// Reads <c>Retry-After</c> as either delta-seconds or an HTTP date (RFC 9110 §10.2.3);
    /// null when absent or already in the past.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
            return delta;
        if (header?.Date is DateTimeOffset date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : null;
        }
        return null;
    }

    public static bool IsRetryableStatus(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>
    /// An exception from the transport becomes a retryable failure, unless the caller itself
    /// cancelled. <see cref="HttpClient.Timeout"/> surfaces as a <see cref="TaskCanceledException"/>
    /// whose token is not the caller's. The message goes through <see cref="Redact.All"/> because
    /// handlers may put the request URI (with a Telegram token) into it.
    /// </summary>
    public static SendResult.Retryable? TransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        OperationCanceledException => new SendResult.Retryable("timeout"),
        HttpRequestException http => new SendResult.Retryable("network error: " + Redact.All(http.Message)),
        IOException io => new SendResult.Retryable("network error: " + Redact.All(io.Message)),
        _ => null,
    };
}
