using System.Data.Common;
using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Data;

/// <summary>
/// The stores' SQL, run against each database LaporBot supports: SQLite always, PostgreSQL whenever
/// the server is installed (always in CI). Each test gets a fresh, migrated database. What is
/// checked here is what callers rely on without knowing the engine: deduplication, unique tracking
/// numbers under concurrency, claims that never hand one message to two senders, rollback.
/// </summary>
public abstract class StoreSuite : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private TestDatabase _test = null!;

    protected abstract Backend Backend { get; }

    internal IDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true; // as the app sets at start-up
        _test = await TestDatabase.CreateAsync(Backend);
        Database = Backend == Backend.Postgres
            ? new PostgresDatabase(_test.Target)
            // Writers queue on SQLite's lock; on a loaded machine the default 5 s wait is not a property under test.
            : new SqliteDatabase($"Data Source={_test.Target}", Options.Create(new DatabaseOptions { BusyTimeoutMs = 120_000 }));
        await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (Database is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }
        await _test.DisposeAsync();
    }

    private static InboundMessage Message(string id, string address = "6281234", string? text = "halo") =>
        new("twilio", id, address, "Budi", text, null, InboundMessage.NoAttachments, Now);

    private static ComplaintDraft Draft(bool confidential = false) =>
        new("Budi Santoso", "Jl. Merdeka 5, Cilacap", "Depan Pasar Cilacap", "Jalan rusak parah di depan pasar, banyak lubang", new GeoPoint(-7.7, 109.0, "Pasar"),
            [new InboundAttachment("https://example.invalid/p.jpg", "image/jpeg", "a/p.jpg")], confidential, "id");

    private async Task<long> ReporterAsync(string address = "6281234")
    {
        await using var s = await Database.BeginAsync();
        var r = await TurnStore.UpsertReporterAsync(s, Message("seed-" + address, address), Now);
        await s.CommitAsync();
        return r.Id;
    }

    [SkippableFact]
    public async Task Migrating_again_applies_nothing_and_records_every_version()
    {
        var again = await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();

        Assert.Empty(again);
        Assert.Equal(Migrator.Scripts(Database.Dialect).Max(s => s.Version), await Migrator.CurrentVersionAsync(Database));
    }

    [SkippableFact]
    public async Task A_reporter_is_created_once_and_a_repeated_provider_message_is_a_duplicate()
    {
        long first, second;
        long? inbound, repeat;
        await using (var s = await Database.BeginAsync())
        {
            var r = await TurnStore.UpsertReporterAsync(s, Message("SM1"), Now);
            first = r.Id;
            inbound = await TurnStore.InsertInboundAsync(s, Message("SM1"), r.Id, Now);
            await s.CommitAsync();
        }
        await using (var s = await Database.BeginAsync())
        {
            var r = await TurnStore.UpsertReporterAsync(s, Message("SM1") with { ProfileName = null }, Now.AddMinutes(1));
            second = r.Id;
            Assert.Equal("Budi", r.DisplayName); // a missing profile name keeps the known one
            Assert.Equal(Now.AddMinutes(1).ToUnixTimeMilliseconds(), r.LastInboundAt);
            repeat = await TurnStore.InsertInboundAsync(s, Message("SM1"), r.Id, Now);
            await s.CommitAsync();
        }

        Assert.Equal(first, second);
        Assert.NotNull(inbound);
        Assert.Null(repeat);
        await using var c = await Database.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reporters"));
    }

    [SkippableFact]
    public async Task The_same_message_stored_concurrently_by_many_writers_is_kept_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var s = await Database.BeginAsync();
            var r = await TurnStore.UpsertReporterAsync(s, Message("SMdup"), Now);
            var id = await TurnStore.InsertInboundAsync(s, Message("SMdup"), r.Id, Now);
            await s.CommitAsync();
            return id;
        })));

        Assert.Single(results, r => r is not null);
        await using var c = await Database.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbound_messages WHERE provider_message_id = 'SMdup'"));
    }

    [SkippableFact]
    public async Task Conversation_state_round_trips_and_is_replaced()
    {
        var reporter = await ReporterAsync();
        var state = ConversationState.FromJson("""{"step":"name","values":{"text":"jalan rusak"},"attempts":1,"language":"id"}""");
        await using (var s = await Database.BeginAsync())
        {
            Assert.Null(await TurnStore.LoadStateAsync(s, reporter, "lapor"));
            await TurnStore.SaveStateAsync(s, reporter, "lapor", state, Now);
            await TurnStore.SaveStateAsync(s, reporter, "lapor", state, Now.AddSeconds(1));
            await TurnStore.SetLanguageAsync(s, reporter, "en");
            await s.CommitAsync();
        }

        await using var s2 = await Database.BeginAsync();
        var loaded = await TurnStore.LoadStateAsync(s2, reporter, "lapor");
        Assert.Equal(state.ToJson(), loaded!.ToJson());
        Assert.Equal("en", await s2.Connection.ExecuteScalarAsync<string>("SELECT language FROM reporters WHERE id = @reporter", new { reporter }, s2.Transaction));
        Assert.Equal(1, await s2.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM conversations", transaction: s2.Transaction));
    }

    [SkippableFact]
    public async Task Tracking_numbers_are_unique_and_gapless_under_concurrent_submissions()
    {
        var numbers = new TrackingNumbers(Options.Create(new ComplaintOptions()), LocalZone.Jakarta);
        var issued = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var s = await Database.BeginAsync();
            var n = await numbers.NextAsync(s, Now);
            await s.CommitAsync();
            return n;
        })));

        Assert.Equal(20, issued.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"LPR-2611-{i:D5}"), issued.Order(StringComparer.Ordinal));
        await using var s = await Database.BeginAsync();
        Assert.Equal("LPR-2612-00001", await numbers.NextAsync(s, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(7))));
    }

    [SkippableFact]
    public async Task A_complaint_is_stored_with_its_attachment_and_found_by_number_id_and_reporter()
    {
        var reporter = await ReporterAsync();
        ComplaintRow inserted;
        await using (var s = await Database.BeginAsync())
        {
            inserted = await ComplaintStore.InsertAsync(s, "LPR-2611-00001", reporter, "twilio", Draft(confidential: true), Now);
            await ComplaintStore.AppendEventAsync(s, inserted.Id, Now, "citizen", "submitted", "via twilio");
            await s.CommitAsync();
        }

        await using var c = await Database.OpenAsync();
        var byNumber = await ComplaintStore.FindByNumberAsync(c, " lpr-2611-00001 ");
        Assert.NotNull(byNumber);
        Assert.Equal(inserted.Id, byNumber.Id);
        Assert.True(byNumber.Confidential);
        Assert.Equal(-7.7, byNumber.Latitude);
        Assert.Equal("Pasar", byNumber.LocationLabel);
        Assert.Equal(("Budi Santoso", "Depan Pasar Cilacap"), (byNumber.Name, byNumber.ProblemLocation)); // through complaint_details
        Assert.Equal(ComplaintStatus.Submitted, byNumber.Status);
        Assert.Equal(Now, byNumber.Created);
        Assert.Equal(inserted.Id, (await ComplaintStore.FindByIdAsync(c, inserted.Id))!.Id);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM complaint_attachments WHERE complaint_id = @id AND content_type LIKE 'image/%'", new { id = inserted.Id }));
        var timeline = await ComplaintStore.TimelineAsync(c, inserted.Id);
        Assert.Equal(("citizen", "submitted", "via twilio"), (timeline.Single().Actor, timeline.Single().Kind, timeline.Single().Note));
        await using var s2 = await Database.BeginAsync();
        Assert.NotNull(await ComplaintStore.FindForReporterAsync(s2, reporter, "LPR-2611-00001"));
        Assert.Null(await ComplaintStore.FindForReporterAsync(s2, reporter + 1, "LPR-2611-00001"));
        Assert.Single(await ComplaintStore.LatestForReporterAsync(s2, reporter, 5));
    }

    [SkippableFact]
    public async Task The_timeline_refuses_updates_and_deletes()
    {
        var reporter = await ReporterAsync();
        long id;
        await using (var s = await Database.BeginAsync())
        {
            id = (await ComplaintStore.InsertAsync(s, "LPR-2611-00001", reporter, "twilio", Draft(), Now)).Id;
            await ComplaintStore.AppendEventAsync(s, id, Now, "citizen", "submitted", null);
            await s.CommitAsync();
        }

        await using var c = await Database.OpenAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("UPDATE complaint_events SET kind = 'rewritten'"));
        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("DELETE FROM complaint_events"));
        Assert.Equal("submitted", await c.ExecuteScalarAsync<string>("SELECT kind FROM complaint_events WHERE complaint_id = @id", new { id }));
    }

    [SkippableFact]
    public async Task An_uncommitted_unit_of_work_leaves_nothing_behind()
    {
        await using (var s = await Database.BeginAsync())
        {
            var r = await TurnStore.UpsertReporterAsync(s, Message("SMx"), Now);
            await TurnStore.InsertInboundAsync(s, Message("SMx"), r.Id, Now);
            await OutboxStore.EnqueueAsync(s, "twilio", "6281234", r.Id, null, "halo", [], Now);
            // no commit
        }

        await using var c = await Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM reporters) + (SELECT COUNT(*) FROM inbound_messages) + (SELECT COUNT(*) FROM outbox)"));
    }

    private async Task<long> EnqueueAsync(string recipient, string body, DateTimeOffset? at = null, long? reporterId = null)
    {
        await using var s = await Database.BeginAsync();
        var id = await OutboxStore.EnqueueAsync(s, "twilio", recipient, reporterId, null, body, ["ya", "tidak"], at ?? Now,
            [new OutboundButton("Terima", "terima:1")], "notify");
        await s.CommitAsync();
        return id;
    }

    private Task<OutboxRow?> ClaimAsync(DateTimeOffset at, TimeSpan lease, string claimant = "i1") => ClaimOneAsync("twilio", at, lease, claimant);

    /// <summary>Claims one message in a unit of work of its own (the dispatcher batches several claims in one).</summary>
    private async Task<OutboxRow?> ClaimOneAsync(string channel, DateTimeOffset at, TimeSpan lease, string claimant)
    {
        await using var s = await Database.BeginAsync();
        var rows = await OutboxStore.ClaimAsync(s, channel, claimant, at, lease, 1);
        await s.CommitAsync();
        return rows.SingleOrDefault();
    }

    /// <summary>Runs one of the outbox's marks in a unit of work of its own.</summary>
    private async Task MarkAsync(Func<DbSession, Task> mark)
    {
        await using var s = await Database.BeginAsync();
        await mark(s);
        await s.CommitAsync();
    }

    /// <summary>Claims until nothing is due; the ids in the order they were handed out.</summary>
    private async Task<List<long>> ClaimAllAsync(DateTimeOffset at, string claimant = "i1")
    {
        var ids = new List<long>();
        while (await ClaimAsync(at, TimeSpan.FromMinutes(1), claimant) is { } row)
        {
            ids.Add(row.Id);
        }
        return ids;
    }

    [SkippableFact]
    public async Task The_outbox_hands_out_only_the_oldest_pending_message_of_each_chat_staff_first()
    {
        var citizen = await ReporterAsync("c");
        var c1 = await EnqueueAsync("c", "c1", reporterId: citizen);
        var a1 = await EnqueueAsync("a", "a1");
        await EnqueueAsync("a", "a2");
        var b1 = await EnqueueAsync("b", "b1");

        var first = await ClaimAsync(Now, TimeSpan.FromMinutes(1));
        Assert.NotNull(first);
        Assert.Equal(a1, first.Id);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(["ya", "tidak"], first.QuickReplyList);
        Assert.Equal("terima:1", first.ButtonList.Single().Data);
        Assert.Equal("notify", first.Purpose);
        Assert.Equal(Now.AddMinutes(1).ToUnixTimeMilliseconds(), first.ClaimedUntil);
        // Staff notices (no reporter) before the citizen's reply, then nothing: the rest are leased or not heads.
        Assert.Equal([b1, c1], await ClaimAllAsync(Now));
        Assert.Equal(Now.AddMinutes(1), await OutboxStore.NextDueAsync(Database, "twilio", default));

        await MarkAsync(s => OutboxStore.MarkSentAsync(s, a1, "SMout1", Now));
        Assert.Equal("a2", (await ClaimAsync(Now, TimeSpan.FromMinutes(1)))!.Body);
        Assert.Null(await ClaimOneAsync("telegram", Now, TimeSpan.FromMinutes(1), "i1")); // lanes are per channel
    }

    [SkippableFact]
    public async Task Concurrent_claimers_never_get_the_same_message()
    {
        for (var i = 0; i < 40; i++)
        {
            await EnqueueAsync($"chat{i}", $"m{i}");
        }

        var batches = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => ClaimAllAsync(Now, $"i{i % 2}"))));

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
    }

    [SkippableFact]
    public async Task A_claim_is_renewed_only_by_its_holder_and_an_instance_releases_only_its_own_claims()
    {
        var a = await EnqueueAsync("a", "a1");
        var b = await EnqueueAsync("b", "b1");
        var mine = await ClaimAsync(Now, TimeSpan.FromSeconds(30), "i1");
        var theirs = await ClaimAsync(Now, TimeSpan.FromSeconds(30), "i2");
        Assert.Equal((a, b), (mine!.Id, theirs!.Id));

        Assert.True(await OutboxStore.RenewClaimAsync(Database, mine, Now.AddSeconds(60), default));
        // i2's lease runs out while it waits for the provider's rate; i1 takes the message over, so i2 must not send it.
        var taken = await ClaimAsync(Now.AddSeconds(31), TimeSpan.FromSeconds(30), "i1");
        Assert.Equal(b, taken!.Id);
        Assert.False(await OutboxStore.RenewClaimAsync(Database, theirs, Now.AddSeconds(90), default));

        // i1 restarts after a crash: both its claims are due again at once, nothing else changes.
        Assert.Equal(2, await OutboxStore.ReleaseClaimsAsync(Database, "i1", default));
        Assert.Equal(0, await OutboxStore.ReleaseClaimsAsync(Database, "i2", default));
        Assert.Equal([a, b], await ClaimAllAsync(Now.AddSeconds(32), "i2"));
    }

    [SkippableFact]
    public async Task An_expired_lease_is_claimed_again_and_retries_dead_letters_and_revival_are_recorded()
    {
        var id = await EnqueueAsync("a", "a1");
        Assert.NotNull(await ClaimAsync(Now, TimeSpan.FromSeconds(30)));

        var again = await ClaimAsync(Now.AddSeconds(31), TimeSpan.FromSeconds(30));
        Assert.Equal(2, again!.Attempts);

        await MarkAsync(s => OutboxStore.MarkRetryAsync(s, id, "HTTP 503", Now.AddMinutes(5), Now.AddSeconds(31)));
        Assert.Equal(Now.AddMinutes(5), await OutboxStore.NextDueAsync(Database, "twilio", default));
        Assert.Null(await ClaimAsync(Now.AddMinutes(4), TimeSpan.FromSeconds(30)));
        Assert.NotNull(await ClaimAsync(Now.AddMinutes(5), TimeSpan.FromSeconds(30)));

        await MarkAsync(s => OutboxStore.MarkDeadAsync(s, id, "HTTP 400", Now.AddMinutes(6)));
        Assert.Null(await OutboxStore.NextDueAsync(Database, "twilio", default));
        await using (var c = await Database.OpenAsync())
        {
            var dead = (await OutboxStore.ByStatusAsync(c, OutboxStatus.Dead, 10)).Single();
            Assert.Equal("HTTP 400", dead.LastError);
        }
        Assert.True(await OutboxStore.RetryDeadAsync(Database, id, Now.AddMinutes(7), default));
        Assert.False(await OutboxStore.RetryDeadAsync(Database, id, Now.AddMinutes(7), default)); // already pending
        Assert.Equal(1, (await ClaimAsync(Now.AddMinutes(7), TimeSpan.FromSeconds(30)))!.Attempts);
    }

    [SkippableFact]
    public async Task Messages_of_a_channel_no_instance_has_are_buried_with_the_reason()
    {
        var id = await EnqueueAsync("a", "a1");

        Assert.Equal(0, await OutboxStore.BuryUnknownChannelsAsync(Database, ["twilio", "telegram"], Now, default));
        Assert.Equal(1, await OutboxStore.BuryUnknownChannelsAsync(Database, ["telegram"], Now, default));

        await using var c = await Database.OpenAsync();
        var dead = (await OutboxStore.ByStatusAsync(c, OutboxStatus.Dead, 10)).Single();
        Assert.Equal((id, "no channel 'twilio' is configured"), (dead.Id, dead.LastError));
    }

    [SkippableFact]
    public async Task Delivery_receipts_never_move_a_message_back()
    {
        var id = await EnqueueAsync("a", "a1");
        await MarkAsync(s => OutboxStore.MarkSentAsync(s, id, "SMx1", Now));

        Assert.True(await OutboxDelivery.UpdateAsync(Database, "twilio", "SMx1", "read", null, Now, default));
        Assert.True(await OutboxDelivery.UpdateAsync(Database, "twilio", "SMx1", "delivered", null, Now, default));
        Assert.False(await OutboxDelivery.UpdateAsync(Database, "twilio", "SMunknown", "read", null, Now, default));

        await using var c = await Database.OpenAsync();
        Assert.Equal("read", await c.ExecuteScalarAsync<string>("SELECT delivery_status FROM outbox WHERE id = @id", new { id }));
    }

    [SkippableFact]
    public async Task Channel_cursors_are_upserted()
    {
        Assert.Null(await ChannelCursors.GetAsync(Database, "telegram", default));

        await ChannelCursors.SetAsync(Database, "telegram", "41", Now, default);
        await ChannelCursors.SetAsync(Database, "telegram", "42", Now, default);

        Assert.Equal("42", await ChannelCursors.GetAsync(Database, "telegram", default));
    }

    [SkippableFact]
    public async Task A_leader_lease_has_one_holder_until_it_expires_or_is_released()
    {
        var ttl = TimeSpan.FromSeconds(10);
        Assert.True(await Leases.TryAcquireAsync(Database, "telegram:polling", "a", Now, ttl, default));
        Assert.False(await Leases.TryAcquireAsync(Database, "telegram:polling", "b", Now.AddSeconds(5), ttl, default));
        Assert.True(await Leases.TryAcquireAsync(Database, "telegram:polling", "a", Now.AddSeconds(5), ttl, default)); // renewed to +15 s
        Assert.False(await Leases.TryAcquireAsync(Database, "telegram:polling", "b", Now.AddSeconds(14), ttl, default));
        Assert.Equal("a", await Leases.HolderAsync(Database, "telegram:polling", Now.AddSeconds(14), default));

        // a dies: its lease runs out and b takes over
        Assert.True(await Leases.TryAcquireAsync(Database, "telegram:polling", "b", Now.AddSeconds(15), ttl, default));
        Assert.False(await Leases.TryAcquireAsync(Database, "telegram:polling", "a", Now.AddSeconds(16), ttl, default));
        Assert.True(await Leases.TryAcquireAsync(Database, "other", "a", Now.AddSeconds(16), ttl, default)); // leases are per name

        await Leases.ReleaseAsync(Database, "telegram:polling", "a", default); // not a's: nothing happens
        Assert.Equal("b", await Leases.HolderAsync(Database, "telegram:polling", Now.AddSeconds(16), default));
        await Leases.ReleaseAsync(Database, "telegram:polling", "b", default);
        Assert.True(await Leases.TryAcquireAsync(Database, "telegram:polling", "a", Now.AddSeconds(17), ttl, default));
    }

    [SkippableFact]
    public async Task Many_instances_racing_for_a_free_lease_leave_exactly_one_holder()
    {
        var won = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Leases.TryAcquireAsync(Database, "telegram:polling", $"i{i}", Now, TimeSpan.FromSeconds(10), default))));

        Assert.Single(won, w => w);
    }

    [SkippableFact]
    public async Task Units_of_work_are_serialized_so_a_read_check_write_never_loses_an_update()
    {
        var reporter = await ReporterAsync();
        await using (var s = await Database.BeginAsync())
        {
            await ComplaintStore.InsertAsync(s, "LPR-2611-00001", reporter, "twilio", Draft(), Now);
            await s.CommitAsync();
        }

        // Each writer reads the counter, then writes it + 1: the pattern of the workflow's status checks.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await using var s = await Database.BeginAsync();
            var n = await s.Connection.ExecuteScalarAsync<long>("SELECT updated_at FROM complaints WHERE tracking_number = 'LPR-2611-00001'", transaction: s.Transaction);
            await Task.Delay(5);
            await s.Connection.ExecuteAsync("UPDATE complaints SET updated_at = @n WHERE tracking_number = 'LPR-2611-00001'", new { n = n + 1 }, s.Transaction);
            await s.CommitAsync();
        })));

        await using var c = await Database.OpenAsync();
        Assert.Equal(Now.ToUnixTimeMilliseconds() + 10, await c.ExecuteScalarAsync<long>("SELECT updated_at FROM complaints"));
    }
}

public sealed class SqliteStoreSuite : StoreSuite
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class PostgresStoreSuite : StoreSuite
{
    protected override Backend Backend => Backend.Postgres;
}
