using LaporBot.Channels;
using LaporBot.Channels.Meta;
using LaporBot.Channels.Telegram;
using LaporBot.Channels.Twilio;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using LaporBot.Routing;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using LaporBot.Workflow;

namespace LaporBot.Tests.Hosting;

/// <summary>appsettings.sample.json lists every setting the app binds, so operators can trust it as the reference.</summary>
public class SampleSettingsTests
{
    public static TheoryData<string, Type> Sections() => new()
    {
        { "Database", typeof(DatabaseOptions) },
        { "Complaints", typeof(ComplaintOptions) },
        { "Conversations", typeof(ConversationOptions) },
        { "Outbox", typeof(OutboxOptions) },
        { "Attachments", typeof(AttachmentOptions) },
        { "Twilio", typeof(TwilioOptions) },
        { "Telegram", typeof(TelegramOptions) },
        { "Meta", typeof(MetaOptions) },
        { "Agencies:0", typeof(AgencyConfig) },
        { "Triage", typeof(TriageOptions) },
        { "Workflow", typeof(WorkflowOptions) },
        { "Agencies:0:Members:0", typeof(MemberConfig) },
        { "Routing", typeof(RoutingOptions) },
        { "Sla", typeof(SlaOptions) },
        { "Calendar", typeof(CalendarOptions) },
        { "Scheduler", typeof(SchedulerOptions) },
        { "Privacy", typeof(LaporBot.Privacy.PrivacyOptions) },
        { "Privacy:Retention", typeof(LaporBot.Privacy.RetentionOptions) },
    };

    private static readonly HashSet<string> Keys = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(TestPaths.RepoRoot, "appsettings.sample.json"), optional: false)
        .Build().AsEnumerable().Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_bound_property_is_in_the_sample(string section, Type options)
    {
        var missing = options.GetProperties()
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => $"{section}:{p.Name}")
            .Where(key => !Keys.Contains(key) && !Keys.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.True(missing.Count == 0, "appsettings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_connection_string_and_design_keys_are_in_the_sample()
    {
        foreach (var key in new[] { "ConnectionStrings:LaporBot", "Database:Provider", "Twilio:WebhookUrl", "Telegram:UsePolling", "Routing:AutoAssign" })
        {
            Assert.Contains(key, Keys);
        }
    }
}
