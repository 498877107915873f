using LaporBot.Outbox;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Outbox;

/// <summary>
/// Delivery through a misbehaving provider (a fake Twilio API on loopback): errors, stalls,
/// throttling and permanent refusals, then recovery. Nothing may be lost or sent twice.
/// </summary>
public abstract class DeliveryTests
{
    /// <summary>The database the outbox lives in: each test runs on SQLite and on PostgreSQL.</summary>
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : DeliveryTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : DeliveryTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static async Task<int> SentCountAsync(TwilioHarness h) =>
        (int)await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'");

    [SkippableFact]
    public async Task Messages_survive_500s_timeouts_and_429s_and_are_all_delivered_once_the_provider_recovers()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Twilio:TimeoutSeconds"] = "1" }, backend: Backend);
        var calls = 0;
        // The provider fails in every way it can, then recovers.
        h.Api.Handle(r =>
        {
            if (!r.Path.EndsWith("/Messages.json", StringComparison.Ordinal))
            {
                return h.DefaultReply(r);
            }
            return Interlocked.Increment(ref calls) switch
            {
                1 => new(500, "{\"code\":20500,\"message\":\"Internal Server Error\"}"),
                2 => new(201, "{\"sid\":\"SMlate\"}", Delay: TimeSpan.FromSeconds(3)), // beyond our 1 s timeout
                3 => new(429, "{\"code\":20429,\"message\":\"Too Many Requests\"}", Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }),
                4 => new(503, "{\"code\":20503,\"message\":\"Service Unavailable\"}"),
                _ => h.DefaultReply(r),
            };
        });

        await h.SayAsync("halo", from: "whatsapp:+6281111111111");
        await h.SayAsync("halo", from: "whatsapp:+6282222222222");
        await h.SayAsync("halo", from: "whatsapp:+6283333333333");

        await Db.EventuallyAsync(async () => await SentCountAsync(h) == 3, "all three replies delivered after recovery", 20_000);
        Assert.Equal(0, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'"));
        // Each citizen got exactly one accepted message (the timed-out call was abandoned, not double-counted as sent).
        var accepted = h.Sent.Where(r => r.Form.ContainsKey("Body")).GroupBy(r => r.Form["To"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, accepted.Count);
        var errors = await Db.QueryAsync<string?>(h.App.DatabasePath, "SELECT last_error FROM outbox");
        Assert.All(errors, Assert.Null); // cleared once sent
    }

    [SkippableFact]
    public async Task Retry_After_from_a_429_is_honoured_before_the_next_attempt()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" }, backend: Backend);
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)
            ? new(429, "{\"code\":20429,\"message\":\"Too Many Requests\"}", Headers: new Dictionary<string, string> { ["Retry-After"] = "120" })
            : h.DefaultReply(r));
        await h.SayAsync("halo");
        var dispatcher = h.App.Service<OutboxDispatcher>();

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        var (next, updated, error) = (await Db.QueryAsync<(long Next, long Updated, string Error)>(h.App.DatabasePath,
            "SELECT next_attempt_at, updated_at, last_error FROM outbox")).Single();
        Assert.InRange(next - updated, 119_000, 121_000);
        Assert.Contains("attempt 1 of", error);
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None)); // not due yet
    }

    [SkippableFact]
    public async Task A_permanent_error_fails_fast_and_after_max_attempts_a_message_is_dead_and_retryable()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Outbox:DispatcherEnabled"] = "false",
            ["Outbox:MaxAttempts"] = "3",
        }, backend: Backend);
        var dispatcher = h.App.Service<OutboxDispatcher>();

        // Invalid number: Twilio 21211 is permanent — one attempt, then dead.
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)
            ? new(400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}")
            : h.DefaultReply(r));
        await h.SayAsync("halo", from: "whatsapp:+620000");
        await dispatcher.DispatchOnceAsync(CancellationToken.None);
        var (status, attempts, error) = (await Db.QueryAsync<(string Status, long Attempts, string Error)>(h.App.DatabasePath,
            "SELECT status, attempts, last_error FROM outbox")).Single();
        Assert.Equal("dead", status);
        Assert.Equal(1, attempts);
        Assert.Contains("21211", error);

        // A transient error repeated MaxAttempts times: dead with the last error kept.
        await Db.ExecuteAsync(h.App.DatabasePath, "DELETE FROM outbox");
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal) ? new(500, "{\"code\":20500}") : h.DefaultReply(r));
        await h.SayAsync("halo lagi", from: "whatsapp:+6284444444444");
        for (var i = 0; i < 3; i++)
        {
            await Db.ExecuteAsync(h.App.DatabasePath, "UPDATE outbox SET next_attempt_at = 0");
            await dispatcher.DispatchOnceAsync(CancellationToken.None);
        }
        var dead = (await Db.QueryAsync<(long Id, string Status, long Attempts, string Error)>(h.App.DatabasePath,
            "SELECT id, status, attempts, last_error FROM outbox")).Single();
        Assert.Equal("dead", dead.Status);
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("gave up after 3 attempts", dead.Error);

        // Staff retry it once the provider is healthy again: delivered.
        h.Api.Handle(h.DefaultReply);
        Assert.True(await OutboxStore.RetryDeadAsync(h.App.Service<LaporBot.Data.IDatabase>(), dead.Id, DateTimeOffset.UtcNow, CancellationToken.None));
        await dispatcher.DispatchOnceAsync(CancellationToken.None);
        Assert.Equal("sent", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT status FROM outbox"));
    }

    [SkippableFact]
    public async Task A_chats_messages_go_out_in_order_even_when_the_first_needs_a_retry()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" }, backend: Backend);
        var dispatcher = h.App.Service<OutboxDispatcher>();
        await h.SayAsync("halo");
        await h.SayAsync("Budi Santoso"); // two replies queued for the same chat
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal) ? new(500, "{}") : h.DefaultReply(r));

        await dispatcher.DispatchOnceAsync(CancellationToken.None); // first fails; second must wait behind it
        Assert.Equal(0, await Db.ScalarAsync<long>(h.App.DatabasePath, "SELECT attempts FROM outbox ORDER BY id DESC LIMIT 1"));

        h.Api.Handle(h.DefaultReply);
        await Db.ExecuteAsync(h.App.DatabasePath, "UPDATE outbox SET next_attempt_at = 0");
        await dispatcher.DispatchOnceAsync(CancellationToken.None);
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        // Calls in order: the first reply (failed), the first reply again (ok), then the second reply.
        var bodies = h.Sent.Select(r => r.Form["Body"]).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.Equal(bodies[0], bodies[1]);
        Assert.Contains("Selamat datang", bodies[1]);
        Assert.Contains("Di mana alamat", bodies[2]);
        var sentAt = await Db.QueryAsync<long>(h.App.DatabasePath, "SELECT sent_at FROM outbox ORDER BY id");
        Assert.True(sentAt[0] <= sentAt[1]);
    }

    [SkippableFact]
    public async Task Outside_the_24_hour_window_the_approved_template_is_sent_instead_of_free_text()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Outbox:DispatcherEnabled"] = "false",
            ["Twilio:TemplateContentSid"] = "HX0123456789abcdef0123456789abcdef",
        }, backend: Backend);
        var dispatcher = h.App.Service<OutboxDispatcher>();
        await h.SayAsync("halo");
        // The citizen last wrote 25 hours ago (e.g. an agency's answer arrives the next day).
        var old = DateTimeOffset.UtcNow.AddHours(-25).ToUnixTimeMilliseconds();
        await Db.ExecuteAsync(h.App.DatabasePath, "UPDATE reporters SET last_inbound_at = @old", new { old });

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        var form = Assert.Single(h.Sent).Form;
        Assert.Equal("HX0123456789abcdef0123456789abcdef", form["ContentSid"]);
        Assert.False(form.ContainsKey("Body"));
        Assert.Contains("Selamat datang", System.Text.Json.JsonDocument.Parse(form["ContentVariables"]).RootElement.GetProperty("1").GetString());
    }

    [SkippableFact]
    public async Task Error_63016_on_free_text_switches_to_the_template()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Outbox:DispatcherEnabled"] = "false",
            ["Twilio:TemplateContentSid"] = "HX0123456789abcdef0123456789abcdef",
        }, backend: Backend);
        var dispatcher = h.App.Service<OutboxDispatcher>();
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal) && r.Form.ContainsKey("Body")
            ? new(400, "{\"code\":63016,\"message\":\"Failed to send freeform message because you are outside the allowed window.\"}")
            : h.DefaultReply(r));
        await h.SayAsync("halo");

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(2, h.Sent.Count);
        Assert.True(h.Sent[1].Form.ContainsKey("ContentSid"));
        Assert.Equal("sent", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT status FROM outbox"));
    }

    [SkippableFact]
    public async Task Without_a_template_a_message_outside_the_window_is_dead_with_a_readable_reason()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" }, backend: Backend);
        var dispatcher = h.App.Service<OutboxDispatcher>();
        h.Api.Handle(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)
            ? new(400, "{\"code\":63016,\"message\":\"outside the allowed window\"}")
            : h.DefaultReply(r));
        await h.SayAsync("halo");

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal("dead", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT status FROM outbox"));
        Assert.Contains("24-hour window", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT last_error FROM outbox"));
    }

    [SkippableFact]
    public async Task A_lease_left_by_a_crash_makes_the_message_due_again()
    {
        await using var h = await TwilioHarness.StartAsync(new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" }, backend: Backend);
        var dispatcher = h.App.Service<OutboxDispatcher>();
        await h.SayAsync("halo");
        // A sender claimed it and died: the lease is still running.
        var future = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeMilliseconds();
        await Db.ExecuteAsync(h.App.DatabasePath, "UPDATE outbox SET claimed_until = @future, attempts = 1", new { future });

        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        await Db.ExecuteAsync(h.App.DatabasePath, "UPDATE outbox SET claimed_until = @past", new { past = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds() });
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal("sent", await Db.ScalarAsync<string>(h.App.DatabasePath, "SELECT status FROM outbox"));
    }

    [SkippableFact]
    public void Backoff_doubles_with_jitter_and_is_capped()
    {
        var o = new OutboxOptions { InitialBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromMinutes(1) };
        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(OutboxDispatcher.Backoff(1, o).TotalSeconds, 4, 6);
            Assert.InRange(OutboxDispatcher.Backoff(3, o).TotalSeconds, 16, 24);
            Assert.InRange(OutboxDispatcher.Backoff(20, o).TotalSeconds, 48, 72);
        }
    }
}
