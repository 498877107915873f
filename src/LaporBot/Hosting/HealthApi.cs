using System.Diagnostics;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;
using Quartz;

namespace LaporBot.Hosting;

/// <summary>One named condition the instance needs to do its work. Adding a check is adding one class: every implementation in this assembly is registered.</summary>
internal interface IReadinessCheck
{
    /// <summary>Short, stable name shown in the /readyz answer ("database-write", "migrations", …).</summary>
    string Name { get; }

    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Whether a check passed, and a short reason a person can read (no secrets, no stack traces).</summary>
internal sealed record ReadinessResult(bool Ready, string Detail)
{
    public static ReadinessResult Ok(string detail) => new(true, detail);
    public static ReadinessResult Fail(string detail) => new(false, detail);
}

/// <summary>One line of the /readyz answer (camelCase on the wire: name, ready, detail, ms).</summary>
internal sealed record CheckOutcome(string Name, bool Ready, string Detail, long Ms);

internal static class HealthApi
{
    /// <summary>How long one readiness check may take before it counts as failed.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        foreach (var type in typeof(IReadinessCheck).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IReadinessCheck).IsAssignableFrom(t)))
        {
            builder.Services.AddSingleton(typeof(IReadinessCheck), type);
        }
        return builder;
    }

    /// <summary>
    /// GET /healthz: liveness — the process is up and serving (no database work, so a monitor that
    /// restarts on failure does not restart us for a database problem). GET /readyz: readiness — every
    /// <see cref="IReadinessCheck"/> passes (the database commits a write, the migrations are applied,
    /// the scheduler runs); 503 with each check's reason otherwise. Load balancers route on /readyz.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/readyz", async (IEnumerable<IReadinessCheck> checks, ILoggerFactory logs, CancellationToken ct) =>
        {
            var results = await Task.WhenAll(checks.Select(c => RunAsync(c, logs, ct)));
            var ready = results.All(r => r.Ready);
            return Results.Json(new { status = ready ? "ready" : "unavailable", checks = results },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static async Task<CheckOutcome> RunAsync(IReadinessCheck check, ILoggerFactory logs, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        ReadinessResult result;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(CheckTimeout);
            result = await check.CheckAsync(cts.Token).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            result = ReadinessResult.Fail($"no answer within {CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result = ReadinessResult.Fail(e.GetType().Name + ": " + e.Message);
        }
        if (!result.Ready)
        {
            logs.CreateLogger("LaporBot.Health").LogWarning("Readiness check {Check} failed: {Detail}", check.Name, result.Detail);
        }
        return new CheckOutcome(check.Name, result.Ready, result.Detail, watch.ElapsedMilliseconds);
    }
}

/// <summary>The database commits a write (a read alone says nothing when the file became read-only or the disk is full).</summary>
internal sealed class DatabaseWriteCheck(IDatabase db, TimeProvider clock, IOptions<OutboxOptions> outbox) : IReadinessCheck
{
    public string Name => "database-write";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        await ReadinessStore.WriteProbeAsync(db, outbox.Value.InstanceId, clock.GetUtcNow(), cancellationToken);
        return ReadinessResult.Ok($"{db.Dialect.Name}: a write committed");
    }
}

/// <summary>Every migration this build embeds is applied (a half-migrated database is not ready).</summary>
internal sealed class MigrationsCheck(IDatabase db) : IReadinessCheck
{
    public string Name => "migrations";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var applied = await ReadinessStore.AppliedMigrationsAsync(db, cancellationToken);
        var missing = Migrator.Scripts(db.Dialect).Select(s => s.Version).Where(v => !applied.Contains(v)).ToList();
        return missing.Count == 0
            ? ReadinessResult.Ok($"schema version {applied.Max()}")
            : ReadinessResult.Fail("not applied: " + string.Join(", ", missing.Select(v => v.ToString("0000"))));
    }
}

/// <summary>The job scheduler (routing, service-standard watch, recaps) is started and not paused.</summary>
internal sealed class SchedulerCheck(IServiceProvider services) : IReadinessCheck
{
    public string Name => "scheduler";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return ReadinessResult.Ok("disabled by configuration (Scheduler:Enabled=false)");
        }
        var scheduler = await factory.GetScheduler(cancellationToken);
        return scheduler.Status switch
        {
            SchedulerStatus.Running => ReadinessResult.Ok("running"),
            SchedulerStatus.Standby => ReadinessResult.Fail("in standby: no job fires"),
            SchedulerStatus.Created => ReadinessResult.Fail("not started yet"),
            var other => ReadinessResult.Fail(other.ToString().ToLowerInvariant()),
        };
    }
}
