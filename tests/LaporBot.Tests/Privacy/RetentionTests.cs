using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Privacy;
using LaporBot.Workflow;
using LaporBot.Reports;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Reports;

namespace LaporBot.Tests.Privacy;

/// <summary>
/// The retention round on a manual clock, over RecapKit's four July 2025 cases with A and B closed
/// (A with a photo), C still open at its agency and D waiting at triage.
/// </summary>
public abstract class RetentionTests : IAsyncLifetime
{
    private readonly RecapKit _kit;

    private protected RetentionTests(RecapKit kit) => _kit = kit;

    public sealed class OnSqlite() : RetentionTests(new RecapKit());

    public sealed class OnPostgres() : RetentionTests(new PostgresRecapKit());
    private DateTimeOffset _closedAt;
    private string _photo = "";

    public async Task InitializeAsync()
    {
        await _kit.InitializeAsync();
        if (_kit.Unavailable is not null)
        {
            return;
        }
        _closedAt = RecapKit.T0 + TimeSpan.FromDays(1);
        var wf = _kit.App.Service<ComplaintWorkflow>();
        await using (var s = await _kit.App.Service<IDatabase>().BeginAsync())
        {
            foreach (var number in new[] { _kit.A, _kit.B })
            {
                var c = (await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction))!;
                Assert.True(await wf.CloseAsync(s, c, "test", "closed_by_staff", "selesai", _closedAt, citizenMessage: null));
            }
            // A photo the citizen sent with A, kept under the attachment folder.
            _photo = Path.Combine("2025", "07", "foto-a.jpg");
            await s.Connection.ExecuteAsync(
                """
                INSERT INTO complaint_attachments (complaint_id, source_url, content_type, local_path, created_at)
                SELECT id, 'https://provider.invalid/m/1', 'image/jpeg', @photo, created_at FROM complaints WHERE tracking_number = @a
                """, new { photo = _photo, a = _kit.A }, s.Transaction);
            await s.CommitAsync();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(PhotoFile)!);
        await File.WriteAllBytesAsync(PhotoFile, [0xFF, 0xD8, 0xFF, 0xD9]);
        // The dispatcher finishes what setup queued before the clock jumps (else it stamps them "now").
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0,
            "the outbox drained");
    }

    private string PhotoFile => Path.Combine(_kit.App.Dir, "attachments", _photo);
    private string DbPath => _kit.App.DatabasePath;

    private async Task<RetentionCounts> RunAtAsync(DateTimeOffset at)
    {
        _kit.Clock.Set(at);
        return await _kit.App.Service<RetentionService>().RunOnceAsync();
    }

    /// <summary>Everything in every table (Quartz's aside), as text, to compare runs; rows sorted as text, on either database.</summary>
    private async Task<string> DumpAsync()
    {
        await using var c = TestDatabase.Connect(DbPath);
        await c.OpenAsync();
        var tables = (await c.QueryAsync<string>(TestDatabase.IsPostgres(DbPath)
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"))
            .Where(t => !t.StartsWith("qrtz", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        var b = new System.Text.StringBuilder();
        foreach (var t in tables)
        {
            var rows = (await c.QueryAsync($"SELECT * FROM \"{t}\""))
                .Select(row => string.Join(" | ", ((IDictionary<string, object?>)row).Select(kv => $"{kv.Key}={kv.Value}")))
                .Order(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                b.Append(t).Append(": ").Append(row).Append('\n');
            }
        }
        return b.ToString();
    }

    private Task<List<string>> PersonalOfAsync() => Db.QueryAsync<string>(DbPath,
        "SELECT c.tracking_number FROM complaint_personal p JOIN complaints c ON c.id = p.complaint_id ORDER BY c.tracking_number");

    private async Task<string> SkeletonAsync() => string.Join(";", await Db.QueryAsync<string>(DbPath,
        """
        SELECT tracking_number || ',' || status || ',' || COALESCE(agency_code, '-') || ',' || created_at || ',' || COALESCE(answered_at, 0)
               || ',' || COALESCE(rating, 0) || ',' || COALESCE(closed_at, 0) || ',' || COALESCE(total_due_at, 0)
        FROM complaints ORDER BY id
        """));

    private async Task<string> TimelineSkeletonAsync() => string.Join(";", await Db.QueryAsync<string>(DbPath,
        "SELECT id || ',' || complaint_id || ',' || at || ',' || actor || ',' || kind FROM complaint_events ORDER BY id"));

    [SkippableFact]
    public async Task Before_the_period_ends_closed_cases_keep_their_personal_data_and_only_raw_messages_go()
    {
        _kit.SkipIfUnavailable();
        var counts = await RunAtAsync(_closedAt + TimeSpan.FromDays(729));

        Assert.Equal(0, counts.Cases);
        Assert.Equal(0, counts.Identities);
        Assert.True(counts.InboundMessages > 0, "raw inbound messages are older than 30 days");
        Assert.Equal(new[] { _kit.A, _kit.B, _kit.C, _kit.D }.Order(), await PersonalOfAsync());
        Assert.True(File.Exists(PhotoFile));
        Assert.Equal(0, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(0, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM conversations"));
        Assert.Equal(0, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM outbox WHERE status <> 'pending'"));
        Assert.Equal(4, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM reporters WHERE erased_at IS NULL"));
    }

    [SkippableFact]
    public async Task After_the_period_exactly_the_closed_cases_personal_data_goes_twice_with_no_change_and_past_recaps_unchanged()
    {
        _kit.SkipIfUnavailable();
        var recaps = _kit.App.Service<RecapService>();
        var july = RecapPeriod.Month(2025, 7);
        var before = await recaps.BuildAsync(july, identity: null);
        var skeleton = await SkeletonAsync();
        var timeline = await TimelineSkeletonAsync();
        var notesOfOpen = await Db.ScalarAsync<long>(DbPath,
            "SELECT COUNT(*) FROM complaint_event_notes n JOIN complaints c ON c.id = n.complaint_id WHERE c.tracking_number IN (@C, @D)", new { _kit.C, _kit.D });
        var rC = (await Db.QueryAsync<(string Name, string Address, string Text)>(DbPath,
            "SELECT name, address, text FROM complaint_details WHERE tracking_number = @C", new { _kit.C })).Single();

        var first = await RunAtAsync(_closedAt + TimeSpan.FromDays(731));

        Assert.Equal(2, first.Cases);
        Assert.Equal(2, first.Identities); // A's and B's reporters: nothing of theirs is held any more
        Assert.Equal(1, first.Files);
        Assert.False(File.Exists(PhotoFile));
        // Only C and D (open) keep their personal data, untouched.
        Assert.Equal(new[] { _kit.C, _kit.D }.Order(), await PersonalOfAsync());
        Assert.Equal(rC, (await Db.QueryAsync<(string, string, string)>(DbPath,
            "SELECT name, address, text FROM complaint_details WHERE tracking_number = @C", new { _kit.C })).Single());
        Assert.Equal(notesOfOpen, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM complaint_event_notes"));
        Assert.Equal(0, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM complaint_attachments"));
        var erased = await Db.QueryAsync<(string Number, long? At)>(DbPath, "SELECT tracking_number, personal_erased_at FROM complaints ORDER BY id");
        Assert.Equal([(_kit.A, true), (_kit.B, true), (_kit.C, false), (_kit.D, false)], erased.Select(e => (e.Number, e.At is not null)));
        // The reporters of A and B are tokens now; C's and D's can still be reached.
        var addresses = await Db.QueryAsync<string>(DbPath, "SELECT address FROM reporters ORDER BY id");
        Assert.Equal(2, addresses.Count(a => a.StartsWith("dihapus:", StringComparison.Ordinal)));
        Assert.Contains(RecapKit.Reporters[2].Citizen, addresses);
        Assert.DoesNotContain(RecapKit.Reporters[0].Citizen, addresses);
        // The skeleton and the timeline did not move; nor did the recap's figures for July 2025.
        Assert.Equal(skeleton, await SkeletonAsync());
        Assert.Equal(timeline, await TimelineSkeletonAsync());
        var after = await recaps.BuildAsync(july, identity: null);
        Assert.Equal((before.Total, before.Answered, before.AnsweredOnTime, before.OnTimeShare, before.AverageRating),
            (after.Total, after.Answered, after.AnsweredOnTime, after.OnTimeShare, after.AverageRating));
        Assert.Equal(before.Agencies, after.Agencies);
        Assert.Equal(before.Statuses, after.Statuses);
        Assert.Equal(before.Cases.Select(c => (c.Number, c.Status, c.AgencyCode, c.MinutesToAssign, c.MinutesToAnswer, c.Rating, c.AnsweredOnTime)),
            after.Cases.Select(c => (c.Number, c.Status, c.AgencyCode, c.MinutesToAssign, c.MinutesToAnswer, c.Rating, c.AnsweredOnTime)));

        var dump = await DumpAsync();
        var second = await RunAtAsync(_closedAt + TimeSpan.FromDays(731) + TimeSpan.FromMinutes(5));

        Assert.Equal(0, second.Total);
        Assert.Equal(dump, await DumpAsync());
        // Counts reach the log; content never does.
        var logs = _kit.App.Logs.All;
        Assert.Contains("Retention erased: 2 cases' personal data", logs);
        foreach (var (citizen, name, address, _) in RecapKit.Reporters)
        {
            Assert.DoesNotContain(citizen, logs);
            Assert.DoesNotContain(address, logs);
        }
    }

    [SkippableFact]
    public async Task Large_backlogs_go_in_batches_of_the_configured_size()
    {
        _kit.SkipIfUnavailable();
        // 450 inbound messages from long ago: three batches of 200 / 200 / 50.
        await Db.ExecuteAsync(DbPath,
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450)
            INSERT INTO inbound_messages (channel, provider_message_id, reporter_id, text, received_at)
            SELECT 'simulator', 'old-' || i, (SELECT MIN(id) FROM reporters), 'pesan lama', 1 FROM n
            """);
        var total = await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM inbound_messages");

        var counts = await RunAtAsync(RecapKit.T0 + TimeSpan.FromDays(31));

        Assert.Equal(total, counts.InboundMessages);
        Assert.Equal(0, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM inbound_messages"));
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();
}
