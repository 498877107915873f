using System.Data.Common;
using System.Threading.Channels;

namespace LaporBot.Data;

/// <summary>What one unit of work sees inside a group commit: the batch's session, and a way to undo only its own writes.</summary>
internal sealed class WriteScope(DbSession session)
{
    /// <summary>The batch's connection and transaction. Never commit it: the batch commits once for everyone.</summary>
    public DbSession Session { get; } = session;

    internal bool Discarded { get; private set; }

    /// <summary>Rolls back this unit's writes (e.g. a duplicate message) while the rest of the batch commits; the unit still succeeds.</summary>
    public void Discard() => Discarded = true;
}

/// <summary>The write queue stopped (the app is shutting down): the work was not done. A storage failure, answered 503.</summary>
internal sealed class WriteQueueStoppedException() : DbException("The write queue has stopped; the work was not stored.");

/// <summary>
/// Group commit: concurrent units of write work (webhook turns, outbox claims and marks) share
/// transactions. One writer drains the queue; each batch is one transaction (BEGIN IMMEDIATE on
/// SQLite, the write lock on PostgreSQL) in which every unit runs inside its own SAVEPOINT, so a
/// unit that fails rolls back only itself and gets its own error. The batch commits once, and
/// only then does every unit's caller continue: a completed unit is durable at the configured
/// durability (one fsync per batch instead of one per unit under synchronous=FULL). When the
/// commit fails, every unit of the batch gets that error and nothing of it is stored.
/// Batches form by themselves: while one commits, the next unit's callers queue up behind it, so
/// a lone request waits for no one and a burst shares its commits.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    /// <summary>Most units in one transaction: bounds how long a batch holds the write lock and how much one failed commit affects.</summary>
    internal const int MaxBatch = 256;

    private const string Savepoint = "unit";

    private readonly IDatabase _db;
    private readonly ILogger<GroupCommit> _logger;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public GroupCommit(IDatabase db, ILogger<GroupCommit> logger)
    {
        _db = db;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Batches committed and units run so far (for the bench and the logs).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    public long Units => Interlocked.Read(ref _units);

    private long _batches;
    private long _units;

    /// <summary>
    /// Runs <paramref name="work"/> in the next batch and returns its result once the batch has
    /// committed. Exceptions thrown by the work come back to this caller only (its writes are rolled
    /// back); a failure to begin or commit the batch comes back to every unit in it. Cancelling
    /// before the unit starts skips it; once it has started it runs to the end of the batch.
    /// </summary>
    public Task<T> RunAsync<T>(Func<WriteScope, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var unit = new Unit<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(unit))
        {
            return Task.FromException<T>(new WriteQueueStoppedException());
        }
        return unit.Task;
    }

    public Task RunAsync(Func<WriteScope, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync<bool>(async scope =>
        {
            await work(scope);
            return true;
        }, cancellationToken);

    private async Task WriteLoopAsync()
    {
        var batch = new List<Unit>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var unit))
            {
                if (unit.CancellationToken.IsCancellationRequested)
                {
                    unit.Cancel(); // the caller gave up before it began: nothing to do
                    continue;
                }
                batch.Add(unit);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                await RunBatchAsync(batch);
            }
            catch (Exception e)
            {
                // Never lose the writer: whatever escaped fails this batch's units that are still waiting.
                _logger.LogError(e, "Group commit: a batch failed unexpectedly");
                foreach (var unit in batch)
                {
                    unit.Fail(e);
                }
            }
        }
    }

    private async Task RunBatchAsync(List<Unit> batch)
    {
        DbSession session;
        try
        {
            session = await _db.BeginAsync();
        }
        catch (Exception e)
        {
            foreach (var unit in batch)
            {
                unit.Fail(e);
            }
            return;
        }
        var done = new List<Unit>(batch.Count);
        await using (session)
        {
            var tx = session.Transaction;
            for (var i = 0; i < batch.Count; i++)
            {
                var unit = batch[i];
                var scope = new WriteScope(session);
                await tx.SaveAsync(Savepoint);
                try
                {
                    await unit.RunAsync(scope);
                    if (scope.Discarded)
                    {
                        await tx.RollbackAsync(Savepoint);
                    }
                    await tx.ReleaseAsync(Savepoint);
                    done.Add(unit);
                }
                catch (Exception e)
                {
                    if (!await TryRollBackUnitAsync(tx))
                    {
                        // The database ended the whole transaction (I/O error, disk full): nothing of the
                        // batch is stored. This unit gets its own error, the others the same one.
                        unit.Fail(e);
                        foreach (var other in done.Concat(batch.Skip(i + 1)))
                        {
                            other.Fail(e);
                        }
                        return;
                    }
                    unit.Fail(e);
                }
            }
            try
            {
                await session.CommitAsync();
            }
            catch (Exception e)
            {
                foreach (var unit in done)
                {
                    unit.Fail(e);
                }
                return;
            }
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _units, done.Count);
        foreach (var unit in done)
        {
            unit.Complete();
        }
    }

    private static async Task<bool> TryRollBackUnitAsync(DbTransaction tx)
    {
        try
        {
            await tx.RollbackAsync(Savepoint);
            await tx.ReleaseAsync(Savepoint);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Stops taking work, finishes what is queued, and waits for the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private abstract class Unit(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract Task RunAsync(WriteScope scope);

        public abstract void Complete();

        public abstract void Fail(Exception e);

        public abstract void Cancel();
    }

    private sealed class Unit<T>(Func<WriteScope, Task<T>> work, CancellationToken cancellationToken) : Unit(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override async Task RunAsync(WriteScope scope) => _result = await work(scope);

        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception e) => _done.TrySetException(e);

        public override void Cancel() => _done.TrySetCanceled(CancellationToken);
    }
}
