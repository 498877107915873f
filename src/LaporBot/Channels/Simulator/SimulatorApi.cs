using System.Text.Json;
using Dapper;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;

namespace LaporBot.Channels.Simulator;

/// <summary>
/// /dev/chat: a page where a developer chats with the bot as several citizens at once. Mapped only
/// in Development. Messages go through the real pipeline (stored inbound → dialog → outbox → dispatch).
/// </summary>
internal static class SimulatorApi
{
    public sealed record SendRequest(
        string? Citizen, string? ProfileName, string? Text, double? Latitude, double? Longitude, string? LocationLabel,
        string? AttachmentUrl, bool Sticker = false, string? MessageId = null);

    /// <summary>One chat line: <see cref="Text"/> as the citizen reads it, <see cref="Html"/> as the page shows it (bold, escaped);
    /// <see cref="StatusName"/> is the delivery status as the page shows it ("terkirim"); <see cref="Status"/> the stored code, for scripts.</summary>
    public sealed record ChatLine(string Direction, long Id, string? Text, IReadOnlyList<string> QuickReplies, long At, string? Status, string Html = "")
    {
        public string? StatusName => Status is null ? null : StatusPage.WebTexts.Outbox(Status);
    }

    public static IEndpointRouteBuilder MapSimulator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/dev/chat");
        group.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        group.MapPost("/api/messages", SendAsync);
        group.MapGet("/api/messages", TranscriptAsync);
        group.MapGet("/api/complaints", ComplaintsAsync);
        // Staff mode: the simulator is a staff channel like Telegram, in front of the same StaffDesk.
        group.MapGet("/api/staff", StaffListAsync);
        group.MapPost("/api/staff/messages", StaffSendAsync);
        group.MapGet("/api/staff/messages", StaffTranscriptAsync);
        return app;
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using var s = typeof(SimulatorApi).Assembly.GetManifestResourceStream("LaporBot.Channels.Simulator.chat.html")!;
        return new StreamReader(s).ReadToEnd();
    });

    private static async Task<IResult> SendAsync(SendRequest req, TurnProcessor turns, TimeProvider clock, CancellationToken ct)
    {
        var citizen = req.Citizen?.Trim();
        if (string.IsNullOrEmpty(citizen) || citizen.Length > 64)
        {
            return TypedResults.Problem("citizen is required (1–64 characters), e.g. \"warga-1\".", statusCode: 400);
        }
        if (req.Text is { Length: > 20_000 })
        {
            return TypedResults.Problem("text is longer than the simulator accepts (20,000 characters).", statusCode: 413);
        }
        GeoPoint? location = req.Latitude is { } lat && req.Longitude is { } lon ? new GeoPoint(lat, lon, req.LocationLabel) : null;
        IReadOnlyList<InboundAttachment> attachments = string.IsNullOrWhiteSpace(req.AttachmentUrl)
            ? InboundMessage.NoAttachments
            : [new InboundAttachment(req.AttachmentUrl, "image/jpeg")];
        var message = new InboundMessage(
            SimulatorChannel.ChannelName,
            string.IsNullOrWhiteSpace(req.MessageId) ? Guid.NewGuid().ToString("N") : req.MessageId,
            citizen,
            string.IsNullOrWhiteSpace(req.ProfileName) ? null : req.ProfileName.Trim(),
            req.Text,
            location,
            attachments,
            clock.GetUtcNow(),
            Unsupported: req.Sticker);
        var outcome = await turns.ProcessAsync(message, ct);
        return TypedResults.Accepted((string?)null, new { outcome = outcome.ToString().ToLowerInvariant() });
    }

    private static async Task<IResult> TranscriptAsync(string citizen, IDatabase db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var inbound = await c.QueryAsync<(long Id, string? Text, double? Latitude, double? Longitude, string? Attachments, long Unsupported, long ReceivedAt)>(
            """
            SELECT i.id, i.text, i.latitude, i.longitude, i.attachments, i.unsupported, i.received_at
            FROM inbound_messages i JOIN reporters r ON r.id = i.reporter_id
            WHERE r.channel = @channel AND r.address = @citizen ORDER BY i.id
            """,
            new { channel = SimulatorChannel.ChannelName, citizen });
        var lines = inbound.Select(i => Describe(i.Text, i.Latitude, i.Longitude, i.Attachments, i.Unsupported != 0) is var text
            ? new ChatLine("in", i.Id, text, [], i.ReceivedAt, null, Markup.Escape(text)) : null!).ToList();
        var outbound = await OutboxStore.ForRecipientAsync(c, SimulatorChannel.ChannelName, citizen, 0);
        lines.AddRange(outbound.Select(o => new ChatLine("out", o.Id,
            o.TextFormat == TextFormat.Markup ? Markup.ToPlain(o.Body) : o.Body, o.QuickReplyList, o.CreatedAt, o.Status, Markup.ToHtml(o.Body, o.TextFormat))));
        return TypedResults.Ok(lines.OrderBy(l => l.At).ThenBy(l => l.Direction == "in" ? 0 : 1).ThenBy(l => l.Id));
    }

    private static string Describe(string? text, double? lat, double? lon, string? attachments, bool unsupported)
    {
        var parts = new List<string>();
        if (lat is not null)
        {
            parts.Add($"📍 {lat}, {lon}");
        }
        if (attachments is not null)
        {
            parts.Add($"📎 {JsonDocument.Parse(attachments).RootElement.GetArrayLength()}");
        }
        if (unsupported)
        {
            parts.Add("[sticker]");
        }
        if (!string.IsNullOrEmpty(text))
        {
            parts.Add(text);
        }
        return string.Join(" ", parts);
    }

    /// <summary>The side panel: the latest cases with their status and step in the words staff read (status codes stay for scripts).</summary>
    private static async Task<IResult> ComplaintsAsync(IDatabase db, StatusPage.StepNames steps, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await ComplaintStore.LatestAsync(c, 20);
        return TypedResults.Ok(rows.Select(r => new
        {
            r.TrackingNumber, r.Name, r.Address, r.Text, r.Status, r.Channel, createdAt = r.Created,
            statusName = StatusVocabulary.Name(r.Status),
            stepName = r.Step is null ? null : steps.Name(r.AgencyCode, r.Step),
            agency = r.AgencyCode,
        }));
    }

    /// <summary>What a staff member does in the simulator: a text (a command, or a reply to one of the bot's messages) or a button press.</summary>
    public sealed record StaffSendRequest(long? Staff, string? Text, long? ReplyTo, string? Button, string? MessageId = null);

    /// <summary>One line of a staff member's chat; <see cref="Buttons"/> are pressed by sending their data.</summary>
    public sealed record StaffLine(string Direction, long Id, string Text, string Html, IReadOnlyList<OutboundButton> Buttons, long At);

    /// <summary>The staff members reachable in the simulator (the demo directory's, or any added on this channel), with their roles.</summary>
    private static async Task<IResult> StaffListAsync(IDatabase db, Workflow.WorkflowCatalog workflows, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Id, string Role, string? Agency, string? Name)>(
            "SELECT telegram_user_id, role, agency_code, display_name FROM staff_members WHERE channel = @channel ORDER BY agency_code, role",
            new { channel = SimulatorChannel.ChannelName });
        return TypedResults.Ok(rows.Select(r => new
        {
            id = long.Parse(r.Id, System.Globalization.CultureInfo.InvariantCulture), r.Role, r.Agency, r.Name,
            roleName = StatusPage.StaffRoles.Label(r.Role, workflows.For(r.Agency)),
        }));
    }

    private static async Task<IResult> StaffSendAsync(StaffSendRequest req, Staff.StaffDesk desk, IDatabase db, CancellationToken ct)
    {
        if (req.Staff is not { } id)
        {
            return TypedResults.Problem("staff is required: the id of a staff member of the simulator (GET /dev/chat/api/staff).", statusCode: 400);
        }
        if (string.IsNullOrWhiteSpace(req.Text) && string.IsNullOrWhiteSpace(req.Button))
        {
            return TypedResults.Problem("text or button is required.", statusCode: 400);
        }
        if (req.Text is { Length: > 4096 })
        {
            return TypedResults.Problem("text is longer than a staff message may be (4096 characters).", statusCode: 413);
        }
        string? name;
        await using (var c = await db.OpenAsync(ct))
        {
            name = await c.ExecuteScalarAsync<string?>(
                "SELECT display_name FROM staff_members WHERE channel = @channel AND telegram_user_id = @id LIMIT 1",
                new { channel = SimulatorChannel.ChannelName, id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        var outcome = await desk.HandleAsync(new Staff.StaffInput(
            string.IsNullOrWhiteSpace(req.MessageId) ? Guid.NewGuid().ToString("N") : req.MessageId, id, id, name,
            string.IsNullOrWhiteSpace(req.Button) ? req.Text : null, req.ReplyTo, string.IsNullOrWhiteSpace(req.Button) ? null : req.Button,
            SimulatorChannel.ChannelName), ct);
        return TypedResults.Accepted((string?)null, new { handled = outcome.Handled, allowed = outcome.Allowed });
    }

    private static async Task<IResult> StaffTranscriptAsync(long staff, IDatabase db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var me = staff.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sent = await c.QueryAsync<(string Id, string? Text, long At)>(
            "SELECT provider_message_id, text, received_at FROM staff_updates WHERE channel = @channel AND telegram_user_id = @me ORDER BY received_at",
            new { channel = SimulatorChannel.ChannelName, me });
        // A staff member's chat shows what has been delivered, as Telegram does: only a delivered
        // message has the provider id that a reply to it names.
        var outbound = (await OutboxStore.ForRecipientAsync(c, SimulatorChannel.ChannelName, me, 0)).Where(o => o.Status == OutboxStatus.Sent).ToList();
        // A button press is stored as its data ("terima:LPR-…"); the chat shows the button that was pressed, as Telegram does.
        var pressed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in outbound.SelectMany(o => o.ButtonList))
        {
            pressed.TryAdd(b.Data, b.Text);
        }
        var lines = sent.Select((u, i) =>
        {
            var shown = pressed.GetValueOrDefault(u.Text ?? "", u.Text ?? "");
            return new StaffLine("in", i, shown, Markup.Escape(shown), [], u.At);
        }).ToList();
        lines.AddRange(outbound.Select(o => new StaffLine("out", o.Id,
            o.TextFormat == TextFormat.Markup ? Markup.ToPlain(o.Body) : o.Body, Markup.ToHtml(o.Body, o.TextFormat), o.ButtonList, o.CreatedAt)));
        return TypedResults.Ok(lines.OrderBy(l => l.At).ThenBy(l => l.Direction == "in" ? 0 : 1).ThenBy(l => l.Id));
    }
}
