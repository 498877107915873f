using LaporBot.Channels;

namespace LaporBot.StatusPage;

/// <summary>
/// The status page as a staff channel: a notification for an agency member who works from the web
/// (the case reached their step, a reminder, an escalation) is "delivered" to their task list, where
/// /status/tugas shows it. Same outbox, same messages as Telegram members get.
/// </summary>
internal sealed class WebInboxChannel : IChannel
{
    public const string ChannelName = "web";

    /// <summary>Whether a staff address is on the web: its messages are read on a page, with the page's buttons, not typed commands.</summary>
    public static bool IsWeb(string channel) => channel == ChannelName;

    public string Name => ChannelName;

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        Task.FromResult<SendResult>(new SendResult.Sent($"web-{message.OutboxId}"));
}
