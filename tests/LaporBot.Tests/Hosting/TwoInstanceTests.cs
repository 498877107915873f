using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Channels.Telegram;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using Xunit.Abstractions;

namespace LaporBot.Tests.Hosting;

/// <summary>
/// Two LaporBot processes on one PostgreSQL database, citizens on WhatsApp (a fake Twilio API) and
/// staff on Telegram (a fake Bot API, long polling), all on loopback. Webhooks are spread over both
/// instances and some are delivered to both. Every complaint must be created once and assigned
/// once, and every outgoing message must reach the fake provider exactly once. Then the instance
/// that polls Telegram is killed with SIGKILL in the middle of a second wave: the survivor must
/// finish every pending piece of work and take over polling. PostgreSQL only: SQLite is one
/// server's file, which two processes on two machines cannot share.
/// </summary>
public class TwoInstanceTests(ITestOutputHelper output)
{
    private const string Webhook = "/webhooks/twilio";

    /// <summary>Messages a new citizen sends to file one complaint: text, name, address, problem location, confirmation.</summary>
    private const int StepsPerCitizen = 5;
    private long _twilioSid;
    private long _updateId = 700_000_000;

    private sealed record Delivery(int Citizen, int Step, string Sid, string From, string Body);

    [SkippableFact]
    public async Task Two_instances_do_each_piece_of_work_once_and_one_survives_the_other_being_killed()
    {
        await using var db = await TestDatabase.CreateAsync(Backend.Postgres);
        var twilioSends = new ConcurrentQueue<(string To, string Body, string Sid)>();
        var sendSid = 0;
        await using var twilio = await FakeProviderServer.StartAsync(r =>
        {
            if (r.Method == "POST" && r.Path.EndsWith("/Messages.json", StringComparison.Ordinal))
            {
                var sid = $"SM{Interlocked.Increment(ref sendSid):D32}";
                twilioSends.Enqueue((r.Form["To"], r.Form.GetValueOrDefault("Body", ""), sid));
                return new(201, $"{{\"sid\":\"{sid}\",\"status\":\"queued\"}}");
            }
            return new(404, "{\"code\":20404}");
        });
        await using var telegram = await FakeTelegramServer.StartAsync();
        var settings = Settings(db.Target, twilio.BaseUrl, telegram.BaseUrl);
        await using var a = await LaporProcess.StartAsync(settings, "A");
        await using var b = await LaporProcess.StartAsync(settings, "B");
        LaporProcess[] instances = [a, b];
        var clock = Stopwatch.StartNew();

        // ---- wave 1: both alive --------------------------------------------------------------
        const int wave1 = 16;
        var posted1 = await RunWaveAsync(instances, 0, wave1, duplicateEvery: 3, afterEach: null);
        await WaitAsync(db.Target, wave1, instances);
        var sendsAfterWave1 = twilioSends.Count;
        await AssertEachOnceAsync(db.Target, wave1, twilioSends, telegram, doubledAllowed: []);
        output.WriteLine($"wave 1: {wave1} citizens, {posted1.Posts} webhook posts ({posted1.Duplicates} delivered to both instances), " +
            $"{sendsAfterWave1} WhatsApp sends, {telegram.CallsTo("sendMessage").Count} Telegram sends, {clock.Elapsed.TotalSeconds:F1} s");

        // Telegram polling runs on exactly one of them: the lease holder.
        var leader = await LeaderAsync(db.Target, instances);
        var survivor = leader == a ? b : a;
        await StaffSaysAsync(telegram, RoutingKit.Triage, "/daftar");
        await Db.EventuallyAsync(() => Task.FromResult(TriageReplies(telegram) == 1), "the polling instance answers /daftar", 30_000);

        // ---- wave 2: the leader is killed mid-load -------------------------------------------
        const int wave2 = 16;
        var posts = 0;
        long[] pendingAtKill = [];
        var killedAt = TimeSpan.Zero;
        var posted2 = await RunWaveAsync(instances, wave1, wave2, duplicateEvery: 4, afterEach: async () =>
        {
            if (Interlocked.Increment(ref posts) == wave2 * StepsPerCitizen / 3)
            {
                pendingAtKill = (await Db.QueryAsync<long>(db.Target,
                    "SELECT id FROM outbox WHERE status = 'pending' AND claimed_until IS NOT NULL")).ToArray();
                leader.Kill();
                killedAt = clock.Elapsed;
                output.WriteLine($"killed the polling instance (pid {leader.Pid}) after {posts} posts of wave 2, {pendingAtKill.Length} messages claimed and unsent");
            }
        });
        Assert.True(leader.Exited);
        await StaffSaysAsync(telegram, RoutingKit.Triage, "/daftar");
        await WaitAsync(db.Target, wave1 + wave2, [survivor]);
        await Db.EventuallyAsync(() => Task.FromResult(TriageReplies(telegram) == 2), "the survivor takes over polling and answers /daftar", 60_000);
        var takeover = clock.Elapsed - killedAt;
        Assert.Equal(2, await Db.ScalarAsync<long>(db.Target, "SELECT COUNT(*) FROM staff_updates"));
        Assert.Equal(survivor.Pid.ToString(), (await LeaderPidAsync(db.Target))!);

        var doubled = await AssertEachOnceAsync(db.Target, wave1 + wave2, twilioSends, telegram, doubledAllowed: pendingAtKill);
        output.WriteLine($"wave 2: {wave2} citizens, {posted2.Posts} webhook posts ({posted2.Duplicates} delivered to both, {posted2.Redelivered} re-delivered after the kill); " +
            $"survivor finished all work and answered on Telegram {takeover.TotalSeconds:F1} s after the kill; " +
            $"{twilioSends.Count} WhatsApp sends, {telegram.CallsTo("sendMessage").Count} Telegram sends in all, {doubled} sent twice (claimed by the killed instance), total {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static Dictionary<string, string?> Settings(string database, string twilioBase, string telegramBase)
    {
        var s = RoutingKit.AgencySettings(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:LaporBot"] = database,
            ["Simulator:Enabled"] = "false",
            ["Twilio:Enabled"] = "true",
            ["Twilio:AccountSid"] = TwilioHarness.AccountSid,
            ["Twilio:AuthToken"] = TwilioHarness.AuthToken,
            ["Twilio:WhatsAppNumber"] = TwilioHarness.Sender,
            ["Twilio:ApiBaseUrl"] = twilioBase,
            ["Twilio:WebhookUrl"] = TwilioHarness.PublicBase + Webhook,
            ["Twilio:TimeoutSeconds"] = "10",
            ["Telegram:Enabled"] = "true",
            ["Telegram:BotToken"] = FakeTelegramServer.Token,
            ["Telegram:ApiBaseUrl"] = telegramBase,
            ["Telegram:UsePolling"] = "true",
            ["Telegram:PollTimeoutSeconds"] = "1",
            ["Telegram:PerChatInterval"] = "00:00:00",
            ["Telegram:PollingLease"] = "00:00:03",
            ["Scheduler:ClusterCheckinInterval"] = "00:00:01",
            ["Scheduler:ClusterCheckinMisfireThreshold"] = "00:00:05",
            // The lease must outlast a send (provider timeouts 10 s): a send still running when its lease
            // runs out is claimed and sent again by the other instance.
            ["Outbox:Lease"] = "00:00:20",
            ["Telegram:TimeoutSeconds"] = "10",
            ["Outbox:SweepInterval"] = "00:00:00.200",
            ["Outbox:Instances"] = "2",
            ["Attachments:Directory"] = Path.Combine(Path.GetTempPath(), "laporbot-tests", "two-instances-attachments"),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:LaporBot.Channels.Telegram.TelegramPolling"] = "Information",
        });
        return s;
    }

    private sealed record WaveFigures(int Posts, int Duplicates, int Redelivered);

    /// <summary>
    /// Citizens file complaints in parallel; each message goes to one instance, every
    /// <paramref name="duplicateEvery"/>-th to both at once (the same MessageSid). A post that fails
    /// (the instance is gone) is re-delivered to the other, as Twilio retries a failed webhook.
    /// </summary>
    private async Task<WaveFigures> RunWaveAsync(LaporProcess[] instances, int first, int count, int duplicateEvery, Func<Task>? afterEach)
    {
        var posts = 0;
        var duplicates = 0;
        var redelivered = 0;
        using var gate = new SemaphoreSlim(6);
        await Task.WhenAll(Enumerable.Range(first, count).Select(async citizen =>
        {
            await gate.WaitAsync();
            try
            {
                var from = $"whatsapp:+62812{citizen:D7}";
                string[] steps =
                [
                    $"Jalan rusak di Jl. Ketapang gang {citizen} dekat masjid, lubang besar sekali dan berbahaya untuk motor",
                    "Budi Santoso",
                    "Jl. Gatot Subroto No. 12, Gunungsimping, Cilacap Tengah",
                    RoutingKit.ProblemLocation,
                    "ya",
                ];
                Assert.Equal(StepsPerCitizen, steps.Length);
                for (var step = 0; step < steps.Length; step++)
                {
                    var form = Form(from, steps[step], $"SMin{Interlocked.Increment(ref _twilioSid):D28}");
                    var primary = instances[(citizen + step) % instances.Length];
                    var both = (citizen * steps.Length + step) % duplicateEvery == 0 && instances.Length > 1;
                    var targets = both ? instances : [primary];
                    Interlocked.Add(ref posts, targets.Length);
                    if (both)
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                    var results = await Task.WhenAll(targets.Select(t => TryPostAsync(t, form)));
                    if (!results.Any(ok => ok))
                    {
                        // Nobody stored it: deliver again, as Twilio retries a failed webhook, until an instance takes it.
                        var stored = false;
                        for (var attempt = 0; attempt < 50 && !stored; attempt++)
                        {
                            var next = instances[(citizen + step + 1 + attempt) % instances.Length];
                            stored = await TryPostAsync(next, form);
                            Interlocked.Increment(ref posts);
                            if (!stored)
                            {
                                await Task.Delay(200);
                            }
                        }
                        Assert.True(stored, $"no instance took a webhook:\n{string.Join("\n", instances.Select(i => i.Tail))}");
                        Interlocked.Increment(ref redelivered);
                    }
                    if (afterEach is not null)
                    {
                        await afterEach();
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return new WaveFigures(posts, duplicates, redelivered);
    }

    private static List<KeyValuePair<string, string>> Form(string from, string text, string sid) =>
    [
        new("MessageSid", sid),
        new("AccountSid", TwilioHarness.AccountSid),
        new("From", from),
        new("To", TwilioHarness.Sender),
        new("Body", text),
        new("NumMedia", "0"),
        new("ProfileName", "Budi Santoso"),
    ];

    private static async Task<bool> TryPostAsync(LaporProcess instance, List<KeyValuePair<string, string>> form)
    {
        if (instance.Exited)
        {
            return false;
        }
        var body = string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(TwilioHarness.PublicBase + Webhook, form, TwilioHarness.AuthToken));
        try
        {
            using var response = await instance.Http.SendAsync(request);
            // 503 means "not stored, retry": the caller re-delivers like Twilio would.
            if (!response.IsSuccessStatusCode)
            {
                instance.Note($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            instance.Note($"webhook failed: {e.Message}");
            return false; // killed while we were talking to it
        }
        catch (TaskCanceledException)
        {
            instance.Note("webhook timed out");
            return false;
        }
    }

    private Task StaffSaysAsync(FakeTelegramServer telegram, long from, string text)
    {
        telegram.AddUpdate(TelegramTestKit.TextUpdate(Interlocked.Increment(ref _updateId), text, from, "Admin"));
        return Task.CompletedTask;
    }

    private static int TriageReplies(FakeTelegramServer telegram) =>
        telegram.CallsTo("sendMessage").Count(c => c.Json.GetProperty("chat_id").GetInt64() == RoutingKit.Triage
            && c.Json.GetProperty("text").GetString()!.StartsWith("Aduan terbuka", StringComparison.Ordinal));

    /// <summary>Waits until every complaint exists, is assigned, and nothing is left to send.</summary>
    private static async Task WaitAsync(string database, int complaints, LaporProcess[] alive)
    {
        try
        {
            await WaitForAllAsync(database, complaints, alive);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var byStatus = await Db.QueryAsync<(string, long)>(database, "SELECT status, COUNT(*) FROM complaints GROUP BY status");
            var outbox = await Db.QueryAsync<(string, long, long)>(database,
                "SELECT status, COUNT(*), COUNT(claimed_until) FROM outbox GROUP BY status");
            var triggers = await Db.QueryAsync<(string, string, long)>(database,
                "SELECT trigger_name, trigger_state, COUNT(*) OVER () FROM qrtz_triggers");
            var fired = await Db.QueryAsync<(string, string, string)>(database, "SELECT trigger_name, instance_name, state FROM qrtz_fired_triggers");
            var state = await Db.QueryAsync<(string, long)>(database, "SELECT instance_name, last_checkin_time FROM qrtz_scheduler_state");
            throw new Xunit.Sdk.XunitException(e.Message + $"\ncomplaints: {string.Join(", ", byStatus)}\noutbox: {string.Join(", ", outbox)}" +
                $"\ntriggers: {string.Join(", ", triggers)}\nfired: {string.Join(", ", fired)}\nschedulers: {string.Join(", ", state)} now {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
        }
    }

    private static async Task WaitForAllAsync(string database, int complaints, LaporProcess[] alive)
    {
        await Db.EventuallyAsync(async () =>
            await Db.ScalarAsync<long>(database, "SELECT COUNT(*) FROM complaints WHERE status = 'assigned'") == complaints
            && await Db.ScalarAsync<long>(database, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0,
            $"{complaints} complaints assigned and the outbox empty (instances: {string.Join("\n", alive.Select(a => a.Tail))})", 120_000);
    }

    private static async Task<long?> LeaderPidValueAsync(string database) =>
        long.TryParse((await LeaderPidAsync(database))?.ToString(), out var pid) ? pid : null;

    private static async Task<string?> LeaderPidAsync(string database)
    {
        var holder = (await Db.QueryAsync<string>(database, "SELECT holder FROM leases WHERE name = 'telegram:polling'")).SingleOrDefault();
        return holder?.Split(':')[1];
    }

    private static async Task<LaporProcess> LeaderAsync(string database, LaporProcess[] instances)
    {
        LaporProcess? leader = null;
        await Db.EventuallyAsync(async () =>
        {
            var pid = await LeaderPidValueAsync(database);
            leader = instances.FirstOrDefault(i => i.Pid == pid);
            return leader is not null;
        }, "one instance holds the Telegram polling lease", 30_000);
        return leader!;
    }

    /// <summary>
    /// Every complaint once (one per citizen, unique numbers), assigned once; every sent outbox row
    /// matched by exactly one provider request. Returns how many rows went out twice, which is only
    /// allowed for rows the killed instance had claimed (the documented at-least-once window).
    /// </summary>
    private static async Task<int> AssertEachOnceAsync(string database, int complaints,
        ConcurrentQueue<(string To, string Body, string Sid)> twilioSends, FakeTelegramServer telegram, long[] doubledAllowed)
    {
        Assert.Equal(complaints, await Db.ScalarAsync<long>(database, "SELECT COUNT(*) FROM complaints"));
        Assert.Equal(complaints, await Db.ScalarAsync<long>(database, "SELECT COUNT(DISTINCT tracking_number) FROM complaints"));
        Assert.Equal(complaints, await Db.ScalarAsync<long>(database, "SELECT COUNT(DISTINCT reporter_id) FROM complaints"));
        Assert.Equal(0, await Db.ScalarAsync<long>(database,
            "SELECT COUNT(*) FROM complaints c WHERE (SELECT COUNT(*) FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'assigned') <> 1"));
        Assert.Equal(complaints * StepsPerCitizen, await Db.ScalarAsync<long>(database, "SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(0, await Db.ScalarAsync<long>(database, "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'"));

        var rows = await Db.QueryAsync<(long Id, string Channel, string Recipient, string Body, string Pid)>(database,
            "SELECT id, channel, recipient, body, provider_message_id FROM outbox ORDER BY id");
        var doubled = 0;
        foreach (var channel in new[] { "twilio", "telegram" })
        {
            // The triage desk's /daftar answers are long enough to go out in several pieces; they are
            // counted apart (TriageReplies: one first piece per command). Everything else goes out whole.
            var mine = rows.Where(r => r.Channel == channel && r.Recipient != RoutingKit.Triage.ToString()).ToList();
            Assert.NotEmpty(mine);
            Assert.Equal(mine.Count, mine.Select(r => r.Pid).Distinct().Count());
            var extraInChannel = 0;
            if (channel == "twilio")
            {
                // Citizen messages are stored as markup and rendered for WhatsApp on the way out, so they are
                // matched by the SID the fake provider returned: each row has its own, and a request whose SID
                // no row kept is a repeat, allowed only to a chat the killed instance had a claimed message for.
                var sids = twilioSends.ToDictionary(x => x.Sid, x => x.To);
                foreach (var row in mine)
                {
                    Assert.True(sids.TryGetValue(row.Pid, out var to) && to == row.Recipient, $"outbox {row.Id} (twilio) never reached the provider");
                }
                var kept = mine.Select(r => r.Pid).ToHashSet();
                var repeats = twilioSends.Where(x => !kept.Contains(x.Sid)).ToList();
                var allowedChats = mine.Where(r => doubledAllowed.Contains(r.Id)).Select(r => r.Recipient).ToList();
                foreach (var repeat in repeats)
                {
                    Assert.True(allowedChats.Remove(repeat.To), $"a message to {repeat.To} went out twice, not one the killed instance had claimed");
                }
                extraInChannel = repeats.Count;
                Assert.Equal(mine.Count + extraInChannel, twilioSends.Count);
                doubled += extraInChannel;
                continue;
            }
            var requests = telegram.CallsTo("sendMessage").Select(c => (To: c.Json.GetProperty("chat_id").GetInt64().ToString(), Body: c.Json.GetProperty("text").GetString()!))
                .Where(c => c.To != RoutingKit.Triage.ToString()).ToList();
            foreach (var group in mine.GroupBy(r => (r.Recipient, r.Body)))
            {
                var seen = requests.Count(r => r.To == group.Key.Recipient && r.Body == group.Key.Body);
                var extra = seen - group.Count();
                Assert.True(extra >= 0, $"outbox {group.First().Id} ({channel}) never reached the provider");
                if (extra > 0)
                {
                    Assert.Contains(group, r => doubledAllowed.Contains(r.Id));
                    extraInChannel += extra;
                }
            }
            // Nothing reached the provider that is not an outbox row (or the repeat of one).
            Assert.Equal(mine.Count + extraInChannel, requests.Count);
            doubled += extraInChannel;
        }
        return doubled;
    }
}
