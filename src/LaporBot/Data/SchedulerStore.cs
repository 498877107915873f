using Microsoft.Data.Sqlite;
using Quartz;

namespace LaporBot.Data;

/// <summary>
/// Where Quartz keeps its jobs and triggers: the application's own database, with the tables our
/// migrations create (Quartz never provisions itself). On SQLite one instance owns the file. On
/// PostgreSQL the ADO.NET job store runs clustered: every instance schedules into the same tables,
/// each trigger fires on exactly one of them (row locks on QRTZ_LOCKS), and the jobs of an instance
/// that stops checking in are recovered by another (jobs are registered with RequestsRecovery).
/// </summary>
internal static class SchedulerStore
{
    /// <summary>How often each instance records that it is alive (Scheduler:ClusterCheckinInterval).</summary>
    public static readonly TimeSpan DefaultCheckinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How late a check-in may be before the others take over its jobs (Scheduler:ClusterCheckinMisfireThreshold).
    /// It must cover the worst clock skew between servers plus a pause (GC, slow disk): keep the
    /// servers on NTP; a skew beyond this makes a live instance look dead and its running job run twice.
    /// </summary>
    public static readonly TimeSpan DefaultCheckinMisfireThreshold = TimeSpan.FromSeconds(20);

    public static void UseLaporDatabase(this IPersistentStoreBuilder store, IConfiguration config, string contentRoot)
    {
        var (postgres, cs) = DatabaseOptions.Resolve(config, contentRoot);
        if (postgres)
        {
            store.UsePostgres(cs);
            var section = config.GetSection("Scheduler");
            store.UseClustering(c =>
            {
                c.CheckinInterval = section.GetValue("ClusterCheckinInterval", DefaultCheckinInterval);
                c.CheckinMisfireThreshold = section.GetValue("ClusterCheckinMisfireThreshold", DefaultCheckinMisfireThreshold);
            });
        }
        else
        {
            // Quartz opens its own connections to the same file: give them the same patience with the write lock.
            store.UseSqlite(SqliteFactory.Instance, new SqliteConnectionStringBuilder(cs) { DefaultTimeout = 30, ForeignKeys = true }.ToString());
        }
    }
}
