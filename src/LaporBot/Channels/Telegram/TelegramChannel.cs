using System.Globalization;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types.ReplyMarkups;

namespace LaporBot.Channels.Telegram;

/// <summary>
/// Citizens' replies through the Bot API's sendMessage. The outbox recipient is the private
/// chat id as a decimal string. Quick replies become a one-time reply keyboard; a message
/// without them removes any keyboard left from an earlier question, so a stale "Ya" button
/// cannot answer the wrong question. 429 is retried after retry_after; 403 (blocked,
/// deactivated) is permanent and marks the reporter unreachable (see TelegramClient.Classify).
/// </summary>
internal sealed class TelegramChannel(TelegramClients clients, IOptions<TelegramOptions> options, AttachmentStore attachments) : IChannel, IRateLimitedChannel
{
    public string Name => TelegramUpdateParser.ChannelName;

    public double MessagesPerSecond => options.Value.MessagesPerSecond;

    public TimeSpan PerChatInterval => options.Value.PerChatInterval;

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            // Never fall back to the provider's real API from a deployment (or test) that has not configured it.
            return Task.FromResult<SendResult>(new SendResult.Permanent("Telegram is not enabled (Telegram:Enabled=false); message not sent"));
        }
        if (!long.TryParse(message.Recipient, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            return Task.FromResult<SendResult>(new SendResult.Permanent($"'{message.Recipient}' is not a Telegram chat id"));
        }
        if (message.AttachmentPath is { } attachment)
        {
            return SendPhotoAsync(chatId, attachment, message.Text, cancellationToken);
        }
        // Staff notifications carry inline buttons (one row); citizens get a reply keyboard of quick answers.
        var sendOptions = message.Buttons is { Count: > 0 } buttons
            ? new TelegramSendOptions(InlineKeyboard: [buttons.Select(b => new InlineKeyboardButton(b.Text) { CallbackData = b.Data }).ToList()])
            : message.QuickReplies.Count > 0
                ? new TelegramSendOptions(QuickReplies: message.QuickReplies, OneTimeKeyboard: true, ResizeKeyboard: true)
                : new TelegramSendOptions(RemoveKeyboard: true);
        // The dialogs' messages go in parse mode HTML (bold comes through; every typed character is escaped by
        // Markup); plain staff notices go without a parse mode, so Telegram shows them exactly as written.
        return message.Format == TextFormat.Markup
            ? clients.Create().SendMessageAsync(chatId, message.TelegramHtml, sendOptions with { ParseMode = global::Telegram.Bot.Types.Enums.ParseMode.Html }, cancellationToken)
            : clients.Create().SendMessageAsync(chatId, message.Text, sendOptions, cancellationToken);
    }

    /// <summary>A citizen's photo forwarded to staff; the message text is its caption.</summary>
    private async Task<SendResult> SendPhotoAsync(long chatId, string relativePath, string caption, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(Path.Combine(attachments.Root, relativePath));
        // Only files inside the attachment folder: the path comes from our own database, but stay strict.
        if (!full.StartsWith(attachments.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return new SendResult.Permanent($"attachment '{relativePath}' is not in the attachment folder any more");
        }
        var bytes = await File.ReadAllBytesAsync(full, cancellationToken);
        return await clients.Create().SendPhotoAsync(chatId, bytes, Path.GetFileName(full), caption, cancellationToken);
    }
}
