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
