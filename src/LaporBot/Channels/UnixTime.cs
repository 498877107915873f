namespace LaporBot.Channels;

/// <summary>
/// Provider timestamps (Unix seconds). A value outside what a date can hold is the sender's
/// mistake inside an otherwise valid update: it becomes "unknown", never the reason a message is
/// refused (a refused webhook is retried by the provider forever).
/// </summary>
internal static class UnixTime
{
    private static readonly long Min = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long Max = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static DateTimeOffset? FromSeconds(string? seconds) =>
        long.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s)
        && s >= Min && s <= Max
            ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
