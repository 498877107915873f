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

internal sealed class PersonNameValidator : IFieldValidator
{
    public const int MaxLength = 100;
    public string Name => "person_name";
    public IReadOnlyList<string> Reasons { get; } = ["name_empty", "name_no_letters", "name_too_short", "name_too_long"];

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
