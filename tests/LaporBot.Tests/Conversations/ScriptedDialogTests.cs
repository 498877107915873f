using System.Globalization;
using LaporBot.Channels;
using LaporBot.Conversations;
using LaporBot.Tests.Fakes;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LaporBot.Tests.Conversations;

/// <summary>
/// Runs every dialogs/tests/*.test.yaml: citizen says → bot replies (substrings), fields saved,
/// step reached, complaint submitted. State is serialised and reloaded between turns, as it is
/// between two webhooks, and time comes from a manual clock.
/// </summary>
public class ScriptedDialogTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestPaths.DialogTests, "*.test.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [Fact]
    public void There_are_scripted_conversations()
    {
        Assert.True(Scripts().Count >= 5, "dialogs/tests should hold the scripted conversations");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_runs_as_written(string file)
    {
        var path = Path.Combine(TestPaths.DialogTests, file);
        var script = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<Script>(File.ReadAllText(path));
        Assert.False(string.IsNullOrWhiteSpace(script.Description), $"{file}: say in a description: line what this conversation proves");
        Assert.True(script.Turns.Count > 0, $"{file}: a script needs turns");
        var dialogs = new DialogLoader(ValidatorRegistry.Default).LoadDirectory(TestPaths.Dialogs);
        var dialog = dialogs[script.Dialog ?? "lapor"];
        var engine = new DialogEngine(dialog);
        var now = script.Start is null ? new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7)) : DateTimeOffset.Parse(script.Start, CultureInfo.InvariantCulture);
        var effects = new MemoryEffects(script.ExistingComplaints);
        string? savedState = null;

        for (var i = 0; i < script.Turns.Count; i++)
        {
            var t = script.Turns[i];
            var where = $"{file} turn {i + 1} (citizen: \"{Short(t.Citizen)}\")";
            if (t.After is { } after)
            {
                now += ParseDuration(after);
            }
            if (t.Workflow is { } happening)
            {
                // What the workflow does on its own between two citizen messages (the SLA watch's reminder
                // and expiry of a returned case): the message it sends, rendered from the dialog file as
                // ComplaintWorkflow.NotifyCitizenAsync renders it, and the case's new state.
                var sent = effects.Happen(happening, dialog, script.Language ?? dialog.DefaultLanguage, where);
                foreach (var expected in t.Bot ?? [])
                {
                    Assert.True(sent.Text.Contains(expected, StringComparison.Ordinal), $"{where}: the workflow's message should contain \"{expected}\" but was:\n{sent.Text}");
                }
                if (t.QuickReplies is { } wq)
                {
                    Assert.Equal(wq, sent.QuickReplies);
                }
                continue;
            }
            var text = t.Citizen is null ? null : t.Citizen.Replace("{long}", new string('a', 10_000));
            var input = new DialogInput(
                text,
                t.Location is { } l ? new GeoPoint(l.Latitude, l.Longitude, l.Label) : null,
                Enumerable.Range(0, t.Attachments).Select(n => new InboundAttachment($"https://media.example/{i}/{n}.jpg", "image/jpeg")).ToList(),
                t.Unsupported,
                script.ProfileName);
            var state = savedState is null ? null : ConversationState.FromJson(savedState);
            var context = new DialogContext(now, TimeSpan.FromHours(24), 2000, script.Language)
            {
                Cases = effects.Cases(),
                Identity = effects.Identity(),
            };
            var turn = engine.Handle(state, input, context);
            var submittedBefore = effects.Submitted.Count;
            var actionsBefore = effects.Actions.Count;
            var composed = await ReplyComposer.ComposeAsync(dialog, turn, effects, CancellationToken.None);
            // What the citizen reads: the channel-neutral markup as plain text (bold marks gone, entities decoded).
            var reply = composed is null ? null : composed with { Text = Markup.ToPlain(composed.Text) };
            savedState = turn.State.ToJson();
            var actions = effects.Actions.Skip(actionsBefore).ToList();
            Assert.True((t.Actions ?? []).SequenceEqual(actions),
                $"{where}: expected case actions [{string.Join("; ", t.Actions ?? [])}] but the turn did [{string.Join("; ", actions)}] — nothing may act on a case the citizen did not choose");

            if (t.NoReply)
            {
                Assert.True(reply is null, $"{where}: expected no reply, got: {reply?.Text}");
            }
            else
            {
                Assert.True(reply is not null, $"{where}: expected a reply, got none");
            }
            foreach (var expected in t.Bot ?? [])
            {
                Assert.True(reply!.Text.Contains(expected, StringComparison.Ordinal), $"{where}: reply should contain \"{expected}\" but was:\n{reply.Text}");
            }
            foreach (var unexpected in t.NotBot ?? [])
            {
                Assert.False(reply?.Text.Contains(unexpected, StringComparison.Ordinal) ?? false, $"{where}: reply should not contain \"{unexpected}\" but was:\n{reply?.Text}");
            }
            if (t.QuickReplies is { } q)
            {
                Assert.Equal(q, reply?.QuickReplies ?? []);
            }
            if (t.Step is { } step)
            {
                Assert.True(step == turn.State.Step, $"{where}: expected step {step}, is {turn.State.Step}");
            }
            if (t.Language is { } lang)
            {
                Assert.True(lang == turn.State.Language, $"{where}: expected language {lang}, is {turn.State.Language}");
            }
            foreach (var (field, value) in t.Fields ?? [])
            {
                if (value is null or "")
                {
                    Assert.False(turn.State.Values.ContainsKey(field), $"{where}: field {field} should be empty, is \"{turn.State.Values.GetValueOrDefault(field)}\"");
                }
                else
                {
                    Assert.True(turn.State.Values.TryGetValue(field, out var actual) && actual == value,
                        $"{where}: field {field} should be \"{value}\", is \"{turn.State.Values.GetValueOrDefault(field)}\"");
                }
            }
            if (t.Submitted is { } sub)
            {
                Assert.True(effects.Submitted.Count == submittedBefore + 1, $"{where}: expected a complaint to be submitted");
                var d = effects.Submitted[^1];
                if (sub.Name is not null) Assert.Equal(sub.Name, d.Name);
                if (sub.Address is not null) Assert.Equal(sub.Address, d.Address);
                if (sub.Location is not null) Assert.Equal(sub.Location, d.ProblemLocation);
                if (sub.Text is not null) Assert.Equal(sub.Text, d.Text);
                if (sub.Confidential is { } c) Assert.Equal(c, d.Confidential);
                if (sub.Attachments is { } a) Assert.Equal(a, d.Attachments.Count);
                if (sub.HasLocation is { } hl) Assert.Equal(hl, d.Location is not null);
            }
            else
            {
                Assert.True(effects.Submitted.Count == submittedBefore, $"{where}: no complaint should be submitted on this turn");
            }
        }
    }

    private static string Short(string? s) => s is null ? "" : s.Length > 40 ? s[..40] + "…" : s;

    private static TimeSpan ParseDuration(string s)
    {
        var unit = s[^1];
        var n = double.Parse(s[..^1], CultureInfo.InvariantCulture);
        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw new FormatException($"duration '{s}': use a number followed by s, m, h or d"),
        };
    }

    /// <summary>
    /// In-memory stand-in for the database effects; tracking numbers count up from 1. Case actions are
    /// recorded as readable lines ("rate LPR-… 4") and change the cases the way the workflow would.
    /// </summary>
    private sealed class MemoryEffects(List<ExistingComplaint>? existing) : IDialogEffects
    {
        public List<ComplaintDraft> Submitted { get; } = [];
        public List<string> Actions { get; } = [];
        private readonly List<ExistingComplaint> _mine = existing ?? [];

        public IReadOnlyList<CaseFacts> Cases() => Enumerable.Reverse(_mine)
            .Where(e => e.Status == "returned" || e.Answered)
            .Select(e => new CaseFacts(e.Number, e.Status ?? "submitted", e.Agency,
                AwaitingVerdict: e.Answered && e.Status == "answered",
                Rateable: e.Answered && !e.Rated && (e.Status == "answered" || e.Satisfied),
                ReturnReason: e.ReturnReason,
                Fields: e.Status == "returned"
                    ? new Dictionary<string, string> { ["name"] = e.Name ?? "", ["address"] = e.Address ?? "", ["location"] = e.Location ?? "", ["text"] = e.Text ?? "" }
                    : null))
            .ToList();

        public KnownIdentity? Identity() =>
            Enumerable.Reverse(_mine).FirstOrDefault() is { Name: { } n, Address: { } a } ? new KnownIdentity(n, a) : null;

        public Task<string> SubmitComplaintAsync(ComplaintDraft draft, CancellationToken cancellationToken)
        {
            Submitted.Add(draft);
            var number = $"LPR-2611-{Submitted.Count:D5}";
            _mine.Add(new ExistingComplaint { Number = number, Status = "submitted", Created = "2026-11-23T09:00:00+07:00", Name = draft.Name, Address = draft.Address });
            return Task.FromResult(number);
        }

        public Task<StatusInfo?> FindOwnComplaintAsync(string trackingNumber, CancellationToken cancellationToken) =>
            Task.FromResult(_mine.Where(c => c.Number == trackingNumber).Select(Info).FirstOrDefault());

        public Task<IReadOnlyList<StatusInfo>> LatestOwnComplaintsAsync(int count, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StatusInfo>>(Enumerable.Reverse(_mine).Take(count).Select(Info).ToList());

        private static StatusInfo Info(ExistingComplaint e) =>
            new(e.Number, DateTimeOffset.Parse(e.Created ?? "2026-11-20T10:00:00+07:00", CultureInfo.InvariantCulture), e.Status ?? "submitted", e.Agency);

        /// <summary>"returned_reminder LPR-…" or "returned_expired LPR-…": the workflow's own step on a returned case.</summary>
        public ComposedReply Happen(string happening, DialogDefinition dialog, string language, string where)
        {
            var parts = happening.Split(' ', 2, StringSplitOptions.TrimEntries);
            var c = _mine.SingleOrDefault(e => parts.Length == 2 && e.Number == parts[1])
                ?? throw new InvalidOperationException($"{where}: workflow: '{happening}' names no existing complaint");
            Assert.True(c.Status == "returned", $"{where}: the workflow acts only on a returned case; {c.Number} is {c.Status}");
            var args = new Dictionary<string, string> { ["tracking_number"] = c.Number };
            IReadOnlyList<string> quick = [];
            switch (parts[0])
            {
                case "returned_reminder":
                    args["reason"] = c.ReturnReason ?? "";
                    args["date"] = c.Due ?? "";
                    quick = [dialog.RenderPlain("quick_case", language, args)];
                    break;
                case "returned_expired":
                    c.Status = "closed";
                    break;
                default:
                    throw new InvalidOperationException($"{where}: workflow: use returned_reminder or returned_expired, not '{parts[0]}'");
            }
            return new ComposedReply(Markup.ToPlain(dialog.Render(parts[0], language, args)), quick);
        }

        public Task PerformAsync(CaseAction action, CancellationToken cancellationToken)
        {
            var c = _mine.Single(e => e.Number == action.TrackingNumber);
            switch (action)
            {
                case RateCase r:
                    Actions.Add($"rate {r.TrackingNumber} {r.Rating}");
                    c.Rated = true;
                    break;
                case CaseSatisfied:
                    Actions.Add($"satisfied {action.TrackingNumber}");
                    c.Status = "closed";
                    c.Satisfied = true;
                    break;
                case ReopenCase r:
                    Actions.Add($"reopen {r.TrackingNumber}: {r.Reason}");
                    c.Status = "reopened";
                    c.Answered = false;
                    break;
                case ForwardComment f:
                    Actions.Add($"forward {f.TrackingNumber}: {f.Text}");
                    break;
                case ResubmitReturned r:
                    var d = r.Draft;
                    Actions.Add($"resubmit {r.TrackingNumber}: {d.Name} | {d.Address} | {d.ProblemLocation} | {d.Text} | {d.Attachments.Count} new");
                    c.Status = "triage";
                    break;
            }
            return Task.CompletedTask;
        }
    }

    public sealed class Script
    {
        public string? Dialog { get; set; }
        public string? Description { get; set; }
        public string? Start { get; set; }
        public string? ProfileName { get; set; }
        public string? Language { get; set; }
        public List<ExistingComplaint>? ExistingComplaints { get; set; }
        public List<Turn> Turns { get; set; } = [];
    }

    public sealed class ExistingComplaint
    {
        public string Number { get; set; } = "";
        public string? Status { get; set; }
        public string? Agency { get; set; }
        public string? Created { get; set; }
        /// <summary>Answered inside the reply window (the rating question is open).</summary>
        public bool Answered { get; set; }
        public bool Rated { get; set; }
        public bool Satisfied { get; set; }
        public string? ReturnReason { get; set; }
        /// <summary>A returned case's time limit as the workflow prints it ("26/11/2026 09:00").</summary>
        public string? Due { get; set; }
        public string? Name { get; set; }
        public string? Address { get; set; }
        public string? Location { get; set; }
        public string? Text { get; set; }
    }

    public sealed class Location
    {
        public double Latitude { get; set; }
        public double Longitude { get; set; }
        public string? Label { get; set; }
    }

    public sealed class Submission
    {
        public string? Name { get; set; }
        public string? Address { get; set; }
        public string? Location { get; set; }
        public string? Text { get; set; }
        public bool? Confidential { get; set; }
        public int? Attachments { get; set; }
        public bool? HasLocation { get; set; }
    }

    public sealed class Turn
    {
        public string? Citizen { get; set; }
        public string? After { get; set; }
        public Location? Location { get; set; }
        public int Attachments { get; set; }
        public bool Unsupported { get; set; }
        public List<string>? Bot { get; set; }
        public List<string>? NotBot { get; set; }
        public List<string>? QuickReplies { get; set; }
        public bool NoReply { get; set; }
        public string? Step { get; set; }
        public string? Language { get; set; }
        public Dictionary<string, string?>? Fields { get; set; }
        public Submission? Submitted { get; set; }
        /// <summary>Instead of a citizen message, what the workflow does meanwhile: "returned_reminder LPR-…" or "returned_expired LPR-…".</summary>
        public string? Workflow { get; set; }
        /// <summary>Exactly the case actions this turn performs ("rate LPR-… 4", "forward LPR-…: text"); none when absent.</summary>
        public List<string>? Actions { get; set; }
    }
}
