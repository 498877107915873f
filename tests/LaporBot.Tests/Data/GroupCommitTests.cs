using System.Data.Common;
using Dapper;
using LaporBot.Data;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Data;

/// <summary>
/// Group commit's promises, against a real database: units queued while a batch runs share the next
/// transaction; a unit that fails rolls back only itself and gets its own error; a discarded unit
/// leaves nothing; a failed commit fails every unit of its batch and stores nothing; a unit's
/// caller continues only when its writes are committed. Batches are formed deterministically by
/// holding the first unit open while the others queue behind it.
/// </summary>
public abstract class GroupCommitSuite : IAsyncLifetime
{
    private GroupCommit _writes = null!;

    internal IDatabase Database { get; private set; } = null!;

    internal abstract Task<IDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        Database = await CreateDatabaseAsync();
        await using var c = await Database.OpenAsync();
        await c.ExecuteAsync(
            """
            CREATE TABLE gc_probe (unit INTEGER NOT NULL PRIMARY KEY);
            CREATE TABLE gc_child (parent INTEGER NOT NULL REFERENCES gc_probe (unit) DEFERRABLE INITIALLY DEFERRED);
            """);
        // The writer keeps its connection while these tests run, however slow the machine.
        _writes = new GroupCommit(Database, NullLogger<GroupCommit>.Instance, idleClose: TimeSpan.FromHours(1));
    }

    public virtual async Task DisposeAsync() => await _writes.DisposeAsync();

    private static Task InsertAsync(WriteScope w, int unit) =>
        w.Session.Connection.ExecuteAsync("INSERT INTO gc_probe (unit) VALUES (@unit)", new { unit }, w.Session.Transaction);

    private async Task<List<int>> StoredAsync()
    {
        await using var c = await Database.OpenAsync();
        return (await c.QueryAsync<int>("SELECT unit FROM gc_probe ORDER BY unit")).AsList();
    }

    /// <summary>
    /// Starts a unit that holds the writer until <paramref name="release"/> completes, and returns once it
    /// runs: every unit queued after that goes into the next batch together.
    /// </summary>
    private async Task<Task> HoldWriterAsync(Task release, int unit = 0)
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = _writes.RunAsync(async w =>
        {
            await InsertAsync(w, unit);
            running.SetResult();
            await release;
        });
        await running.Task;
        return held;
    }

    [SkippableFact]
    public async Task Units_queued_while_a_batch_runs_share_the_next_transaction_and_all_complete()
    {
        var release = new TaskCompletionSource();
        var held = await HoldWriterAsync(release.Task);
        var queued = Enumerable.Range(1, 40).Select(i => _writes.RunAsync(w => InsertAsync(w, i))).ToList();

        release.SetResult();
        await held;
        await Task.WhenAll(queued);

        Assert.Equal(Enumerable.Range(0, 41), await StoredAsync());
        Assert.Equal(2, _writes.Batches); // the held unit's batch, then one for all 40
        Assert.Equal(41, _writes.Units);
    }

    [SkippableFact]
    public async Task A_failing_unit_rolls_back_only_itself_and_gets_its_own_error()
    {
        var release = new TaskCompletionSource();
        var held = await HoldWriterAsync(release.Task);
        var before = _writes.RunAsync(w => InsertAsync(w, 1));
        var bug = _writes.RunAsync(async w =>
        {
            await InsertAsync(w, 2);
            throw new InvalidOperationException("a bug in this turn");
        });
        var duplicateKey = _writes.RunAsync(async w =>
        {
            await InsertAsync(w, 3);
            await InsertAsync(w, 1); // the primary key refuses it: a database error inside the unit
        });
        var after = _writes.RunAsync(w => InsertAsync(w, 4));

        release.SetResult();
        await Task.WhenAll(held, before, after);
        Assert.Equal("a bug in this turn", (await Assert.ThrowsAsync<InvalidOperationException>(() => bug)).Message);
        await Assert.ThrowsAnyAsync<DbException>(() => duplicateKey);
        Assert.Equal([0, 1, 4], await StoredAsync()); // 2 and 3 were rolled back with their units
    }

    [SkippableFact]
    public async Task A_discarded_unit_leaves_nothing_and_still_returns_its_result()
    {
        var release = new TaskCompletionSource();
        var held = await HoldWriterAsync(release.Task);
        var discarded = _writes.RunAsync(async w =>
        {
            await InsertAsync(w, 1);
            w.Discard();
            return "duplicate";
        });
        var kept = _writes.RunAsync(w => InsertAsync(w, 2));

        release.SetResult();
        await Task.WhenAll(held, kept);
        Assert.Equal("duplicate", await discarded);
        Assert.Equal([0, 2], await StoredAsync());
    }

    [SkippableFact]
    public async Task When_the_commit_fails_every_unit_of_the_batch_fails_and_nothing_of_it_is_stored()
    {
        var release = new TaskCompletionSource();
        var held = await HoldWriterAsync(release.Task);
        var good = _writes.RunAsync(w => InsertAsync(w, 1));
        // A deferred foreign key is checked only at COMMIT: the whole batch's commit is refused.
        var poison = _writes.RunAsync(w => w.Session.Connection.ExecuteAsync("INSERT INTO gc_child (parent) VALUES (999)", null, w.Session.Transaction));

        release.SetResult();
        await held;
        await Assert.ThrowsAnyAsync<DbException>(() => good);
        await Assert.ThrowsAnyAsync<DbException>(() => poison);
        Assert.Equal([0], await StoredAsync());

        // The writer goes on with the next batch.
        await _writes.RunAsync(w => InsertAsync(w, 5));
        Assert.Equal([0, 5], await StoredAsync());
    }

    [SkippableFact]
    public async Task A_caller_continues_only_once_its_writes_are_committed()
    {
        var seen = await Task.WhenAll(Enumerable.Range(1, 30).Select(async i =>
        {
            await _writes.RunAsync(w => InsertAsync(w, i));
            // Another connection sees the row the moment the caller continues.
            await using var c = await Database.OpenAsync();
            return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gc_probe WHERE unit = @i", new { i });
        }));

        Assert.All(seen, n => Assert.Equal(1, n));
    }

    [SkippableFact]
    public async Task The_writer_keeps_one_connection_and_its_compiled_statements_across_batches_and_replaces_it_after_a_failed_commit()
    {
        var connections = new List<DbConnection>();
        for (var i = 1; i <= 5; i++)
        {
            var unit = i;
            // One after another: five batches, the same statement text with new values each time.
            await _writes.RunAsync(async w =>
            {
                connections.Add(w.Session.Connection);
                await InsertAsync(w, unit);
                return await w.Session.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gc_probe WHERE unit <= @unit", new { unit }, w.Session.Transaction);
            });
        }
        Assert.Single(connections.Distinct());
        Assert.Equal([1, 2, 3, 4, 5], await StoredAsync()); // each batch bound its own values to the reused statements
        if (connections[0] is StatementCachingConnection cached)
        {
            // SAVEPOINT, the insert, the count and RELEASE: compiled in the first batch only.
            Assert.Equal(4, cached.Compiled);
        }

        // A refused commit drops the connection (its state is unknown); the next batch opens a fresh one.
        await Assert.ThrowsAnyAsync<DbException>(() =>
            _writes.RunAsync(w => w.Session.Connection.ExecuteAsync("INSERT INTO gc_child (parent) VALUES (999)", null, w.Session.Transaction)));
        DbConnection? after = null;
        await _writes.RunAsync(w =>
        {
            after = w.Session.Connection;
            return InsertAsync(w, 6);
        });
        Assert.NotSame(connections[0], after);
        Assert.Equal([1, 2, 3, 4, 5, 6], await StoredAsync());
    }

    [SkippableFact]
    public async Task An_idle_writer_closes_its_connection_and_the_next_batch_opens_one()
    {
        await using var writes = new GroupCommit(Database, NullLogger<GroupCommit>.Instance, idleClose: TimeSpan.FromMilliseconds(50));
        await writes.RunAsync(w => InsertAsync(w, 1));
        Assert.Equal(1, writes.ConnectionsOpened);

        // No handle on the file is left open by an idle writer (a fault such as a read-only file shows at the next write).
        await Db.EventuallyAsync(() => Task.FromResult(!writes.HoldsConnection), "the idle writer has closed its connection");
        await writes.RunAsync(w => InsertAsync(w, 2));
        Assert.Equal(2, writes.ConnectionsOpened);
        Assert.Equal([1, 2], await StoredAsync());
    }

    [SkippableFact]
    public async Task After_the_queue_stops_new_work_is_refused_as_a_storage_failure()
    {
        await _writes.DisposeAsync();

        await Assert.ThrowsAsync<WriteQueueStoppedException>(() => _writes.RunAsync(w => InsertAsync(w, 1)));
    }
}

public sealed class GroupCommitSqliteTests : GroupCommitSuite
{
    private readonly string _dir = TestPaths.NewTempDir();

    internal override Task<IDatabase> CreateDatabaseAsync() =>
        Task.FromResult<IDatabase>(new SqliteDatabase($"Data Source={Path.Combine(_dir, "gc.db")}", Options.Create(new DatabaseOptions())));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}

/// <summary>The same promises on PostgreSQL (the write lock is the advisory lock; statements are auto-prepared).</summary>
public sealed class GroupCommitPostgresTests : GroupCommitSuite
{
    private TestDatabase? _test;

    internal override async Task<IDatabase> CreateDatabaseAsync()
    {
        _test = await TestDatabase.CreateAsync(Backend.Postgres);
        return new PostgresDatabase(_test.Target);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }
        if (_test is not null)
        {
            await _test.DisposeAsync();
        }
    }
}
