using System.Data.Common;
using System.Diagnostics;
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

    // The unit's savepoint, run as plain statements so the writer's connection keeps them compiled.
    private const string SaveSql = "SAVEPOINT unit";
    private const string RollbackSql = "ROLLBACK TO SAVEPOINT unit";
    private const string ReleaseSql = "RELEASE SAVEPOINT unit";

    private readonly IDatabase _db;
    private readonly ILogger<GroupCommit> _logger;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="idleClose">How long the writer keeps its connection without work (default <see cref="IdleClose"/>).</param>
    public GroupCommit(IDatabase db, ILogger<GroupCommit> logger, TimeSpan? idleClose = null)
    {
        _db = db;
        _logger = logger;
        _idleClose = idleClose ?? IdleClose;
        _writer = Task.Run(WriteLoopAsync);
    }

    private readonly TimeSpan _idleClose;

    /// <summary>Whether the writer holds its connection open right now, and how many it has opened (for tests).</summary>
    internal bool HoldsConnection => Volatile.Read(ref _connection) is not null;

    internal int ConnectionsOpened => Volatile.Read(ref _opened);

    private int _opened;

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
        while (await WaitForWorkAsync(reader))
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

    // The writer's own connection, open across batches so the statements it has compiled are reused
    // (SQLite: StatementCachingConnection; PostgreSQL: Npgsql's automatic preparation). Only the
    // write loop touches it; after a failed begin, commit or rollback it is closed and opened afresh.
    private DbConnection? _connection;

    private async Task<DbSession> BeginBatchAsync()
    {
        if (_connection is null)
        {
            _connection = await _db.OpenWriterAsync();
            Interlocked.Increment(ref _opened);
        }
        try
        {
            return await _db.BeginOnAsync(_connection);
        }
        catch
        {
            await DropConnectionAsync();
            throw;
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } c)
        {
            _connection = null;
            try
            {
                await c.DisposeAsync();
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Group commit: closing the writer's connection failed");
            }
        }
    }

    private static async Task ExecAsync(DbSession session, string sql)
    {
        await using var cmd = session.Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = session.Transaction;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// How long the writer keeps its connection once the queue is empty: by default not at all. Under
    /// load the next units are already queued when a batch commits, so the connection and its compiled
    /// statements stay; an instance that is not busy holds no write handle on the file between
    /// batches, so a fault such as the file turning read-only is seen by the next write (and by
    /// /readyz) instead of hiding behind a handle opened before it.
    /// </summary>
    internal static readonly TimeSpan IdleClose = TimeSpan.Zero;

    private async ValueTask<bool> WaitForWorkAsync(ChannelReader<Unit> reader)
    {
        var more = reader.WaitToReadAsync();
        if (more.IsCompleted || _connection is null)
        {
            return await more;
        }
        if (_idleClose <= TimeSpan.Zero)
        {
            await DropConnectionAsync();
            return await more;
        }
        var waiting = more.AsTask();
        if (await Task.WhenAny(waiting, Task.Delay(_idleClose)) != waiting)
        {
            await DropConnectionAsync();
        }
        return await waiting;
    }

    private async Task RunBatchAsync(List<Unit> batch)
    {
        var started = Stopwatch.GetTimestamp();
        DbSession session;
        try
        {
            session = await BeginBatchAsync();
        }
        catch (Exception e)
        {
            foreach (var unit in batch)
            {
                unit.Fail(e);
            }
            return;
        }
        var begun = Stopwatch.GetTimestamp();
        var done = new List<Unit>(batch.Count);
        long worked;
        var ok = false; // anything but a commit (a failed unit's rollback, the commit, something unexpected) gets a fresh connection
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var unit = batch[i];
                var scope = new WriteScope(session);
                await ExecAsync(session, SaveSql);
                try
                {
                    await unit.RunAsync(scope);
                    if (scope.Discarded)
                    {
                        await ExecAsync(session, RollbackSql);
                    }
                    await ExecAsync(session, ReleaseSql);
                    done.Add(unit);
                }
                catch (Exception e)
                {
                    if (!await TryRollBackUnitAsync(session))
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
            worked = Stopwatch.GetTimestamp();
            try
            {
                await session.CommitAsync();
                ok = true;
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
        finally
        {
            await DisposeQuietlyAsync(session);
            if (!ok)
            {
                await DropConnectionAsync();
            }
        }
        var committed = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _units, done.Count);
        Interlocked.Add(ref _beginTicks, begun - started);
        Interlocked.Add(ref _workTicks, worked - begun);
        Interlocked.Add(ref _commitTicks, committed - worked);
        foreach (var unit in done)
        {
            unit.Complete();
        }
    }

    private static async Task DisposeQuietlyAsync(DbSession session)
    {
        try
        {
            await session.DisposeAsync();
        }
        catch (Exception)
        {
            // the connection is dropped next anyway
        }
    }

    private static async Task<bool> TryRollBackUnitAsync(DbSession session)
    {
        try
        {
            await ExecAsync(session, RollbackSql);
            await ExecAsync(session, ReleaseSql);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Seconds the writer spent beginning batches (waiting for the write lock), running units, and committing (the fsync), since start.</summary>
    public (double Begin, double Work, double Commit) Seconds =>
        (Interlocked.Read(ref _beginTicks) / (double)Stopwatch.Frequency,
         Interlocked.Read(ref _workTicks) / (double)Stopwatch.Frequency,
         Interlocked.Read(ref _commitTicks) / (double)Stopwatch.Frequency);

    private long _beginTicks;
    private long _workTicks;
    private long _commitTicks;

    /// <summary>Stops taking work, finishes what is queued, and waits for the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        await DropConnectionAsync();
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
