using System.Globalization;
using Dapper;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Complaints;

/// <summary>
/// Issues LPR-YYMM-NNNNN numbers: one sequence per prefix and local month, advanced with a single
/// upsert inside the caller's transaction, so concurrent submissions can never share a number.
/// </summary>
internal sealed class TrackingNumbers(IOptions<ComplaintOptions> options)
{
    private readonly TimeZoneInfo _zone = FindZone(options.Value.TimeZone);

    public string Prefix => options.Value.TrackingPrefix;

    public string Period(DateTimeOffset now) =>
        TimeZoneInfo.ConvertTime(now, _zone).ToString("yyMM", CultureInfo.InvariantCulture);

    public async Task<string> NextAsync(DbSession session, DateTimeOffset now)
    {
        var period = Period(now);
        var n = await session.Connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO tracking_sequences (prefix, period, last_value) VALUES (@prefix, @period, 1)
            ON CONFLICT (prefix, period) DO UPDATE SET last_value = tracking_sequences.last_value + 1
            RETURNING last_value
            """,
            new { prefix = Prefix, period },
            session.Transaction);
        return Format(Prefix, period, n);
    }

    public static string Format(string prefix, string period, long n) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{period}-{n:D5}");

    internal static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException) when (id == "Asia/Jakarta")
        {
            // Minimal containers may lack tzdata; WIB has had no daylight saving since 1964.
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(7), "WIB", "WIB");
        }
    }
}
