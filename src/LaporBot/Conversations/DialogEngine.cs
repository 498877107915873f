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

/// <summary>Facts from outside the conversation: the clock and the limits from configuration.</summary>
internal sealed record DialogContext(DateTimeOffset Now, TimeSpan ExpireAfter, int MaxMessageLength, string? Language = null);

internal abstract record DialogOutput;

/// <summary>Say the message <paramref name="Key"/> of the dialog, filled with <paramref name="Args"/>.</summary>
internal sealed record Say(string Key, IReadOnlyDictionary<string, string>? Args = null, IReadOnlyList<string>? QuickReplies = null) : DialogOutput;

/// <summary>Store this complaint and tell the citizen its tracking number.</summary>
internal sealed record SubmitComplaint(ComplaintDraft Draft) : DialogOutput;

/// <summary>Look up one of the citizen's complaints (or list the latest when no number is given).</summary>
internal sealed record QueryStatus(string? TrackingNumber) : DialogOutput;

internal sealed record ComplaintDraft(
    string Name,
    string Address,
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

        public TurnResult Run()
        {
            var expired = false;
            if (InForm && _s.UpdatedAt + _ctx.ExpireAfter <= _ctx.Now)
            {
                Say("expired");
                ResetToIdle(keepConfidential: false);
                expired = true;
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

        private void StartForm(string prefillText)
        {
            var idle = IdleStep;
            ClearForm();
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
            var verdict = field.Validator.Check(text);
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
                    Say("cancelled");
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
            var args = new Dictionary<string, string>(_s.Values, StringComparer.Ordinal) { ["extras"] = extras };
            foreach (var f in _d.Fields.Keys)
            {
                args.TryAdd(f, "-");
            }
            _out.Add(new Say($"{step.Id}.prompt", args, ["quick_yes", "quick_no", "quick_change"]));
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
            return new ComplaintDraft(V("name"), V("address"), V("text"), _s.Location, _s.Attachments.ToList(), _s.Confidential, _s.Language);
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

        private bool IsAnswer(string answer, string text)
        {
            var t = text.Trim().TrimEnd('.', '!').ToLowerInvariant();
            return _d.Answers[answer].Values.Any(ws => ws.Contains(t));
        }

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

        private void Say(string key, IReadOnlyList<string> quick) => _out.Add(new Say(key, null, quick));
    }
}
