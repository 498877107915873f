using Dapper;
using LaporBot.Channels;
using LaporBot.Data;
using Microsoft.Extensions.Options;
using Quartz;

namespace LaporBot.Privacy;

/// <summary>What one retention run erased: counts only, never content.</summary>
internal sealed record RetentionCounts(
    int Cases, int Identities, int InboundMessages, int OutboxMessages, int Conversations, int StaffCommands, int Files)
{
    public int Total => Cases + Identities + InboundMessages + OutboxMessages + Conversations + StaffCommands + Files;
}

/// <summary>
/// Erases personal data whose retention period has passed (Privacy:Retention), and finishes the
/// erasures citizens asked for once their open cases have closed. Idempotent: everything it erases
/// is selected by a condition that the erasure itself makes false, so a second run finds nothing.
/// Works in batches of Privacy:Retention:BatchSize rows per transaction. The case skeleton (status,
/// agency, times, rating) is never touched, so recaps and statistics of past periods do not change.
/// </summary>
internal sealed class RetentionService(
    IDatabase db, AttachmentStore attachments, IOptions<PrivacyOptions> options, TimeProvider clock, ILogger<RetentionService> logger)
{
    private const string OpenStatuses = "'submitted', 'triage', 'returned', 'assigned', 'accepted', 'answered', 'reopened'";

    public async Task<RetentionCounts> RunOnceAsync(CancellationToken ct = default)
    {
        var r = options.Value.Retention;
        var now = clock.GetUtcNow();
        long Cutoff(TimeSpan keep) => (now - keep).ToUnixTimeMilliseconds();
        var files = 0;

        // 1. Closed cases past their retention, and closed cases of reporters who asked to be erased.
        var cases = await BatchedAsync(
            $"""
            SELECT c.id FROM complaints c
            WHERE c.personal_erased_at IS NULL AND c.status = 'closed'
              AND (c.closed_at <= @cutoff
                   OR EXISTS (SELECT 1 FROM reporters r WHERE r.id = c.reporter_id AND r.erase_requested_at IS NOT NULL))
            ORDER BY c.id LIMIT @batch
            """,
            new { cutoff = Cutoff(r.ClosedCases), batch = r.BatchSize },
            async (s, id) => files += Erasure.DeleteFiles(attachments, await Erasure.EraseCaseAsync(s, id, now)), ct);

        // 2. Identities: asked to be erased and nothing open any more; or silent and no case holds their data.
        var identities = await BatchedAsync(
            $"""
            SELECT r.id FROM reporters r
            WHERE r.erased_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.reporter_id = r.id AND c.status IN ({OpenStatuses}))
              AND (r.erase_requested_at IS NOT NULL
                   OR (COALESCE(r.last_inbound_at, r.created_at) <= @cutoff
                       AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.reporter_id = r.id AND c.personal_erased_at IS NULL)
                       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.reporter_id = r.id AND o.status = 'pending')))
            ORDER BY r.id LIMIT @batch
            """,
            new { cutoff = Cutoff(r.InactiveReporters), batch = r.BatchSize },
            async (s, id) =>
            {
                // An erasure the citizen asked for takes their closed cases too, whatever their age.
                foreach (var caseId in await s.Connection.QueryAsync<long>(
                    "SELECT id FROM complaints WHERE reporter_id = @id AND personal_erased_at IS NULL", new { id }, s.Transaction))
                {
                    files += Erasure.DeleteFiles(attachments, await Erasure.EraseCaseAsync(s, caseId, now));
                }
                files += Erasure.DeleteFiles(attachments, await Erasure.EraseIdentityAsync(s, id, now));
            }, ct);

        // 3. Raw inbound messages (and the files only they refer to).
        var inbound = await BatchedAsync(
            "SELECT id FROM inbound_messages WHERE received_at <= @cutoff ORDER BY id LIMIT @batch",
            new { cutoff = Cutoff(r.InboundMessages), batch = r.BatchSize },
            async (s, id) =>
            {
                files += Erasure.DeleteFiles(attachments, await Erasure.InboundFilesAsync(s, "id = @id", new { id }));
                await s.Connection.ExecuteAsync("DELETE FROM inbound_messages WHERE id = @id", new { id }, s.Transaction);
            }, ct);

        // 4. Outgoing messages no longer waiting to go out; at once for reporters already erased.
        var outbox = await BatchedAsync(
            """
            SELECT o.id FROM outbox o
            WHERE o.status <> 'pending'
              AND (o.updated_at <= @cutoff OR EXISTS (SELECT 1 FROM reporters r WHERE r.id = o.reporter_id AND r.erased_at IS NOT NULL))
            ORDER BY o.id LIMIT @batch
            """,
            new { cutoff = Cutoff(r.OutboxMessages), batch = r.BatchSize },
            (s, id) => s.Connection.ExecuteAsync("DELETE FROM outbox WHERE id = @id", new { id }, s.Transaction), ct);

        // 5. Conversations left unfinished or idle.
        var conversations = await BatchedAsync(
            "SELECT reporter_id FROM conversations WHERE updated_at <= @cutoff ORDER BY reporter_id LIMIT @batch",
            new { cutoff = Cutoff(r.Conversations), batch = r.BatchSize },
            (s, id) => s.Connection.ExecuteAsync("DELETE FROM conversations WHERE reporter_id = @id", new { id }, s.Transaction), ct);

        // 6. Staff commands as typed.
        var staff = 0;
        while (true)
        {
            await using var s = await db.BeginAsync(ct);
            var n = await s.Connection.ExecuteAsync(
                """
                DELETE FROM staff_updates WHERE (channel, provider_message_id) IN
                    (SELECT channel, provider_message_id FROM staff_updates WHERE received_at <= @cutoff ORDER BY received_at LIMIT @batch)
                """,
                new { cutoff = Cutoff(r.StaffCommands), batch = r.BatchSize }, s.Transaction);
            await s.CommitAsync(ct);
            staff += n;
            if (n < r.BatchSize)
            {
                break;
            }
        }

        var counts = new RetentionCounts(cases, identities, inbound, outbox, conversations, staff, files);
        if (counts.Total > 0)
        {
            logger.LogInformation(
                "Retention erased: {Cases} cases' personal data, {Identities} reporter identities, {Inbound} inbound messages, " +
                "{Outbox} outgoing messages, {Conversations} conversations, {StaffCommands} staff commands, {Files} files",
                counts.Cases, counts.Identities, counts.InboundMessages, counts.OutboxMessages, counts.Conversations, counts.StaffCommands, counts.Files);
        }
        return counts;
    }

    /// <summary>Selects a batch of ids, erases each in one transaction, repeats until a batch comes back short.</summary>
    private async Task<int> BatchedAsync(string select, object args, Func<DbSession, long, Task> erase, CancellationToken ct)
    {
        var batch = options.Value.Retention.BatchSize;
        var total = 0;
        while (true)
        {
            await using var s = await db.BeginAsync(ct);
            var ids = (await s.Connection.QueryAsync<long>(select, args, s.Transaction)).AsList();
            foreach (var id in ids)
            {
                await erase(s, id);
            }
            await s.CommitAsync(ct);
            total += ids.Count;
            if (ids.Count < batch)
            {
                return total;
            }
        }
    }
}

/// <summary>The retention round (Quartz). Safe to run late, twice, or on several instances in turn.</summary>
[DisallowConcurrentExecution]
internal sealed class RetentionJob(RetentionService retention) : IJob
{
    public static readonly JobKey Key = new("retention", "laporbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.RunOnceAsync(cancellationToken);
}
