using System.Net;
using System.Text.Json.Nodes;
using LaporBot.Tests.Channels.Meta;
using LaporBot.Tests.Channels.Telegram;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Reports;
using LaporBot.Tests.StatusPage;

namespace LaporBot.Tests.Reliability;

/// <summary>
/// Defect 1 of issue 9: input that is the sender's fault was answered 500 (and providers retry 5xx
/// forever). An impossible timestamp inside a signed, well-formed update is not a reason to refuse
/// it: the message is stored. Out-of-range staff API dates are a 400 with a reason.
/// </summary>
public class MalformedInputTests(RecapKit recaps) : IClassFixture<RecapKit>
{
    [Theory]
    [InlineData(99999999999999L)]
    [InlineData(-99999999999999L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public async Task A_Telegram_update_with_an_impossible_date_is_stored_not_refused(long date)
    {
        await using var kit = await TelegramTestKit.StartAsync(new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" });
        var update = JsonNode.Parse(TelegramTestKit.TextUpdate(700, "halo"))!;
        update["message"]!["date"] = date;

        var r = await kit.PostAsync(update.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM inbound_messages WHERE provider_message_id = '700'"));
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM outbox")); // the citizen gets the greeting
    }

    [Theory]
    [InlineData("99999999999999999")]
    [InlineData("-1")]
    [InlineData("kemarin")]
    public async Task A_Meta_batch_with_an_impossible_timestamp_keeps_every_message(string timestamp)
    {
        await using var h = await MetaHarness.StartAsync();
        var body = JsonNode.Parse(MetaPayloads.Text(MetaHarness.Citizen, "wamid.bad-ts", "halo"))!;
        var value = body["entry"]![0]!["changes"]![0]!["value"]!;
        var messages = value["messages"]!.AsArray();
        messages[0]!["timestamp"] = timestamp;
        messages.Add(JsonNode.Parse(messages[0]!.ToJsonString())!);
        messages[1]!["id"] = "wamid.good-ts";
        messages[1]!["timestamp"] = "1763175601";
        value["statuses"] = new JsonArray(new JsonObject
        {
            ["id"] = "wamid.unknown-status", ["status"] = "delivered", ["timestamp"] = timestamp, ["recipient_id"] = MetaHarness.Citizen,
        });

        var r = await h.PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(2, await h.CountAsync("SELECT COUNT(*) FROM inbound_messages WHERE provider_message_id IN ('wamid.bad-ts', 'wamid.good-ts')"));
    }

    [Theory]
    [InlineData("/api/v1/cases?from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/v1/cases?from=0001-01-01")]
    [InlineData("/api/v1/cases?to=9999-12-31")]
    [InlineData("/api/v1/stats?from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/v1/stats?from=2025-01-01&to=9999-12-31")]
    [InlineData("/status/rekap/unduh?from=0001-01-01&to=0001-01-31")]
    [InlineData("/status/rekap/unduh?periode=9999")]
    [InlineData("/status/rekap/unduh?periode=9999-12")]
    public async Task Staff_dates_out_of_range_are_a_400_with_a_reason(string url)
    {
        var r = await recaps.Http.SendAsync(recaps.Get(url, role: "operator", apiKey: RecapKit.ApiKey));
        var body = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True(body.Contains("yyyy-MM-dd", StringComparison.Ordinal) || body.Contains("Periode", StringComparison.Ordinal)
            || body.Contains("TTTT-BB-HH", StringComparison.Ordinal), body);
        Assert.DoesNotContain("Exception", body);
    }
}

/// <summary>
/// Found by the hostile-input drill on PostgreSQL: a NUL character (U+0000) is valid JSON and form
/// data, SQLite stores it, PostgreSQL refuses it in text. Every webhook carrying one was answered
/// 503, so the provider retried it forever and the citizen never got an answer. Now a NUL in a
/// citizen's message is dropped and the message stored, on either store; a NUL that reaches
/// PostgreSQL anyway (a query parameter) is the sender's 400, not a storage fault.
/// </summary>
public abstract class NulCharacterTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : NulCharacterTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : NulCharacterTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    [SkippableFact]
    public async Task A_NUL_in_a_citizens_message_is_dropped_and_the_message_stored()
    {
        const string apiKey = "nul-drill-api-key";
        await using var kit = await TelegramTestKit.StartAsync(
            new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false", ["Api:Keys:0"] = apiKey }, backend: Backend);

        var r = await kit.PostAsync(TelegramTestKit.TextUpdate(701, "ha\0lo", firstName: "Si\0ti"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("halo", await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT text FROM inbound_messages"));
        Assert.Equal(1, await kit.CountAsync("SELECT COUNT(*) FROM outbox")); // the citizen gets the greeting

        foreach (var query in new[] { "status=%00", "agency=%00", "status=baru%00" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases?" + query);
            request.Headers.Add("X-Api-Key", apiKey);
            var answer = await kit.Http.SendAsync(request);
            Assert.True((int)answer.StatusCode < 500, $"{query}: {(int)answer.StatusCode}");
        }
    }
}
