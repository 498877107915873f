using System.Text.Json;
using Dapper;
using LaporBot.Channels;
using LaporBot.Data;

namespace LaporBot.Conversations;

internal sealed record ReporterRow
{
    public long Id { get; init; }
    public string Channel { get; init; } = "";
    public string Address { get; init; } = "";
    public string? DisplayName { get; init; }
    public string Language { get; init; } = "id";
    public long? LastInboundAt { get; init; }
    public long? UnreachableAt { get; init; }
}

/// <summary>Reporters, inbound messages and conversation state: what one turn reads and writes.</summary>
internal static class TurnStore
{
    /// <summary>Finds or creates the reporter and records that they wrote to us now.</summary>
    public static Task<ReporterRow> UpsertReporterAsync(DbSession s, InboundMessage m, DateTimeOffset now) =>
        s.Connection.QuerySingleAsync<ReporterRow>(
            """
            INSERT INTO reporters (channel, address, display_name, language, last_inbound_at, created_at)
            VALUES (@channel, @address, @name, 'id', @now, @now)
            ON CONFLICT (channel, address) DO UPDATE
                SET display_name = COALESCE(excluded.display_name, reporters.display_name),
                    last_inbound_at = excluded.last_inbound_at,
                    unreachable_at = NULL
            RETURNING id, channel, address, display_name, language, last_inbound_at, unreachable_at
            """,
            new { channel = m.Channel, address = m.ChatAddress, name = m.ProfileName, now = now.ToUnixTimeMilliseconds() },
            s.Transaction);

    /// <summary>Stores the message unless this provider id was seen before; returns null for a duplicate.</summary>
    public static Task<long?> InsertInboundAsync(DbSession s, InboundMessage m, long reporterId, DateTimeOffset now) =>
        s.Connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO inbound_messages (channel, provider_message_id, reporter_id, text, latitude, longitude,
                                          location_label, attachments, unsupported, received_at)
            VALUES (@channel, @pid, @reporterId, @text, @lat, @lon, @label, @attachments, @unsupported, @now)
            ON CONFLICT (channel, provider_message_id) DO NOTHING
            RETURNING id
            """,
            new
            {
                channel = m.Channel, pid = m.ProviderMessageId, reporterId, text = m.Text,
                lat = m.Location?.Latitude, lon = m.Location?.Longitude, label = m.Location?.Label,
                attachments = m.Attachments.Count == 0 ? null : JsonSerializer.Serialize(m.Attachments),
                unsupported = m.Unsupported ? 1 : 0, now = now.ToUnixTimeMilliseconds(),
            },
            s.Transaction);

    public static async Task<ConversationState?> LoadStateAsync(DbSession s, long reporterId, string dialog)
    {
        var json = await s.Connection.ExecuteScalarAsync<string?>(
            "SELECT state FROM conversations WHERE reporter_id = @reporterId AND dialog = @dialog",
            new { reporterId, dialog },
            s.Transaction);
        return json is null ? null : ConversationState.FromJson(json);
    }

    public static Task SaveStateAsync(DbSession s, long reporterId, string dialog, ConversationState state, DateTimeOffset now) =>
        s.Connection.ExecuteAsync(
            """
            INSERT INTO conversations (reporter_id, dialog, state, updated_at) VALUES (@reporterId, @dialog, @state, @now)
            ON CONFLICT (reporter_id) DO UPDATE SET dialog = excluded.dialog, state = excluded.state, updated_at = excluded.updated_at
            """,
            new { reporterId, dialog, state = state.ToJson(), now = now.ToUnixTimeMilliseconds() },
            s.Transaction);

    /// <summary>The name and applicant address of the reporter's last complaint, offered back to them next time.</summary>
    public static async Task<KnownIdentity?> LastIdentityAsync(DbSession s, long reporterId)
    {
        var rows = (await s.Connection.QueryAsync<(string Name, string Address)>(
            "SELECT name, address FROM complaint_details WHERE reporter_id = @reporterId ORDER BY id DESC LIMIT 1",
            new { reporterId }, s.Transaction)).AsList();
        return rows is [var r] && !string.IsNullOrWhiteSpace(r.Name) && !string.IsNullOrWhiteSpace(r.Address) ? new KnownIdentity(r.Name, r.Address) : null;
    }

    public static Task SetLanguageAsync(DbSession s, long reporterId, string language) =>
        s.Connection.ExecuteAsync("UPDATE reporters SET language = @language WHERE id = @reporterId AND language <> @language",
            new { reporterId, language }, s.Transaction);
}
