using System.Diagnostics;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Workflow;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Quartz;

namespace LaporBot.Hosting;

/// <summary>
/// The service's Prometheus series, served at GET /metrics in the text exposition format
/// (prometheus-net). Counters and histograms count what this instance did; the gauges (outbox,
/// cases) are read from the database when scraped, so every instance of a cluster reports the same
/// figures for them (aggregate with max, not sum). One registry per app, so hosts in one process
/// (the tests) never mix their figures. See docs/deploy.md for the list and for keeping /metrics private.
/// </summary>
internal sealed class LaporMetrics
{
    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    private readonly Histogram _webhook;
    private readonly Counter _received;
    private readonly Counter _sent;
    private readonly Counter _sendFailures;
    private readonly Counter _jobRuns;
    private readonly Counter _jobFailures;
    private readonly Histogram _jobDuration;
    private readonly Gauge _outboxPending;
    private readonly Gauge _outboxOldestDue;
    private readonly Gauge _outboxDead;
    private readonly Gauge _cases;
    private readonly Gauge _overdue;
    private readonly IDatabase _db;
    private readonly TimeProvider _clock;

    public LaporMetrics(IDatabase db, TimeProvider clock)
    {
        (_db, _clock) = (db, clock);
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _webhook = f.CreateHistogram("laporbot_webhook_duration_seconds",
            "Time to answer a provider's webhook (store the message, run the turn), by route and HTTP status.",
            new HistogramConfiguration
            {
                LabelNames = ["route", "code"],
                Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
        _received = f.CreateCounter("laporbot_messages_received_total",
            "Citizen messages received, by channel; outcome=duplicate for a provider's repeat (kept once).",
            new CounterConfiguration { LabelNames = ["channel", "outcome"] });
        _sent = f.CreateCounter("laporbot_messages_sent_total",
            "Outgoing messages the provider accepted, by channel.", new CounterConfiguration { LabelNames = ["channel"] });
        _sendFailures = f.CreateCounter("laporbot_message_send_failures_total",
            "Failed send attempts, by channel; outcome=retry (tried again later) or dead (given up).",
            new CounterConfiguration { LabelNames = ["channel", "outcome"] });
        _jobRuns = f.CreateCounter("laporbot_job_runs_total",
            "Scheduled job runs on this instance (routing, service-standard watch, reports, retention), by job.",
            new CounterConfiguration { LabelNames = ["job"] });
        _jobFailures = f.CreateCounter("laporbot_job_failures_total",
            "Scheduled job runs that ended in an error, by job.", new CounterConfiguration { LabelNames = ["job"] });
        _jobDuration = f.CreateHistogram("laporbot_job_duration_seconds", "How long a scheduled job ran, by job.",
            new HistogramConfiguration { LabelNames = ["job"], Buckets = [0.01, 0.05, 0.25, 1, 5, 30, 120, 600] });
        _outboxPending = f.CreateGauge("laporbot_outbox_pending",
            "Messages waiting to be sent (due now or waiting for a retry), by channel.", new GaugeConfiguration { LabelNames = ["channel"] });
        _outboxOldestDue = f.CreateGauge("laporbot_outbox_oldest_due_seconds",
            "How long the oldest message that is due and not being sent has waited, by channel (0: none).",
            new GaugeConfiguration { LabelNames = ["channel"] });
        _outboxDead = f.CreateGauge("laporbot_outbox_dead",
            "Dead letters: messages given up on, waiting for staff to retry them, by channel.", new GaugeConfiguration { LabelNames = ["channel"] });
        _cases = f.CreateGauge("laporbot_cases", "Cases by status.", new GaugeConfiguration { LabelNames = ["status"] });
        _overdue = f.CreateGauge("laporbot_cases_overdue", "Open cases past their current step's time standard.");
        Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    public void Webhook(string route, int code, TimeSpan elapsed) =>
        _webhook.WithLabels(route, code.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(elapsed.TotalSeconds);

    public void Received(string channel, bool duplicate) => _received.WithLabels(channel, duplicate ? "duplicate" : "accepted").Inc();

    public void Sent(string channel) => _sent.WithLabels(channel).Inc();

    public void SendFailed(string channel, bool dead) => _sendFailures.WithLabels(channel, dead ? "dead" : "retry").Inc();

    public void JobRan(string job, TimeSpan elapsed, bool failed)
    {
        _jobRuns.WithLabels(job).Inc();
        _jobDuration.WithLabels(job).Observe(elapsed.TotalSeconds);
        _jobFailures.WithLabels(job).Inc(failed ? 1 : 0); // the series exists, at 0, once the job has run
    }

    private static readonly string[] Statuses =
    [
        ComplaintStatus.Submitted, ComplaintStatus.Triage, ComplaintStatus.Assigned, ComplaintStatus.Accepted, ComplaintStatus.Returned,
        ComplaintStatus.Answered, ComplaintStatus.Reopened, ComplaintStatus.Closed,
    ];

    /// <summary>Reads the database-wide gauges; a scrape during a database outage shows the last values (and /readyz says why).</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await using var c = await _db.OpenAsync(ct);
            var outbox = (await c.QueryAsync<(string Channel, string Status, long Count, long? OldestDue)>(
                """
                SELECT channel, status, COUNT(*),
                       MIN(CASE WHEN status = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
                                THEN next_attempt_at END)
                FROM outbox WHERE status IN ('pending', 'dead') GROUP BY channel, status
                """, new { now })).AsList();
            Reset(_outboxPending);
            Reset(_outboxDead);
            Reset(_outboxOldestDue);
            foreach (var row in outbox)
            {
                (row.Status == "dead" ? _outboxDead : _outboxPending).WithLabels(row.Channel).Set(row.Count);
                if (row.OldestDue is { } due)
                {
                    _outboxOldestDue.WithLabels(row.Channel).Set(Math.Max(0, now - due) / 1000.0);
                }
            }

            var byStatus = (await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM complaints GROUP BY status"))
                .ToDictionary(x => x.Status, x => x.Count);
            foreach (var status in Statuses.Union(byStatus.Keys))
            {
                _cases.WithLabels(status).Set(byStatus.GetValueOrDefault(status));
            }
            _overdue.Set(await c.ExecuteScalarAsync<long>(
                $"SELECT COUNT(*) FROM complaints WHERE due_at IS NOT NULL AND due_at <= @now AND {SqlDialect.Of(c).InList("status", "@open")}",
                new { now, open = ComplaintWorkflow.AtStep }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The figures stay at their last values; the readiness checks report the database.
        }
    }

    /// <summary>Sets every series of a gauge to 0, so a channel whose backlog drained reads 0, not its last value.</summary>
    private static void Reset(Gauge gauge)
    {
        foreach (var labels in gauge.GetAllLabelValues())
        {
            gauge.WithLabels(labels).Set(0);
        }
    }
}

/// <summary>Times every request that reached a webhook endpoint (the route's pattern is the label: a fixed, small set).</summary>
internal static class MetricsMiddleware
{
    public static IApplicationBuilder UseLaporMetrics(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/webhooks"))
            {
                await next(context);
                return;
            }
            var watch = Stopwatch.StartNew();
            try
            {
                await next(context);
            }
            finally
            {
                // Only mapped routes: a scan of made-up paths must not mint new series.
                if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
                {
                    context.RequestServices.GetRequiredService<LaporMetrics>().Webhook(route, context.Response.StatusCode, watch.Elapsed);
                }
            }
        });

    /// <summary>GET /metrics: this app's registry in Prometheus' text format.</summary>
    public static IEndpointRouteBuilder MapLaporMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (HttpContext context, LaporMetrics metrics) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        return app;
    }
}

/// <summary>Counts each Quartz job run and its failures (registered on the one scheduler every job uses).</summary>
internal sealed class JobMetricsListener(LaporMetrics metrics) : IJobListener
{
    public string Name => "laporbot-metrics";

    // The other notifications have default (empty) implementations.
    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        metrics.JobRan(context.JobDetail.Key.Name, context.JobRunTime, jobException is not null);
        return ValueTask.CompletedTask;
    }
}

internal static class MetricsRegistration
{
    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LaporMetrics>();
        if (builder.Configuration.GetValue("Scheduler:Enabled", true))
        {
            // AddQuartz is additive: one listener on the scheduler the workflow configures.
            builder.Services.AddQuartz(q => q.AddJobListener<JobMetricsListener>());
        }
        return builder;
    }
}
