namespace LaporBot.Routing;

/// <summary>
/// One agency (OPD) and the words that point to it. Keywords may be phrases ("lampu jalan");
/// categories are coarse labels ("kesehatan") that count as keywords too.
/// </summary>
internal sealed record AgencyRule(string Code, string Name, IReadOnlyList<string> Keywords, IReadOnlyList<string> Categories);

/// <summary>An agency the text points to, how strongly, and the keywords (as configured) that matched.</summary>
internal sealed record RoutingSuggestion(string Code, double Score, IReadOnlyList<string> Matched);

/// <summary>
/// The outcome for one complaint. <see cref="AgencyCode"/> is the best guess (null when nothing
/// matched or the top is a tie); only a <see cref="Confident"/> decision may be assigned without
/// the triage desk.
/// </summary>
internal sealed record RoutingDecision(bool Oversight, string? AgencyCode, bool Confident, IReadOnlyList<RoutingSuggestion> Suggestions)
{
    /// <summary>The oversight keywords or combinations ("petugas + minta uang") that made it an oversight case, for the triage desk to see why.</summary>
    public IReadOnlyList<string> OversightMatched { get; init; } = [];
}

/// <summary>
/// How sure the engine must be before it assigns on its own. The defaults make one phrase or two
/// distinct words enough, and ask for twice the runner-up's score: a wrong automatic assignment
/// costs an agency round trip and the SOP's 15-minute window, a trip to the triage desk one tap.
/// </summary>
internal sealed record RoutingThresholds(
    double WordWeight = 1,
    double PhraseWeight = 2,
    double MinScore = 2,
    double MinLeadRatio = 2,
    double MinLeadMargin = 1,
    int MaxSuggestions = 3)
{
    public static RoutingThresholds Default { get; } = new();
}

/// <summary>Pure keyword routing: text and rules in, a decision out. No I/O, no state.</summary>
internal static class RoutingEngine
{
    public static RoutingDecision Decide(
        string complaintText,
        IReadOnlyList<AgencyRule> agencies,
        OversightRules oversight,
        RoutingThresholds? thresholds = null)
    {
        var t = thresholds ?? RoutingThresholds.Default;
        // Each text word with all its stems, computed once; keyword words are looked up in these.
        var words = IndonesianText.Words(complaintText)
            .Select(w => IndonesianText.Stems(w).ToHashSet(StringComparer.Ordinal))
            .ToList();

        var ranked = agencies
            .Select(a => Score(words, a, t))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Code, StringComparer.Ordinal)
            .ToList();
        var suggestions = ranked.Take(t.MaxSuggestions).ToList();

        var misconduct = OversightMatches(words, oversight);
        if (misconduct.Count > 0)
        {
            // The subject agency stays in the suggestions: the inspectorate often asks it for facts.
            return new RoutingDecision(true, oversight.InspectorateCode, true, suggestions) { OversightMatched = misconduct };
        }
        if (ranked.Count == 0)
        {
            return new RoutingDecision(false, null, false, []);
        }

        var top = ranked[0].Score;
        var runnerUp = ranked.Count > 1 ? ranked[1].Score : 0;
        var unique = top > runnerUp;
        var confident = unique
            && top >= t.MinScore
            && top >= runnerUp * t.MinLeadRatio
            && top - runnerUp >= t.MinLeadMargin;
        return new RoutingDecision(false, unique ? ranked[0].Code : null, confident, suggestions);
    }

    private static RoutingSuggestion Score(IReadOnlyList<HashSet<string>> words, AgencyRule agency, RoutingThresholds t)
    {
        // Longest keywords first, and each word of the text counts once per agency, so
        // "lampu jalan" scores as one phrase and not also as the word "jalan".
        var keywords = agency.Keywords.Concat(agency.Categories)
            .Select(k => (Text: k.Trim(), Words: IndonesianText.Words(k)))
            .Where(k => k.Words.Count > 0)
            .DistinctBy(k => string.Join(' ', k.Words))
            .OrderByDescending(k => k.Words.Count);
        var used = new bool[words.Count];
        var matched = new List<(int At, string Keyword)>();
        double score = 0;
        foreach (var (text, kw) in keywords)
        {
            var at = Find(words, kw, used);
            if (at < 0)
            {
                continue;
            }
            for (var i = at; i < at + kw.Count; i++)
            {
                used[i] = true;
            }
            matched.Add((at, text));
            score += kw.Count > 1 ? t.PhraseWeight : t.WordWeight;
        }
        // Reported in the order they appear in the complaint, which is how a person reads them.
        return new RoutingSuggestion(agency.Code, score, [.. matched.OrderBy(m => m.At).Select(m => m.Keyword)]);
    }

    private static List<string> OversightMatches(IReadOnlyList<HashSet<string>> words, OversightRules rules)
    {
        var none = new bool[words.Count];
        var found = rules.Keywords
            .Where(k => Find(words, IndonesianText.Words(k), none) >= 0)
            .Select(k => k.Trim())
            .ToList();
        foreach (var combination in rules.Combinations)
        {
            var who = combination.Who.FirstOrDefault(k => Find(words, IndonesianText.Words(k), none) >= 0);
            var what = combination.What.FirstOrDefault(k => Find(words, IndonesianText.Words(k), none) >= 0);
            if (who is not null && what is not null)
            {
                found.Add($"{who.Trim()} + {what.Trim()}");
            }
        }
        return found;
    }

    // First position where the keyword's words match consecutive, still unused words of the
    // text: the keyword word as written must be the text word or one of its stems
    // (the same rule as IndonesianText.Matches).
    private static int Find(IReadOnlyList<HashSet<string>> words, IReadOnlyList<string> keyword, bool[] used)
    {
        if (keyword.Count == 0)
        {
            return -1;
        }
        for (var start = 0; start + keyword.Count <= words.Count; start++)
        {
            var all = true;
            for (var j = 0; j < keyword.Count && all; j++)
            {
                all = !used[start + j] && words[start + j].Contains(keyword[j]);
            }
            if (all)
            {
                return start;
            }
        }
        return -1;
    }
}
