using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Outbox;

/// <summary>
/// /readyz "outbox-backlog": a message due and held by no sender for longer than
/// Outbox:ReadinessMaxWait means the senders are stuck; a message waiting for its retry time
/// (a provider outage) or one being sent does not. On SQLite and PostgreSQL.
/// </summary>
public abstract class BacklogReadinessTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : BacklogReadinessTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : BacklogReadinessTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static async Task<(HttpStatusCode Status, bool Ready, string Detail)> BacklogAsync(HttpClient http)
    {
        var r = await http.GetAsync("/readyz");
        var check = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "outbox-backlog");
        return (r.StatusCode, check.GetProperty("ready").GetBoolean(), check.GetProperty("detail").GetString()!);
    }

    [SkippableFact]
    public async Task A_message_nobody_sends_for_too_long_makes_the_instance_unready_a_retry_or_a_send_in_flight_does_not()
    {
        await using var db = await TestDatabase.CreateAsync(Backend);
        await using var app = new LaporApp(db.Target, settings: new Dictionary<string, string?>
        {
            ["Outbox:DispatcherEnabled"] = "false", // the senders are "stuck"
            ["Outbox:ReadinessMaxWait"] = "00:01:00",
        });
        var http = app.CreateClient();
        await Db.EventuallyAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the instance is ready");
        Assert.Equal((HttpStatusCode.OK, true, "nothing waiting"), await BacklogAsync(http));

        var now = DateTimeOffset.UtcNow;
        await Db.ExecuteAsync(db.Target,
            """
            INSERT INTO outbox (channel, recipient, body, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES ('simulator', 'w1', 'halo', 'pending', 0, @due, @due, @due)
            """, new { due = now.AddSeconds(-30).ToUnixTimeMilliseconds() });
        var (status, ready, detail) = await BacklogAsync(http);
        Assert.True(ready, detail); // due for 30 s: within the limit
        Assert.Equal(HttpStatusCode.OK, status);

        await Db.ExecuteAsync(db.Target, "UPDATE outbox SET next_attempt_at = @due", new { due = now.AddMinutes(-3).ToUnixTimeMilliseconds() });
        (status, ready, detail) = await BacklogAsync(http);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(ready);
        Assert.Contains("limit 60 s", detail);

        // Being sent by someone (a live claim): not stuck.
        await Db.ExecuteAsync(db.Target, "UPDATE outbox SET claimed_until = @until, claimed_by = 'node-b'",
            new { until = now.AddMinutes(2).ToUnixTimeMilliseconds() });
        Assert.Equal(HttpStatusCode.OK, (await BacklogAsync(http)).Status);

        // The provider failed and the retry is later: not stuck either.
        await Db.ExecuteAsync(db.Target, "UPDATE outbox SET claimed_until = NULL, claimed_by = NULL, next_attempt_at = @later",
            new { later = now.AddMinutes(10).ToUnixTimeMilliseconds() });
        Assert.Equal((HttpStatusCode.OK, true, "nothing waiting"), await BacklogAsync(http));
    }
}
