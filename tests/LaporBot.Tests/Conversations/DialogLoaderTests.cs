using LaporBot.Conversations;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Conversations;

/// <summary>
/// The loader refuses a broken dialog at start-up, naming the file and the line to fix. Each case
/// breaks the real lapor.yaml in one place and expects the error on the line that holds the fault.
/// </summary>
public class DialogLoaderTests
{
    private const string File = "dialogs/lapor.yaml";

    private static readonly string Real = System.IO.File.ReadAllText(Path.Combine(TestPaths.Dialogs, "lapor.yaml")).ReplaceLineEndings("\n");

    private static DialogLoader Loader() => new(ValidatorRegistry.Default);

    public static TheoryData<string, string, string, string, string> Broken() => new()
    {
        // label, text to find, replacement, a piece of the line the error must name, a piece of the message
        { "unknown validator", "validator: person_name", "validator: nama_orang", "validator: nama_orang", "unknown validator 'nama_orang'" },
        { "missing translation of a label", "label: { id: Nama, en: Name }", "label: { id: Nama }", "label: { id: Nama }", "label of field 'name' is missing its 'en' translation" },
        { "missing translation of a message", "\n    en: \"There is no complaint in progress.\"", "", "id: \"Tidak ada aduan yang sedang dibuat.\"", "message 'nothing_to_cancel' is missing its 'en' translation" },
        { "translation in an unknown language", "  menu:\n    id: \"Menu layanan", "  menu:\n    jv: \"Menu\"\n    id: \"Menu layanan", "jv: \"Menu\"", "has a text in 'jv', which is not in languages" },
        { "unreachable step", "  submit:\n    type: submit\n    next: idle\n", "  submit:\n    type: submit\n    next: idle\n\n  orphan:\n    type: submit\n    next: idle\n", "  orphan:", "step 'orphan' is unreachable" },
        { "undefined field", "    field: address", "    field: alamat", "field: alamat", "uses field 'alamat', which is not defined under fields" },
        { "undefined step target", "    next: ask_text", "    next: ask_txt", "next: ask_txt", "goes to 'ask_txt' (next), which is not defined under steps" },
        { "undefined confirm target", "    yes: submit", "    yes: kirim", "yes: kirim", "goes to 'kirim' (yes)" },
        { "missing required message", "  nothing_to_cancel:\n    id: \"Tidak ada aduan yang sedang dibuat.\"\n    en: \"There is no complaint in progress.\"\n", "", "messages:", "messages must define 'nothing_to_cancel'" },
        { "missing refusal message", "  name_too_long:\n", "  name_too_lengthy:\n", "validator: person_name", "can refuse with 'name_too_long', but messages does not define 'name_too_long'" },
        { "wrong version", "version: 1", "version: 2", "version: 2", "version must be 1" },
        { "unknown command", "  confidential: { id: [rahasia], en: [confidential] }", "  secret: { id: [rahasia], en: [confidential] }", "secret:", "unknown command 'secret'" },
        { "misspelt key", "    accept_location: true", "    accept_locaton: true", "accept_locaton", "unknown key 'accept_locaton'" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Parse_refuses_with_file_and_line(string label, string find, string replace, string lineHolding, string fragment)
    {
        Assert.True(Real.Contains(find, StringComparison.Ordinal), $"{label}: the real dialog no longer contains the text this case breaks");
        var broken = Real.Replace(find, replace, StringComparison.Ordinal);
        var expectedLine = LineOf(broken, lineHolding);

        var e = Assert.Throws<DialogLoadException>(() => Loader().Parse(broken, File));

        Assert.Equal(File, e.File);
        Assert.StartsWith($"{File}:{expectedLine}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_names_the_path_it_read()
    {
        var dir = TestPaths.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "lapor.yaml");
            System.IO.File.WriteAllText(path, Real.Replace("version: 1", "version: 0", StringComparison.Ordinal));
            var e = Assert.Throws<DialogLoadException>(() => Loader().LoadFile(path));
            Assert.StartsWith($"{path}:{LineOf(Real, "version: 1")}: version must be 1", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Parse_refuses_yaml_that_does_not_parse_with_its_line()
    {
        var broken = Real.Replace("start: idle", "start: [idle", StringComparison.Ordinal);
        var e = Assert.Throws<DialogLoadException>(() => Loader().Parse(broken, File));
        Assert.StartsWith($"{File}:{LineOf(broken, "start: [idle")}: not valid YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_refuses_a_bad_indent_with_its_line()
    {
        var broken = Real.Replace("  ask_address:\n    type: ask", "  ask_address:\n    type: ask\n   oops: [", StringComparison.Ordinal);
        var e = Assert.Throws<DialogLoadException>(() => Loader().Parse(broken, File));
        Assert.Contains("not valid YAML", e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Line, LineOf(broken, "oops: ["), LineOf(broken, "oops: [") + 1);
    }

    [Fact]
    public void LoadDirectory_accepts_the_real_dialogs()
    {
        var dialogs = Loader().LoadDirectory(TestPaths.Dialogs);

        var lapor = dialogs["lapor"];
        Assert.Equal(1, lapor.Version);
        Assert.Equal(["id", "en"], lapor.Languages);
        Assert.Equal("idle", lapor.Start);
        Assert.Equal(["name", "address", "location", "text"], lapor.Fields.Keys);
        Assert.Equal(7, lapor.Steps["idle"].PrefillMinWords);
        foreach (var key in DialogDefinition.RequiredMessages)
        {
            Assert.True(lapor.Texts.ContainsKey(key), $"lapor.yaml lacks required message '{key}'");
        }
        // Both languages complete: every text has both.
        foreach (var (key, text) in lapor.Texts)
        {
            Assert.True(text.ByLanguage.ContainsKey("id") && text.ByLanguage.ContainsKey("en"), $"text '{key}' is not in both languages");
        }
    }

    [Fact]
    public void LoadDirectory_refuses_a_missing_directory_with_the_setting_to_fix()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => Loader().LoadDirectory("/nonexistent/dialogs"));
        Assert.Contains("Conversations:DialogsDirectory", e.Message, StringComparison.Ordinal);
    }

    /// <summary>1-based number of the first line containing <paramref name="piece"/>.</summary>
    private static int LineOf(string text, string piece)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(piece, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line holds \"{piece}\"");
        return index + 1;
    }
}
