using System.Net;

namespace LaporBot.Channels;

/// <summary>The result of fetching an inbound attachment from a provider.</summary>
internal abstract record MediaDownload
{
    public sealed record Downloaded(byte[] Content, string ContentType) : MediaDownload;
    /// <summary><paramref name="Retryable"/> is true for 5xx, 429 and network errors; false when the file itself is refused.</summary>
    public sealed record Failed(string Error, bool Retryable) : MediaDownload;

    /// <summary>What citizens send with a complaint: photos, short videos, voice notes and PDFs.</summary>
    public static IReadOnlySet<string> DefaultAllowedTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg", "image/png", "image/webp", "image/heic",
        "video/mp4", "video/3gpp",
        "audio/ogg", "audio/mpeg", "audio/mp4", "audio/amr",
        "application/pdf",
    };

    /// <summary>
    /// Checks status, type and size and reads the body without ever holding more than
    /// <paramref name="maxBytes"/> + 1 bytes, so a lying or missing Content-Length cannot exhaust memory.
    /// </summary>
    internal static async Task<MediaDownload> ReadAsync(
        HttpResponseMessage response, long maxBytes, IReadOnlySet<string>? allowedTypes,
        string? fallbackContentType, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var code = (int)response.StatusCode;
            return new Failed($"HTTP {code}", code >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
        }

        // Some file servers (Telegram's, for one) label everything octet-stream; then the caller's
        // guess from the file name is the better information.
        var announcedType = response.Content.Headers.ContentType?.MediaType;
        var contentType = announcedType is null or "application/octet-stream" ? fallbackContentType ?? announcedType : announcedType;
        if (allowedTypes is not null && (contentType is null || !allowedTypes.Contains(contentType)))
            return new Failed($"content type '{contentType ?? "(none)"}' is not allowed", false);

        if (response.Content.Headers.ContentLength is long announced && announced > maxBytes)
            return new Failed($"file is {announced} bytes, the limit is {maxBytes}", false);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return new Failed($"file exceeds the limit of {maxBytes} bytes", false);
            buffer.Write(chunk, 0, read);
        }
        return new Downloaded(buffer.ToArray(), contentType ?? "application/octet-stream");
    }
}
