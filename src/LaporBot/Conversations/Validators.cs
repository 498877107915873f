using System.Globalization;
using System.Text;

namespace LaporBot.Conversations;

/// <summary>The verdict on one answer: the cleaned value, or a reason key (a message in the dialog) with its arguments.</summary>
internal readonly record struct Verdict(string? Value, string? Reason, IReadOnlyDictionary<string, string>? Args = null)
{
    public bool Ok => Reason is null;
    public static Verdict Accept(string value) => new(value, null);
    public static Verdict Refuse(string reason, params (string Key, object Value)[] args) =>
        new(null, reason, args.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? ""));
}

/// <summary>A named check for one field's answer. Dialog files refer to validators by <see cref="Name"/>.</summary>
internal interface IFieldValidator
{
    string Name { get; }

    /// <summary>Every reason key this validator can return; the loader checks each has a message.</summary>
    IReadOnlyList<string> Reasons { get; }

    Verdict Check(string answer);
}

internal static class TextShape
{
    public static int Letters(string s) => s.Count(char.IsLetter);

    public static int Words(string s) =>
        s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));

    /// <summary>Trims and collapses runs of spaces (not newlines) so answers are stored tidily.</summary>
    public static string Tidy(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s.Trim())
        {
            if (c is ' ' or '\t')
            {
                if (!space)
                {
                    sb.Append(' ');
                }
                space = true;
                continue;
            }
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>
/// A person's name as it will appear on the case ("Nama pelapor"). Besides length and letters it
/// refuses what a person would not take for a name: digits, and anything that reads like a
/// sentence — more than <see cref="MaxWords"/> words, or a word no name contains (a verb or noun
/// of a complaint, a pronoun, "mau"/"tolong"). Yes/no and command words are refused by the engine,
/// which knows the dialog's words (name_yes_no, name_is_command).
/// </summary>
internal sealed class PersonNameValidator : IFieldValidator
{
    public const int MaxLength = 100;
    public const int MaxWords = 5;

    /// <summary>Words that make an answer a sentence about the complaint rather than a name.</summary>
    private static readonly HashSet<string> SentenceWords = new(StringComparer.Ordinal)
    {
        "saya", "aku", "kami", "kita", "anda", "mau", "ingin", "akan", "tolong", "mohon", "minta", "lapor", "melapor", "laporkan",
        "melaporkan", "aduan", "mengadu", "adukan", "keluhan", "rusak", "mati", "padam", "bocor", "banjir", "macet", "berlubang",
        "lubang", "menumpuk", "sampah", "jalan", "jalannya", "belum", "sudah", "tidak", "ada", "sejak", "karena", "yang", "dan",
        "di", "ke", "dari", "untuk", "dengan", "sekali", "parah", "kenapa", "bagaimana", "kapan", "gimana",
        "my", "want", "please", "broken", "the", "is", "not", "report", "complaint", "street", "road",
    };

    public string Name => "person_name";
    public IReadOnlyList<string> Reasons { get; } = ["name_empty", "name_no_letters", "name_too_short", "name_too_long", "name_has_digits", "name_sentence"];

    public Verdict Check(string answer)
    {
        var v = TextShape.Tidy(answer);
        if (v.Length == 0)
        {
            return Verdict.Refuse("name_empty");
        }
        if (v.Length > MaxLength)
        {
            return Verdict.Refuse("name_too_long", ("max", MaxLength));
        }
        var letters = TextShape.Letters(v);
        if (letters == 0)
        {
            return Verdict.Refuse("name_no_letters");
        }
        // Mostly digits or symbols ("123 4a") is not a name either.
        if (letters * 2 < v.Count(c => !char.IsWhiteSpace(c)))
        {
            return Verdict.Refuse("name_no_letters");
        }
        if (letters < 2)
        {
            return Verdict.Refuse("name_too_short");
        }
        if (v.Any(char.IsDigit))
        {
            return Verdict.Refuse("name_has_digits");
        }
        var words = v.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', '!', '?', ':', ';', '"', '\'', '(', ')').ToLowerInvariant()).Where(w => w.Length > 0).ToList();
        if (words.Count > MaxWords || words.Any(SentenceWords.Contains) || v.Contains('?') || v.Contains('!'))
        {
            return Verdict.Refuse("name_sentence");
        }
        return Verdict.Accept(v);
    }
}

internal sealed class AddressValidator : IFieldValidator
{
    public const int MinLength = 10;
    public const int MaxLength = 300;
    public string Name => "address";
    public IReadOnlyList<string> Reasons { get; } = ["address_empty", "address_too_short", "address_too_long"];

    public Verdict Check(string answer)
    {
        var v = TextShape.Tidy(answer);
        if (v.Length == 0)
        {
            return Verdict.Refuse("address_empty");
        }
        if (v.Length > MaxLength)
        {
            return Verdict.Refuse("address_too_long", ("max", MaxLength));
        }
        if (v.Length < MinLength || TextShape.Words(v) < 2 || TextShape.Letters(v) < 4)
        {
            return Verdict.Refuse("address_too_short", ("min", MinLength));
        }
        return Verdict.Accept(v);
    }
}

internal sealed class ComplaintTextValidator : IFieldValidator
{
    public const int MinWords = 4;
    public const int MinLength = 20;
    public const int MaxLength = 2000;
    public string Name => "complaint_text";
    public IReadOnlyList<string> Reasons { get; } = ["text_empty", "text_too_short", "text_too_long"];

    public Verdict Check(string answer)
    {
        var v = TextShape.Tidy(answer);
        if (v.Length == 0)
        {
            return Verdict.Refuse("text_empty");
        }
        if (v.Length > MaxLength)
        {
            return Verdict.Refuse("text_too_long", ("max", MaxLength));
        }
        if (TextShape.Words(v) < MinWords || v.Length < MinLength || TextShape.Letters(v) < MinLength / 2)
        {
            return Verdict.Refuse("text_too_short", ("min_words", MinWords));
        }
        return Verdict.Accept(v);
    }
}

internal sealed class ValidatorRegistry
{
    private readonly Dictionary<string, IFieldValidator> _byName;

    public ValidatorRegistry(IEnumerable<IFieldValidator> validators) =>
        _byName = validators.ToDictionary(v => v.Name, StringComparer.Ordinal);

    public static ValidatorRegistry Default { get; } =
        new([new PersonNameValidator(), new AddressValidator(), new ComplaintTextValidator()]);

    public IFieldValidator? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerable<string> Names => _byName.Keys;
}
