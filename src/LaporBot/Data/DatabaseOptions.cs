using System.ComponentModel.DataAnnotations;

namespace LaporBot.Data;

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>Sqlite (default, embedded) or Postgres (several instances may share one database).</summary>
    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => Provider.Equals(Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>The provider and connection string configured, resolved the one way every part of the app uses.</summary>
    public static (bool Postgres, string ConnectionString) Resolve(IConfiguration config, string contentRoot)
    {
        var o = config.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var cs = config.GetConnectionString(Hosting.ServiceRegistration.ConnectionStringName);
        if (o.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(cs))
            {
                throw new InvalidOperationException(
                    "Database:Provider is Postgres but ConnectionStrings:LaporBot is empty; set it to an Npgsql connection string, e.g. Host=db;Database=laporbot;Username=laporbot;Password=…");
            }
            return (true, cs);
        }
        return (false, SqliteDatabase.ResolveRelativePath(string.IsNullOrWhiteSpace(cs) ? Hosting.ServiceRegistration.DefaultConnectionString : cs, contentRoot));
    }

    /// <summary>
    /// SQLite durability. FULL (default) syncs the WAL on every commit: an acknowledged message
    /// survives a power cut. NORMAL syncs only at checkpoints: faster, never corrupts, but the
    /// last commits before a power cut (not an app crash) can be lost.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "Full";

    /// <summary>How long a writer waits for SQLite's lock before giving up, in milliseconds.</summary>
    [Range(100, 600_000)]
    public int BusyTimeoutMs { get; set; } = 5000;
}
