using System.Data.Common;
using System.Text.Json;
using Dapper;
using LaporBot.Channels;
using LaporBot.Data;

namespace LaporBot.Outbox;

internal static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";
    public const string Dead = "dead";
}

/// <summary>Within a channel, lower goes first: staff notifications ahead of bulk citizen replies.</summary>
internal static class OutboxPriority
{
    public const int Staff = 0;
    public const int Citizen = 1;
}

internal sealed record OutboxRow
{
    public long Id { get; init; }
    public string Channel { get; init; } = "";
    public string Recipient { get; init; } = "";
    public long? ReporterId { get; init; }
    public long? ComplaintId { get; init; }
    public string Body { get; init; } = "";
    public string? QuickReplies { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public long NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public string? ProviderMessageId { get; init; }
    public long CreatedAt { get; init; }
    public long? SentAt { get; init; }
    public long? LastInboundAt { get; init; }
    public string? Buttons { get; init; }
    public string? Purpose { get; init; }
    public string? Attachment { get; init; }
    public string Format { get; init; } = "plain";

    /// <summary>Within a channel, lower goes first (<see cref="OutboxPriority"/>).</summary>
    public int Priority { get; init; }

    public TextFormat TextFormat => Format == "markup" ? TextFormat.Markup : TextFormat.Plain;

    /// <summary>The lease this claim set; whoever still finds it on the row owns the message.</summary>
    public long? ClaimedUntil { get; init; }

    public IReadOnlyList<OutboundButton> ButtonList =>
        Buttons is null ? [] : JsonSerializer.Deserialize<List<OutboundButton>>(Buttons) ?? [];

    public IReadOnlyList<string> QuickReplyList =>
        QuickReplies is null ? [] : JsonSerializer.Deserialize<List<string>>(QuickReplies) ?? [];
}

/// <summary>Durable outgoing messages: written in the turn's transaction, sent after commit.</summary>
internal static class OutboxStore
{
    private const string Columns =
        "o.id, o.channel, o.recipient, o.reporter_id, o.complaint_id, o.body, o.quick_replies, o.status, o.attempts, o.next_attempt_at, o.last_error, o.provider_message_id, o.created_at, o.sent_at, o.buttons, o.purpose, o.attachment, o.format";

    public static Task<long> EnqueueAsync(
        DbSession s, string channel, string recipient, long? reporterId, long? complaintId, string body,
        IReadOnlyList<string> quickReplies, DateTimeOffset now, IReadOnlyList<OutboundButton>? buttons = null, string? purpose = null,
        string? attachment = null, TextFormat format = TextFormat.Plain) =>
        s.Connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO outbox (channel, recipient, reporter_id, complaint_id, body, quick_replies, buttons, purpose, attachment, format, status,
                                attempts, next_attempt_at, created_at, updated_at, priority)
            VALUES (@channel, @recipient, @reporterId, @complaintId, @body, @quick, @buttons, @purpose, @attachment, @format, 'pending',
                    0, @now, @now, @now, @priority)
            RETURNING id
            """,
            new
            {
                channel, recipient, reporterId, complaintId, body,
                quick = quickReplies.Count == 0 ? null : JsonSerializer.Serialize(quickReplies),
                buttons = buttons is null || buttons.Count == 0 ? null : JsonSerializer.Serialize(buttons),
                purpose, attachment, format = format == TextFormat.Markup ? "markup" : "plain", now = now.ToUnixTimeMilliseconds(),
                priority = reporterId is null ? OutboxPriority.Staff : OutboxPriority.Citizen,
            },
            s.Transaction);

    // A row is its chat's head when no older row of the same chat is still pending: only heads are
    // sent, so a chat's messages go out in order even while an earlier one waits for a retry.
    // Answered from ix_outbox_chat_pending (pending rows only) in one index seek.
    private const string IsHead =
        "NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.recipient = o.recipient AND p.status = 'pending' AND p.id < o.id)";

    /// <summary>
    /// The next messages to claim, best first: walks ix_outbox_lane in order, one index seek per row
    /// for <see cref="IsHead"/>, no sort. The unary plus keeps the planner from preferring the
    /// (status, next_attempt_at) index, which would sort the whole due queue for every claim.
    /// </summary>
    internal const string NextCandidatesSql =
        $"""
        SELECT o.id FROM outbox o
        WHERE o.status = 'pending' AND o.channel = @channel
          AND +o.next_attempt_at <= @now AND (o.claimed_until IS NULL OR o.claimed_until <= @now)
          AND {IsHead}
        ORDER BY o.priority, o.id
        LIMIT @limit
        """;

    /// <summary>
    /// Claims up to <paramref name="limit"/> messages of <paramref name="channel"/> to send now, best
    /// first (staff notifications, then the oldest), at most one per chat (only chat heads), in one
    /// statement inside the caller's unit of work — the dispatcher runs it in a group-commit batch
    /// (<see cref="GroupCommit"/>), so claiming a batch costs one share of a commit. Only what is
    /// about to be sent should be claimed: a crash holds the claimed messages until the instance
    /// restarts (or, for another instance, until the lease ends).
    /// </summary>
    public static async Task<IReadOnlyList<OutboxRow>> ClaimAsync(
        DbSession s, string channel, string claimant, DateTimeOffset now, TimeSpan lease, int limit)
    {
        var n = now.ToUnixTimeMilliseconds();
        var rows = (await s.Connection.QueryAsync<OutboxRow>(
            $"""
            UPDATE outbox SET claimed_until = @until, claimed_by = @claimant, attempts = attempts + 1, updated_at = @now
            WHERE id IN ({NextCandidatesSql}{s.Dialect.SkipLockedSuffix})
            RETURNING id, channel, recipient, reporter_id, complaint_id, body, quick_replies, status, attempts,
                      next_attempt_at, last_error, provider_message_id, created_at, sent_at, buttons, purpose, attachment, format, priority, claimed_until,
                      (SELECT r.last_inbound_at FROM reporters r WHERE r.id = outbox.reporter_id) AS last_inbound_at
            """,
            new { channel, until = (now + lease).ToUnixTimeMilliseconds(), claimant, now = n, limit },
            s.Transaction)).AsList();
        // RETURNING gives no order: put them back in the order they were chosen.
        rows.Sort((x, y) => x.Priority != y.Priority ? x.Priority.CompareTo(y.Priority) : x.Id.CompareTo(y.Id));
        return rows;
    }

    /// <summary>
    /// When the next message of <paramref name="channel"/> becomes sendable (a retry's time, or the end of
    /// another sender's lease); null when nothing is pending. The dispatcher sleeps until then.
    /// </summary>
    public static async Task<DateTimeOffset?> NextDueAsync(IDatabase db, string channel, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var at = await c.ExecuteScalarAsync<long?>(
            $"""
            SELECT MIN(CASE WHEN o.claimed_until IS NOT NULL AND o.claimed_until > o.next_attempt_at THEN o.claimed_until ELSE o.next_attempt_at END)
            FROM outbox o
            WHERE o.status = 'pending' AND o.channel = @channel AND {IsHead}
            """,
            new { channel });
        return at is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>
    /// When the oldest message that is due and that no sender holds became due; null when none waits.
    /// Retries waiting for their time and messages being sent do not count: a value far in the past
    /// means nobody is sending (see <see cref="OutboxBacklogCheck"/>).
    /// </summary>
    public static async Task<DateTimeOffset?> OldestWaitingAsync(IDatabase db, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var at = await c.ExecuteScalarAsync<long?>(
            """
            SELECT MIN(next_attempt_at) FROM outbox
            WHERE status = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
            """,
            new { now = now.ToUnixTimeMilliseconds() });
        return at is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>
    /// Makes the claims <paramref name="claimant"/> still holds due at once. Called when an instance
    /// starts (its previous process died mid-send) and when it stops: nothing of its own is in flight
    /// then, so the messages need not wait out their lease. The one that was being sent may go out twice.
    /// </summary>
    public static async Task<int> ReleaseClaimsAsync(IDatabase db, string claimant, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE outbox SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by = @claimant AND status = 'pending' AND claimed_until IS NOT NULL",
            new { claimant });
    }

    /// <summary>Pending messages of channels this instance does not have: dead, with the reason, so staff see them.</summary>
    public static async Task<int> BuryUnknownChannelsAsync(IDatabase db, IReadOnlyCollection<string> known, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            $"""
            UPDATE outbox SET status = 'dead', claimed_until = NULL, claimed_by = NULL,
                              last_error = 'no channel ''' || channel || ''' is configured', updated_at = @now
            WHERE status = 'pending' AND NOT ({db.Dialect.InList("channel", "@known")})
            """,
            new { known = known.ToArray(), now = now.ToUnixTimeMilliseconds() });
    }

    /// <summary>Gives claims back unsent (stopping before their sends began): not an attempt.</summary>
    public static async Task ReleaseClaimsAsync(IDatabase db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var c = await db.OpenAsync(ct);
        foreach (var chunk in ids.Chunk(500))
        {
            await c.ExecuteAsync(
                $"UPDATE outbox SET claimed_until = NULL, claimed_by = NULL, attempts = attempts - 1 WHERE status = 'pending' AND id IN ({string.Join(",", chunk)})");
        }
    }

    /// <summary>
    /// Right before sending: extends the claim if it is still ours (the lease may have run out while
    /// the message waited for the provider's rate, and another instance claimed it). False: leave it.
    /// </summary>
    public static async Task<bool> RenewClaimAsync(IDatabase db, OutboxRow row, DateTimeOffset until, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE outbox SET claimed_until = @until WHERE id = @id AND status = 'pending' AND claimed_until = @mine",
            new { id = row.Id, mine = row.ClaimedUntil, until = until.ToUnixTimeMilliseconds() }) == 1;
    }

    // The marks run inside the dispatcher's unit of work in a group-commit batch: many sends, one commit.

    public static Task MarkSentAsync(DbSession s, long id, string? providerMessageId, DateTimeOffset now) =>
        s.Connection.ExecuteAsync(
            "UPDATE outbox SET status = 'sent', provider_message_id = @pid, sent_at = @now, claimed_until = NULL, claimed_by = NULL, last_error = NULL, updated_at = @now WHERE id = @id",
            new { id, pid = providerMessageId, now = now.ToUnixTimeMilliseconds() }, s.Transaction);

    public static Task MarkRetryAsync(DbSession s, long id, string error, DateTimeOffset nextAttempt, DateTimeOffset now) =>
        s.Connection.ExecuteAsync(
            "UPDATE outbox SET next_attempt_at = @next, claimed_until = NULL, claimed_by = NULL, last_error = @error, updated_at = @now WHERE id = @id",
            new { id, error, next = nextAttempt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() }, s.Transaction);

    public static Task MarkDeadAsync(DbSession s, long id, string error, DateTimeOffset now) =>
        s.Connection.ExecuteAsync(
            "UPDATE outbox SET status = 'dead', claimed_until = NULL, claimed_by = NULL, last_error = @error, updated_at = @now WHERE id = @id",
            new { id, error, now = now.ToUnixTimeMilliseconds() }, s.Transaction);

    /// <summary>Puts a dead message back in the queue with fresh attempts (staff action).</summary>
    public static async Task<bool> RetryDeadAsync(IDatabase db, long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = @now, claimed_until = NULL, updated_at = @now WHERE id = @id AND status IN ('dead', 'failed')",
            new { id, now = now.ToUnixTimeMilliseconds() }) == 1;
    }

    public static Task MarkReporterUnreachableAsync(DbSession s, long reporterId, DateTimeOffset now) =>
        s.Connection.ExecuteAsync("UPDATE reporters SET unreachable_at = @now WHERE id = @reporterId",
            new { reporterId, now = now.ToUnixTimeMilliseconds() }, s.Transaction);

    public static async Task<IReadOnlyList<OutboxRow>> ForRecipientAsync(DbConnection c, string channel, string recipient, long afterId) =>
        (await c.QueryAsync<OutboxRow>(
            $"SELECT {Columns} FROM outbox o WHERE o.channel = @channel AND o.recipient = @recipient AND o.id > @afterId ORDER BY o.id",
            new { channel, recipient, afterId })).AsList();

    public static async Task<IReadOnlyList<OutboxRow>> ByStatusAsync(DbConnection c, string status, int limit) =>
        (await c.QueryAsync<OutboxRow>(
            $"SELECT {Columns} FROM outbox o WHERE o.status = @status ORDER BY o.id LIMIT @limit", new { status, limit })).AsList();
}

internal static class OutboxDelivery
{
    /// <summary>
    /// Records a provider's delivery receipt for the message it knows as <paramref name="providerMessageId"/>.
    /// Receipts can arrive out of order (read before delivered); a later stage never goes back.
    /// Returns false when no such message exists.
    /// </summary>
    public static async Task<bool> UpdateAsync(IDatabase db, string channel, string providerMessageId, string deliveryStatus,
        string? error, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var current = await c.QuerySingleOrDefaultAsync<string?>(
            "SELECT COALESCE(delivery_status, '') FROM outbox WHERE channel = @channel AND provider_message_id = @providerMessageId",
            new { channel, providerMessageId });
        if (current is null)
        {
            return false;
        }
        if (Rank(deliveryStatus) < Rank(current))
        {
            return true;
        }
        await c.ExecuteAsync(
            """
            UPDATE outbox SET delivery_status = @deliveryStatus, delivery_error = COALESCE(@error, delivery_error),
                              delivery_updated_at = @now, updated_at = @now
            WHERE channel = @channel AND provider_message_id = @providerMessageId
            """,
            new { channel, providerMessageId, deliveryStatus, error, now = now.ToUnixTimeMilliseconds() });
        return true;
    }

    // failed/undelivered are final and outrank everything; otherwise queued < sent < delivered < read.
    private static int Rank(string status) => status switch
    {
        "" => 0,
        "accepted" or "queued" or "sending" => 1,
        "sent" => 2,
        "delivered" => 3,
        "read" => 4,
        "failed" or "undelivered" => 5,
        _ => 1,
    };
}
