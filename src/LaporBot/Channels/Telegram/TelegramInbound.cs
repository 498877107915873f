using System.Globalization;
using LaporBot.Conversations;
using LaporBot.Routing;
using LaporBot.Staff;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace LaporBot.Channels.Telegram;

/// <summary>What became of one Telegram update.</summary>
internal enum TelegramInboundOutcome { Accepted, Duplicate, Ignored }

/// <summary>
/// The one path every Telegram update takes, whether it came by webhook or by getUpdates:
/// parse, fetch a photo or file into the attachment store, then run the turn (which stores the
/// message, deduplicated by update_id, before anything else). Throws only when the message
/// could not be stored (database down): the caller then lets Telegram retry or re-polls.
/// </summary>
internal sealed class TelegramInbound(
    TurnProcessor turns, TelegramClients clients, AttachmentStore attachments, StaffDesk staff, ILogger<TelegramInbound> logger)
{
    public async Task<TelegramInboundOutcome> HandleAsync(Update update, CancellationToken ct)
    {
        // Staff (triage desk, agency admins) use the same bot: their commands, button presses and
        // replies to notifications go to the staff desk; everyone else's messages to the citizen dialog.
        if (TelegramUpdateParser.ParseCallback(update) is { } callback)
        {
            var pressed = await staff.HandleAsync(new StaffInput(update.Id.ToString(CultureInfo.InvariantCulture), callback.FromUserId,
                callback.ChatId ?? callback.FromUserId, callback.FromName, null, null, callback.Data ?? ""), ct);
            await AnswerCallbackAsync(callback.CallbackQueryId, pressed, ct);
            return TelegramInboundOutcome.Accepted;
        }
        if (update.Message is { Chat.Type: ChatType.Private, From: { IsBot: false } from } m)
        {
            var name = string.Join(' ', new[] { from.FirstName, from.LastName }.Where(x => !string.IsNullOrWhiteSpace(x)));
            var outcome = await staff.HandleAsync(new StaffInput(update.Id.ToString(CultureInfo.InvariantCulture), from.Id, m.Chat.Id,
                name, m.Text, m.ReplyToMessage?.Id, null), ct);
            if (outcome.Handled)
            {
                return TelegramInboundOutcome.Accepted;
            }
        }
        switch (TelegramUpdateParser.Parse(update))
        {
            case ParseOutcome<InboundMessage>.Accepted a:
                var message = await attachments.KeepAsync(a.Value, (m, token) => clients.Create().DownloadAsync(m.SourceUrl, null, token), logger, ct);
                if (await turns.ProcessAsync(message, ct) == TurnOutcome.Duplicate)
                {
                    logger.LogInformation("Telegram update {UpdateId} already processed; ignored", update.Id);
                    return TelegramInboundOutcome.Duplicate;
                }
                return TelegramInboundOutcome.Accepted;
            case ParseOutcome<InboundMessage>.Ignored i:
                // callback_query (staff buttons) lands here too until staff actions exist; it is
                // deliberately not answered yet.
                logger.LogInformation("Telegram update {UpdateId} ignored: {Reason}", update.Id, i.Reason);
                return TelegramInboundOutcome.Ignored;
            case ParseOutcome<InboundMessage>.Rejected r:
                // Parse(Update) never rejects today; treat a future rejection as ignorable so one
                // bad update cannot block the polling queue.
                logger.LogWarning("Telegram update {UpdateId} rejected: {Reason}", update.Id, r.Reason);
                return TelegramInboundOutcome.Ignored;
            default:
                throw new InvalidOperationException("unknown parse outcome");
        }
    }

    /// <summary>Stops the button's spinner; a refusal is shown as a small alert. Best effort: the reply message carries the real answer.</summary>
    private async Task AnswerCallbackAsync(string callbackQueryId, StaffOutcome outcome, CancellationToken ct)
    {
        try
        {
            var result = await clients.Create().AnswerCallbackQueryAsync(callbackQueryId, outcome.Allowed ? null : StaffTexts.T("button.refused"), !outcome.Allowed, ct);
            if (!result.Ok)
            {
                logger.LogInformation("answerCallbackQuery failed: {Error}", result.Error?.Description);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogInformation("answerCallbackQuery failed: {Error}", e.GetType().Name);
        }
    }

}

/// <summary>
/// Builds <see cref="TelegramClient"/>s from the named HttpClients registered in
/// <see cref="TelegramRegistration"/>. The channel, the poller and the inbound path are singletons;
/// taking a fresh client per use (instead of capturing one typed client) lets the handler pool
/// rotate connections as IHttpClientFactory intends.
/// </summary>
internal sealed class TelegramClients(
    IHttpClientFactory http, Microsoft.Extensions.Options.IOptions<TelegramOptions> options, ILogger<TelegramClient> logger)
{
    public const string HttpClientName = "telegram";
    public const string LongPollHttpClientName = "telegram-longpoll";

    // Built once: it validates the token and base URL (start-up has already checked both).
    private readonly Lazy<global::Telegram.Bot.TelegramBotClientOptions> _botOptions = new(() => TelegramClient.BotOptions(options.Value));

    /// <summary>A Telegram.Bot client on a fresh HttpClient from the factory (so the handler pool can rotate connections).</summary>
    public TelegramClient Create() => new(http.CreateClient(HttpClientName), options.Value, _botOptions.Value, logger);

    /// <summary>For getUpdates: its HttpClient waits longer than the long-poll timeout.</summary>
    public TelegramClient CreateLongPoll() => new(http.CreateClient(LongPollHttpClientName), options.Value, _botOptions.Value, logger);
}
