using LaporBot.Channels;
using Microsoft.Extensions.Options;

namespace LaporBot.Outbox;

/// <summary>A channel whose provider limits how fast we may send.</summary>
internal interface IRateLimitedChannel
{
    /// <summary>Messages per second across all chats (Telegram ≈30, Twilio/Meta per configuration).</summary>
    double MessagesPerSecond { get; }

    /// <summary>Minimum gap between two messages to one chat (Telegram ≈1 s; zero for none).</summary>
    TimeSpan PerChatInterval { get; }
}

/// <summary>
/// Spaces sends so providers do not throttle us: a global slot per channel and a slot per chat.
/// Uses the real clock on purpose — it paces real network calls, not business deadlines.
/// With several instances each takes its share of the provider's rate (Outbox:Instances), so the
/// provider sees at most its limit from all of them together.
/// </summary>
internal sealed class DeliveryThrottle(IOptions<OutboxOptions> options)
{
    private readonly int _instances = Math.Max(1, options.Value.Instances);
    private readonly Dictionary<string, DateTimeOffset> _nextGlobal = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), DateTimeOffset> _nextChat = [];
    private readonly object _gate = new();
    private readonly TimeProvider _time = TimeProvider.System;

    /// <summary>
    /// After a send finished: the chat's next slot counts from now, so the gap holds between the
    /// provider receiving one message and the next even when the first call was slow.
    /// </summary>
    public void Completed(IChannel channel, string recipient)
    {
        if (channel is not IRateLimitedChannel { PerChatInterval: var gap } || gap <= TimeSpan.Zero)
        {
            return;
        }
        lock (_gate)
        {
            var next = _time.GetUtcNow() + gap;
            if (!_nextChat.TryGetValue((channel.Name, recipient), out var current) || current < next)
            {
                _nextChat[(channel.Name, recipient)] = next;
            }
        }
    }

    public async Task WaitAsync(IChannel channel, string recipient, CancellationToken ct)
    {
        if (channel is not IRateLimitedChannel limits || limits.MessagesPerSecond <= 0)
        {
            return;
        }
        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var at = now;
            if (_nextGlobal.TryGetValue(channel.Name, out var g) && g > at)
            {
                at = g;
            }
            if (_nextChat.TryGetValue((channel.Name, recipient), out var c) && c > at)
            {
                at = c;
            }
            _nextGlobal[channel.Name] = at + TimeSpan.FromSeconds(_instances / limits.MessagesPerSecond);
            if (limits.PerChatInterval > TimeSpan.Zero)
            {
                _nextChat[(channel.Name, recipient)] = at + limits.PerChatInterval;
                if (_nextChat.Count > 10_000)
                {
                    foreach (var stale in _nextChat.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList())
                    {
                        _nextChat.Remove(stale);
                    }
                }
            }
            wait = at - now;
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, ct);
        }
    }
}
