using Microsoft.Data.Sqlite;

namespace LaporBot.Data;

/// <summary>
/// <c>backup &lt;file&gt;</c>: a consistent copy of the SQLite database through SQLite's online backup
/// API, safe while the service runs (it reads a snapshot; writers carry on). Restore = stop the
/// service, put the copy in place of the database file, start it. PostgreSQL is backed up with
/// pg_dump instead (docs/deploy.md).
/// </summary>
internal static class Backup
{
    public static async Task<int> RunAsync(IDatabase database, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1 || string.IsNullOrWhiteSpace(args[0]))
        {
            await error.WriteLineAsync("Usage: backup <file>   e.g. backup /var/backups/laporbot/laporbot-2026-11-24.db");
            return 2;
        }
        if (database is not SqliteDatabase)
        {
            await error.WriteLineAsync("The database is PostgreSQL: back it up with pg_dump (see docs/deploy.md, \"Backups (PostgreSQL)\").");
            return 2;
        }
        var target = Path.GetFullPath(args[0]);
        if (File.Exists(target))
        {
            await error.WriteLineAsync($"{target} exists already; choose a new file name (a backup never overwrites).");
            return 2;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var source = (SqliteConnection)await database.OpenAsync())
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            await copy.OpenAsync();
            source.BackupDatabase(copy);
            await using var check = copy.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var result = (string?)await check.ExecuteScalarAsync();
            if (result != "ok")
            {
                await error.WriteLineAsync($"The copy failed its integrity check: {result}");
                return 1;
            }
        }
        await output.WriteLineAsync($"Backup written to {target} ({new FileInfo(target).Length:N0} bytes, integrity ok).");
        return 0;
    }
}
