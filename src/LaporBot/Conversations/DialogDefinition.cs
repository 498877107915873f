namespace LaporBot.Conversations;

/// <summary>A text in every language of its dialog.</summary>
internal sealed class LocalizedText(IReadOnlyDictionary<string, string> byLanguage)
{
    public IReadOnlyDictionary<string, string> ByLanguage { get; } = byLanguage;

    public string Get(string language, string fallbackLanguage) =>
        ByLanguage.TryGetValue(language, out var t) ? t : ByLanguage[fallbackLanguage];
}

internal enum StepType { Idle, Ask, Confirm, Submit, Identity, Clarify, Reason, Resubmit }

internal sealed record FieldDefinition(string Name, IFieldValidator Validator, IReadOnlyList<string> Aliases, LocalizedText Label);

internal sealed record StepDefinition(
    string Id,
    StepType Type,
    int Line,
    string? Field = null,
    string? Next = null,
    string? Yes = null,
    string? No = null,
    string? Prefill = null,
    bool OfferProfileName = false,
    bool AcceptLocation = false,
    int PrefillMinWords = 0,
    string? SameAs = null,
    string? Clarify = null,
    string? Unsatisfied = null,
    string? Returned = null,
    string? CancelMessage = null);

/// <summary>One loaded, validated dialog file (see dialogs/README.md for the format).</summary>
internal sealed class DialogDefinition
{
    /// <summary>The message keys the engine and the turn pipeline say by name; every dialog must define them.</summary>
    public static readonly IReadOnlyList<string> RequiredMessages =
    [
        "welcome", "form_started", "menu", "help", "cancelled", "nothing_to_cancel", "already_reporting", "expired",
        "too_long", "empty_message", "unsupported", "unknown_command", "gave_up", "language_switched", "confirm_help",
        "change_which", "change_not_now", "location_saved", "location_as_address", "attachment_saved", "confidential_on",
        "extras_location", "extras_attachments", "extras_confidential", "submitted", "status_usage", "status_found",
        "status_agency", "status_not_found", "status_list", "status_none", "quick_yes", "quick_no", "quick_change", "internal_error",
        "accepted_notice", "answer_relayed", "returned_to_citizen", "completion_received", "rating_thanks", "satisfied_thanks",
        "reopened_notice", "comment_forwarded", "closed_notice", "auto_closed", "status_answer",
        "quick_satisfied", "quick_unsatisfied", "quick_new_report", "quick_case", "returned_reminder", "returned_expired",
        "clarify_dropped", "quick_change_name", "quick_change_address", "quick_same_as_address", "name_yes_no", "name_is_command",
        "returned_closed",
    ];

    /// <summary>Word lists the engine understands as answers (see dialogs/README.md).</summary>
    public static readonly IReadOnlyList<string> KnownAnswers =
        ["yes", "no", "satisfied", "unsatisfied", "new_report", "rating", "same_as_address"];

    /// <summary>Global commands the engine knows how to perform.</summary>
    public static readonly IReadOnlyList<string> KnownCommands =
        ["cancel", "menu", "help", "status", "language", "report", "change", "confidential"];

    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string SourcePath { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    public required int MaxAttempts { get; init; }
    /// <summary>command → language → words.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Commands { get; init; }
    /// <summary>"yes"/"no"/"satisfied"/… → language → words.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Answers { get; init; }
    /// <summary>language → words that name it.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> LanguageNames { get; init; }
    public required IReadOnlyDictionary<string, FieldDefinition> Fields { get; init; }
    public required string Start { get; init; }
    public required IReadOnlyDictionary<string, StepDefinition> Steps { get; init; }
    /// <summary>Every text: messages by key, step prompts as "{step}.prompt" / "{step}.offer".</summary>
    public required IReadOnlyDictionary<string, LocalizedText> Texts { get; init; }
    public required IReadOnlyDictionary<string, LocalizedText> Statuses { get; init; }

    public string DefaultLanguage => Languages[0];

    /// <summary>The raw text as written in the dialog file (with its *bold* marks).</summary>
    public string Text(string key, string language) => Texts[key].Get(language, DefaultLanguage);

    /// <summary>
    /// The message as channel-neutral markup (<see cref="Channels.Markup"/>): the dialog's <c>*bold*</c>
    /// becomes bold, and every placeholder value — citizen- or staff-typed text — is escaped, so it can
    /// never change the formatting. Unknown placeholders are left as they are so a typo is visible, not silent.
    /// </summary>
    public string Render(string key, string language, IReadOnlyDictionary<string, string>? args) =>
        Channels.Markup.FromTemplate(Text(key, language), args);

    /// <summary>The message as plain text (quick-reply labels, which no channel formats).</summary>
    public string RenderPlain(string key, string language, IReadOnlyDictionary<string, string>? args) =>
        Channels.Markup.ToPlain(Render(key, language, args));

    /// <summary>Whether <paramref name="text"/> is one of the words of <paramref name="answer"/> in any language.</summary>
    public bool IsAnswer(string answer, string text)
    {
        var t = text.Trim().TrimEnd('.', '!').ToLowerInvariant();
        return Answers.TryGetValue(answer, out var byLang) && byLang.Values.Any(ws => ws.Contains(t));
    }

    public string StatusLabel(string status, string language) =>
        Statuses.TryGetValue(status, out var t) ? t.Get(language, DefaultLanguage) : status;
}
