namespace LaporBot.Channels.Simulator;

/// <summary>
/// The local chat simulator's "provider": delivery succeeds at once and the page reads delivered
/// messages back from the outbox, so the simulator exercises the same store → outbox → dispatch path.
/// The provider's message id is the outbox id: a staff member replying to a notification in the
/// simulator names it the way Telegram's reply_to_message does.
/// </summary>
internal sealed class SimulatorChannel : IChannel
{
    public const string ChannelName = "simulator";

    public string Name => ChannelName;

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        Task.FromResult<SendResult>(new SendResult.Sent(message.OutboxId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
