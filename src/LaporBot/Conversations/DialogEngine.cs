using System.Globalization;
using System.Text.RegularExpressions;
using LaporBot.Channels;

namespace LaporBot.Conversations;

/// <summary>What the citizen sent, as the engine sees it.</summary>
internal sealed record DialogInput(
    string? Text,
    GeoPoint? Location = null,
    IReadOnlyList<InboundAttachment>? Attachments = null,
    bool Unsupported = false,
    string? ProfileName = null);

/// <summary>
/// One of the citizen's earlier complaints as the dialog may talk about it: the ones waiting for the
/// citizen (answered inside the reply window, returned) and the latest for a rating. Newest first.
/// </summary>
/// <param name="AwaitingVerdict">Answered, inside the reply window, and the citizen has not said whether it helped.</param>
/// <param name="Rateable">The rating question is open: answered (or closed as satisfied) inside the window, not yet rated.</param>
/// <param name="Fields">The case's form values (name, address, location, text) for completing a returned case.</param>
internal sealed record CaseFacts(
    string TrackingNumber,
    string Status,
    string? AgencyName,
    bool AwaitingVerdict = false,
    bool Rateable = false,
    string? ReturnReason = null,
    IReadOnlyDictionary<string, string>? Fields = null,
    GeoPoint? Location = null,
    bool Confidential = false)
{
    public bool Returned => Status == "returned";
    public bool WaitsForCitizen => Returned || AwaitingVerdict;
}

/// <summary>The name and applicant address the citizen gave with their last complaint.</summary>
internal sealed record KnownIdentity(string Name, string Address);

/// <summary>Facts from outside the conversation: the clock, the limits from configuration, and the citizen's cases.</summary>
internal sealed record DialogContext(DateTimeOffset Now, TimeSpan ExpireAfter, int MaxMessageLength, string? Language = null)
{
    public IReadOnlyList<CaseFacts> Cases { get; init; } = [];
    public KnownIdentity? Identity { get; init; }
}

internal abstract record DialogOutput;

/// <summary>A quick reply: the dialog message <paramref name="Key"/> used as a button label.</summary>
internal sealed record Choice(string Key, IReadOnlyDictionary<string, string>? Args = null)
{
    public static implicit operator Choice(string key) => new(key);
}

/// <summary>Say the message <paramref name="Key"/> of the dialog, filled with <paramref name="Args"/>.</summary>
internal sealed record Say(string Key, IReadOnlyDictionary<string, string>? Args = null, IReadOnlyList<Choice>? QuickReplies = null) : DialogOutput;

/// <summary>Something done to an earlier case, always because the citizen chose it.</summary>
internal abstract record CaseAction(string TrackingNumber) : DialogOutput;

/// <summary>The answer to the rating question: 1–5.</summary>
internal sealed record RateCase(string TrackingNumber, int Rating) : CaseAction(TrackingNumber);

/// <summary>"Puas": the answer helped; the case closes.</summary>
internal sealed record CaseSatisfied(string TrackingNumber) : CaseAction(TrackingNumber);

/// <summary>"Tidak puas" with the reason: the case goes back to the same agency.</summary>
internal sealed record ReopenCase(string TrackingNumber, string Reason) : CaseAction(TrackingNumber);

/// <summary>A comment the citizen chose to send to the agency about an answered case.</summary>
internal sealed record ForwardComment(string TrackingNumber, string Text) : CaseAction(TrackingNumber);

/// <summary>A returned case, completed and confirmed: the same case, back to the triage desk.</summary>
internal sealed record ResubmitReturned(string TrackingNumber, ComplaintDraft Draft) : CaseAction(TrackingNumber);

/// <summary>Store this complaint and tell the citizen its tracking number.</summary>
internal sealed record SubmitComplaint(ComplaintDraft Draft) : DialogOutput;

/// <summary>Look up one of the citizen's complaints (or list the latest when no number is given).</summary>
internal sealed record QueryStatus(string? TrackingNumber) : DialogOutput;

/// <param name="Address">The applicant's own address (the SOP's completeness field).</param>
/// <param name="ProblemLocation">Where the problem is, as text (a street, or the shared location's label/coordinates).</param>
internal sealed record ComplaintDraft(
    string Name,
    string Address,
    string ProblemLocation,
    string Text,
    GeoPoint? Location,
    IReadOnlyList<InboundAttachment> Attachments,
    bool Confidential,
    string Language);

internal sealed record TurnResult(ConversationState State, IReadOnlyList<DialogOutput> Outputs);

/// <summary>
/// Runs one dialog turn: (state, input, context) → (new state, outputs). Pure and deterministic:
/// no I/O, no clock of its own; effects are returned as outputs for the caller to perform.
/// </summary>
internal sealed partial class DialogEngine(DialogDefinition dialog)
{
    [GeneratedRegex(@"^[A-Z]{2,10}-\d{4}-\d{5}$")]
    private static partial Regex TrackingNumberShape();

    [GeneratedRegex(@"\b[A-Za-z]{2,10}-\d{4}-\d{5}\b")]
    private static partial Regex TrackingNumberInText();

    [GeneratedRegex(@"^[1-5]$")]
    private static partial Regex LoneRating();

    public DialogDefinition Dialog { get; } = dialog;

    public TurnResult Handle(ConversationState? previous, DialogInput input, DialogContext ctx) =>
        new Turn(Dialog, previous, input, ctx).Run();

    public static bool LooksLikeTrackingNumber(string s) => TrackingNumberShape().IsMatch(s);

    /// <summary>Whether the message starts with one of the dialog's global words or is a /command.</summary>
    public bool IsCommand(string text)
    {
        var words = text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return false;
        }
        if (words[0].StartsWith('/'))
        {
            return true;
        }
        var head = words[0].TrimEnd('.', '!', ',', ':', '?').ToLowerInvariant();
        return Dialog.Commands.Values.Any(c => c.Values.Any(ws => ws.Contains(head)));
    }

    private sealed class Turn
    {
        private readonly DialogDefinition _d;
        private readonly ConversationState _s;
        private readonly DialogInput _in;
        private readonly DialogContext _ctx;
        private readonly List<DialogOutput> _out = [];
        private readonly bool _firstContact;

        public Turn(DialogDefinition d, ConversationState? previous, DialogInput input, DialogContext ctx)
        {
            _d = d;
            _in = input;
            _ctx = ctx;
            _firstContact = previous is null;
            _s = previous?.Clone() ?? new ConversationState
            {
                Step = d.Start,
                Language = ctx.Language is { } l && d.Languages.Contains(l) ? l : d.DefaultLanguage,
            };
            if (!d.Steps.ContainsKey(_s.Step) || !d.Languages.Contains(_s.Language))
            {
                // The dialog file changed since this state was saved: start over rather than fail.
                _s.Step = IdleStep.Id;
                _s.Language = d.Languages.Contains(_s.Language) ? _s.Language : d.DefaultLanguage;
                ClearForm();
            }
        }

        private StepDefinition Current => _d.Steps[_s.Step];
        private StepDefinition IdleStep => _d.Steps.Values.First(s => s.Type == StepType.Idle);
        private bool InForm => Current.Type != StepType.Idle;
        /// <summary>In an exchange about an earlier case (clarifying question, reason, returned case) rather than a new form.</summary>
        private bool InFollowUp => InForm && (_s.Case is not null || _s.Pending is not null || Current.Type is StepType.Clarify or StepType.Reason);

        public TurnResult Run()
        {
            var expired = false;
            if (InForm && _s.UpdatedAt + _ctx.ExpireAfter <= _ctx.Now)
            {
                Say(InFollowUp ? "clarify_dropped" : "expired");
                expired = !InFollowUp;
                ResetToIdle(keepConfidential: false);
            }
            _s.UpdatedAt = _ctx.Now;

            var text = (_in.Text ?? "").Trim();
            if (text.Length > _ctx.MaxMessageLength)
            {
                Say("too_long", ("length", text.Length), ("max", _ctx.MaxMessageLength));
                Reprompt();
                return Done();
            }
            if (text.Length > 0 && TryCommand(text))
            {
                return Done();
            }
            if (expired)
            {
                // The citizen came back to a form we dropped: their message was meant for it, so start
                // a fresh one (using it as the complaint when it reads like one) rather than show the menu.
                StartForm(text);
                return Done();
            }
            switch (Current.Type)
            {
                case StepType.Ask:
                    OnAsk(text);
                    break;
                case StepType.Confirm:
                    OnConfirm(text);
                    break;
                case StepType.Identity:
                    OnIdentity(text);
                    break;
                case StepType.Clarify:
                    OnClarify(text);
                    break;
                case StepType.Reason:
                    OnReason(text);
                    break;
                default:
                    OnIdle(text);
                    break;
            }
            return Done();
        }

        private TurnResult Done() => new(_s, _out);

        // ---- global commands -------------------------------------------------------------

        private bool TryCommand(string text)
        {
            var words = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            var head = words[0].TrimStart('/').TrimEnd('.', '!', ',', ':', '?').ToLowerInvariant();
            // Telegram may send "/bantuan@NamaBot".
            var at = head.IndexOf('@');
            if (at > 0)
            {
                head = head[..at];
            }
            // Telegram's /start carries an optional deep-link payload that means nothing to a citizen.
            var arg = words.Length > 1 && head != "start" ? words[1].Trim() : "";
            var command = _d.Commands.FirstOrDefault(c => c.Value.Values.Any(ws => ws.Contains(head))).Key;
            switch (command)
            {
                case "cancel" or "menu" or "help" or "confidential" when arg.Length == 0:
                    break;
                case "status" when arg.Length == 0 || LooksLikeTrackingNumber(NormalizeNumber(arg)) || LooksLikeMistypedNumber(arg):
                    break;
                case "language" when arg.Length == 0 || FindLanguage(arg) is not null:
                    break;
                case "change" when arg.Length == 0 || FindField(arg) is not null:
                    break;
                // Mid-form, "Lapor pak, jalan di depan …" is the citizen's answer, not a request for a new form.
                case "report" when arg.Length == 0 || !InForm:
                    break;
                default:
                    if (text.StartsWith('/'))
                    {
                        Say("unknown_command", ("command", words[0]));
                        Reprompt();
                        return true;
                    }
                    return false;
            }

            switch (command)
            {
                case "cancel" when InFollowUp:
                    Say("clarify_dropped");
                    ResetToIdle(keepConfidential: false);
                    break;
                case "cancel":
                    if (InForm)
                    {
                        Say("cancelled");
                        ResetToIdle(keepConfidential: false);
                    }
                    else
                    {
                        Say("nothing_to_cancel");
                        Say("menu");
                    }
                    break;
                case "menu" when _firstContact:
                    Say("welcome");
                    StartForm("");
                    break;
                case "menu":
                    Say("menu");
                    Reprompt();
                    break;
                case "help":
                    Say("help");
                    Reprompt();
                    break;
                case "status" when arg.Length > 0 && !LooksLikeTrackingNumber(NormalizeNumber(arg)):
                    Say("status_usage");
                    Reprompt();
                    break;
                case "status":
                    _out.Add(new QueryStatus(arg.Length == 0 ? null : NormalizeNumber(arg)));
                    Reprompt();
                    break;
                case "language":
                    _s.Language = arg.Length == 0
                        ? _d.Languages[(_d.Languages.ToList().IndexOf(_s.Language) + 1) % _d.Languages.Count]
                        : FindLanguage(arg)!;
                    Say("language_switched");
                    Reprompt();
                    break;
                case "confidential":
                    _s.Confidential = true;
                    Say("confidential_on");
                    Reprompt();
                    break;
                case "report" when InFollowUp && _s.Case is null:
                    // "Lapor" as the answer to the clarifying question: the held message is a new complaint.
                    StartForm(arg.Length > 0 ? arg : _s.Pending ?? "", keepMedia: true);
                    break;
                case "report":
                    if (InForm)
                    {
                        Say("already_reporting");
                        Reprompt();
                    }
                    else
                    {
                        if (_firstContact)
                        {
                            Say("welcome");
                        }
                        StartForm(arg);
                    }
                    break;
                case "change":
                    OnChange(arg);
                    break;
            }
            return true;
        }

        private void OnChange(string arg)
        {
            if (!InForm)
            {
                Say("change_not_now");
                return;
            }
            var field = arg.Length == 0 ? null : FindField(arg);
            if (field is null && _s.Offering)
            {
                // "Apakah nama Anda X?" → "ubah" / "salah": the offered name is wrong, so ask for it.
                _s.Offering = false;
                _s.OfferDeclined = true;
                Say($"{Current.Id}.prompt");
                return;
            }
            if (field is null)
            {
                Say("change_which");
                return;
            }
            var ask = _d.Steps.Values.First(s => s.Type == StepType.Ask && s.Field == field);
            if (Current.Type == StepType.Identity && _ctx.Identity is { } known)
            {
                // "Ubah alamat" to the remembered identity: keep the name, ask the address (and the other way round).
                foreach (var (f, v) in IdentityValues(known))
                {
                    if (f != field)
                    {
                        _s.Values[f] = v;
                    }
                }
            }
            if (Current.Type == StepType.Confirm)
            {
                _s.ReturnTo = Current.Id;
            }
            _s.Offering = false;
            _s.OfferDeclined = true;
            GoTo(ask.Id, force: true);
        }

        /// <summary>One word with a digit after STATUS ("status 00001", "status LPR-2611-1"): a number typed wrong.</summary>
        private static bool LooksLikeMistypedNumber(string arg) => !arg.Contains(' ') && arg.Any(char.IsDigit);

        private static string NormalizeNumber(string s) => s.Trim().TrimEnd('.', '!', '?').ToUpperInvariant();

        private string? FindLanguage(string arg)
        {
            var a = arg.Trim().ToLowerInvariant();
            a = a.StartsWith("bahasa ", StringComparison.Ordinal) ? a["bahasa ".Length..] : a;
            return _d.LanguageNames.FirstOrDefault(l => l.Value.Contains(a)).Key
                ?? (_d.Languages.Contains(a) ? a : null);
        }

        private string? FindField(string arg)
        {
            var a = arg.Trim().TrimEnd('.', '!').ToLowerInvariant();
            return _d.Fields.Values.FirstOrDefault(f => f.Aliases.Contains(a) || f.Name == a)?.Name;
        }

        // ---- steps --------------------------------------------------------------------------

        private void OnIdle(string text)
        {
            var hasMedia = _in.Location is not null || _in.Attachments is { Count: > 0 };
            // A reporter with earlier cases is never a first contact, even if their conversation state was lost.
            if ((!_firstContact || _ctx.Cases.Count > 0) && TryFollowUp(text, hasMedia))
            {
                return;
            }
            if (_firstContact)
            {
                Say("welcome");
                StartForm(text);
                return;
            }
            if (hasMedia)
            {
                StartForm(text);
                return;
            }
            if (text.Length == 0)
            {
                Say(_in.Unsupported ? "unsupported" : "empty_message");
                Say("menu");
                return;
            }
            if (PrefillVerdict(text) is { Ok: true })
            {
                StartForm(text);
                return;
            }
            Say("menu");
        }

        private void StartForm(string prefillText, bool keepMedia = false)
        {
            var idle = IdleStep;
            var (location, attachments) = (_s.Location, _s.Attachments);
            ClearForm();
            if (keepMedia)
            {
                // Media held with a message during the clarifying question belongs to the new complaint.
                (_s.Location, _s.Attachments) = (location, attachments);
            }
            if (idle.Prefill is { } f && PrefillVerdict(prefillText) is { Ok: true } v)
            {
                _s.Values[f] = v.Value!;
                Say("form_started");
            }
            TakeMedia(announce: true);
            GoTo(idle.Next!);
        }

        /// <summary>
        /// Whether a message sent outside a form already is the prefill field's answer. Besides the field's
        /// validator it needs prefill_min_words, so "Selamat pagi pak, saya mau lapor" is a greeting, not the complaint.
        /// </summary>
        private Verdict? PrefillVerdict(string text)
        {
            var idle = IdleStep;
            if (idle.Prefill is not { } f || text.Length == 0 || TextShape.Words(text) < idle.PrefillMinWords)
            {
                return null;
            }
            return _d.Fields[f].Validator.Check(text);
        }

        private void OnAsk(string text)
        {
            var step = Current;
            var field = _d.Fields[step.Field!];
            if (_in.Location is { } loc && step.AcceptLocation)
            {
                _s.Location = loc;
                UseLocationAsAnswer(step, loc);
                TakeMedia(announce: true, includeLocation: false);
                Advance();
                return;
            }
            var tookMedia = TakeMedia(announce: true);
            if (text.Length == 0)
            {
                if (!tookMedia)
                {
                    Say(_in.Unsupported ? "unsupported" : "empty_message");
                }
                Reprompt();
                return;
            }
            if (_s.Offering)
            {
                _s.Offering = false;
                if (IsAnswer("yes", text) && _in.ProfileName is { } pn && field.Validator.Check(pn) is { Ok: true } pv)
                {
                    _s.Values[field.Name] = pv.Value!;
                    Advance();
                    return;
                }
                if (IsAnswer("no", text))
                {
                    _s.OfferDeclined = true;
                    Say($"{step.Id}.prompt");
                    return;
                }
            }
            if (step.SameAs is { } same && IsAnswer("same_as_address", text) && _s.Values.TryGetValue(same, out var sameValue))
            {
                _s.Values[field.Name] = sameValue;
                Advance();
                return;
            }
            var verdict = DialogWordsRefusal(field, text) ?? field.Validator.Check(text);
            if (verdict.Ok)
            {
                _s.Values[field.Name] = verdict.Value!;
                Advance();
                return;
            }
            _s.Attempts++;
            _out.Add(new Say(verdict.Reason!, verdict.Args));
            if (_s.Attempts >= _d.MaxAttempts)
            {
                Say("gave_up");
                Say("help");
                ResetToIdle(keepConfidential: false);
                return;
            }
            Say($"{step.Id}.prompt");
        }

        private void OnConfirm(string text)
        {
            var step = Current;
            if (TakeMedia(announce: true))
            {
                if (text.Length == 0)
                {
                    Reprompt();
                    return;
                }
            }
            if (IsAnswer("yes", text))
            {
                GoTo(step.Yes!);
                return;
            }
            if (IsAnswer("no", text))
            {
                if (_d.Steps[step.No!].Type == StepType.Idle)
                {
                    Say(step.CancelMessage ?? "cancelled", ("tracking_number", _s.Case ?? ""));
                    ResetToIdle(keepConfidential: false);
                }
                else
                {
                    GoTo(step.No!);
                }
                return;
            }
            if (FindField(text) is not null)
            {
                OnChange(text);
                return;
            }
            Say("confirm_help", quick: ["quick_yes", "quick_no", "quick_change"]);
        }

        private void Advance()
        {
            if (_s.ReturnTo is { } back)
            {
                _s.ReturnTo = null;
                GoTo(back);
                return;
            }
            GoTo(Current.Next!);
        }

        /// <summary>Moves to a step and says what it asks; ask steps whose field is filled are skipped unless forced.</summary>
        private void GoTo(string id, bool force = false)
        {
            for (var hops = 0; hops <= _d.Steps.Count; hops++)
            {
                var step = _d.Steps[id];
                switch (step.Type)
                {
                    case StepType.Ask when !force && _s.Values.ContainsKey(step.Field!):
                        id = step.Next!;
                        continue;
                    case StepType.Ask when !force && step.AcceptLocation && _s.Location is { } shared:
                        // The citizen already shared a location (with a photo, or before we asked):
                        // asking "or share your location" again would confuse them.
                        UseLocationAsAnswer(step, shared);
                        id = step.Next!;
                        continue;
                    case StepType.Ask:
                        _s.Step = id;
                        _s.Attempts = 0;
                        AskPrompt(step);
                        return;
                    case StepType.Confirm:
                        _s.Step = id;
                        _s.Attempts = 0;
                        Summary(step);
                        return;
                    case StepType.Submit:
                        _out.Add(new SubmitComplaint(Draft()));
                        ResetToIdle(keepConfidential: false);
                        _s.Step = step.Next!;
                        return;
                    case StepType.Resubmit when CaseFact(_s.Case) is not { Returned: true }:
                        // The case stopped waiting while the citizen completed it (its time limit ran out and
                        // it was closed): nothing to send back. Keep what they wrote and offer it as a new
                        // complaint at the normal summary, which sends only on their YA.
                        Say("returned_closed", ("tracking_number", _s.Case ?? ""));
                        _s.Case = null;
                        _s.CaseReason = null;
                        id = _d.Steps.Values.First(c => c.Type == StepType.Confirm && c.Yes is { } y && _d.Steps[y].Type == StepType.Submit).Id;
                        force = true;
                        continue;
                    case StepType.Resubmit:
                        var number = _s.Case!;
                        _out.Add(new ResubmitReturned(number, Draft()));
                        Say("completion_received", ("tracking_number", number));
                        ResetToIdle(keepConfidential: false);
                        _s.Step = step.Next!;
                        return;
                    case StepType.Identity when _ctx.Identity is null || IdentityValues(_ctx.Identity).All(kv => _s.Values.ContainsKey(kv.Key)):
                        id = step.Next!;
                        continue;
                    case StepType.Identity:
                        _s.Step = id;
                        _s.Attempts = 0;
                        AskIdentity(step);
                        return;
                    case StepType.Clarify or StepType.Reason:
                        _s.Step = id;
                        _s.Attempts = 0;
                        Reprompt();
                        return;
                    default:
                        _s.Step = id;
                        return;
                }
            }
            throw new InvalidOperationException($"dialog '{_d.Id}' loops without asking anything");
        }

        private void Reprompt()
        {
            var step = Current;
            switch (step.Type)
            {
                case StepType.Ask:
                    AskPrompt(step);
                    break;
                case StepType.Confirm:
                    Summary(step);
                    break;
                case StepType.Identity:
                    AskIdentity(step);
                    break;
                case StepType.Clarify:
                    AskClarify(step);
                    break;
                case StepType.Reason:
                    Say($"{step.Id}.prompt", ("tracking_number", _s.Case ?? ""), ("agency_name", CaseFact(_s.Case)?.AgencyName ?? ""));
                    break;
            }
        }

        private void AskPrompt(StepDefinition step)
        {
            if (step.OfferProfileName && !_s.OfferDeclined && _in.ProfileName is { } pn
                && _d.Fields[step.Field!].Validator.Check(pn).Ok)
            {
                _s.Offering = true;
                _out.Add(new Say($"{step.Id}.offer", new Dictionary<string, string> { ["profile_name"] = TextShape.Tidy(pn) },
                    ["quick_yes", "quick_no"]));
                return;
            }
            if (step.SameAs is not null && _s.Values.ContainsKey(step.SameAs))
            {
                Say($"{step.Id}.prompt", ["quick_same_as_address"]);
                return;
            }
            Say($"{step.Id}.prompt");
        }

        private void Summary(StepDefinition step)
        {
            var extras = "";
            if (_s.Location is { } loc)
            {
                extras += _d.Render("extras_location", _s.Language, new Dictionary<string, string>
                {
                    ["latitude"] = loc.Latitude.ToString("0.#####", CultureInfo.InvariantCulture),
                    ["longitude"] = loc.Longitude.ToString("0.#####", CultureInfo.InvariantCulture),
                });
            }
            if (_s.Attachments.Count > 0)
            {
                extras += _d.Render("extras_attachments", _s.Language,
                    new Dictionary<string, string> { ["count"] = _s.Attachments.Count.ToString(CultureInfo.InvariantCulture) });
            }
            if (_s.Confidential)
            {
                extras += _d.Render("extras_confidential", _s.Language, null);
            }
            var args = new Dictionary<string, string>(_s.Values, StringComparer.Ordinal)
            {
                ["extras"] = extras,
                ["tracking_number"] = _s.Case ?? "",
                ["return_reason"] = _s.CaseReason ?? "",
            };
            foreach (var f in _d.Fields.Keys)
            {
                args.TryAdd(f, "-");
            }
            _out.Add(new Say($"{step.Id}.prompt", args, _s.Case is null ? ["quick_yes", "quick_no", "quick_change"] : ["quick_yes", "quick_change"]));
        }

        private void UseLocationAsAnswer(StepDefinition step, GeoPoint loc)
        {
            var address = string.IsNullOrWhiteSpace(loc.Label) ? FormatPoint(loc) : TextShape.Tidy(loc.Label);
            _s.Values[step.Field!] = address;
            Say("location_as_address", ("address", address));
        }

        private ComplaintDraft Draft()
        {
            string V(string f) => _s.Values.GetValueOrDefault(f, "");
            return new ComplaintDraft(V("name"), V("address"), V("location"), V("text"), _s.Location, _s.Attachments.ToList(), _s.Confidential, _s.Language);
        }

        // ---- helpers ------------------------------------------------------------------------

        private bool TakeMedia(bool announce, bool includeLocation = true)
        {
            var took = false;
            if (includeLocation && _in.Location is { } loc)
            {
                _s.Location = loc;
                if (announce)
                {
                    Say("location_saved");
                }
                took = true;
            }
            if (_in.Attachments is { Count: > 0 } atts)
            {
                _s.Attachments.AddRange(atts);
                if (announce)
                {
                    Say("attachment_saved", ("count", _s.Attachments.Count));
                }
                took = true;
            }
            return took;
        }

        private bool IsAnswer(string answer, string text) => _d.IsAnswer(answer, text);

        private static string FormatPoint(GeoPoint p) =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Latitude:0.#####}, {p.Longitude:0.#####}");

        private void ClearForm()
        {
            var confidential = _s.Confidential;
            _s.Values.Clear();
            _s.Attempts = 0;
            _s.Offering = false;
            _s.OfferDeclined = false;
            _s.ReturnTo = null;
            _s.Location = null;
            _s.Attachments = [];
            _s.Confidential = confidential;
            _s.Case = null;
            _s.CaseReason = null;
            _s.Pending = null;
            _s.Options = null;
        }

        private void ResetToIdle(bool keepConfidential)
        {
            ClearForm();
            if (!keepConfidential)
            {
                _s.Confidential = false;
            }
            _s.Step = IdleStep.Id;
        }

        private void Say(string key, params (string Key, object Value)[] args) =>
            _out.Add(new Say(key, args.Length == 0 ? null : args.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? "")));

        private void Say(string key, IReadOnlyList<Choice> quick) => _out.Add(new Say(key, null, quick));

        private void Say(string key, IReadOnlyList<Choice> quick, params (string Key, object Value)[] args) =>
            _out.Add(new Say(key, args.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? ""), quick));

        // ---- after submission: the citizen's earlier cases -----------------------------------

        private CaseFacts? CaseFact(string? number) =>
            number is null ? null : _ctx.Cases.FirstOrDefault(c => string.Equals(c.TrackingNumber, number, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// An idle message while earlier cases wait for the citizen. Answers to the rating question
        /// (a lone 1–5, "nilai 4", the Puas / Tidak puas buttons) act on the case that asked it; a
        /// new-report phrase starts the form; anything else is held and the citizen is asked what it
        /// is for. Nothing reaches a case unless the citizen chose it.
        /// </summary>
        private bool TryFollowUp(string text, bool hasMedia)
        {
            if (text.Length > 0 && !hasMedia)
            {
                if (ParseRating(text) is { } rating)
                {
                    if (_ctx.Cases.FirstOrDefault(c => c.Rateable) is not { } rated)
                    {
                        return false;
                    }
                    _out.Add(new RateCase(rated.TrackingNumber, rating));
                    Say("rating_thanks", ("tracking_number", rated.TrackingNumber), ("rating", rating));
                    return true;
                }
                var verdictCase = _ctx.Cases.FirstOrDefault(c => c.AwaitingVerdict);
                if (verdictCase is not null && IsAnswer("unsatisfied", text))
                {
                    _s.Case = verdictCase.TrackingNumber;
                    GoTo(IdleStep.Unsatisfied!);
                    return true;
                }
                if (verdictCase is not null && StartsWithAnswer("unsatisfied", text))
                {
                    Reopen(verdictCase, text);
                    return true;
                }
                if (verdictCase is not null && IsAnswer("satisfied", text))
                {
                    _out.Add(new CaseSatisfied(verdictCase.TrackingNumber));
                    Say("satisfied_thanks", ("tracking_number", verdictCase.TrackingNumber));
                    return true;
                }
            }
            if (text.Length > 0 && NewReport(text) is { } rest)
            {
                StartForm(rest);
                return true;
            }
            var waiting = _ctx.Cases.Where(c => c.WaitsForCitizen).ToList();
            if (waiting.Count == 0 || (text.Length == 0 && !hasMedia))
            {
                return false;
            }
            // The number of a returned case on its own (its button): straight to completing it.
            if (!hasMedia && waiting.FirstOrDefault(c => c.Returned && string.Equals(c.TrackingNumber, NormalizeNumber(text), StringComparison.Ordinal)) is { } tapped)
            {
                CompleteReturned(tapped, "");
                return true;
            }
            TakeMedia(announce: false);
            _s.Pending = text;
            _s.Options = waiting.Take(3).Select(c => c.TrackingNumber).ToList();
            GoTo(IdleStep.Clarify!);
            return true;
        }

        private void OnClarify(string text)
        {
            var options = _s.Options ?? [];
            var picked = TrackingNumberInText().Matches(text).Select(m => m.Value.ToUpperInvariant()).FirstOrDefault(options.Contains);
            if (picked is null && options.Count == 1 && IsAnswer("yes", text))
            {
                picked = options[0];
            }
            if (picked is not null && CaseFact(picked) is { } c)
            {
                var pending = _s.Pending ?? "";
                if (c.Returned)
                {
                    CompleteReturned(c, pending);
                    return;
                }
                if (pending.Length > 0)
                {
                    _out.Add(new ForwardComment(c.TrackingNumber, pending));
                    Say("comment_forwarded", ("tracking_number", c.TrackingNumber), ("agency_name", c.AgencyName ?? ""));
                }
                else
                {
                    Say("clarify_dropped");
                }
                ResetToIdle(keepConfidential: false);
                return;
            }
            if (IsAnswer("new_report", text) || NewReport(text) is not null)
            {
                StartForm(_s.Pending ?? "", keepMedia: true);
                return;
            }
            _s.Attempts++;
            if (_s.Attempts >= _d.MaxAttempts)
            {
                Say("clarify_dropped");
                ResetToIdle(keepConfidential: false);
                return;
            }
            Reprompt();
        }

        private void AskClarify(StepDefinition step)
        {
            var options = _s.Options ?? [];
            var facts = options.Select(CaseFact).OfType<CaseFacts>().ToList();
            List<Choice> quick = [.. options.Select(n => new Choice("quick_case", new Dictionary<string, string> { ["tracking_number"] = n })), "quick_new_report"];
            if (facts.Count == 1)
            {
                Say($"{step.Id}.prompt", quick, ("tracking_number", facts[0].TrackingNumber), ("pending", Excerpt(_s.Pending)),
                    ("case_status", _d.StatusLabel(facts[0].Status, _s.Language)));
                return;
            }
            var list = string.Join("\n", facts.Select(f => Channels.Markup.Escape($"• {f.TrackingNumber} — {_d.StatusLabel(f.Status, _s.Language)}")));
            Say($"{step.Id}.several", quick, ("cases", list), ("pending", Excerpt(_s.Pending)));
        }

        private static string Excerpt(string? s) => s is null ? "" : s.Length > 80 ? s[..79] + "…" : s;

        private void OnReason(string text)
        {
            if (text.Length == 0)
            {
                Reprompt();
                return;
            }
            if (CaseFact(_s.Case) is not { AwaitingVerdict: true } c)
            {
                Say("clarify_dropped");
                ResetToIdle(keepConfidential: false);
                return;
            }
            Reopen(c, text);
            ResetToIdle(keepConfidential: false);
        }

        private void Reopen(CaseFacts c, string reason)
        {
            _out.Add(new ReopenCase(c.TrackingNumber, TextShape.Tidy(reason)));
            Say("reopened_notice", ("tracking_number", c.TrackingNumber), ("agency_name", c.AgencyName ?? ""));
        }

        /// <summary>Loads a returned case into the form and shows its summary with the triage desk's reason.</summary>
        private void CompleteReturned(CaseFacts c, string addition)
        {
            ClearForm();
            foreach (var (f, v) in c.Fields ?? new Dictionary<string, string>())
            {
                if (!string.IsNullOrWhiteSpace(v) && _d.Fields.ContainsKey(f))
                {
                    _s.Values[f] = v;
                }
            }
            if (addition.Length > 0)
            {
                _s.Values["text"] = _s.Values.TryGetValue("text", out var t) ? $"{t}\n{TextShape.Tidy(addition)}" : TextShape.Tidy(addition);
            }
            _s.Location = c.Location;
            _s.Confidential = c.Confidential;
            _s.Case = c.TrackingNumber;
            _s.CaseReason = c.ReturnReason;
            GoTo(IdleStep.Returned!, force: true);
        }

        /// <summary>A lone 1–5, or "nilai 4" (a rating word, then the digit) — never a digit inside a sentence.</summary>
        private int? ParseRating(string text)
        {
            var t = text.Trim().TrimEnd('.', '!').ToLowerInvariant();
            if (LoneRating().IsMatch(t))
            {
                return t[0] - '0';
            }
            var words = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 2 && LoneRating().IsMatch(words[1]) && IsAnswer("rating", words[0]) ? words[1][0] - '0' : null;
        }

        /// <summary>"Tidak puas, lubangnya masih ada": the answer word followed by more words.</summary>
        private bool StartsWithAnswer(string answer, string text)
        {
            var t = text.Trim().ToLowerInvariant();
            return _d.Answers.TryGetValue(answer, out var byLang) && byLang.Values.SelectMany(w => w).Any(w =>
                t.Length > w.Length + 1 && t.StartsWith(w, StringComparison.Ordinal) && !char.IsLetterOrDigit(t[w.Length]));
        }

        /// <summary>
        /// A message that says it is a new report ("aduan baru", "saya mau lapor masalah lain: …"): the rest
        /// after the phrase when that reads as a complaint, else the whole message; null when it is not one.
        /// </summary>
        private string? NewReport(string text)
        {
            var lower = text.ToLowerInvariant();
            if (!_d.Answers.TryGetValue("new_report", out var byLang))
            {
                return null;
            }
            var best = -1;
            foreach (var phrase in byLang.Values.SelectMany(w => w))
            {
                var m = Regex.Match(lower, $@"(^|\W){Regex.Escape(phrase)}(\W|$)");
                if (m.Success)
                {
                    best = Math.Max(best, m.Index + m.Length);
                }
            }
            if (best < 0)
            {
                return null;
            }
            var rest = text[Math.Min(best, text.Length)..].TrimStart(' ', ':', ',', '.', '-', '–').Trim();
            return PrefillVerdict(rest) is { Ok: true } ? rest : PrefillVerdict(text) is { Ok: true } ? text : rest;
        }

        // ---- returning reporter --------------------------------------------------------------

        private IEnumerable<KeyValuePair<string, string>> IdentityValues(KnownIdentity known)
        {
            // The identity is the fields "name" and "address" (the applicant's; never the problem location).
            foreach (var (name, v) in new[] { ("name", known.Name), ("address", known.Address) })
            {
                if (_d.Fields.TryGetValue(name, out var f) && f.Validator.Check(v).Ok)
                {
                    yield return new(name, v);
                }
            }
        }

        private void AskIdentity(StepDefinition step)
        {
            var known = _ctx.Identity!;
            Say($"{step.Id}.prompt", ["quick_yes", "quick_change_name", "quick_change_address"],
                ("name", known.Name), ("address", known.Address));
        }

        private void OnIdentity(string text)
        {
            if (TakeMedia(announce: true) && text.Length == 0)
            {
                Reprompt();
                return;
            }
            if (IsAnswer("yes", text))
            {
                foreach (var (f, v) in IdentityValues(_ctx.Identity!))
                {
                    _s.Values[f] = v;
                }
                GoTo(Current.Next!);
                return;
            }
            if (IsAnswer("no", text))
            {
                _s.OfferDeclined = true;
                GoTo(Current.Next!);
                return;
            }
            Reprompt();
        }

        /// <summary>
        /// Refusals that need the dialog's own words: a yes/no word or a command word is never a name
        /// (typed one question too late, or a menu word).
        /// </summary>
        private Verdict? DialogWordsRefusal(FieldDefinition field, string text)
        {
            if (field.Validator.Name != "person_name")
            {
                return null;
            }
            if (IsAnswer("yes", text) || IsAnswer("no", text) || IsAnswer("satisfied", text) || IsAnswer("unsatisfied", text))
            {
                return Verdict.Refuse("name_yes_no", ("word", text.Trim()));
            }
            var head = text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].TrimStart('/').TrimEnd('.', '!', ',', ':', '?').ToLowerInvariant();
            if (_d.Commands.Values.Any(c => c.Values.Any(ws => ws.Contains(head))))
            {
                return Verdict.Refuse("name_is_command", ("word", head));
            }
            return null;
        }
    }
}
