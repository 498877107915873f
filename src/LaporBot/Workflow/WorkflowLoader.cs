using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LaporBot.Workflow;

/// <summary>A workflow file that cannot be used, with the file and line that says why.</summary>
internal sealed class WorkflowLoadException(string file, long line, string message) : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
}

/// <summary>
/// Reads workflows/*.yaml (format in workflows/README.md) and refuses anything the lifecycle could
/// trip over at run time: unknown roles, actions or keys, targets that do not exist, unreachable
/// steps, no way to an answer, an answer that could skip the approval the file asks for.
/// </summary>
internal static class WorkflowLoader
{
    public const int SupportedVersion = 1;

    /// <summary>The roles LaporBot knows; a file names the ones its SOP uses.</summary>
    public static readonly IReadOnlyList<string> KnownRoles = ["triage", "admin", "penghubung", "kepala", "pelaksana", "inspektorat"];

    /// <summary>The actions a step can offer; see workflows/README.md for what each does.</summary>
    public static readonly IReadOnlyList<string> KnownActions = ["assign", "return", "accept", "reject", "forward", "draft", "approve", "revise", "answer"];

    private static readonly string[] TopKeys = ["version", "id", "name", "source", "time", "remind_at", "roles", "start", "oversight", "reopen", "auto_close", "steps", "escalation"];
    private static readonly string[] StepKeys = ["id", "name", "role", "standard", "time", "remind_at", "actions", "extend"];
    private static readonly string[] EscalationKeys = ["after", "from", "to", "note"];

    public static WorkflowDefinition LoadFile(string path) => Parse(File.ReadAllText(path), path);

    public static WorkflowDefinition Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new WorkflowLoadException(file, e.Start.Line, "not valid YAML: " + e.Message);
        }
        catch (InvalidOperationException)
        {
            throw new WorkflowLoadException(file, parser.Current?.Start.Line ?? 1, "not valid YAML: an unclosed [ or {");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new WorkflowLoadException(file, 1, "expected a mapping with version, id, roles, start and steps");
        }
        return new Reader(file).Read(root);
    }

    private sealed class Reader(string file)
    {
        private WorkflowLoadException Error(YamlNode node, string message) => new(file, node.Start.Line, message);

        private YamlNode? Get(YamlMappingNode m, string key) =>
            m.Children.FirstOrDefault(k => k.Key is YamlScalarNode s && s.Value == key).Value;

        private YamlNode Required(YamlMappingNode m, string key) => Get(m, key) ?? throw Error(m, $"'{key}' is missing");

        private string Scalar(YamlNode n, string what) =>
            n is YamlScalarNode { Value: { Length: > 0 } v } ? v.Trim() : throw Error(n, $"{what} must be a single value");

        private void OnlyKeys(YamlMappingNode m, string[] allowed, string where)
        {
            foreach (var k in m.Children.Keys)
            {
                var key = (k as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(key))
                {
                    throw Error(k, $"unknown key '{key}' in {where} (allowed: {string.Join(", ", allowed)})");
                }
            }
        }

        private TimeBasis Basis(YamlNode n) => Scalar(n, "time") switch
        {
            "calendar" => TimeBasis.Calendar,
            "working" => TimeBasis.Working,
            var v => throw Error(n, $"time is '{v}'; use calendar or working"),
        };

        private TimeSpan Duration(YamlNode n, string what) =>
            WorkflowFormat.ParseDuration(Scalar(n, what)) ?? throw Error(n, $"{what} '{Scalar(n, what)}' is not a duration; write e.g. 15m, 1h30m, 3d");

        private double Share(YamlNode n)
        {
            var text = Scalar(n, "remind_at").TrimEnd('%');
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p > 0 && p < 100
                ? p / 100
                : throw Error(n, $"remind_at '{Scalar(n, "remind_at")}' must be a share of the step's time between 1% and 99%, e.g. 50%");
        }

        public WorkflowDefinition Read(YamlMappingNode root)
        {
            OnlyKeys(root, TopKeys, "the workflow");
            var versionNode = Required(root, "version");
            if (Scalar(versionNode, "version") != SupportedVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw Error(versionNode, $"version {Scalar(versionNode, "version")} is not supported; this LaporBot reads version {SupportedVersion}");
            }
            var id = Scalar(Required(root, "id"), "id");
            var name = Get(root, "name") is { } nameNode ? Scalar(nameNode, "name") : id;
            var source = Get(root, "source") is { } src ? Scalar(src, "source") : "";
            var basis = Get(root, "time") is { } t ? Basis(t) : TimeBasis.Calendar;
            var remind = Get(root, "remind_at") is { } r ? Share(r) : 0.5;

            if (Required(root, "roles") is not YamlMappingNode rolesNode || rolesNode.Children.Count == 0)
            {
                throw Error(Required(root, "roles"), "roles must map role ids to names, e.g. admin: Admin OPD");
            }
            var roles = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in rolesNode.Children)
            {
                var role = Scalar(k, "a role id");
                if (!KnownRoles.Contains(role))
                {
                    throw Error(k, $"unknown role '{role}'; roles are {string.Join(", ", KnownRoles)}");
                }
                roles[role] = Scalar(v, $"the name of role {role}");
            }
            if (!roles.ContainsKey("triage"))
            {
                throw Error(rolesNode, "roles must include triage (the desk that dispositions complaints)");
            }

            if (Required(root, "steps") is not YamlSequenceNode stepsNode || stepsNode.Children.Count == 0)
            {
                throw Error(Required(root, "steps"), "steps must be a list");
            }
            var steps = new List<WorkflowStep>();
            var targetNodes = new List<(WorkflowStep Step, StepAction Action, YamlNode Node)>();
            foreach (var node in stepsNode.Children)
            {
                if (node is not YamlMappingNode m)
                {
                    throw Error(node, "each step must be a mapping with id, role, standard and actions");
                }
                OnlyKeys(m, StepKeys, "a step");
                var stepId = Scalar(Required(m, "id"), "a step id");
                if (steps.Any(s => s.Id == stepId))
                {
                    throw Error(m, $"step id '{stepId}' is used twice");
                }
                var roleNode = Required(m, "role");
                var role = Scalar(roleNode, "role");
                if (!roles.ContainsKey(role))
                {
                    throw Error(roleNode, $"step '{stepId}' is done by '{role}', which is not listed under roles");
                }
                Standard? standard = Get(m, "standard") is { } sn
                    ? new Standard(Duration(sn, "standard"), Get(m, "time") is { } tn ? Basis(tn) : basis)
                    : null;
                var actions = new List<StepAction>();
                var actionNodes = new List<(StepAction, YamlNode)>();
                if (Required(m, "actions") is not YamlMappingNode an || an.Children.Count == 0)
                {
                    throw Error(Required(m, "actions"), $"step '{stepId}' needs actions, e.g. forward: next_step");
                }
                foreach (var (k, v) in an.Children)
                {
                    var kind = Scalar(k, "an action");
                    if (!KnownActions.Contains(kind))
                    {
                        throw Error(k, $"unknown action '{kind}'; actions are {string.Join(", ", KnownActions)} (extend is its own key)");
                    }
                    var target = Scalar(v, $"the target of {kind}");
                    var action = new StepAction(kind, target == "citizen" ? null : target, (int)k.Start.Line);
                    var toCitizen = kind is "answer" or "return";
                    if (toCitizen != (target == "citizen"))
                    {
                        throw Error(v, toCitizen
                            ? $"{kind} goes to the citizen: write '{kind}: citizen'"
                            : $"{kind} must lead to a step, not to the citizen");
                    }
                    actions.Add(action);
                    actionNodes.Add((action, v));
                }
                TimeSpan? extend = null;
                if (Get(m, "extend") is { } en)
                {
                    extend = Duration(en, "extend");
                    if (standard is null || extend <= standard.Duration)
                    {
                        throw Error(en, $"extend is the longest step '{stepId}' may take once extended; it must be longer than its standard");
                    }
                    actions.Add(new StepAction("extend", stepId, (int)en.Start.Line));
                }
                var step = new WorkflowStep(stepId, Get(m, "name") is { } nn ? Scalar(nn, "name") : stepId, role, standard, actions, extend,
                    Get(m, "remind_at") is { } rn ? Share(rn) : null, (int)m.Start.Line);
                steps.Add(step);
                targetNodes.AddRange(actionNodes.Select(x => (step, x.Item1, x.Item2)));
            }

            var byId = steps.ToDictionary(s => s.Id);
            foreach (var (step, action, node) in targetNodes)
            {
                if (action.Target is not null && !byId.ContainsKey(action.Target))
                {
                    throw Error(node, $"{action.Kind} leads to '{action.Target}', which is not a step");
                }
                var target = action.Target is null ? null : byId[action.Target];
                switch (action.Kind)
                {
                    case "assign" when step.Role != "triage":
                        throw Error(node, $"only the triage desk assigns to an agency; step '{step.Id}' is done by {step.Role}");
                    case "assign" when target!.Role == "triage":
                        throw Error(node, "assign must lead to an agency's step, not back to the triage desk");
                    case "return" when step.Role != "triage":
                        throw Error(node, "only the triage desk returns a complaint to the citizen");
                    case "reject" when target!.Role != "triage":
                        throw Error(node, "reject sends the case back to the triage desk: its target must be a triage step");
                    case "revise" when !target!.Actions.Any(a => a.Target == step.Id):
                        throw Error(node, $"revise sends the case back one step, but '{target.Id}' does not lead to '{step.Id}'");
                }
            }

            var startNode = Required(root, "start");
            var start = Scalar(startNode, "start");
            if (!byId.TryGetValue(start, out var startStep))
            {
                throw Error(startNode, $"start '{start}' is not a step");
            }
            if (startStep.Role != "triage" || startStep.Action("assign") is null)
            {
                throw Error(startNode, $"the first step '{start}' must be the triage desk's, with an assign action");
            }
            string? oversight = null;
            if (Get(root, "oversight") is { } on)
            {
                oversight = Scalar(on, "oversight");
                if (!byId.ContainsKey(oversight))
                {
                    throw Error(on, $"oversight '{oversight}' is not a step");
                }
            }
            string? reopen = null;
            if (Get(root, "reopen") is { } ro)
            {
                reopen = Scalar(ro, "reopen");
                if (!byId.ContainsKey(reopen))
                {
                    throw Error(ro, $"reopen '{reopen}' is not a step");
                }
            }
            Standard? autoClose = null;
            if (Get(root, "auto_close") is YamlMappingNode ac)
            {
                autoClose = new Standard(Duration(Required(ac, "after"), "auto_close after"), Get(ac, "time") is { } act ? Basis(act) : basis);
            }

            // Every step reachable; every path can end in an answer.
            var reachable = new HashSet<string>();
            var queue = new Queue<string>([start, .. oversight is null ? Array.Empty<string>() : [oversight], .. reopen is null ? Array.Empty<string>() : [reopen]]);
            while (queue.TryDequeue(out var s))
            {
                if (reachable.Add(s))
                {
                    foreach (var a in byId[s].Actions.Where(a => a.Target is not null))
                    {
                        queue.Enqueue(a.Target!);
                    }
                }
            }
            foreach (var s in steps.Where(s => !reachable.Contains(s.Id)))
            {
                throw new WorkflowLoadException(file, s.Line, $"step '{s.Id}' cannot be reached from start{(oversight is null ? "" : " or oversight")}");
            }
            if (!steps.Any(s => s.Action("answer") is not null))
            {
                throw Error(stepsNode, "no step answers the citizen (answer: citizen)");
            }
            // With an approval in the file, no answer may be reachable from a draft without passing it.
            if (steps.Any(s => s.Action("approve") is not null))
            {
                foreach (var draft in steps.Where(s => s.Action("draft") is not null))
                {
                    var seen = new HashSet<string>();
                    var q = new Queue<string>([draft.Action("draft")!.Target!]);
                    while (q.TryDequeue(out var s))
                    {
                        var st = byId[s];
                        if (st.Action("approve") is not null || !seen.Add(s))
                        {
                            continue;
                        }
                        if (st.Action("answer") is { } ans)
                        {
                            throw new WorkflowLoadException(file, ans.Line,
                                $"step '{s}' answers the citizen, but a draft from '{draft.Id}' can reach it without approval");
                        }
                        foreach (var a in st.Actions.Where(a => a.Target is not null && a.Kind != "revise" && a.Kind != "reject"))
                        {
                            q.Enqueue(a.Target!);
                        }
                    }
                }
            }

            var escalations = new List<Escalation>();
            if (Get(root, "escalation") is { } escNode)
            {
                if (escNode is not YamlSequenceNode seq)
                {
                    throw Error(escNode, "escalation must be a list of { after, from, to, note }");
                }
                foreach (var e in seq.Children)
                {
                    if (e is not YamlMappingNode em)
                    {
                        throw Error(e, "each escalation is a mapping with after, from, to and note");
                    }
                    OnlyKeys(em, EscalationKeys, "an escalation");
                    var from = Get(em, "from") is { } fn ? Scalar(fn, "from") : "overdue";
                    if (from is not ("submitted" or "overdue"))
                    {
                        throw Error(Get(em, "from")!, $"from is '{from}'; use submitted (since the complaint came in) or overdue (since the step's deadline)");
                    }
                    var toNode = Required(em, "to");
                    var to = toNode is YamlSequenceNode ts ? ts.Children.Select(x => Scalar(x, "a role")).ToList() : [Scalar(toNode, "to")];
                    foreach (var role in to.Where(role => !roles.ContainsKey(role)))
                    {
                        throw Error(toNode, $"escalation goes to '{role}', which is not listed under roles");
                    }
                    escalations.Add(new Escalation(Get(em, "after") is { } af ? (Scalar(af, "after") is "0" or "0m" ? TimeSpan.Zero : Duration(af, "after")) : TimeSpan.Zero, from, to,
                        Get(em, "note") is { } nt ? Scalar(nt, "note") : "", (int)em.Start.Line));
                }
            }
            return new WorkflowDefinition(id, name, source, roles, steps, start, oversight, reopen, remind, autoClose, escalations, file);
        }
    }
}
