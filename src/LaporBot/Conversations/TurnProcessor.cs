using System.Data.Common;
using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Conversations;

internal enum TurnOutcome { Accepted, Duplicate }

/// <summary>A reply produced outside the dialog, about an earlier complaint.</summary>
internal sealed record InterceptedReply(string Text, long? ComplaintId);

/// <summary>Gets a look at an idle citizen's message before the dialog does (inside the turn's transaction).</summary>
internal interface ITurnInterceptor
{
    Task<InterceptedReply?> TryHandleAsync(DbSession session, ReporterRow reporter, string text, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Told after the commit that stored a new complaint (e.g. to schedule its routing at once).</summary>
internal interface IComplaintSubmittedHandler
{
    Task OnSubmittedAsync(long complaintId, CancellationToken cancellationToken);
}

/// <summary>
/// One inbound message = one transaction: store it (deduplicated by provider id), run the dialog,
/// save the new state, any new complaint with its first timeline event, and the reply as an outbox
/// row — all committed together; the dispatcher is woken after the commit.
/// </summary>
internal sealed class TurnProcessor(
    IDatabase db,
    DialogCatalog dialogs,
    TrackingNumbers trackingNumbers,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    IOptions<ConversationOptions> options,
    ILogger<TurnProcessor> logger,
    IEnumerable<ITurnInterceptor>? interceptors = null,
    IEnumerable<IComplaintSubmittedHandler>? submittedHandlers = null,
    Privacy.PrivacyDesk? privacy = null)
{
    private readonly ITurnInterceptor[] interceptors = interceptors?.ToArray() ?? [];
    private readonly IComplaintSubmittedHandler[] submittedHandlers = submittedHandlers?.ToArray() ?? [];

    public async Task<TurnOutcome> ProcessAsync(InboundMessage message, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunTurnAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not DbException and not OperationCanceledException)
        {
            // A bug in a dialog turn must not lose the message or make the provider retry it forever:
            // keep the message, apologise, and leave the conversation state as it was.
            logger.LogError(e, "Dialog turn failed for a {Channel} message; storing it with an apology", message.Channel);
            return await StoreWithApologyAsync(message, cancellationToken);
        }
    }

    private async Task<TurnOutcome> StoreWithApologyAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (var s = await db.BeginAsync(cancellationToken))
        {
            var reporter = await TurnStore.UpsertReporterAsync(s, message, now);
            if (await TurnStore.InsertInboundAsync(s, message, reporter.Id, now) is null)
            {
                return TurnOutcome.Duplicate;
            }
            await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id, null,
                dialogs.Main.Text("internal_error", reporter.Language), [], now);
            await s.CommitAsync(cancellationToken);
        }
        outboxSignal.Notify();
        return TurnOutcome.Accepted;
    }

    private async Task<TurnOutcome> RunTurnAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var dialog = dialogs.Main;
        var created = new List<long>();
        await using (var s = await db.BeginAsync(cancellationToken))
        {
            var reporter = await TurnStore.UpsertReporterAsync(s, message, now);
            if (await TurnStore.InsertInboundAsync(s, message, reporter.Id, now) is null)
            {
                return TurnOutcome.Duplicate; // disposing the session rolls back the reporter touch
            }

            // The citizen's privacy words work at any point and leave the dialog where it was.
            if (privacy is not null
                && await privacy.TryHandleAsync(s, reporter, message.Text ?? message.QuickReplyPayload, now, cancellationToken) is { } privacyReply)
            {
                await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id, null,
                    await privacy.WithNoticeAsync(s, reporter, privacyReply, now), [], now);
                await s.CommitAsync(cancellationToken);
                outboxSignal.Notify();
                return TurnOutcome.Accepted;
            }

            var state = await TurnStore.LoadStateAsync(s, reporter.Id, dialog.Id);
            var o = options.Value;
            // Between complaints, a message may be about an earlier case (a rating, "tidak puas",
            // the completion of a returned complaint); global commands always go to the dialog.
            var text = message.Text ?? message.QuickReplyPayload;
            if ((state is null || dialog.Steps[state.Step].Type == StepType.Idle) && !string.IsNullOrWhiteSpace(text)
                && !dialogs.Engine.IsCommand(text) && text.Trim().Length <= o.MaxMessageLength)
            {
                foreach (var interceptor in interceptors)
                {
                    if (await interceptor.TryHandleAsync(s, reporter, text.Trim(), now, cancellationToken) is { } answer)
                    {
                        await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id, answer.ComplaintId,
                            await WithNoticeAsync(s, reporter, answer.Text, now), [], now);
                        await s.CommitAsync(cancellationToken);
                        outboxSignal.Notify();
                        return TurnOutcome.Accepted;
                    }
                }
            }
            var input = new DialogInput(message.Text ?? message.QuickReplyPayload, message.Location, message.Attachments,
                message.Unsupported, message.ProfileName ?? reporter.DisplayName);
            var turn = dialogs.Engine.Handle(state, input, new DialogContext(now, o.ExpireAfter, o.MaxMessageLength, reporter.Language));

            var effects = new StoreEffects(s, reporter, message.Channel, now, trackingNumbers, created);
            var reply = await ReplyComposer.ComposeAsync(dialog, turn, effects, cancellationToken);

            await TurnStore.SaveStateAsync(s, reporter.Id, dialog.Id, turn.State, now);
            if (turn.State.Language != reporter.Language)
            {
                await TurnStore.SetLanguageAsync(s, reporter.Id, turn.State.Language);
            }
            if (reply is not null)
            {
                await OutboxStore.EnqueueAsync(s, message.Channel, message.ChatAddress, reporter.Id,
                    created.Count > 0 ? created[^1] : null, await WithNoticeAsync(s, reporter, reply.Text, now), reply.QuickReplies, now);
            }
            await s.CommitAsync(cancellationToken);
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

    /// <summary>The first message a new reporter receives carries the short privacy notice.</summary>
    private Task<string> WithNoticeAsync(DbSession s, ReporterRow reporter, string text, DateTimeOffset now) =>
        privacy is null ? Task.FromResult(text) : privacy.WithNoticeAsync(s, reporter, text, now);

    /// <summary>Dialog effects performed inside the turn's transaction.</summary>
    private sealed class StoreEffects(
        DbSession s, ReporterRow reporter, string channel, DateTimeOffset now, TrackingNumbers numbers, List<long> created)
        : IDialogEffects
    {
        public async Task<string> SubmitComplaintAsync(ComplaintDraft draft, CancellationToken cancellationToken)
        {
            var number = await numbers.NextAsync(s, now);
            var row = await ComplaintStore.InsertAsync(s, number, reporter.Id, channel, draft, now);
            await ComplaintStore.AppendEventAsync(s, row.Id, now, "citizen", "submitted",
                draft.Confidential ? $"via {channel}; identity confidential" : $"via {channel}");
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
