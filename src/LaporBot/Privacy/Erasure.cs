using System.Text.Json;
using Dapper;
using LaporBot.Channels;
using LaporBot.Data;

namespace LaporBot.Privacy;

/// <summary>
/// The one place personal data is erased (migration 0011 put it where this can be done without touching
/// the case skeleton, the append-only timeline or the statistics). Runs inside the caller's transaction;
/// returns the attachment files to delete once the transaction has committed.
/// </summary>
internal static class Erasure
{
    /// <summary>The token a reporter's chat address becomes: unique, and nothing of the number is left.</summary>
    public static string ErasedAddress(long reporterId) => $"dihapus:{reporterId}";

    /// <summary>
    /// Erases one case's personal data: what the citizen wrote and who they are, the answer addressed to
    /// them, the timeline's notes, attachments, the messages about it that are no longer waiting to go
    /// out, and staff commands that named it. Idempotent.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EraseCaseAsync(DbSession s, long complaintId, DateTimeOffset now)
    {
        var c = s.Connection;
        var tx = s.Transaction;
        var number = await c.ExecuteScalarAsync<string>("SELECT tracking_number FROM complaints WHERE id = @complaintId", new { complaintId }, tx);
        var files = (await c.QueryAsync<string>(
            "SELECT local_path FROM complaint_attachments WHERE complaint_id = @complaintId AND local_path IS NOT NULL", new { complaintId }, tx)).AsList();
        await c.ExecuteAsync(
            """
            DELETE FROM complaint_personal WHERE complaint_id = @complaintId;
            DELETE FROM complaint_drafts WHERE complaint_id = @complaintId;
            DELETE FROM complaint_event_notes WHERE complaint_id = @complaintId;
            DELETE FROM complaint_attachments WHERE complaint_id = @complaintId;
            DELETE FROM outbox WHERE complaint_id = @complaintId AND (status <> 'pending' OR reporter_id IS NULL);
            DELETE FROM staff_updates WHERE text LIKE '%' || @number || '%';
            UPDATE complaints SET personal_erased_at = @now, problem_location = '' WHERE id = @complaintId AND personal_erased_at IS NULL;
            """,
            new { complaintId, number, now = now.ToUnixTimeMilliseconds() }, tx);
        return files;
    }

    /// <summary>
    /// Erases what identifies a reporter outside their cases: raw messages (and their files), the
    /// conversation state, sent messages, and the chat address and profile name themselves (replaced by
    /// a token so their cases keep a key). Call only when no case of theirs is open.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EraseIdentityAsync(DbSession s, long reporterId, DateTimeOffset now)
    {
        var files = await InboundFilesAsync(s, "reporter_id = @reporterId", new { reporterId });
        await s.Connection.ExecuteAsync(
            """
            DELETE FROM inbound_messages WHERE reporter_id = @reporterId;
            DELETE FROM conversations WHERE reporter_id = @reporterId;
            DELETE FROM outbox WHERE reporter_id = @reporterId AND status <> 'pending';
            UPDATE reporters SET address = @erased, display_name = NULL, erased_at = @now, erase_requested_at = NULL
            WHERE id = @reporterId AND erased_at IS NULL;
            """,
            new { reporterId, erased = ErasedAddress(reporterId), now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        return files;
    }

    /// <summary>Files kept for inbound messages matching <paramref name="where"/> that no held case still uses.</summary>
    public static async Task<IReadOnlyList<string>> InboundFilesAsync(DbSession s, string where, object args)
    {
        var json = await s.Connection.QueryAsync<string>(
            $"SELECT attachments FROM inbound_messages WHERE attachments IS NOT NULL AND {where}", args, s.Transaction);
        var paths = json.SelectMany(j => JsonSerializer.Deserialize<List<InboundAttachment>>(j) ?? [])
            .Select(a => a.LocalPath).OfType<string>().Distinct().ToList();
        var kept = new List<string>();
        foreach (var p in paths)
        {
            var used = await s.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM complaint_attachments WHERE local_path = @p", new { p }, s.Transaction);
            if (used == 0)
            {
                kept.Add(p);
            }
        }
        return kept;
    }

    /// <summary>Deletes attachment files (paths relative to the attachment folder); returns how many were there.</summary>
    public static int DeleteFiles(AttachmentStore store, IEnumerable<string> relativePaths)
    {
        var root = store.Root;
        var deleted = 0;
        foreach (var rel in relativePaths.Distinct())
        {
            var full = Path.GetFullPath(Path.Combine(root, rel));
            // Only ever inside the attachment folder, whatever a stored path says.
            if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            if (File.Exists(full))
            {
                File.Delete(full);
                deleted++;
            }
        }
        return deleted;
    }
}
