using LaporBot.Tests.Fakes;
using LaporBot.Workflow;

namespace LaporBot.Tests.Workflow;

/// <summary>The shipped workflow files load, follow their SOPs' standards, and broken files are refused with file:line.</summary>
public class WorkflowFileTests
{
    private static WorkflowDefinition Shipped(string id) => WorkflowLoader.LoadFile(Path.Combine(TestPaths.Workflows, id + ".yaml"));

    private static readonly string[] Ids = ["bontang", "cilacap", "disporbudpar", "muara-enim"];

    public static TheoryData<string> ShippedIds => new(Ids);

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void EveryShippedFile_LoadsWithItsOwnId(string id)
    {
        var w = Shipped(id);
        Assert.Equal(id, w.Id);
        Assert.Equal("triage", w.Step(w.Start).Role);
        Assert.NotNull(w.OversightStart);
        Assert.Equal("inspektorat", w.Step(w.OversightStart!).Role);
        Assert.Contains(w.MainPath(), s => s.Action("answer") is not null);
    }

    [Fact]
    public void EveryYamlInWorkflows_IsAShippedAndTestedFile()
    {
        var files = Directory.GetFiles(TestPaths.Workflows, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(Ids, files);
    }

    [Fact]
    public void Cilacap_FollowsTheSop_AdminLiaisonHeadLiaisonAdmin_2h15m()
    {
        var w = Shipped("cilacap");
        Assert.Equal(
            [("disposisi", "triage", 15), ("periksa", "admin", 15), ("koordinasi", "penghubung", 15), ("tindak_lanjut", "kepala", 60),
             ("teruskan_hasil", "penghubung", 15), ("input_jawaban", "admin", 15)],
            w.MainPath().Select(s => (s.Id, s.Role, (int)s.Standard!.Duration.TotalMinutes)));
        Assert.All(w.MainPath(), s => Assert.Equal(TimeBasis.Calendar, s.Standard!.Basis));
        Assert.Equal(new TimeSpan(2, 15, 0), w.Total());
        Assert.Equal("2h15m", WorkflowFormat.Duration(w.Total()));
        Assert.Equal("periksa", w.Step("disposisi").Action("assign")!.Target);
        Assert.Null(w.Step("disposisi").Action("return")!.Target); // back to the citizen with the reason
        Assert.Equal("disposisi", w.Step("periksa").Action("reject")!.Target);
        Assert.False(w.RequiresApproval);
    }

    [Fact]
    public void Bontang_HeadApprovesAndDiskominfoPosts_4d8h30m_ExtendableTo14Days()
    {
        var w = Shipped("bontang");
        var path = w.MainPath();
        Assert.Equal(11, path.Count); // the SOP's eleven steps
        Assert.Equal("4d8h30m", WorkflowFormat.Duration(w.Total()));
        Assert.Equal(TimeSpan.FromDays(3), w.Step("susun_tanggapan").Standard!.Duration);
        Assert.Equal(TimeSpan.FromDays(14), w.Step("susun_tanggapan").ExtendLimit);
        Assert.Equal(("kepala", TimeSpan.FromDays(1)), (w.Step("setujui").Role, w.Step("setujui").Standard!.Duration));
        Assert.True(w.RequiresApproval);
        Assert.Equal("triage", path[^1].Role); // Diskominfo posts the answer
        Assert.NotNull(path[^1].Action("answer"));
        Assert.Equal(TimeSpan.FromMinutes(30), w.Step("terima_tanggapan").Standard!.Duration);
    }

    [Fact]
    public void MuaraEnim_LiaisonOfficerLiaison_And60DayOversight()
    {
        var w = Shipped("muara-enim");
        Assert.Equal(
            [("verifikasi", "triage", 2), ("distribusi", "penghubung", 1), ("tindak_lanjut", "pelaksana", 12), ("jawab_pelapor", "penghubung", 1)],
            w.MainPath().Select(s => (s.Id, s.Role, (int)s.Standard!.Duration.TotalDays)));
        Assert.Equal(TimeSpan.FromDays(60), w.Step(w.OversightStart!).Standard!.Duration);
        Assert.Equal(new Standard(TimeSpan.FromDays(10), TimeBasis.Calendar), w.AutoClose);
        Assert.Contains(w.Escalations, e => e.To.Contains("inspektorat"));
    }

    [Fact]
    public void Disporbudpar_HeadDispositions_FiveWorkingDays_OmbudsmanAfter60Days()
    {
        var w = Shipped("disporbudpar");
        Assert.Equal("kepala", w.Step("telaah").Role);
        Assert.Equal(new Standard(TimeSpan.FromDays(5), TimeBasis.Working), w.Step("tindak_lanjut").Standard);
        Assert.Equal(TimeBasis.Calendar, w.Step("terima").Standard!.Basis);
        var ombudsman = Assert.Single(w.Escalations);
        Assert.Equal((TimeSpan.FromDays(60), "submitted"), (ombudsman.After, ombudsman.From));
        Assert.Contains("Ombudsman", ombudsman.Note);
        Assert.Equal(new Standard(TimeSpan.FromDays(10), TimeBasis.Working), w.AutoClose);
    }

    private const string Minimal = """
        version: 1
        id: mini
        roles:
          triage: Admin Utama
          admin: Admin OPD
        start: a
        steps:
          - id: a
            role: triage
            standard: 15m
            actions:
              assign: b
          - id: b
            role: admin
            standard: 1h
            actions:
              answer: citizen
        """;

    [Fact]
    public void MinimalFile_Loads() => Assert.Equal("1h15m", WorkflowFormat.Duration(WorkflowLoader.Parse(Minimal, "m.yaml").Total()));

    public static TheoryData<string, string, int, string> Broken => new()
    {
        { "version", Minimal.Replace("version: 1", "version: 2"), 1, "version 2 is not supported" },
        { "unknown role", Minimal.Replace("admin: Admin OPD", "lurah: Lurah"), 5, "unknown role 'lurah'" },
        { "role not listed", Minimal.Replace("    role: admin", "    role: kepala"), 14, "'kepala', which is not listed" },
        { "unknown action", Minimal.Replace("answer: citizen", "publish: citizen"), 17, "unknown action 'publish'" },
        { "missing target", Minimal.Replace("assign: b", "assign: c"), 12, "assign leads to 'c', which is not a step" },
        { "bad duration", Minimal.Replace("standard: 1h", "standard: an hour"), 15, "'an hour' is not a duration" },
        { "answer to a step", Minimal.Replace("answer: citizen", "answer: a"), 17, "write 'answer: citizen'" },
        { "unknown key", Minimal.Replace("    standard: 1h", "    standrad: 1h"), 15, "unknown key 'standrad'" },
        { "bad start", Minimal.Replace("start: a", "start: b"), 6, "must be the triage desk's" },
        { "not yaml", "version: 1\nsteps: [\n", 3, "not valid YAML" },
        { "unreachable", Minimal + "\n  - id: c\n    role: admin\n    standard: 1h\n    actions:\n      answer: citizen\n", 18, "step 'c' cannot be reached" },
        {
            "answer skips approval",
            Minimal.Replace("      answer: citizen", "      draft: c\n  - id: c\n    role: admin\n    actions:\n      answer: citizen\n      forward: d\n  - id: d\n    role: admin\n    actions:\n      approve: c"),
            21, "without approval"
        },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void BrokenFile_IsRefusedWithFileAndLine(string label, string yaml, int line, string message)
    {
        var e = Assert.Throws<WorkflowLoadException>(() => WorkflowLoader.Parse(yaml, "w.yaml"));
        Assert.True(e.Message.StartsWith($"w.yaml:{line}:", StringComparison.Ordinal), $"{label}: {e.Message}");
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("15m", 15)]
    [InlineData("1h30m", 90)]
    [InlineData("2d", 2880)]
    public void Durations_RoundTrip(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), WorkflowFormat.ParseDuration(text));
        Assert.Equal(text, WorkflowFormat.Duration(TimeSpan.FromMinutes(minutes)));
    }

    [Fact]
    public void CheckCommand_PrintsStepsAndTotal_AndExitsNonZeroWithFileLine()
    {
        var o = new StringWriter();
        var err = new StringWriter();
        Assert.Equal(0, WorkflowCli.Run(["check", Path.Combine(TestPaths.Workflows, "cilacap.yaml")], o, err));
        Assert.Contains("total: 2h15m", o.ToString());
        Assert.Contains("tindak_lanjut", o.ToString());
        Assert.Equal(0, WorkflowCli.Run(["check", Path.Combine(TestPaths.Workflows, "bontang.yaml")], o, err));
        Assert.Contains("total: 4d8h30m", o.ToString());

        var dir = TestPaths.NewTempDir();
        try
        {
            var bad = Path.Combine(dir, "bad.yaml");
            File.WriteAllText(bad, Minimal.Replace("assign: b", "assign: c"));
            Assert.Equal(1, WorkflowCli.Run(["check", bad], o, err));
            Assert.Contains($"{bad}:12:", err.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
