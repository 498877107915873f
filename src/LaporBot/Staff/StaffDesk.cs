using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Staff;

/// <summary>One thing a Telegram user sent: a text (maybe a reply to one of our messages) or a button press.</summary>
internal sealed record StaffInput(
    string UpdateId, long UserId, long ChatId, string? DisplayName, string? Text, long? ReplyToMessageId, string? CallbackData);

/// <summary>What the desk did; <see cref="Handled"/> false means "not staff business: give it to the citizen dialog".</summary>
internal sealed record StaffOutcome(bool Handled, bool Allowed, string? Reply)
{
    public static readonly StaffOutcome NotMine = new(false, false, null);
}

/// <summary>
/// Staff on Telegram: the triage desk and agency admins. Parses commands, button presses and
/// replies to notifications; checks who may do what (agency admins only their agency's cases,
/// the triage desk all; anyone else is refused and nothing changes); performs the action through
/// <see cref="ComplaintWorkflow"/> in one transaction with the reply to the staff member.
/// </summary>
internal sealed class StaffDesk(
    IDatabase db, ComplaintWorkflow workflow, OutboxSignal signal, TimeProvider clock, ILogger<StaffDesk> logger)
{
    private static readonly Dictionary<string, string> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["daftar"] = "list", ["list"] = "list",
        ["lihat"] = "view", ["view"] = "view",
        ["terima"] = "accept", ["accept"] = "accept",
        ["tolak"] = "reject", ["reject"] = "reject",
        ["balas"] = "answer", ["answer"] = "answer", ["jawab"] = "answer",
        ["disposisi"] = "assign", ["assign"] = "assign",
        ["kembalikan"] = "return", ["return"] = "return",
        ["tutup"] = "close", ["close"] = "close",
        ["bantuan"] = "help", ["help"] = "help",
        ["start"] = "start",
    };

    /// <summary>The commands only staff have; from anyone else they get a polite refusal instead of the citizen dialog.</summary>
    private static readonly HashSet<string> StaffOnly = ["list", "view", "accept", "reject", "answer", "assign", "return", "close"];

    private static readonly HashSet<string> TriageOnly = ["assign", "return", "close"];

    public async Task<StaffOutcome> HandleAsync(StaffInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var userId = input.UserId.ToString();
        // Most Telegram messages are citizens': decide that with one read, without taking the write lock.
        var (preCommand, _) = Parse(input.Text);
        if (input.CallbackData is null && preCommand is null or "help" or "start" && !(preCommand == "start" && input.Text!.Trim().Contains(' ')))
        {
            await using var c = await db.OpenAsync(ct);
            if ((await AgencyStore.StaffAsync(c, userId)).Count == 0)
            {
                return StaffOutcome.NotMine;
            }
        }
        StaffOutcome outcome;
        await using (var s = await db.BeginAsync(ct))
        {
            var staff = await AgencyStore.StaffAsync(s.Connection, userId, s.Transaction);
            var (command, args) = Parse(input.Text);
            if (staff.Count == 0)
            {
                outcome = await NonStaffAsync(s, input, command, args, now);
                if (!outcome.Handled)
                {
                    return outcome; // the citizen dialog takes it; nothing written here
                }
            }
            else
            {
                var inserted = await s.Connection.ExecuteAsync(
                    """
                    INSERT INTO staff_updates (channel, provider_message_id, telegram_user_id, text, received_at)
                    VALUES ('telegram', @id, @userId, @text, @now) ON CONFLICT DO NOTHING
                    """,
                    new { id = input.UpdateId, userId, text = input.Text ?? input.CallbackData, now = now.ToUnixTimeMilliseconds() },
                    s.Transaction);
                if (inserted == 0)
                {
                    return new StaffOutcome(true, true, null); // a retried update: already done
                }
                outcome = await StaffAsync(s, input, new Actor(userId, staff), command, args, now);
            }
            if (outcome.Reply is not null)
            {
                await ComplaintWorkflow.EnqueueStaffAsync(s, input.ChatId.ToString(), null, outcome.Reply, [], "reply", now);
            }
            await s.CommitAsync(ct);
        }
        signal.Notify();
        return outcome;
    }

    private sealed record Actor(string UserId, IReadOnlyList<StaffRow> Roles)
    {
        public bool IsTriage => Roles.Any(r => r.Role == StaffRole.Triage);
        public IEnumerable<string> Agencies => Roles.Where(r => r.Role != StaffRole.Triage && r.AgencyCode is not null).Select(r => r.AgencyCode!);
        public string Name => $"staf:{UserId} ({(IsTriage ? "Admin Utama" : string.Join(",", Agencies))})";
        public bool MayActOn(ComplaintRow c) => IsTriage || (c.AgencyCode is not null && Agencies.Contains(c.AgencyCode));
    }

    private static (string? Command, string Args) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('/'))
        {
            return (null, text?.Trim() ?? "");
        }
        var parts = text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        var head = parts[0][1..];
        var at = head.IndexOf('@');
        if (at > 0)
        {
            head = head[..at];
        }
        return (Commands.GetValueOrDefault(head), parts.Length > 1 ? parts[1].Trim() : "");
    }

    private async Task<StaffOutcome> NonStaffAsync(DbSession s, StaffInput input, string? command, string args, DateTimeOffset now)
    {
        if (command == "start" && args.Length > 0)
        {
            var (result, role, agency) = await AgencyStore.RedeemInviteAsync(s, args, input.UserId.ToString(), input.DisplayName, now);
            switch (result)
            {
                case InviteResult.Linked:
                    logger.LogInformation("Telegram user linked as {Role} {Agency} by invite", role, agency);
                    var who = role == StaffRole.Triage ? StaffTexts.T("invite.who_triage") : StaffTexts.T("invite.who_agency", ("role", role == StaffRole.Agency ? "admin" : role), ("agency", agency));
                    return new(true, true, StaffTexts.T("invite.linked", ("who", who), ("help", StaffTexts.Help)));
                case InviteResult.Expired:
                    return new(true, false, StaffTexts.T("invite.expired"));
                case InviteResult.AlreadyUsed:
                    return new(true, false, StaffTexts.T("invite.used"));
                default:
                    return StaffOutcome.NotMine; // a citizen's deep link (/start payload): the dialog greets them
            }
        }
        if (input.CallbackData is not null || (command is not null && StaffOnly.Contains(command)))
        {
            return new(true, false, StaffTexts.NotStaff);
        }
        return StaffOutcome.NotMine;
    }

    private async Task<StaffOutcome> StaffAsync(DbSession s, StaffInput input, Actor actor, string? command, string args, DateTimeOffset now)
    {
        // Button presses carry "action:number[:agency]".
        if (input.CallbackData is { } data)
        {
            var p = data.Split(':');
            return p[0] switch
            {
                "terima" when p.Length >= 2 => await ActAsync(s, actor, "accept", p[1], "", now),
                "disposisi" when p.Length >= 3 => await ActAsync(s, actor, "assign", p[1], p[2], now),
                "tolak" or "balas" when p.Length >= 2 => await AskForTextAsync(s, actor, p[0], p[1], input.ChatId, now),
                _ => new(true, false, StaffTexts.T("unknown_button")),
            };
        }
        // A reply to one of our messages about a case answers that case (or gives the reason asked for).
        if (command is null && input.ReplyToMessageId is { } replyTo && !string.IsNullOrWhiteSpace(input.Text))
        {
            var target = await s.Connection.QuerySingleOrDefaultAsync<(long? ComplaintId, string? Purpose)>(
                """
                SELECT complaint_id, purpose FROM outbox
                WHERE channel = 'telegram' AND recipient = @chat AND provider_message_id = @replyTo
                """,
                new { chat = input.ChatId.ToString(), replyTo = replyTo.ToString() }, s.Transaction);
            if (target.ComplaintId is { } cid && await ComplaintStore.FindByIdAsync(s.Connection, cid, s.Transaction) is { } c)
            {
                return await ActAsync(s, actor, target.Purpose == "ask_reason" ? "reject" : "answer", c.TrackingNumber, input.Text!, now);
            }
        }
        switch (command)
        {
            case null:
                return new(true, true, StaffTexts.T("plain_text"));
            case "help" or "start":
                return new(true, true, StaffTexts.Help);
            case "list":
                return new(true, true, await ListAsync(s, actor));
        }
        var words = args.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return new(true, false, StaffTexts.T("need_number", ("command", input.Text!.Trim().TrimStart('/').Split(' ')[0])));
        }
        return await ActAsync(s, actor, command, words[0], words.Length > 1 ? words[1].Trim() : "", now);
    }

    private async Task<StaffOutcome> ActAsync(DbSession s, Actor actor, string command, string number, string rest, DateTimeOffset now)
    {
        var c = await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction);
        if (c is null)
        {
            return new(true, false, StaffTexts.T("not_found", ("number", number.ToUpperInvariant())));
        }
        if (TriageOnly.Contains(command) && !actor.IsTriage)
        {
            logger.LogInformation("Refused {Command} on complaint {ComplaintId}: triage only", command, c.Id);
            return new(true, false, StaffTexts.TriageOnly);
        }
        if (!actor.MayActOn(c))
        {
            logger.LogInformation("Refused {Command} on complaint {ComplaintId}: not the actor's agency", command, c.Id);
            return new(true, false, StaffTexts.NotYourAgency);
        }
        bool done;
        string ok;
        switch (command)
        {
            case "view":
                // /lihat shows the citizen's personal data: on record, in the same transaction as the reply.
                await Privacy.AccessLog.RecordAsync(s.Connection, s.Transaction, now, $"telegram:{actor.UserId}", Privacy.AccessLog.Telegram,
                    c.Id, c.ReporterId, "/lihat");
                return new(true, true, await ViewAsync(s, c, actor));
            case "accept":
                done = await workflow.AcceptAsync(s, c, actor.Name, now);
                ok = StaffTexts.T("accept.done", ("number", c.TrackingNumber));
                break;
            case "reject" when rest.Length < 3:
                return new(true, false, StaffTexts.T("reject.need_reason", ("number", c.TrackingNumber)));
            case "reject":
                done = await workflow.RejectAsync(s, c, actor.Name, rest, now);
                ok = StaffTexts.T("reject.done", ("number", c.TrackingNumber), ("reason", rest));
                break;
            case "answer" when rest.Length < 3:
                return new(true, false, StaffTexts.T("answer.need_text", ("number", c.TrackingNumber)));
            case "answer":
                done = await workflow.AnswerAsync(s, c, actor.Name, rest, now);
                ok = StaffTexts.T("answer.done", ("number", c.TrackingNumber));
                break;
            case "assign":
                var code = rest.Split(' ', 2)[0].Trim().ToUpperInvariant();
                if (code.Length == 0 || await AgencyStore.FindAsync(s.Connection, code, s.Transaction) is not { Active: true } agency)
                {
                    var codes = string.Join(", ", (await AgencyStore.ActiveAsync(s.Connection, s.Transaction)).Select(a => a.Code));
                    return new(true, false, StaffTexts.T("assign.unknown_agency", ("code", code), ("codes", codes)));
                }
                if (await workflow.NobodyCanActAsync(s, agency) is { } role)
                {
                    logger.LogInformation("Refused assign of complaint {ComplaintId} to {Agency}: nobody holds {Role}", c.Id, agency.Code, role);
                    return new(true, false, StaffTexts.T("assign.nobody", ("number", c.TrackingNumber), ("agency", agency.Name), ("role", role), ("code", agency.Code)));
                }
                done = await workflow.AssignAsync(s, c, agency.Code, actor.Name, null, now);
                ok = StaffTexts.T("assign.done", ("number", c.TrackingNumber), ("agency", agency.Name));
                break;
            case "return" when rest.Length < 3:
                return new(true, false, StaffTexts.T("return.need_reason", ("number", c.TrackingNumber)));
            case "return":
                done = await workflow.ReturnToCitizenAsync(s, c, actor.Name, rest, now);
                ok = StaffTexts.T("return.done", ("number", c.TrackingNumber));
                break;
            case "close":
                done = await workflow.CloseAsync(s, c, actor.Name, "closed_by_staff", rest.Length == 0 ? null : rest, now,
                    citizenMessage: "closed_notice");
                ok = StaffTexts.T("close.done", ("number", c.TrackingNumber));
                break;
            default:
                return new(true, false, StaffTexts.Help);
        }
        return done
            ? new(true, true, ok)
            : new(true, false, StaffTexts.T("wrong_status", ("number", c.TrackingNumber), ("status", StaffTexts.StatusName(c.Status))));
    }

    /// <summary>Tolak/Balas buttons need words: ask for them; replying to this prompt completes the action.</summary>
    private async Task<StaffOutcome> AskForTextAsync(DbSession s, Actor actor, string action, string number, long chatId, DateTimeOffset now)
    {
        var c = await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction);
        if (c is null || !actor.MayActOn(c))
        {
            return new(true, false, c is null ? StaffTexts.T("not_found", ("number", number)) : StaffTexts.NotYourAgency);
        }
        var (purpose, text) = action == "tolak"
            ? ("ask_reason", StaffTexts.T("ask.reason", ("number", c.TrackingNumber)))
            : ("ask_answer", StaffTexts.T("ask.answer", ("number", c.TrackingNumber)));
        await ComplaintWorkflow.EnqueueStaffAsync(s, chatId.ToString(), c.Id, text, [], purpose, now);
        return new(true, true, null);
    }

    private static async Task<string> ViewAsync(DbSession s, ComplaintRow c, Actor actor)
    {
        var agency = c.AgencyCode is null ? null : await AgencyStore.FindAsync(s.Connection, c.AgencyCode, s.Transaction);
        var attachments = (int)await s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM complaint_attachments WHERE complaint_id = @id", new { id = c.Id }, s.Transaction);
        var events = await ComplaintStore.TimelineAsync(s.Connection, c.Id, s.Transaction);
        var timeline = string.Join("\n", events.Select(e => e.Note is null
            ? StaffTexts.T("card.event", ("date", StaffTexts.When(e.At)), ("kind", e.Kind), ("actor", e.Actor))
            : StaffTexts.T("card.event_note", ("date", StaffTexts.When(e.At)), ("kind", e.Kind), ("actor", e.Actor), ("note", e.Note))));
        // Agencies never see a confidential reporter's identity. The triage desk does (it may have to
        // ask the citizen to complete the case), with a reminder that the identity is confidential.
        var hide = c.Confidential && !actor.IsTriage;
        var contact = hide ? null : await s.Connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT channel || ' ' || address FROM reporters WHERE id = @id", new { id = c.ReporterId }, s.Transaction);
        return $"{StaffTexts.Card(c, agency?.Name, hide, attachments, contact)}\n\n{StaffTexts.T("card.history")}\n{timeline}";
    }

    private static async Task<string> ListAsync(DbSession s, Actor actor)
    {
        var agencies = actor.Agencies.ToList();
        // Triage sees every open case; an agency admin their agencies' (an empty IN list is not portable SQL).
        var scope = actor.IsTriage ? "" : agencies.Count == 0 ? "AND 1 = 0" : "AND " + s.Dialect.InList("agency_code", "@agencies");
        var rows = (await s.Connection.QueryAsync<ComplaintRow>(
            $"""
            SELECT {ComplaintStore.Columns} FROM {ComplaintStore.View}
            WHERE status IN ('triage', 'assigned', 'accepted', 'reopened', 'submitted')
              {scope}
            ORDER BY CASE WHEN overdue_at IS NULL THEN 1 ELSE 0 END, COALESCE(due_at, created_at), id
            LIMIT 30
            """,
            new { agencies }, s.Transaction)).AsList();
        if (rows.Count == 0)
        {
            return StaffTexts.T("list.empty");
        }
        return StaffTexts.T("list.header", ("count", $"{rows.Count}{(rows.Count == 30 ? "+" : "")}")) + "\n" + string.Join("\n", rows.Select(c =>
            StaffTexts.T("list.line", ("mark", c.OverdueAt is null ? "•" : "⚠️"), ("number", c.TrackingNumber), ("status", StaffTexts.StatusName(c.Status)),
                ("agency", c.AgencyCode is null ? "" : $" — {c.AgencyCode}"), ("due", StaffTexts.When(c.DueAt)), ("text", Shorten(c.Text)))));
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..79] + "…";
}
