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
            var text = t.Citizen is null ? null : t.Citizen.Replace("{long}", new string('a', 10_000));
            var input = new DialogInput(
                text,
                t.Location is { } l ? new GeoPoint(l.Latitude, l.Longitude, l.Label) : null,
                Enumerable.Range(0, t.Attachments).Select(n => new InboundAttachment($"https://media.example/{i}/{n}.jpg", "image/jpeg")).ToList(),
                t.Unsupported,
                script.ProfileName);
            var state = savedState is null ? null : ConversationState.FromJson(savedState);
            var turn = engine.Handle(state, input, new DialogContext(now, TimeSpan.FromHours(24), 2000, script.Language));
            var submittedBefore = effects.Submitted.Count;
            var reply = await ReplyComposer.ComposeAsync(dialog, turn, effects, CancellationToken.None);
            savedState = turn.State.ToJson();

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

    /// <summary>In-memory stand-in for the database effects; tracking numbers count up from 1.</summary>
    private sealed class MemoryEffects(List<ExistingComplaint>? existing) : IDialogEffects
    {
        public List<ComplaintDraft> Submitted { get; } = [];
        private readonly List<StatusInfo> _mine = (existing ?? []).Select(e => new StatusInfo(e.Number, DateTimeOffset.Parse(e.Created ?? "2026-11-20T10:00:00+07:00", CultureInfo.InvariantCulture), e.Status ?? "submitted", e.Agency)).ToList();

        public Task<string> SubmitComplaintAsync(ComplaintDraft draft, CancellationToken cancellationToken)
        {
            Submitted.Add(draft);
            var number = $"LPR-2611-{Submitted.Count:D5}";
            _mine.Add(new StatusInfo(number, DateTimeOffset.UnixEpoch, "submitted", null));
            return Task.FromResult(number);
        }

        public Task<StatusInfo?> FindOwnComplaintAsync(string trackingNumber, CancellationToken cancellationToken) =>
            Task.FromResult(_mine.FirstOrDefault(c => c.TrackingNumber == trackingNumber));

        public Task<IReadOnlyList<StatusInfo>> LatestOwnComplaintsAsync(int count, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StatusInfo>>(Enumerable.Reverse(_mine).Take(count).ToList());
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
    }
}
