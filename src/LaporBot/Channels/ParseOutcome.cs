namespace LaporBot.Channels;

/// <summary>
/// Every webhook body ends in one of three outcomes (docs/STYLE.md, habit 1):
/// accept it, ignore it with a reason (still 200 so the provider stops retrying), or reject it (4xx).
/// </summary>
internal abstract record ParseOutcome<T>
{
    public sealed record Accepted(T Value) : ParseOutcome<T>;
    public sealed record Ignored(string Reason) : ParseOutcome<T>;
    public sealed record Rejected(string Reason) : ParseOutcome<T>;
}
