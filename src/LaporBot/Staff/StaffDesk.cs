using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.Staff;

/// <summary>One thing a Telegram user sent: a text (maybe a reply to one of our messages) or a button press.</summary>
/// <summary>
/// One thing a staff channel received: a text (maybe a reply to one of our messages) or a button press.
/// <paramref name="Channel"/> is the staff channel (telegram, simulator); <paramref name="UserId"/> and
/// <paramref name="ChatId"/> are the person's and the chat's address on it.
/// </summary>
internal sealed record StaffInput(
    string UpdateId, long UserId, long ChatId, string? DisplayName, string? Text, long? ReplyToMessageId, string? CallbackData, string Channel = "telegram");

/// <summary>What the desk did; <see cref="Handled"/> false means "not staff business: give it to the citizen dialog".</summary>
internal sealed record StaffOutcome(bool Handled, bool Allowed, string? Reply)
{
    public static readonly StaffOutcome NotMine = new(false, false, null);
}

/// <summary>
/// Staff in a chat (Telegram, or the simulator's staff chat): the triage desk and agency members.
/// Parses commands, button presses and replies to notifications into actions on a case and hands
/// them to <see cref="CaseActions"/> — the one place that decides who may do what and moves the
/// case — in one transaction with the reply to the staff member.
/// </summary>
internal sealed class StaffDesk(
    IDatabase db, CaseActions actions, ComplaintWorkflow workflow, OutboxSignal signal, TimeProvider clock, ILogger<StaffDesk> logger)
{
    private static readonly Dictionary<string, string> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["daftar"] = "list", ["list"] = "list",
        ["lihat"] = StaffAction.View, ["view"] = StaffAction.View,
        ["terima"] = StaffAction.Accept, ["accept"] = StaffAction.Accept,
        ["tolak"] = StaffAction.Reject, ["reject"] = StaffAction.Reject,
        ["balas"] = "reply", ["answer"] = "reply", ["jawab"] = "reply",
        ["draf"] = StaffAction.Draft, ["draft"] = StaffAction.Draft,
        ["teruskan"] = StaffAction.Forward, ["forward"] = StaffAction.Forward,
        ["setujui"] = StaffAction.Approve, ["approve"] = StaffAction.Approve,
        ["revisi"] = StaffAction.Revise, ["revise"] = StaffAction.Revise,
        ["perpanjang"] = StaffAction.Extend, ["extend"] = StaffAction.Extend,
        ["disposisi"] = StaffAction.Assign, ["assign"] = StaffAction.Assign,
        ["kembalikan"] = StaffAction.Return, ["return"] = StaffAction.Return,
        ["tutup"] = StaffAction.Close, ["close"] = StaffAction.Close,
        ["bantuan"] = "help", ["help"] = "help",
        ["start"] = "start",
    };

    /// <summary>The commands only staff have; from anyone else they get a polite refusal instead of the citizen dialog.</summary>
    private static readonly HashSet<string> StaffOnly = ["list", "reply", .. StaffAction.All];

    /// <summary>Buttons that act at once, and buttons that first ask for words (the reply to the prompt completes them).</summary>
    private static readonly Dictionary<string, string> ButtonActions = new()
    {
        ["terima"] = StaffAction.Accept, ["teruskan"] = StaffAction.Forward, ["setujui"] = StaffAction.Approve,
    };

    private static readonly Dictionary<string, (string Purpose, string Prompt)> AskingButtons = new()
    {
        ["tolak"] = ("ask_reason", "ask.reason"), ["balas"] = ("ask_answer", "ask.answer"), ["draf"] = ("ask_draft", "ask.draft"),
        ["revisi"] = ("ask_revise", "ask.revise"), ["perpanjang"] = ("ask_extend", "ask.extend"), ["kembalikan"] = ("ask_return", "ask.return"),
    };

    private static readonly Dictionary<string, string> PromptActions = new()
    {
        ["ask_reason"] = StaffAction.Reject, ["ask_answer"] = StaffAction.Answer, ["ask_draft"] = StaffAction.Draft,
        ["ask_revise"] = StaffAction.Revise, ["ask_extend"] = StaffAction.Extend, ["ask_return"] = StaffAction.Return,
    };

    public async Task<StaffOutcome> HandleAsync(StaffInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var userId = input.UserId.ToString();
        // Most Telegram messages are citizens': decide that with one read, without taking the write lock.
        var (preCommand, _) = Parse(input.Text);
        if (input.CallbackData is null && preCommand is null or "help" or "start" && !(preCommand == "start" && input.Text!.Trim().Contains(' ')))
        {
            await using var c = await db.OpenAsync(ct);
            if ((await AgencyStore.StaffAsync(c, userId, channel: input.Channel)).Count == 0)
            {
                return StaffOutcome.NotMine;
            }
        }
        StaffOutcome outcome;
        await using (var s = await db.BeginAsync(ct))
        {
            var staff = await AgencyStore.StaffAsync(s.Connection, userId, s.Transaction, input.Channel);
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
                    VALUES (@channel, @id, @userId, @text, @now) ON CONFLICT DO NOTHING
                    """,
                    new { channel = input.Channel, id = input.UpdateId, userId, text = input.Text ?? input.CallbackData, now = now.ToUnixTimeMilliseconds() },
                    s.Transaction);
                if (inserted == 0)
                {
                    return new StaffOutcome(true, true, null); // a retried update: already done
                }
                outcome = await StaffAsync(s, input, ActorOf(input, staff), command, args, now);
            }
            if (outcome.Reply is not null)
            {
                await ComplaintWorkflow.EnqueueStaffAsync(s, new StaffAddress(input.Channel, input.ChatId.ToString()), null, outcome.Reply, [], "reply", now);
            }
            await s.CommitAsync(ct);
        }
        signal.Notify();
        return outcome;
    }

    /// <summary>
    /// The person as the case actions see them: every role they hold. Telegram staff are named in the
    /// timeline by their id and desk ("staf:ID (DPUPR)"); the simulator's demo staff by their name, so a
    /// walk through the roles reads as who did what.
    /// </summary>
    private static CaseActor ActorOf(StaffInput input, IReadOnlyList<StaffRow> rows)
    {
        var grants = rows.Select(r => new StaffGrant(r.Role, r.AgencyCode)).ToList();
        var triage = grants.Any(g => g.Role == StaffRole.Triage);
        var desk = triage ? StaffTexts.T("actor.triage") : string.Join(",", grants.Where(g => g.AgencyCode is not null).Select(g => g.AgencyCode).Distinct());
        var name = input.Channel != "telegram" && rows.Select(r => r.DisplayName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) is { } shown ? shown : desk;
        return new CaseActor(input.Channel, input.UserId.ToString(), name, grants);
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
            var (result, role, agency) = await AgencyStore.RedeemInviteAsync(s, args, input.UserId.ToString(), input.DisplayName, now, input.Channel);
            switch (result)
            {
                case InviteResult.Linked:
                    logger.LogInformation("Telegram user linked as {Role} {Agency} by invite", role, agency);
                    var who = role == StaffRole.Triage ? StaffTexts.T("invite.who_triage")
                        : StaffTexts.T("invite.who_agency", ("role", StatusPage.StaffRoles.Label(role!, workflow.Workflows.For(agency))), ("agency", agency));
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

    private async Task<StaffOutcome> StaffAsync(DbSession s, StaffInput input, CaseActor actor, string? command, string args, DateTimeOffset now)
    {
        // Button presses carry "action:number[:agency]".
        if (input.CallbackData is { } data)
        {
            var p = data.Split(':');
            if (p.Length >= 3 && p[0] == "disposisi")
            {
                return await ActAsync(s, actor, StaffAction.Assign, p[1], new CaseActionArgs(Agency: p[2]), now);
            }
            if (p.Length >= 2 && ButtonActions.TryGetValue(p[0], out var immediate))
            {
                return await ActAsync(s, actor, immediate, p[1], new CaseActionArgs(), now);
            }
            if (p.Length >= 2 && AskingButtons.TryGetValue(p[0], out var ask))
            {
                return await AskForTextAsync(s, input, actor, p[0], ask, p[1], now);
            }
            return new(true, false, StaffTexts.T("unknown_button"));
        }
        // A reply to one of our messages about a case acts on that case: a prompt's reply completes what
        // it asked for; a reply to a notification is the step's words (a draft, an answer, a note).
        if (command is null && input.ReplyToMessageId is { } replyTo && !string.IsNullOrWhiteSpace(input.Text))
        {
            var target = await s.Connection.QuerySingleOrDefaultAsync<(long? ComplaintId, string? Purpose)>(
                """
                SELECT complaint_id, purpose FROM outbox
                WHERE channel = @channel AND recipient = @chat AND provider_message_id = @replyTo
                """,
                new { channel = input.Channel, chat = input.ChatId.ToString(), replyTo = replyTo.ToString() }, s.Transaction);
            if (target.ComplaintId is { } cid && await ComplaintStore.FindByIdAsync(s.Connection, cid, s.Transaction) is { } c)
            {
                var action = target.Purpose is { } purpose && PromptActions.TryGetValue(purpose, out var asked) ? asked : ReplyAction(c);
                return await ActAsync(s, actor, action, c.TrackingNumber, ArgsFor(action, input.Text!.Trim()), now);
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
        var rest = words.Length > 1 ? words[1].Trim() : "";
        if (command == "reply")
        {
            // /balas writes the step's words: the draft where the step drafts, else the answer.
            var c = await ComplaintStore.FindByNumberAsync(s.Connection, words[0], s.Transaction);
            command = c is not null && workflow.StepOf(c)?.Action(StaffAction.Draft) is not null ? StaffAction.Draft : StaffAction.Answer;
        }
        return await ActAsync(s, actor, command, words[0], ArgsFor(command, rest), now);
    }

    /// <summary>What a reply to a case's notification does at the case's current step.</summary>
    private string ReplyAction(ComplaintRow c)
    {
        var step = workflow.StepOf(c);
        return step?.Action(StaffAction.Draft) is not null ? StaffAction.Draft
            : step?.Action(StaffAction.Answer) is not null ? StaffAction.Answer
            : step?.Action(StaffAction.Forward) is not null ? StaffAction.Forward
            : StaffAction.Answer;
    }

    private static CaseActionArgs ArgsFor(string action, string rest)
    {
        switch (action)
        {
            case StaffAction.Assign:
                var parts = rest.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
                return new CaseActionArgs(Text: parts.Length > 1 ? parts[1] : null, Agency: parts.Length > 0 ? parts[0] : null);
            case StaffAction.Extend:
                var w = rest.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
                return new CaseActionArgs(Text: w.Length > 1 ? w[1] : null,
                    Days: w.Length > 0 && int.TryParse(w[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null);
            default:
                return new CaseActionArgs(Text: rest);
        }
    }

    private async Task<StaffOutcome> ActAsync(DbSession s, CaseActor actor, string action, string number, CaseActionArgs args, DateTimeOffset now)
    {
        var result = await actions.PerformAsync(s, number, actor, action, args, now);
        return new(true, result.Ok, result.Message);
    }

    /// <summary>Buttons that need words ask for them; replying to this prompt completes the action.</summary>
    private async Task<StaffOutcome> AskForTextAsync(DbSession s, StaffInput input, CaseActor actor, string button, (string Purpose, string Prompt) ask,
        string number, DateTimeOffset now)
    {
        var c = await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction);
        if (c is null)
        {
            return new(true, false, StaffTexts.T("not_found", ("number", number)));
        }
        var action = PromptActions[ask.Purpose];
        // Where the file routes answers through approval, "Balas" sends the approved draft as it stands: nothing to ask.
        if (action == StaffAction.Answer && workflow.WorkflowOf(c).RequiresApproval)
        {
            return await ActAsync(s, actor, StaffAction.Answer, c.TrackingNumber, new CaseActionArgs(), now);
        }
        if (actions.Refuse(c, actor, action) is { } refused)
        {
            return new(true, false, refused.Message);
        }
        await ComplaintWorkflow.EnqueueStaffAsync(s, new StaffAddress(input.Channel, input.ChatId.ToString()), c.Id,
            StaffTexts.T(ask.Prompt, ("number", c.TrackingNumber)), [], ask.Purpose, now);
        return new(true, true, null);
    }

    private async Task<string> ListAsync(DbSession s, CaseActor actor)
    {
        var agencies = actor.Grants.Where(g => g.AgencyCode is not null).Select(g => g.AgencyCode!).Distinct().ToList();
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
