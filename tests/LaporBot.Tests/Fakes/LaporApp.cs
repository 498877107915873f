using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using LaporBot.Outbox;
using Quartz;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// The real app on a fresh SQLite file per instance (WebApplicationFactory), or on the database
/// target given (a SQLite file or a PostgreSQL connection string, see <see cref="TestDatabase"/>).
/// Several instances may share one target to simulate a restart, or several instances.
/// </summary>
internal sealed class LaporApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="clock">
    /// Replaces the app's TimeProvider. Quartz resolves the same registration, so with the scheduler
    /// on (the default) it runs on this clock too, and a frozen clock never reaches the real-time
    /// "now" that triggers such as the routing job's are made for: pair it with Scheduler:Enabled=false
    /// and drive the jobs' work directly.
    /// </param>
    public LaporApp(string? databasePath = null, string environment = "Development",
        IDictionary<string, string?>? settings = null, TimeProvider? clock = null, Action<IServiceCollection>? services = null)
    {
        // A PostgreSQL target (a connection string) has no folder of its own: the app's files go to a fresh one.
        Dir = databasePath is null || TestDatabase.IsPostgres(databasePath) ? TestPaths.NewTempDir() : Path.GetDirectoryName(databasePath)!;
        DatabasePath = databasePath ?? Path.Combine(Dir, "laporbot.db");
        _environment = environment;
        Clock = clock;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Outbox:SweepInterval"] = "00:00:00.200",
            ["Attachments:Directory"] = Path.Combine(Dir, "attachments"),
            ["Logging:Console:FormatterName"] = "simple",
            // Tests bring their own directory; the Development demo one is tested on its own.
            ["Demo:Enabled"] = "false",
        };
        foreach (var (k, v) in TestDatabase.AppSettings(DatabasePath))
        {
            _settings[k] = v;
        }
        if (environment != "Development")
        {
            // Outside Development the app refuses to start without a status page account or a
            // bootstrap password; tests about other things should not have to know that.
            _settings["Staff:BootstrapPassword"] = BootstrapPassword;
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public const string BootstrapPassword = "laporapp-bootstrap-pw";

    public string Dir { get; }
    public string DatabasePath { get; }
    public TimeProvider? Clock { get; }
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }
        builder.ConfigureLogging(l => l.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(Clock);
            }
            _services?.Invoke(services);
        });
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Starts the host and waits until it is running, not merely listening: start-up goes on after
    /// <c>CreateClient</c> returns (the scheduler starts once the host has started, the dispatcher
    /// releases the previous process's claims before its lanes run). A test that then waits for
    /// the app's work counts from the moment the work can happen, not from the restart; on a loaded
    /// machine start-up alone can take longer than a test's wait for a message.
    /// </summary>
    public async Task<HttpClient> StartAsync()
    {
        var http = CreateClient();
        var lifetime = Services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task;
        }
        if (Services.GetServices<IHostedService>().OfType<OutboxDispatcher>().Any())
        {
            await Services.GetRequiredService<OutboxDispatcher>().Running;
        }
        if (Services.GetService<ISchedulerFactory>() is { } factory)
        {
            // Quartz's hosted service starts the scheduler once the host has started. The limit only
            // stops a start-up that hangs; it is not a latency expectation.
            var scheduler = await factory.GetScheduler();
            await Db.EventuallyAsync(() => Task.FromResult(scheduler.Status != SchedulerStatus.Created), "the scheduler has started", StartupHangGuardMs);
        }
        return http;
    }

    /// <summary>Start-up that has not finished after this long is hung (the same limit as a child process's readiness).</summary>
    public const int StartupHangGuardMs = 120_000;

    /// <summary>
    /// The exception that stops start-up with these settings. Under load WebApplicationFactory
    /// sometimes reports an ObjectDisposedException instead: its deferred host asks the failed,
    /// already disposed host for IHostApplicationLifetime. That one says nothing about the
    /// settings, so it is retried with a fresh factory.
    /// </summary>
    public static async Task<Exception> StartupFailureAsync(IDictionary<string, string?> settings, string environment = "Development")
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = new LaporApp(environment: environment, settings: settings);
            try
            {
                var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());
                if (e is not ObjectDisposedException || attempt == 5)
                {
                    return e;
                }
            }
            finally
            {
                await app.DisposeAsync();
                SqliteConnection.ClearAllPools();
                Directory.Delete(app.Dir, true);
            }
        }
    }
}
