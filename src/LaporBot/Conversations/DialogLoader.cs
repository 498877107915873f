using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LaporBot.Conversations;

/// <summary>A dialog file that cannot be used, with the file and line that says why.</summary>
internal sealed class DialogLoadException(string file, long line, string message)
    : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
}

/// <summary>
/// Reads dialogs/*.yaml into <see cref="DialogDefinition"/>s and refuses anything the engine could
/// trip over at run time: unknown validators, missing translations, undefined fields or steps,
/// unreachable steps, missing required messages.
/// </summary>
internal sealed class DialogLoader(ValidatorRegistry validators)
{
    public const int SupportedVersion = 1;

    public IReadOnlyDictionary<string, DialogDefinition> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Dialog directory '{directory}' does not exist. Set Conversations:DialogsDirectory to the folder holding lapor.yaml.");
        }
        var result = new Dictionary<string, DialogDefinition>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var dialog = LoadFile(file);
            if (!result.TryAdd(dialog.Id, dialog))
            {
                throw new DialogLoadException(file, 1, $"dialog id '{dialog.Id}' is already used by {result[dialog.Id].SourcePath}");
            }
        }
        return result;
    }

    public DialogDefinition LoadFile(string path) => Parse(File.ReadAllText(path), path);

    public DialogDefinition Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new DialogLoadException(file, e.Start.Line, "not valid YAML: " + e.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException when the file ends inside an
            // unclosed [ or {; the last event parsed is where that bracket was opened.
            throw new DialogLoadException(file, parser.Current?.Start.Line ?? 1,
                "not valid YAML: the file ends inside an unclosed [ or { (opened here or just after)");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DialogLoadException(file, 1, "a dialog file holds one mapping (version:, id:, steps:, …)");
        }
        return new Reader(file, validators).Read(root);
    }

    private sealed class Reader(string file, ValidatorRegistry validators)
    {
        private List<string> _languages = [];

        private DialogLoadException Error(YamlNode node, string message) => new(file, node.Start.Line, message);

        public DialogDefinition Read(YamlMappingNode root)
        {
            AllowOnly(root, "version", "id", "languages", "max_attempts", "commands", "answers", "language_names",
                "fields", "start", "steps", "messages", "statuses");
            var versionNode = Required(root, "version");
            if (!int.TryParse(Scalar(versionNode), out var version) || version != SupportedVersion)
            {
                throw Error(versionNode, $"version must be {SupportedVersion} (this LaporBot reads format version {SupportedVersion})");
            }
            var id = Scalar(Required(root, "id"));
            _languages = Sequence(Required(root, "languages")).Select(Scalar).ToList();
            if (_languages.Count == 0)
            {
                throw Error(root, "languages must list at least one language, the default first");
            }
            var maxAttempts = 3;
            if (Optional(root, "max_attempts") is { } ma && (!int.TryParse(Scalar(ma), out maxAttempts) || maxAttempts < 1))
            {
                throw Error(ma, "max_attempts must be a whole number of at least 1");
            }

            var commands = ReadWordTable(Required(root, "commands"), DialogDefinition.KnownCommands, "command");
            var answers = ReadWordTable(Required(root, "answers"), DialogDefinition.KnownAnswers, "answer");
            foreach (var a in new[] { "yes", "no" })
            {
                if (!answers.ContainsKey(a))
                {
                    throw Error(KeyNode(root, "answers"), $"answers must define '{a}'");
                }
            }
            var languageNames = new Dictionary<string, IReadOnlyList<string>>();
            if (Optional(root, "language_names") is YamlMappingNode ln)
            {
                foreach (var (k, v) in ln.Children)
                {
                    var lang = Scalar(k);
                    if (!_languages.Contains(lang))
                    {
                        throw Error(k, $"language_names names '{lang}', which is not in languages");
                    }
                    languageNames[lang] = Sequence(v).Select(n => Scalar(n).ToLowerInvariant()).ToList();
                }
            }

            var texts = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
            var fields = ReadFields(Mapping(Required(root, "fields")));
            var startNode = Required(root, "start");
            var start = Scalar(startNode);
            var stepsNode = Mapping(Required(root, "steps"));
            var steps = ReadSteps(stepsNode, fields, texts);
            if (!steps.ContainsKey(start))
            {
                throw Error(startNode, $"start names step '{start}', which is not defined under steps");
            }
            CheckReachable(stepsNode, steps, start);

            foreach (var (k, v) in Mapping(Required(root, "messages")).Children)
            {
                var key = Scalar(k);
                if (!texts.TryAdd(key, Localized(v, $"message '{key}'")))
                {
                    throw Error(k, $"message '{key}' is defined twice");
                }
            }
            foreach (var required in DialogDefinition.RequiredMessages)
            {
                if (!texts.ContainsKey(required))
                {
                    throw Error(KeyNode(root, "messages"), $"messages must define '{required}' (the engine says it)");
                }
            }
            foreach (var field in fields.Values)
            {
                foreach (var reason in field.Validator.Reasons)
                {
                    if (!texts.ContainsKey(reason))
                    {
                        throw Error(ValidatorNode(root, field.Name), $"validator '{field.Validator.Name}' of field '{field.Name}' can refuse with '{reason}', but messages does not define '{reason}'");
                    }
                }
            }

            var statuses = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
            if (Optional(root, "statuses") is YamlMappingNode st)
            {
                foreach (var (k, v) in st.Children)
                {
                    statuses[Scalar(k)] = Localized(v, $"status '{Scalar(k)}'");
                }
            }

            return new DialogDefinition
            {
                Id = id,
                Version = version,
                SourcePath = file,
                Languages = _languages,
                MaxAttempts = maxAttempts,
                Commands = commands,
                Answers = answers,
                LanguageNames = languageNames,
                Fields = fields,
                Start = start,
                Steps = steps,
                Texts = texts,
                Statuses = statuses,
            };
        }

        private Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadWordTable(
            YamlNode node, IReadOnlyList<string> known, string what)
        {
            var table = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
            foreach (var (k, v) in Mapping(node).Children)
            {
                var name = Scalar(k);
                if (!known.Contains(name))
                {
                    throw Error(k, $"unknown {what} '{name}' (known: {string.Join(", ", known)})");
                }
                var byLang = new Dictionary<string, IReadOnlyList<string>>();
                foreach (var (lk, lv) in Mapping(v).Children)
                {
                    var lang = Scalar(lk);
                    if (!_languages.Contains(lang))
                    {
                        throw Error(lk, $"{what} '{name}' has words for '{lang}', which is not in languages");
                    }
                    byLang[lang] = Sequence(lv).Select(n => Scalar(n).ToLowerInvariant()).ToList();
                }
                foreach (var lang in _languages.Where(l => !byLang.ContainsKey(l)))
                {
                    throw Error(v, $"{what} '{name}' has no words for language '{lang}'");
                }
                table[name] = byLang;
            }
            return table;
        }

        private Dictionary<string, FieldDefinition> ReadFields(YamlMappingNode node)
        {
            var fields = new Dictionary<string, FieldDefinition>(StringComparer.Ordinal);
            foreach (var (k, v) in node.Children)
            {
                var name = Scalar(k);
                var m = Mapping(v);
                AllowOnly(m, "validator", "aliases", "label");
                var vNode = Required(m, "validator");
                var validator = validators.Find(Scalar(vNode))
                    ?? throw Error(vNode, $"unknown validator '{Scalar(vNode)}' (known: {string.Join(", ", validators.Names)})");
                var aliases = Optional(m, "aliases") is { } a ? Sequence(a).Select(n => Scalar(n).ToLowerInvariant()).ToList() : [name];
                fields[name] = new FieldDefinition(name, validator, aliases, Localized(Required(m, "label"), $"label of field '{name}'"));
            }
            return fields;
        }

        private Dictionary<string, StepDefinition> ReadSteps(
            YamlMappingNode node, IReadOnlyDictionary<string, FieldDefinition> fields, Dictionary<string, LocalizedText> texts)
        {
            var steps = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
            foreach (var (k, v) in node.Children)
            {
                var id = Scalar(k);
                var m = Mapping(v);
                var typeNode = Required(m, "type");
                var type = Scalar(typeNode) switch
                {
                    "idle" => StepType.Idle,
                    "ask" => StepType.Ask,
                    "confirm" => StepType.Confirm,
                    "submit" => StepType.Submit,
                    "identity" => StepType.Identity,
                    "clarify" => StepType.Clarify,
                    "reason" => StepType.Reason,
                    "resubmit" => StepType.Resubmit,
                    var t => throw Error(typeNode, $"unknown step type '{t}' (known: idle, ask, confirm, submit, identity, clarify, reason, resubmit)"),
                };
                string? FieldRef(string key)
                {
                    if (Optional(m, key) is not { } f)
                    {
                        return null;
                    }
                    var name = Scalar(f);
                    return fields.ContainsKey(name) ? name : throw Error(f, $"step '{id}' uses field '{name}', which is not defined under fields");
                }
                StepDefinition step;
                switch (type)
                {
                    case StepType.Idle:
                        AllowOnly(m, "type", "prefill", "prefill_min_words", "next", "clarify", "unsatisfied", "returned");
                        var minWords = 0;
                        if (Optional(m, "prefill_min_words") is { } mw && (!int.TryParse(Scalar(mw), out minWords) || minWords < 0))
                        {
                            throw Error(mw, "prefill_min_words must be a whole number of at least 0");
                        }
                        step = new StepDefinition(id, type, (int)k.Start.Line, Prefill: FieldRef("prefill"), Next: Scalar(Required(m, "next")),
                            PrefillMinWords: minWords, Clarify: Scalar(Required(m, "clarify")), Unsatisfied: Scalar(Required(m, "unsatisfied")),
                            Returned: Scalar(Required(m, "returned")));
                        break;
                    case StepType.Ask:
                        AllowOnly(m, "type", "field", "prompt", "offer", "offer_profile_name", "accept_location", "same_as", "next");
                        if (!m.Children.ContainsKey("field"))
                        {
                            throw Error(m, $"ask step '{id}' needs a field");
                        }
                        var offer = Bool(m, "offer_profile_name");
                        texts[$"{id}.prompt"] = Localized(Required(m, "prompt"), $"prompt of step '{id}'");
                        if (offer)
                        {
                            texts[$"{id}.offer"] = Localized(Required(m, "offer"), $"offer of step '{id}'");
                        }
                        step = new StepDefinition(id, type, (int)k.Start.Line, Field: FieldRef("field"), Next: Scalar(Required(m, "next")),
                            OfferProfileName: offer, AcceptLocation: Bool(m, "accept_location"), SameAs: FieldRef("same_as"));
                        break;
                    case StepType.Confirm:
                        AllowOnly(m, "type", "prompt", "yes", "no", "cancel_message");
                        texts[$"{id}.prompt"] = Localized(Required(m, "prompt"), $"prompt of step '{id}'");
                        step = new StepDefinition(id, type, (int)k.Start.Line, Yes: Scalar(Required(m, "yes")), No: Scalar(Required(m, "no")),
                            CancelMessage: Optional(m, "cancel_message") is { } cm ? Scalar(cm) : null);
                        break;
                    case StepType.Identity or StepType.Reason:
                        AllowOnly(m, "type", "prompt", "next");
                        texts[$"{id}.prompt"] = Localized(Required(m, "prompt"), $"prompt of step '{id}'");
                        step = new StepDefinition(id, type, (int)k.Start.Line, Next: Scalar(Required(m, "next")));
                        break;
                    case StepType.Clarify:
                        AllowOnly(m, "type", "prompt", "several", "next");
                        texts[$"{id}.prompt"] = Localized(Required(m, "prompt"), $"prompt of step '{id}'");
                        texts[$"{id}.several"] = Localized(Required(m, "several"), $"several-cases prompt of step '{id}'");
                        step = new StepDefinition(id, type, (int)k.Start.Line, Next: Scalar(Required(m, "next")));
                        break;
                    default:
                        AllowOnly(m, "type", "next");
                        step = new StepDefinition(id, type, (int)k.Start.Line, Next: Scalar(Required(m, "next")));
                        break;
                }
                if (!steps.TryAdd(id, step))
                {
                    throw Error(k, $"step '{id}' is defined twice");
                }
            }
            // Every transition must land on a defined step.
            foreach (var (k, v) in node.Children)
            {
                var m = (YamlMappingNode)v;
                foreach (var edge in new[] { "next", "yes", "no", "clarify", "unsatisfied", "returned" })
                {
                    if (Optional(m, edge) is { } target && !steps.ContainsKey(Scalar(target)))
                    {
                        throw Error(target, $"step '{Scalar(k)}' goes to '{Scalar(target)}' ({edge}), which is not defined under steps");
                    }
                }
            }
            if (steps.Values.Count(s => s.Type == StepType.Idle) != 1)
            {
                throw Error(node, "a dialog needs exactly one idle step (where a conversation rests between complaints)");
            }
            return steps;
        }

        private void CheckReachable(YamlMappingNode stepsNode, IReadOnlyDictionary<string, StepDefinition> steps, string start)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { start };
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var id))
            {
                var s = steps[id];
                foreach (var next in new[] { s.Next, s.Yes, s.No, s.Clarify, s.Unsatisfied, s.Returned })
                {
                    if (next is not null && seen.Add(next))
                    {
                        queue.Enqueue(next);
                    }
                }
            }
            foreach (var (k, _) in stepsNode.Children)
            {
                if (!seen.Contains(Scalar(k)))
                {
                    throw Error(k, $"step '{Scalar(k)}' is unreachable: no step leads to it from start '{start}'");
                }
            }
        }

        private LocalizedText Localized(YamlNode node, string what)
        {
            if (node is not YamlMappingNode m)
            {
                throw Error(node, $"{what} must give a text per language ({string.Join(", ", _languages.Select(l => l + ": …"))})");
            }
            var dict = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in m.Children)
            {
                var lang = Scalar(k);
                if (!_languages.Contains(lang))
                {
                    throw Error(k, $"{what} has a text in '{lang}', which is not in languages");
                }
                var text = Scalar(v);
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw Error(v, $"{what} is empty in '{lang}'");
                }
                dict[lang] = text;
            }
            foreach (var lang in _languages.Where(l => !dict.ContainsKey(l)))
            {
                throw Error(node, $"{what} is missing its '{lang}' translation");
            }
            return new LocalizedText(dict);
        }

        private void AllowOnly(YamlMappingNode m, params string[] keys)
        {
            foreach (var (k, _) in m.Children)
            {
                if (!keys.Contains(Scalar(k)))
                {
                    throw Error(k, $"unknown key '{Scalar(k)}' here (allowed: {string.Join(", ", keys)})");
                }
            }
        }

        /// <summary>The key itself ("messages:"), so an error about what a section lacks points at the section's line.</summary>
        private static YamlNode KeyNode(YamlMappingNode m, string key) =>
            m.Children.Keys.First(k => k is YamlScalarNode { Value: var v } && v == key);

        private static YamlNode ValidatorNode(YamlMappingNode root, string field) =>
            ((YamlMappingNode)((YamlMappingNode)root["fields"])[field])["validator"];

        private YamlNode Required(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw Error(m, $"missing '{key}'");

        private static YamlNode? Optional(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        private bool Bool(YamlMappingNode m, string key) => Optional(m, key) switch
        {
            null => false,
            var n when Scalar(n) is "true" => true,
            var n when Scalar(n) is "false" => false,
            var n => throw Error(n, $"'{key}' must be true or false"),
        };

        private string Scalar(YamlNode n) =>
            n is YamlScalarNode s ? s.Value ?? "" : throw Error(n, "expected a single value here");

        private YamlMappingNode Mapping(YamlNode n) =>
            n as YamlMappingNode ?? throw Error(n, "expected a mapping (key: value lines) here");

        private IEnumerable<YamlNode> Sequence(YamlNode n) =>
            n as YamlSequenceNode ?? throw Error(n, "expected a list ([a, b] or - lines) here");
    }
}
