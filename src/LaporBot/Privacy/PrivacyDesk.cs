using Dapper;
using LaporBot.Channels;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Privacy;

/// <summary>
/// The citizen's privacy rights by chat, at any point of any dialog (a whole-message word from
/// dialogs/privacy/privasi.yaml): PRIVASI (the full notice), DATA SAYA (what we hold, to their own
/// chat only), HAPUS DATA SAYA (explain, confirm, erase what can be now and the rest when open cases
/// close), BERHENTI / STOP (no messages except answers to open cases). Also adds the short notice to
/// the first message a new reporter receives. Works inside the turn's transaction.
/// </summary>
internal sealed class PrivacyDesk(DialogCatalog dialogs, IOptions<PrivacyOptions> options, AttachmentStore attachments)
{
    /// <summary>How long a HAPUS DATA SAYA waits for its YA.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromHours(1);

    /// <summary>Messages a reporter who said BERHENTI still receives: answers about their open cases.</summary>
    public static readonly string[] SentWhenStopped = ["answer_relayed", "returned_to_citizen"];

    private readonly Lazy<PrivacyTexts> _texts = new(() => PrivacyTexts.Load(PrivacyTexts.PathIn(dialogs.Directory)));

    public PrivacyTexts Texts => _texts.Value;

    private sealed record State(long? NoticeSentAt, long? StoppedAt, long? EraseAskedAt);

    /// <summary>Answers a privacy word (or the YA/TIDAK after HAPUS DATA SAYA); null when the message is not about privacy.</summary>
    public async Task<string?> TryHandleAsync(DbSession s, ReporterRow reporter, string? text, DateTimeOffset now, CancellationToken ct)
    {
        var c = s.Connection;
        var state = await c.QuerySingleAsync<State>(
            "SELECT notice_sent_at, stopped_at, erase_asked_at FROM reporters WHERE id = @id", new { id = reporter.Id }, s.Transaction);
        var lang = reporter.Language;
        var nowMs = now.ToUnixTimeMilliseconds();
        var kind = Texts.Match(text, "privacy", "my_data", "erase", "stop");

        if (state.StoppedAt is not null && kind != "stop")
        {
            // Writing again is starting again.
            await c.ExecuteAsync("UPDATE reporters SET stopped_at = NULL WHERE id = @id", new { id = reporter.Id }, s.Transaction);
        }
        if (state.EraseAskedAt is { } asked && kind is null)
        {
            await c.ExecuteAsync("UPDATE reporters SET erase_asked_at = NULL WHERE id = @id", new { id = reporter.Id }, s.Transaction);
            if (nowMs - asked <= ConfirmWithin.TotalMilliseconds)
            {
                switch (Texts.Match(text, "yes", "no"))
                {
                    case "yes":
                        return await EraseAsync(s, reporter, lang, now);
                    case "no":
                        return Texts.Render("erase_cancelled", lang);
                }
            }
        }
        var o = options.Value;
        switch (kind)
        {
            case "privacy":
                return Texts.Render("notice_full", lang, new Dictionary<string, string>
                {
                    ["controller"] = o.Controller,
                    ["dpo_contact"] = o.DpoContact,
                    ["closed_days"] = ((int)o.Retention.ClosedCases.TotalDays).ToString(),
                    ["raw_days"] = ((int)o.Retention.InboundMessages.TotalDays).ToString(),
                });
            case "my_data":
                return await MyDataAsync(s, reporter, lang);
            case "erase":
                await c.ExecuteAsync("UPDATE reporters SET erase_asked_at = @nowMs WHERE id = @id", new { id = reporter.Id, nowMs }, s.Transaction);
                var open = await OpenNumbersAsync(s, reporter.Id);
                return open.Count == 0
                    ? Texts.Render("erase_explain", lang)
                    : Texts.Render("erase_explain_open", lang, new Dictionary<string, string> { ["numbers"] = string.Join(", ", open) });
            case "stop":
                await c.ExecuteAsync("UPDATE reporters SET stopped_at = @nowMs WHERE id = @id", new { id = reporter.Id, nowMs }, s.Transaction);
                return Texts.Render("stopped", lang);
            default:
                return null;
        }
    }

    /// <summary>The reply with the short privacy notice added when this reporter has never had it; records that they have.</summary>
    public async Task<string> WithNoticeAsync(DbSession s, ReporterRow reporter, string reply, DateTimeOffset now)
    {
        var marked = await s.Connection.ExecuteAsync(
            "UPDATE reporters SET notice_sent_at = @now WHERE id = @id AND notice_sent_at IS NULL AND erased_at IS NULL",
            new { id = reporter.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
        if (marked == 0)
        {
            return reply;
        }
        var days = ((int)options.Value.Retention.ClosedCases.TotalDays).ToString();
        return reply + "\n\n" + Texts.Render("notice_short", reporter.Language, new Dictionary<string, string> { ["closed_days"] = days });
    }

    private async Task<IReadOnlyList<string>> OpenNumbersAsync(DbSession s, long reporterId) =>
        (await s.Connection.QueryAsync<string>(
            "SELECT tracking_number FROM complaints WHERE reporter_id = @reporterId AND status <> 'closed' ORDER BY id",
            new { reporterId }, s.Transaction)).AsList();

    private async Task<string> MyDataAsync(DbSession s, ReporterRow reporter, string lang)
    {
        var rows = await ComplaintStore.LatestForReporterAsync(s, reporter.Id, 1000);
        var names = rows.Select(r => r.Name).Append(reporter.DisplayName ?? "").Where(n => n.Length > 0).Distinct().ToList();
        var addresses = rows.Select(r => r.Address).Where(a => a.Length > 0).Distinct().ToList();
        var dialog = dialogs.Main;
        var items = rows.Select(r => Texts.Render("my_data_item", lang, new Dictionary<string, string>
        {
            ["tracking_number"] = r.TrackingNumber,
            ["date"] = ReplyComposer.FormatDate(r.Created),
            ["status"] = dialog.StatusLabel(r.Status, lang),
        })).ToList();
        var none = Texts.Render("my_data_no_items", lang);
        return Texts.Render("my_data", lang, new Dictionary<string, string>
        {
            ["contact"] = $"{reporter.Address} ({reporter.Channel})",
            ["name"] = names.Count == 0 ? none : string.Join("; ", names),
            ["address"] = addresses.Count == 0 ? none : string.Join("; ", addresses),
            ["items"] = items.Count == 0 ? none : string.Join("\n", items),
        });
    }

    /// <summary>Erases now what no open case needs; marks the rest for the retention job to erase when those cases close.</summary>
    private async Task<string> EraseAsync(DbSession s, ReporterRow reporter, string lang, DateTimeOffset now)
    {
        var files = new List<string>();
        foreach (var id in await s.Connection.QueryAsync<long>(
            "SELECT id FROM complaints WHERE reporter_id = @id AND status = 'closed' AND personal_erased_at IS NULL", new { id = reporter.Id }, s.Transaction))
        {
            files.AddRange(await Erasure.EraseCaseAsync(s, id, now));
        }
        var open = await OpenNumbersAsync(s, reporter.Id);
        string reply;
        if (open.Count == 0)
        {
            files.AddRange(await Erasure.EraseIdentityAsync(s, reporter.Id, now));
            reply = Texts.Render("erase_done", lang);
        }
        else
        {
            // The chat address stays until the open cases close (their answers must reach the citizen).
            files.AddRange(await Erasure.InboundFilesAsync(s, "reporter_id = @id", new { id = reporter.Id }));
            await s.Connection.ExecuteAsync(
                """
                DELETE FROM inbound_messages WHERE reporter_id = @id;
                DELETE FROM conversations WHERE reporter_id = @id;
                UPDATE reporters SET erase_requested_at = @now, display_name = NULL WHERE id = @id;
                """,
                new { id = reporter.Id, now = now.ToUnixTimeMilliseconds() }, s.Transaction);
            reply = Texts.Render("erase_done_partial", lang, new Dictionary<string, string> { ["numbers"] = string.Join(", ", open) });
        }
        Erasure.DeleteFiles(attachments, files);
        return reply;
    }
}
