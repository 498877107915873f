namespace LaporBot.Channels.Simulator;

/// <summary>
/// The local chat simulator's "provider": delivery succeeds at once and the page reads delivered
/// messages back from the outbox, so the simulator exercises the same store → outbox → dispatch path.
/// </summary>
internal sealed class SimulatorChannel : IChannel
{
    public const string ChannelName = "simulator";

    public string Name => ChannelName;

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        Task.FromResult<SendResult>(new SendResult.Sent($"sim-{message.OutboxId}"));
}
