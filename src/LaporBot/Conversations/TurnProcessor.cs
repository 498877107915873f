using System.Data.Common;
using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Conversations;

internal enum TurnOutcome { Accepted, Duplicate }

/// <summary>
/// The citizen's earlier cases for the dialog: what it may talk about (read), and carrying out what
/// the citizen chose (write), inside the turn's transaction. The dialog decides; this only does.
/// </summary>
internal interface ICaseFollowUp
{
    Task<IReadOnlyList<CaseFacts>> CasesAsync(DbSession session, ReporterRow reporter, DateTimeOffset now);

    /// <summary>Performs the action; returns the complaint id it touched.</summary>
    Task<long?> PerformAsync(DbSession session, ReporterRow reporter, CaseAction action, DateTimeOffset now);
}

/// <summary>Told after the commit that stored a new complaint (e.g. to schedule its routing at once).</summary>
internal interface IComplaintSubmittedHandler
{
    Task OnSubmittedAsync(long complaintId, CancellationToken cancellationToken);
}

/// <summary>
/// One inbound message = one unit of work: store it (deduplicated by provider id), run the dialog,
/// save the new state, any new complaint with its first timeline event, and the reply as an outbox
/// row — all or nothing, in its own savepoint of a group-commit batch (<see cref="GroupCommit"/>);
/// the caller continues once the batch is committed, and the dispatcher is woken then.
/// </summary>
internal sealed class TurnProcessor(
    GroupCommit writes,
    DialogCatalog dialogs,
    TrackingNumbers trackingNumbers,
    LocalZone zone,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    IOptions<ConversationOptions> options,
    ILogger<TurnProcessor> logger,
    ICaseFollowUp? followUp = null,
    IEnumerable<IComplaintSubmittedHandler>? submittedHandlers = null,
    Privacy.PrivacyDesk? privacy = null,
    Hosting.LaporMetrics? metrics = null)
{
    private readonly IComplaintSubmittedHandler[] submittedHandlers = submittedHandlers?.ToArray() ?? [];

    public async Task<TurnOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken = default)
    {
        TurnOutcome outcome;
        try
        {
            outcome = await RunTurnAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not DbException and not OperationCanceledException)
        {
            // A bug in a dialog turn must not lose the message or make the provider retry it forever:
            // keep the message, apologise, and leave the conversation state as it was.
            logger.LogError(e, "Dialog turn failed for a {Channel} message; storing it with an apology", message.Channel);
            outcome = await StoreWithApologyAsync(message, cancellationToken);
        }
        metrics?.Received(message.Channel, outcome == TurnOutcome.Duplicate);
        return outcome;
    }

    private async Task<TurnOutcome> StoreWithApologyAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var outcome = await writes.RunAsync(async w =>
        {
            var s = w.Session;
            var reporter = await TurnStore.UpsertReporterAsync(s, message, now);
            if (await TurnStore.InsertInboundAsync(s, message, reporter.Id, now) is null)
            {
                w.Discard();
                return TurnOutcome.Duplicate;
            }
            await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id, null,
                dialogs.Main.Render("internal_error", reporter.Language, null), [], now, format: TextFormat.Markup);
            return TurnOutcome.Accepted;
        }, cancellationToken);
        if (outcome == TurnOutcome.Accepted)
        {
            outboxSignal.Notify();
        }
        return outcome;
    }

    private async Task<TurnOutcome> RunTurnAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var created = new List<long>();
        // The turn runs in the next group-commit batch; this returns once that batch is committed.
        var outcome = await writes.RunAsync(w => TurnAsync(w, message, now, created, cancellationToken), cancellationToken);
        if (outcome == TurnOutcome.Duplicate)
        {
            return outcome;
        }

        outboxSignal.Notify();
        foreach (var id in created)
        {
            logger.LogInformation("Complaint {ComplaintId} submitted via {Channel}", id, message.Channel);
            foreach (var handler in submittedHandlers)
            {
                try
                {
                    await handler.OnSubmittedAsync(id, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The complaint is safely stored; the routing sweep picks it up if the immediate job could not be scheduled.
                    logger.LogError(e, "After-submit handler {Handler} failed for complaint {ComplaintId}", handler.GetType().Name, id);
                }
            }
        }
        return TurnOutcome.Accepted;
    }

    /// <summary>The turn's reads and writes, inside its savepoint of the batch's transaction (never committing it).</summary>
    private async Task<TurnOutcome> TurnAsync(WriteScope w, InboundMessage message, DateTimeOffset now, List<long> created, CancellationToken cancellationToken)
    {
        var s = w.Session;
        var dialog = dialogs.Main;
        created.Clear(); // in case a retry of the unit ever reuses the list
        var reporter = await TurnStore.UpsertReporterAsync(s, message, now);
        if (await TurnStore.InsertInboundAsync(s, message, reporter.Id, now) is null)
        {
            w.Discard(); // undo the reporter touch
            return TurnOutcome.Duplicate;
        }

        // The citizen's privacy words work at any point and leave the dialog where it was.
        if (privacy is not null
            && await privacy.TryHandleAsync(s, reporter, message.Text ?? message.QuickReplyPayload, now, cancellationToken) is { } privacyReply)
        {
            await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id, null,
                await privacy.WithNoticeAsync(s, reporter, privacyReply, now), [], now);
            return TurnOutcome.Accepted;
        }

        var state = await TurnStore.LoadStateAsync(s, reporter.Id, dialog.Id);
        var o = options.Value;
        // The dialog decides everything about earlier cases (ratings, "tidak puas", the clarifying
        // question, completing a returned case) from these facts; see dialogs/README.md.
        var context = new DialogContext(now, o.ExpireAfter, o.MaxMessageLength, reporter.Language)
        {
            Cases = followUp is null ? [] : await followUp.CasesAsync(s, reporter, now),
            Identity = await TurnStore.LastIdentityAsync(s, reporter.Id),
        };
        var input = new DialogInput(message.Text ?? message.QuickReplyPayload, message.Location, message.Attachments,
            message.Unsupported, message.ProfileName ?? reporter.DisplayName);
        var turn = dialogs.Engine.Handle(state, input, context);

        long? touched = null;
        var effects = new StoreEffects(s, reporter, message.Channel, now, trackingNumbers, created, followUp, id => touched = id);
        var reply = await ReplyComposer.ComposeAsync(dialog, turn, effects, zone, cancellationToken);

        await TurnStore.SaveStateAsync(s, reporter.Id, dialog.Id, turn.State, now);
        if (turn.State.Language != reporter.Language)
        {
            await TurnStore.SetLanguageAsync(s, reporter.Id, turn.State.Language);
        }
        if (reply is not null)
        {
            await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id,
                created.Count > 0 ? created[^1] : touched, await WithNoticeAsync(s, reporter, reply.Text, now), reply.QuickReplies, now, format: TextFormat.Markup);
        }
        return TurnOutcome.Accepted;
    }

    /// <summary>The first message a new reporter receives carries the short privacy notice.</summary>
    private Task<string> WithNoticeAsync(DbSession s, ReporterRow reporter, string text, DateTimeOffset now) =>
        privacy is null ? Task.FromResult(text) : privacy.WithNoticeAsync(s, reporter, text, now);

    /// <summary>Dialog effects performed inside the turn's transaction.</summary>
    private sealed class StoreEffects(
        DbSession s, ReporterRow reporter, string channel, DateTimeOffset now, TrackingNumbers numbers, List<long> created,
        ICaseFollowUp? followUp, Action<long?> touched)
        : IDialogEffects
    {
        public async Task PerformAsync(CaseAction action, CancellationToken cancellationToken)
        {
            if (followUp is null)
            {
                throw new InvalidOperationException("the dialog acted on an earlier case, but no case follow-up is registered");
            }
            touched(await followUp.PerformAsync(s, reporter, action, now));
        }

        public async Task<string> SubmitComplaintAsync(ComplaintDraft draft, CancellationToken cancellationToken)
        {
            var number = await numbers.NextAsync(s, now);
            var row = await ComplaintStore.InsertAsync(s, number, reporter.Id, channel, draft, now);
            await ComplaintStore.AppendEventAsync(s, row.Id, now, "citizen", "submitted",
                Staff.StaffTexts.T(draft.Confidential ? "note.submitted_confidential" : "note.submitted", ("channel", StatusPage.WebTexts.Channel(channel))));
            created.Add(row.Id);
            return number;
        }

        public async Task<StatusInfo?> FindOwnComplaintAsync(string trackingNumber, CancellationToken cancellationToken)
        {
            var row = await ComplaintStore.FindForReporterAsync(s, reporter.Id, trackingNumber);
            if (row is null)
            {
                return null;
            }
            var agency = row.AgencyCode is null ? null : await s.Connection.ExecuteScalarAsync<string?>(
                "SELECT name FROM agencies WHERE code = @code", new { code = row.AgencyCode }, s.Transaction);
            return new StatusInfo(row.TrackingNumber, row.Created, row.Status, agency, row.Answer);
        }

        public async Task<IReadOnlyList<StatusInfo>> LatestOwnComplaintsAsync(int count, CancellationToken cancellationToken) =>
            (await ComplaintStore.LatestForReporterAsync(s, reporter.Id, count))
                .Select(r => new StatusInfo(r.TrackingNumber, r.Created, r.Status, r.AgencyCode)).ToList();
    }
}
