using System.Net.Http.Headers;

namespace LaporBot.Channels;

/// <summary>
/// Edge checks shared by every webhook: content type (415), size (413), and the public URL a
/// provider signed (behind a reverse proxy the URL we see is not the one the provider called).
/// </summary>
internal static class WebhookRequest
{
    /// <summary>Webhook bodies are small; anything larger is not a provider speaking to us.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static bool HasContentType(HttpRequest request, string mediaType) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var ct)
        && string.Equals(ct.MediaType, mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the raw body, or returns null when it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } announced && announced > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The URL the provider called: <paramref name="publicUrl"/>'s scheme, host and port (and path
    /// prefix, if it names one above the webhook path) with this request's path and query.
    /// </summary>
    public static string PublicUrl(HttpRequest request, string? publicUrl)
    {
        var pathAndQuery = request.PathBase + request.Path + request.QueryString;
        if (string.IsNullOrWhiteSpace(publicUrl) || !Uri.TryCreate(publicUrl, UriKind.Absolute, out var configured))
        {
            return $"{request.Scheme}://{request.Host}{pathAndQuery}";
        }
        var prefix = configured.AbsolutePath.TrimEnd('/');
        var webhooks = prefix.IndexOf("/webhooks", StringComparison.Ordinal);
        if (webhooks >= 0)
        {
            prefix = prefix[..webhooks];
        }
        return $"{configured.GetLeftPart(UriPartial.Authority)}{prefix}{pathAndQuery}";
    }

    /// <summary>The three outcomes of a webhook (docs/STYLE.md, habit 1), as HTTP results.</summary>
    public static IResult Problem(int status, string title) => Results.Problem(title: title, statusCode: status);
}
