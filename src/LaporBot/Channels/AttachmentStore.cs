using Microsoft.Extensions.Options;

namespace LaporBot.Channels;

internal sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>Where downloaded photos and files are kept (relative paths are under the app folder).</summary>
    public string Directory { get; set; } = "data/attachments";
}

/// <summary>Keeps citizens' photos and files on local disk, one file per attachment, by month.</summary>
internal sealed class AttachmentStore(IOptions<AttachmentOptions> options, IHostEnvironment env, TimeProvider clock)
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ".jpg", ["image/png"] = ".png", ["image/webp"] = ".webp", ["image/heic"] = ".heic",
        ["video/mp4"] = ".mp4", ["video/3gpp"] = ".3gp", ["audio/ogg"] = ".ogg", ["audio/mpeg"] = ".mp3",
        ["audio/mp4"] = ".m4a", ["audio/amr"] = ".amr", ["application/pdf"] = ".pdf",
    };

    public string Root => Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.Directory));

    /// <summary>
    /// Downloads each attachment with the provider's own call and keeps it on disk. A failed download
    /// keeps the provider's reference instead: staff still see that a file was sent, the complaint
    /// is not lost, and the file can be fetched again later.
    /// </summary>
    public async Task<InboundMessage> KeepAsync(
        InboundMessage message, Func<InboundAttachment, CancellationToken, Task<MediaDownload>> download, ILogger logger, CancellationToken ct)
    {
        if (message.Attachments.Count == 0)
        {
            return message;
        }
        var kept = new List<InboundAttachment>();
        foreach (var a in message.Attachments)
        {
            switch (await download(a, ct))
            {
                case MediaDownload.Downloaded d:
                    kept.Add(a with { ContentType = d.ContentType, LocalPath = await SaveAsync(d.Content, d.ContentType, ct) });
                    break;
                case MediaDownload.Failed f:
                    logger.LogWarning("{Channel} attachment of message {MessageId} not downloaded: {Error}",
                        message.Channel, message.ProviderMessageId, f.Error);
                    kept.Add(a);
                    break;
            }
        }
        return message with { Attachments = kept };
    }

    /// <summary>Writes the bytes and returns the path relative to <see cref="Root"/>.</summary>
    public async Task<string> SaveAsync(byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var relative = Path.Combine(now.ToString("yyyy"), now.ToString("MM"),
            Guid.NewGuid().ToString("N") + Extensions.GetValueOrDefault(contentType, ".bin"));
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content, cancellationToken);
        return relative;
    }
}
