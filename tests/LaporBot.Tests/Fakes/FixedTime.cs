namespace LaporBot.Tests.Fakes;

/// <summary>A clock that stands still (Microsoft.Extensions.TimeProvider.Testing is not needed for this).</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
