using LaporBot.Staff;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Staff;

public class StaffTextsTests
{
    private static string ShippedFile => Path.Combine(TestPaths.Workflows, "texts", "staff.yaml");

    [Fact]
    public void ShippedFile_DefinesEveryKeyTheCodeUses()
    {
        var catalog = StaffTextCatalog.LoadFile(ShippedFile, StaffTexts.Keys);
        Assert.Equal(StaffTexts.Keys.Order(), catalog.Keys.Order());
        Assert.Equal("Aduan LPR-2611-00001 tidak ditemukan.", catalog.Render("not_found", ("number", "LPR-2611-00001")));
    }

    [Fact]
    public void MissingKey_IsReportedWithFileAndLine()
    {
        var e = Assert.Throws<StaffTextsException>(() => StaffTextCatalog.Parse("version: 1\ntexts:\n  help: x\n", "t.yaml", ["help", "not_found"]));
        Assert.StartsWith("t.yaml:2:", e.Message);
        Assert.Contains("not_found", e.Message);
    }

    [Fact]
    public void UnknownKey_IsReportedOnItsLine()
    {
        var e = Assert.Throws<StaffTextsException>(() => StaffTextCatalog.Parse("version: 1\ntexts:\n  help: x\n  hlep: y\n", "t.yaml", ["help"]));
        Assert.StartsWith("t.yaml:4:", e.Message);
    }

    [Fact]
    public void WrongVersion_IsRefused()
    {
        var e = Assert.Throws<StaffTextsException>(() => StaffTextCatalog.Parse("version: 7\ntexts:\n  help: x\n", "t.yaml", ["help"]));
        Assert.StartsWith("t.yaml:1:", e.Message);
    }

    [Fact]
    public void PlaceholderWithoutValue_Throws()
    {
        var catalog = StaffTextCatalog.Parse("version: 1\ntexts:\n  a: \"Aduan {number}\"\n", "t.yaml", ["a"]);
        Assert.Throws<ArgumentException>(() => catalog.Render("a", ("other", "x")));
    }
}

/// <summary>
/// Every sentence staff read lives in a texts file (workflows/texts/*.yaml, dialogs/, the report
/// texts), never in C#: the app's string literals are read with the C# parser, and one that reads
/// as an Indonesian phrase fails the build of the suite with its file and line.
/// </summary>
public partial class NoStaffSentenceInCodeTests
{
    /// <summary>Words that make a phrase Indonesian (an English or code literal has none of them).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(
        @"\b(aduan|tidak|yang|untuk|sudah|belum|mohon|silakan|hari|jam|menit|mnt|pelapor|diterima|dijawab|ditutup|petugas|instansi|dengan|masuk|terlambat|batas|membuka|langsung|dilengkapi|puas|ke|dari|oleh|lewat|atau|dan|di|sebagai|halaman|kode|nomor|pesan|sandi|perintah|tahap|peran|sampai|lebih|aturan|penugasan|kecocokan|daftar|dirahasiakan|terkirim|gagal|menunggu)\b",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex IndonesianWord();

    /// <summary>Literals that are Indonesian on purpose (a whole file, or the literals containing a part), with why: none is a sentence shown to staff.</summary>
    private static readonly (string File, string? Part, string Why)[] Exempt =
    [
        ("Conversations/Validators.cs", null, "words the name check recognises in what citizens type, not text shown"),
        ("Routing/OversightRules.cs", null, "phrases matched in complaints to spot oversight cases, not text shown"),
        ("Routing/IndonesianText.cs", null, "words the routing normaliser matches, not text shown"),
        ("Privacy/PrivacyOptions.cs", null, "the default of a setting (Privacy:DpoContact) each deployment overrides"),
        ("Reports/RecapFiles.cs", "Dinas Komunikasi dan Informatika", "the default of a setting (Recaps:Institution) each deployment overrides"),
        ("Workflow/WorkflowRegistration.cs", "e.g. Dinas Pekerjaan Umum", "an English start-up error quoting an agency name as the example"),
    ];

    private static IEnumerable<(string File, int Line, string Text)> Literals()
    {
        var src = Path.Combine(TestPaths.RepoRoot, "src", "LaporBot");
        foreach (var path in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }
            var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            foreach (var node in root.DescendantNodes())
            {
                string? text = node switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax l when l.Token.Value is string s => s,
                    // An interpolated string: its text parts, the holes as {…}.
                    Microsoft.CodeAnalysis.CSharp.Syntax.InterpolatedStringExpressionSyntax i => string.Concat(i.Contents.Select(p =>
                        p is Microsoft.CodeAnalysis.CSharp.Syntax.InterpolatedStringTextSyntax t ? t.TextToken.ValueText : "{…}")),
                    _ => null,
                };
                if (text is not null)
                {
                    yield return (relative, node.GetLocation().GetLineSpan().StartLinePosition.Line + 1, text);
                }
            }
        }
    }

    /// <summary>A phrase (two words or more, not SQL) with an Indonesian word in it.</summary>
    internal static bool IsIndonesianPhrase(string text)
    {
        // Markup and paths are layout, not words: /status/masuk, <input name="nomor">.
        var words = System.Text.RegularExpressions.Regex.Replace(text, @"<[^>]*>|<\w+|\w+=""[^""]*""|/[\w/.\-]+", " ");
        return words.Trim().Contains(' ')
            && !System.Text.RegularExpressions.Regex.IsMatch(words, @"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\b")
            && IndonesianWord().IsMatch(words);
    }

    [Fact]
    public void No_Indonesian_phrase_is_written_in_the_apps_CSharp()
    {
        var found = Literals()
            .Where(l => !Exempt.Any(e => e.File == l.File && (e.Part is null || l.Text.Contains(e.Part, StringComparison.Ordinal))) && IsIndonesianPhrase(l.Text))
            .Select(l => $"src/LaporBot/{l.File}:{l.Line}: \"{l.Text}\"")
            .ToList();
        Assert.True(found.Count == 0, "Staff-facing sentences belong in workflows/texts/*.yaml (or dialogs/):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_check_recognises_a_staff_sentence_and_leaves_code_alone()
    {
        Assert.True(IsIndonesianPhrase("tidak ada aturan yang cocok"));
        Assert.True(IsIndonesianPhrase("{…} hari {…} jam"));
        Assert.False(IsIndonesianPhrase("pelapor"));
        Assert.False(IsIndonesianPhrase("SELECT COUNT(*) FROM complaint_events WHERE actor = 'pelapor'"));
        Assert.False(IsIndonesianPhrase("Added status page account '{…}'. Log in at /status/masuk."));
        Assert.False(IsIndonesianPhrase("<label>{…} <input name=\"nomor\" required "));
    }
}
