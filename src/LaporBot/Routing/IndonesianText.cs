using System.Globalization;
using System.Text;

namespace LaporBot.Routing;

/// <summary>
/// Just enough Indonesian morphology to match complaint words against routing keywords.
/// </summary>
/// <remarks>
/// Approach (no dictionary, so no way to know which reading of a word is the real one):
/// <list type="bullet">
/// <item><see cref="Words"/> lower-cases, drops diacritics, splits on anything that is not a
/// letter or digit, and folds reduplication ("jalan-jalan", "jalan2", "sayur-sayuran") into one
/// word so a plural counts like its singular.</item>
/// <item><see cref="Stems"/> returns the word itself plus every <em>plausible</em> stem: strip
/// particles (-lah/-kah/-pun) and the possessive -nya, then optionally a suffix (-kan/-an, or -i
/// only together with a prefix), then up to two prefixes with the usual meN-/peN- sound changes
/// ("menyuap"→"suap", "pemerasan"→"peras", "kependudukan"→"duduk"). Ambiguous cases yield
/// several candidates ("mengurus"→"urus" and "kurus") instead of guessing one.</item>
/// <item><see cref="Matches"/> is asymmetric: a text word matches a keyword word when the
/// keyword, as written, is the text word or one of its stems. The keyword is not stemmed, so
/// a keyword written as a root ("sampah", "cemar") is broad and one written in a derived form
/// ("perizinan", "pemerasan") is narrow. This keeps over-stemming from turning a keyword like
/// "kependudukan" into "duduk" (to sit).</item>
/// </list>
/// Over-stemming is bounded by a minimum stem length (4 letters after a derivational affix,
/// 3 after -nya/-lah, so "airnya"→"air" but "pengairan" is not "air") and by a short list of
/// words whose meaning drifted away from their root ("berjalan" is to walk or to go smoothly,
/// not a road; "disuapi" is being spoon-fed, not bribed).
/// </remarks>
internal static class IndonesianText
{
    /// <summary>Shortest stem left after removing a derivational prefix or suffix.</summary>
    public const int MinStem = 4;

    /// <summary>Shortest word left after removing a particle or -nya, which are never part of a root.</summary>
    public const int MinInflected = 3;

    private static readonly string[] Particles = ["lah", "kah", "pun"];
    private const string Possessive = "nya";

    // Derived words that must not be traced back to their root, because the derived meaning is
    // unrelated to what the root means as a complaint subject. Checked before and after -nya.
    private static readonly HashSet<string> Lexicalised = new(StringComparer.Ordinal)
    {
        // jalan (road) → berjalan (to walk; "berjalan lancar" = went smoothly), perjalanan (trip)
        "berjalan", "menjalankan", "dijalankan", "menjalani", "dijalani", "perjalanan", "sejalan",
        // suap (bribe) → disuapi/menyuapi (to spoon-feed), sesuap (a mouthful)
        "disuapi", "menyuapi", "sesuap",
    };

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>Lower-case, diacritics removed, every run of non-letters/digits (except '-') turned into one space.</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = true;
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            // Apostrophes sit inside words ("jum'at"), so they join rather than split.
            if (ch is '\'' or '’' or '`')
            {
                continue;
            }
            if (char.IsLetterOrDigit(ch) || ch == '-')
            {
                sb.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else if (!space)
            {
                sb.Append(' ');
                space = true;
            }
        }
        return sb.ToString().Trim();
    }

    /// <summary>The words of a text, normalised, with reduplication folded into one word.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var token in Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split('-', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            if (parts.Length == 2 && Reduplicated(parts[0], parts[1]) is { } folded)
            {
                words.Add(folded);
                continue;
            }
            foreach (var part in parts)
            {
                words.Add(FoldDigitTwo(part));
            }
        }
        return words;
    }

    // "jalan-jalan" → "jalan"; "berjalan-jalan", "sayur-sayuran" → the part carrying the affix.
    private static string? Reduplicated(string a, string b)
    {
        if (a == b)
        {
            return a;
        }
        if (a.Length > b.Length && b.Length >= MinInflected && a.EndsWith(b, StringComparison.Ordinal))
        {
            return a;
        }
        if (b.Length > a.Length && a.Length >= MinInflected && b.StartsWith(a, StringComparison.Ordinal))
        {
            return b;
        }
        return null;
    }

    // Chat shorthand writes reduplication as a trailing 2: "jalan2 rusak" = "jalan-jalan rusak".
    private static string FoldDigitTwo(string word) =>
        word.Length > MinInflected && word[^1] == '2' && word[..^1].All(char.IsLetter) ? word[..^1] : word;

    /// <summary>
    /// The word followed by every plausible stem (distinct, word first). Expects a word from
    /// <see cref="Words"/>; anything else is normalised first.
    /// </summary>
    public static IReadOnlyList<string> Stems(string word)
    {
        var w = Normalize(word);
        var found = new List<string> { w };
        if (w.Length < MinStem || w.Any(char.IsDigit) || Lexicalised.Contains(w))
        {
            return found;
        }

        // Inflectional endings first: they are outside any derivational affix ("jalannyalah").
        var bases = new List<string> { w };
        var b = w;
        foreach (var particle in Particles)
        {
            if (b.EndsWith(particle, StringComparison.Ordinal) && b.Length - particle.Length >= MinInflected)
            {
                b = b[..^particle.Length];
                bases.Add(b);
                break;
            }
        }
        if (b.EndsWith(Possessive, StringComparison.Ordinal) && b.Length - Possessive.Length >= MinInflected)
        {
            b = b[..^Possessive.Length];
            bases.Add(b);
        }
        foreach (var stripped in bases.Skip(1))
        {
            Add(found, stripped);
            if (Lexicalised.Contains(stripped))
            {
                return found;
            }
        }

        foreach (var baseWord in bases.Distinct())
        {
            AddDerived(found, baseWord);
        }
        return found;
    }

    /// <summary>
    /// True when <paramref name="word"/> (from a complaint) is <paramref name="keywordWord"/> or
    /// derives from it. The keyword word is taken as written, not stemmed (see the remarks).
    /// </summary>
    public static bool Matches(string word, string keywordWord)
    {
        var k = Normalize(keywordWord);
        return k.Length > 0 && Stems(word).Contains(k, StringComparer.Ordinal);
    }

    private static void AddDerived(List<string> found, string b)
    {
        // Suffix "" = none. -i is only a suffix next to a prefix (diperbaiki, mengotori);
        // on its own it ends too many roots (korupsi, polisi, kali).
        foreach (var (suffix, needsPrefix) in new[] { ("", false), ("kan", false), ("an", false), ("i", true) })
        {
            if (!b.EndsWith(suffix, StringComparison.Ordinal) || b.Length - suffix.Length < MinStem)
            {
                continue;
            }
            var r = b[..^suffix.Length];
            if (suffix.Length > 0 && !needsPrefix)
            {
                Add(found, r);
            }
            foreach (var p1 in StripPrefix(r))
            {
                if (p1.Length < MinStem)
                {
                    continue;
                }
                Add(found, p1);
                foreach (var p2 in StripPrefix(p1))
                {
                    if (p2.Length >= MinStem)
                    {
                        Add(found, p2);
                    }
                }
            }
        }
    }

    private static void Add(List<string> found, string s)
    {
        if (!found.Contains(s, StringComparer.Ordinal))
        {
            found.Add(s);
        }
    }

    // The prefixes of the brief with the meN-/peN- sound changes: the nasal replaces the first
    // consonant of the root (p→m, t→n, s→ny, k→ng), so those come back as candidates.
    private static IEnumerable<string> StripPrefix(string w)
    {
        if (w.Length < MinStem + 2)
        {
            yield break;
        }
        foreach (var head in new[] { "me", "pe" })
        {
            if (!w.StartsWith(head, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = w[2..];
            if (rest.StartsWith("mper", StringComparison.Ordinal))
            {
                // memper-/pemper- is me-/pe- + per-: leave per- for the second round.
                yield return rest[1..];
            }
            else if (rest.StartsWith("ny", StringComparison.Ordinal) && rest.Length > 2 && IsVowel(rest[2]))
            {
                yield return "s" + rest[2..];
            }
            else if (rest.StartsWith("ng", StringComparison.Ordinal) && rest.Length > 2)
            {
                var root = rest[2..];
                if (IsVowel(root[0]))
                {
                    yield return root;
                    yield return "k" + root;
                }
                else if (root[0] is 'g' or 'h' or 'k')
                {
                    yield return root;
                }
            }
            else if (rest[0] == 'm' && rest.Length > 1)
            {
                var root = rest[1..];
                if (root[0] is 'b' or 'f' or 'v' or 'p')
                {
                    yield return root;
                }
                else if (IsVowel(root[0]))
                {
                    yield return "p" + root;
                }
                // me- before a root starting with m: "meminta" = me + minta.
                yield return rest;
            }
            else if (rest[0] == 'n' && rest.Length > 1)
            {
                var root = rest[1..];
                if (root[0] is 'c' or 'd' or 'j' or 't' or 'z' or 's')
                {
                    yield return root;
                }
                else if (IsVowel(root[0]))
                {
                    yield return "t" + root;
                }
                yield return rest;
            }
            else if (head == "me" && rest[0] is 'l' or 'r' or 'w' or 'y')
            {
                yield return rest;
            }
            else if (head == "pe" && !IsVowel(rest[0]))
            {
                // pe- before other consonants: petugas, pedagang, pelapor; also per- (perizinan).
                yield return rest;
                if (rest[0] == 'r' && rest.Length > 1)
                {
                    yield return rest[1..];
                }
            }
        }
        foreach (var plain in new[] { "ber", "ter", "di", "ke", "se" })
        {
            if (w.StartsWith(plain, StringComparison.Ordinal))
            {
                yield return w[plain.Length..];
            }
        }
    }
}
