using System.Globalization;

namespace LaporBot.Conversations;

/// <summary>A complaint as the citizen may see it in a status reply.</summary>
internal sealed record StatusInfo(string TrackingNumber, DateTimeOffset CreatedAt, string Status, string? AgencyName, string? Answer = null);

/// <summary>The effects a dialog turn may ask for, performed inside the turn's transaction.</summary>
internal interface IDialogEffects
{
    /// <summary>Stores the complaint with its first timeline event; returns its tracking number.</summary>
    Task<string> SubmitComplaintAsync(ComplaintDraft draft, CancellationToken cancellationToken);

    /// <summary>The citizen's own complaint with that number, if any.</summary>
    Task<StatusInfo?> FindOwnComplaintAsync(string trackingNumber, CancellationToken cancellationToken);

    /// <summary>The citizen's latest complaints, newest first.</summary>
    Task<IReadOnlyList<StatusInfo>> LatestOwnComplaintsAsync(int count, CancellationToken cancellationToken);

    /// <summary>Acts on one of the citizen's earlier cases, as they chose (rating, verdict, comment, completion).</summary>
    Task PerformAsync(CaseAction action, CancellationToken cancellationToken);
}

/// <summary>The one message a turn sends back: its text as markup (<see cref="Channels.Markup"/>) and quick-reply labels.</summary>
internal sealed record ComposedReply(string Text, IReadOnlyList<string> QuickReplies);

/// <summary>
/// Performs a turn's effects and renders its outputs, in order, into one reply (several short
/// messages in a row cost the citizen more and arrive out of order on some providers).
/// </summary>
internal static class ReplyComposer
{
    private static readonly TimeZoneInfo Wib = FindWib();

    public static async Task<ComposedReply?> ComposeAsync(
        DialogDefinition d, TurnResult turn, IDialogEffects effects, CancellationToken cancellationToken)
    {
        var lang = turn.State.Language;
        var parts = new List<string>();
        IReadOnlyList<string> quick = [];
        foreach (var output in turn.Outputs)
        {
            switch (output)
            {
                case Say say:
                    parts.Add(d.Render(say.Key, lang, say.Args));
                    quick = say.QuickReplies?.Select(q => d.RenderPlain(q.Key, lang, q.Args)).ToList() ?? [];
                    break;
                case CaseAction action:
                    await effects.PerformAsync(action, cancellationToken);
                    break;
                case SubmitComplaint submit:
                    var number = await effects.SubmitComplaintAsync(submit.Draft, cancellationToken);
                    parts.Add(d.Render("submitted", lang, new Dictionary<string, string> { ["tracking_number"] = number }));
                    quick = [];
                    break;
                case QueryStatus { TrackingNumber: null }:
                    var latest = await effects.LatestOwnComplaintsAsync(10, cancellationToken);
                    parts.Add(latest.Count == 0
                        ? d.Text("status_none", lang)
                        : d.Render("status_list", lang, new Dictionary<string, string>
                        {
                            ["items"] = string.Join("\n", latest.Select(c =>
                                Channels.Markup.Escape($"• {c.TrackingNumber} ({FormatDate(c.CreatedAt)}) — {d.StatusLabel(c.Status, lang)}"))),
                        }));
                    quick = [];
                    break;
                case QueryStatus q:
                    var found = await effects.FindOwnComplaintAsync(q.TrackingNumber!, cancellationToken);
                    parts.Add(found is null
                        ? d.Render("status_not_found", lang, new Dictionary<string, string> { ["tracking_number"] = q.TrackingNumber! })
                        : d.Render("status_found", lang, new Dictionary<string, string>
                        {
                            ["tracking_number"] = found.TrackingNumber,
                            ["date"] = FormatDate(found.CreatedAt),
                            ["status"] = d.StatusLabel(found.Status, lang),
                            ["agency"] = found.AgencyName is null ? ""
                                : d.Render("status_agency", lang, new Dictionary<string, string> { ["agency_name"] = found.AgencyName }),
                            ["answer_part"] = found.Answer is null ? ""
                                : d.Render("status_answer", lang, new Dictionary<string, string> { ["answer"] = found.Answer }),
                        }));
                    quick = [];
                    break;
            }
        }
        return parts.Count == 0 ? null : new ComposedReply(string.Join("\n\n", parts), quick);
    }

    /// <summary>Dates for citizens are local (WIB), day first as Indonesians write them.</summary>
    public static string FormatDate(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Wib).ToString("dd-MM-yyyy HH:mm", CultureInfo.InvariantCulture) + " WIB";

    private static TimeZoneInfo FindWib()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("WIB", TimeSpan.FromHours(7), "WIB", "WIB");
        }
    }
}
