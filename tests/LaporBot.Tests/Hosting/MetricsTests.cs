using System.Globalization;
using System.Text.RegularExpressions;
using LaporBot.Tests.Channels.Telegram;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;

namespace LaporBot.Tests.Hosting;

/// <summary>
/// GET /metrics in Prometheus' text format: the series operators alert on, checked against what
/// really happened (webhooks posted, rows stored and sent). On SQLite and on PostgreSQL, since the
/// outbox and case figures are read from the database when scraped.
/// </summary>
public abstract partial class MetricsTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : MetricsTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : MetricsTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    /// <summary>Every sample of the scrape: "name{a="x",b="y"}" (labels sorted as written) → value.</summary>
    private static Dictionary<string, double> Parse(string text) =>
        Sample().Matches(text).ToDictionary(
            m => m.Groups["labels"].Success ? $"{m.Groups["name"].Value}{{{m.Groups["labels"].Value}}}" : m.Groups["name"].Value,
            m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    private static async Task<(string Text, Dictionary<string, double> Samples)> ScrapeAsync(HttpClient http)
    {
        var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return (text, Parse(text));
    }

    [SkippableFact]
    public async Task The_metrics_endpoint_counts_webhooks_messages_cases_the_outbox_and_jobs()
    {
        // The service-standard watch runs once at start-up and not again during the test: the case is
        // made overdue below, and a watch round would send a reminder between the scrape and the counts.
        await using var kit = await RoutingKit.StartAsync(new Dictionary<string, string?> { ["Scheduler:WatchInterval"] = "01:00:00" }, backend: Backend);
        var http = kit.Telegram.App.CreateClient();

        var number = await kit.FileComplaintAsync("Jalan berlubang di Jl. Gatot Subroto dekat SD Negeri 2, sudah tiga motor jatuh minggu ini");
        await kit.WaitForStatusAsync(number, "assigned");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0,
            "everything sent");
        // One message given up on, and the case past its step's time standard.
        await Db.ExecuteAsync(kit.DatabasePath,
            """
            INSERT INTO outbox (channel, recipient, body, status, attempts, next_attempt_at, created_at, updated_at, last_error)
            VALUES ('telegram', '42', 'x', 'dead', 8, 0, 0, 0, 'HTTP 400')
            """);
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE complaints SET due_at = 1000 WHERE tracking_number = @number", new { number });

        var (text, m) = await ScrapeAsync(http);

        // Webhook latency: one observation per citizen message posted to the Telegram webhook.
        var received = await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM inbound_messages WHERE channel = 'telegram'");
        Assert.True(received >= 4, $"{received} messages stored");
        Assert.Contains("# TYPE laporbot_webhook_duration_seconds histogram", text);
        var webhooks = m.GetValueOrDefault("laporbot_webhook_duration_seconds_count{route=\"/webhooks/telegram\",code=\"200\"}");
        Assert.True(webhooks >= received, $"{webhooks} webhook timings for {received} messages");
        Assert.True(m["laporbot_webhook_duration_seconds_sum{route=\"/webhooks/telegram\",code=\"200\"}"] > 0);

        // Messages in and out by channel, as stored and as sent.
        Assert.Equal(received, m["laporbot_messages_received_total{channel=\"telegram\",outcome=\"accepted\"}"]);
        var sent = await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE channel = 'telegram' AND status = 'sent'");
        Assert.True(sent >= 5, $"{sent} messages sent");
        Assert.Equal(sent, m["laporbot_messages_sent_total{channel=\"telegram\"}"]);
        Assert.Equal(kit.Fake.CallsTo("sendMessage").Count, (int)m["laporbot_messages_sent_total{channel=\"telegram\"}"]);

        // The outbox: nothing waiting, one dead letter.
        Assert.Equal(1, m["laporbot_outbox_dead{channel=\"telegram\"}"]);
        Assert.Equal(0, m.GetValueOrDefault("laporbot_outbox_pending{channel=\"telegram\"}"));

        // Cases by status (every status listed, zeros too) and overdue.
        Assert.Equal(1, m["laporbot_cases{status=\"assigned\"}"]);
        Assert.Equal(0, m["laporbot_cases{status=\"closed\"}"]);
        Assert.Equal(1, m["laporbot_cases_overdue"]);

        // Jobs: routing ran for the new complaint, without failing.
        var runs = m.Where(kv => kv.Key.StartsWith("laporbot_job_runs_total{", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, kv => Assert.Equal(0, m[kv.Key.Replace("job_runs_total", "job_failures_total")]));
        Assert.True(runs.Sum(kv => kv.Value) >= 1);

        // A provider's repeat is counted as a duplicate, not as a new message.
        var update = TelegramTestKit.TextUpdate(990_001, "cek status");
        (await kit.Telegram.PostAsync(update)).EnsureSuccessStatusCode();
        (await kit.Telegram.PostAsync(update)).EnsureSuccessStatusCode();
        var (_, after) = await ScrapeAsync(http);
        Assert.Equal(received + 1, after["laporbot_messages_received_total{channel=\"telegram\",outcome=\"accepted\"}"]);
        Assert.Equal(1, after["laporbot_messages_received_total{channel=\"telegram\",outcome=\"duplicate\"}"]);
        Assert.Equal(received + 1, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM inbound_messages WHERE channel = 'telegram'"));
    }
}
