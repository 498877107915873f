using System.ComponentModel.DataAnnotations;

namespace LaporBot.Data;

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (default, embedded) or Postgres.</summary>
    public string Provider { get; set; } = "Sqlite";

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
