using System.Globalization;
using Dapper;
using LaporBot.Data;
using Microsoft.Extensions.Options;

namespace LaporBot.Complaints;

/// <summary>
/// Issues LPR-YYMM-NNNNN numbers: one sequence per prefix and local month, advanced with a single
/// upsert inside the caller's transaction, so concurrent submissions can never share a number.
/// </summary>
internal sealed class TrackingNumbers(IOptions<ComplaintOptions> options, LocalZone zone)
{
    private readonly TimeZoneInfo _zone = zone.Zone;

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

    /// <summary>One of Indonesia's zones by IANA id (see <see cref="LocalZone"/>).</summary>
    internal static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return new LocalZone(id).Zone;
        }
        catch (ArgumentException e)
        {
            throw new TimeZoneNotFoundException(e.Message);
        }
    }
}
