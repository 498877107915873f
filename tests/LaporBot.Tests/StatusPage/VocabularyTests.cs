using System.Reflection;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Reports;
using LaporBot.Staff;
using LaporBot.StatusPage;

namespace LaporBot.Tests.StatusPage;

/// <summary>One name per status everywhere, every stored word named in Indonesian, from the data files.</summary>
public sealed class VocabularyTests
{
    private static IReadOnlyList<string> AllStatuses() =>
        typeof(ComplaintStatus).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

    [Fact]
    public void Every_status_has_one_name_used_by_the_bot_the_staff_the_status_page_and_the_recaps()
    {
        var statuses = AllStatuses();
        Assert.Contains(ComplaintStatus.Answered, statuses);
        foreach (var status in statuses)
        {
            Assert.True(StatusVocabulary.IsNamed(status), $"dialogs/lapor.yaml names status '{status}'");
            var name = StatusVocabulary.Name(status);
            Assert.NotEqual(status, name);
            Assert.Equal(name, StaffTexts.StatusName(status));
            Assert.Equal(name, Labels.Status(status));
            Assert.Equal(name, RecapService.StatusLabel(status));
        }
        Assert.Equal(statuses.Count, statuses.Select(s => StatusVocabulary.Name(s)).Distinct().Count());
    }

    [Fact]
    public void Every_timeline_event_and_actor_reads_as_Indonesian_words_not_codes()
    {
        foreach (var kind in WebTexts.EventKinds)
        {
            var name = Labels.Event(kind);
            Assert.DoesNotContain("_", name);
            Assert.NotEqual(kind, name);
        }
        Assert.Equal("Pelapor", Labels.Actor("pelapor"));
        Assert.Equal("Pelapor", Labels.Actor("citizen"));
        Assert.Equal("Sistem (pengawasan waktu)", Labels.Actor("sistem:sla"));
        Assert.Equal("admin lewat halaman status", Labels.Actor("web:admin"));
        Assert.DoesNotContain("staf:", Labels.Actor("staf:7001 (DPUPR)"));
        // An event kind nobody named yet is called something, never shown as its code.
        Assert.Equal(WebTexts.T("event.unknown"), Labels.Event("brand_new_kind"));
    }

    [Fact]
    public void A_texts_file_missing_a_key_or_with_an_unknown_one_fails_with_its_line()
    {
        var missing = Assert.Throws<StaffTextsException>(() =>
            StaffTextCatalog.Parse("version: 1\ntexts:\n  channel.twilio: x\n", "web.yaml", WebTexts.Keys));
        Assert.StartsWith("web.yaml:2:", missing.Message);
        Assert.Contains("missing staff texts", missing.Message);

        var full = string.Join("\n", WebTexts.Keys.Select(k => $"  {k}: x"));
        var unknown = Assert.Throws<StaffTextsException>(() =>
            StaffTextCatalog.Parse("version: 1\ntexts:\n" + full + "\n  event.typo: x\n", "web.yaml", WebTexts.Keys));
        Assert.Contains($"web.yaml:{WebTexts.Keys.Count + 3}:", unknown.Message);
    }
}
