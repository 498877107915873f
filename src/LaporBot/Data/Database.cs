using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LaporBot.Data;

/// <summary>The few SQL differences between the databases LaporBot runs on, kept out of callers.</summary>
/// <param name="SkipLockedSuffix">
/// Appended to a claiming SELECT: on PostgreSQL rows another instance is claiming right now are
/// skipped instead of waited for; on SQLite (one writer at a time) there is nothing to add.
/// </param>
internal sealed record SqlDialect(string Name, string MigrationsFolder, string SkipLockedSuffix)
{
    public static readonly SqlDialect Sqlite = new("sqlite", "sqlite", "");
    public static readonly SqlDialect Postgres = new("postgres", "postgres", " FOR UPDATE SKIP LOCKED");

    /// <summary>
    /// Whether a claim can lock its candidate row and skip rows locked by others (PostgreSQL), so
    /// finding and claiming queued work is one statement; SQLite has one writer and no row locks.
    /// </summary>
    public bool LocksRows => SkipLockedSuffix.Length > 0;

    /// <summary>
    /// "<paramref name="column"/> is one of the list parameter <paramref name="parameter"/>" (a non-empty
    /// list). Dapper expands <c>IN @list</c> on SQLite; Npgsql takes the list as one array parameter.
    /// </summary>
    public string InList(string column, string parameter) =>
        this == Postgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>The dialect of an open connection, for helpers that are handed a connection rather than the database.</summary>
    public static SqlDialect Of(DbConnection connection) => connection is NpgsqlConnection ? Postgres : Sqlite;
}

/// <summary>Opens connections and units of work; one implementation per database engine.</summary>
internal interface IDatabase
{
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a write transaction. Units of work queue one after another, as on SQLite, so the
    /// read-check-write steps inside them (a status check, then the update) never interleave:
    /// on SQLite through BEGIN IMMEDIATE, on PostgreSQL through a transaction-scoped advisory lock
    /// that every instance sharing the database takes.
    /// </summary>
    Task<DbSession> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> while holding a database-wide lock named by <paramref name="key"/>
    /// (PostgreSQL: a session advisory lock, so several instances starting at once wait for each other;
    /// SQLite: nothing to take, BEGIN IMMEDIATE already serializes writers on the one file).
    /// </summary>
    Task<T> WithExclusiveLockAsync<T>(long key, Func<Task<T>> work, CancellationToken cancellationToken = default);
}

/// <summary>One connection and one transaction: a unit of work.</summary>
internal sealed class DbSession(DbConnection connection, DbTransaction transaction, SqlDialect dialect) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public SqlDialect Dialect { get; } = dialect;

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

internal sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(string connectionString, IOptions<DatabaseOptions> options)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.Value.BusyTimeoutMs / 1000),
        };
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
        }
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        var sync = options.Value.SqliteSynchronous.ToUpperInvariant();
        _pragmas = $"PRAGMA busy_timeout = {options.Value.BusyTimeoutMs}; PRAGMA synchronous = {sync};";
    }

    public string DataSource { get; }

    /// <summary>A relative Data Source is taken from the app's content root, not from wherever the process was started.</summary>
    public static string ResolveRelativePath(string connectionString, string contentRoot)
    {
        var b = new SqliteConnectionStringBuilder(connectionString);
        if (b.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(b.DataSource) && b.DataSource != ":memory:" && !Path.IsPathRooted(b.DataSource))
        {
            b.DataSource = Path.GetFullPath(Path.Combine(contentRoot, b.DataSource));
        }
        return b.ToString();
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // busy_timeout and synchronous are per connection; journal_mode=WAL is set once by the migrator
        // and persists in the file.
        using var cmd = connection.CreateCommand();
        cmd.CommandText = _pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async Task<DbSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            // Microsoft.Data.Sqlite issues BEGIN IMMEDIATE unless asked for a deferred transaction.
            var tx = (DbTransaction)((SqliteConnection)connection).BeginTransaction(deferred: false);
            return new DbSession(connection, tx, Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<T> WithExclusiveLockAsync<T>(long key, Func<Task<T>> work, CancellationToken cancellationToken = default) => work();
}

/// <summary>
/// PostgreSQL through Npgsql (<c>Database:Provider=Postgres</c>). Several LaporBot instances may share
/// one database: units of work are serialized by a transaction-scoped advisory lock (the same
/// guarantee SQLite's single writer gives), claims of queued work skip rows another instance holds.
/// </summary>
internal sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    /// <summary>The advisory lock key every write unit of work takes ("LaporBot" in ASCII, truncated).</summary>
    internal const long WriteLockKey = 0x4C61706F72426F;

    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "LaporBot";
        }
        ConnectionString = builder.ConnectionString;
        _source = NpgsqlDataSource.Create(builder);
    }

    public string ConnectionString { get; }

    public SqlDialect Dialect => SqlDialect.Postgres;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _source.OpenConnectionAsync(cancellationToken);

    public async Task<DbSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken);
        try
        {
            var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
            await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, tx))
            {
                cmd.Parameters.AddWithValue("k", WriteLockKey);
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }
            return new DbSession(connection, tx, Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<T> WithExclusiveLockAsync<T>(long key, Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", connection))
        {
            take.Parameters.AddWithValue("k", key);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            return await work();
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection);
            release.Parameters.AddWithValue("k", key);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
