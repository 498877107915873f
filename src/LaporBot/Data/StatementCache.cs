using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace LaporBot.Data;

/// <summary>
/// The group-commit writer's SQLite connection, which keeps every statement it has compiled.
/// Microsoft.Data.Sqlite compiles a command's SQL once per command object, and Dapper makes a new
/// command for every call, so each of a turn's ten or so statements was parsed and planned again on
/// the single writer (a third of its time in the profile). Commands made here look like ordinary
/// ones to Dapper; when one runs, it borrows the compiled command for the same SQL text from this
/// connection (compiling it the first time), binds the parameters and gives it back when disposed.
/// Only the writer uses it, one unit after another; the cache is bounded for SQL built at run time
/// (an expanded IN list).
/// </summary>
internal sealed class StatementCachingConnection(SqliteConnection inner) : DbConnection
{
    /// <summary>Distinct SQL texts kept compiled; beyond this, commands are compiled for one use as before.</summary>
    internal const int MaxStatements = 512;

    private readonly Dictionary<string, Stack<SqliteCommand>> _compiled = new(StringComparer.Ordinal);

    public SqliteConnection Inner { get; } = inner;

    /// <summary>Statements compiled so far (for tests: a repeated statement is not compiled again).</summary>
    public int Compiled { get; private set; }

    [AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => Inner.ConnectionString = value;
    }

    public override string Database => Inner.Database;

    public override string DataSource => Inner.DataSource;

    public override string ServerVersion => Inner.ServerVersion;

    public override ConnectionState State => Inner.State;

    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);

    public override void Open() => Inner.Open();

    public override void Close() => Inner.Close();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new CachedCommand(this);

    internal SqliteCommand Borrow(string sql)
    {
        if (_compiled.TryGetValue(sql, out var free) && free.TryPop(out var command))
        {
            return command;
        }
        command = Inner.CreateCommand();
        command.CommandText = sql;
        Compiled++;
        return command;
    }

    internal void GiveBack(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (!_compiled.TryGetValue(command.CommandText, out var free))
        {
            if (_compiled.Count >= MaxStatements)
            {
                command.Dispose();
                return;
            }
            _compiled[command.CommandText] = free = new Stack<SqliteCommand>(1);
        }
        free.Push(command);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _compiled.Values.SelectMany(c => c))
            {
                command.Dispose();
            }
            _compiled.Clear();
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>What Dapper creates, fills and runs: the parameters are bound to the borrowed compiled command.</summary>
    private sealed class CachedCommand(StatementCachingConnection owner) : DbCommand
    {
        private readonly SqliteCommand _parameters = new();
        private SqliteCommand? _borrowed;

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set
            {
                if (value is not null && !ReferenceEquals(value, owner))
                {
                    throw new InvalidOperationException("a command of the writer's connection cannot move to another connection");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel() => _borrowed?.Cancel();

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        private SqliteCommand Bind()
        {
            if (_borrowed is not null && _borrowed.CommandText != CommandText)
            {
                owner.GiveBack(_borrowed);
                _borrowed = null;
            }
            _borrowed ??= owner.Borrow(CommandText);
            _borrowed.Parameters.Clear();
            foreach (SqliteParameter p in _parameters.Parameters)
            {
                _borrowed.Parameters.Add(p);
            }
            _borrowed.Transaction = (SqliteTransaction?)DbTransaction;
            _borrowed.CommandTimeout = CommandTimeout;
            return _borrowed;
        }

        public override int ExecuteNonQuery() => Bind().ExecuteNonQuery();

        public override object? ExecuteScalar() => Bind().ExecuteScalar();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Bind().ExecuteReader(behavior);

        protected override void Dispose(bool disposing)
        {
            if (disposing && _borrowed is not null)
            {
                owner.GiveBack(_borrowed);
                _borrowed = null;
            }
            base.Dispose(disposing);
        }
    }
}
