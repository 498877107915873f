using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Complaints;

/// <summary>SQLite only: the formatting and the local month; the sequence itself runs on both in StoreSuite.</summary>
public class TrackingNumberTests
{
    private static TrackingNumbers Numbers(string prefix = "LPR") =>
        new(Options.Create(new ComplaintOptions { TrackingPrefix = prefix }), LocalZone.Jakarta);

    [Theory]
    [InlineData("2026-11-23T02:00:00Z", "2611")]
    [InlineData("2026-11-30T16:59:59Z", "2611")] // 23:59:59 WIB, still November
    [InlineData("2026-11-30T17:00:00Z", "2612")] // 00:00 WIB on 1 December
    [InlineData("2026-12-31T17:30:00Z", "2701")]
    public void Period_follows_the_local_month_in_Jakarta(string utc, string expected)
    {
        Assert.Equal(expected, Numbers().Period(DateTimeOffset.Parse(utc)));
    }

    [Theory]
    [InlineData("LPR", "2611", 1, "LPR-2611-00001")]
    [InlineData("ADU", "2701", 12345, "ADU-2701-12345")]
    [InlineData("LPR", "2611", 123456, "LPR-2611-123456")]
    public void Format_pads_the_sequence_to_five_digits(string prefix, string period, long n, string expected)
    {
        Assert.Equal(expected, TrackingNumbers.Format(prefix, period, n));
    }

    [Fact]
    public async Task Sequence_restarts_each_month_and_counts_per_prefix()
    {
        var dir = TestPaths.NewTempDir();
        try
        {
            var db = new SqliteDatabase($"Data Source={Path.Combine(dir, "t.db")}", Options.Create(new DatabaseOptions()));
            await new Migrator(db, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync();
            var nov = DateTimeOffset.Parse("2026-11-10T03:00:00Z");
            var dec = DateTimeOffset.Parse("2026-12-10T03:00:00Z");
            var issued = new List<string>();
            foreach (var (numbers, at) in new[] { (Numbers(), nov), (Numbers(), nov), (Numbers(), dec), (Numbers("ADU"), nov) })
            {
                await using var s = await db.BeginAsync();
                issued.Add(await numbers.NextAsync(s, at));
                await s.CommitAsync();
            }
            Assert.Equal(["LPR-2611-00001", "LPR-2611-00002", "LPR-2612-00001", "ADU-2611-00001"], issued);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }
}
