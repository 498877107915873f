namespace LaporBot.Outbox;

/// <summary>
/// Wakes every delivery lane right after a commit that added outgoing messages (no slow polling).
/// A broadcast: each lane takes <see cref="Next"/> before it looks for work, so a notification that
/// arrives while it is looking is not lost.
/// </summary>
internal sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>
    /// Waits for <paramref name="next"/> (taken from <see cref="Next"/> earlier) or the timeout, whichever
    /// comes first. Real time on purpose: it paces real work, and a test's frozen clock must not stall it.
    /// </summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // due work or the sweep: look again
        }
    }
}
