using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LaporBot.Data;

/// <summary>The few SQL differences between the databases LaporBot runs on, kept out of callers.</summary>
internal sealed record SqlDialect(string Name, string MigrationsFolder, string SkipLockedSuffix)
{
    public static readonly SqlDialect Sqlite = new("sqlite", "sqlite", "");
}

/// <summary>Opens connections and units of work; one implementation per database engine.</summary>
internal interface IDatabase
{
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a write transaction (on SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking).</summary>
    Task<DbSession> BeginAsync(CancellationToken cancellationToken = default);
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
}
