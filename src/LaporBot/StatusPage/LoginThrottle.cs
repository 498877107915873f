using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LaporBot.StatusPage;

/// <summary>
/// Limits on login attempts, on top of the per-account lockout: per client address (ASP.NET Core
/// rate limiting, policy <see cref="Policy"/> on the login POST), per user name, and a cap on
/// password hashes computed at once so a flood of logins cannot take every core from webhooks.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    public const string Policy = "login";

    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly ConcurrencyLimiter _hashing;

    public LoginThrottle(IOptions<StaffOptions> options)
    {
        var o = options.Value;
        _perUser = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(
            name.ToLowerInvariant(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, o.LoginAttemptsPerMinutePerUser), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _hashing = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, o.ConcurrentPasswordChecks),
            QueueLimit = Math.Max(0, o.QueuedPasswordChecks),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>False when this user name has used up its attempts for the minute.</summary>
    public bool TryUser(string username)
    {
        using var lease = _perUser.AttemptAcquire(username);
        return lease.IsAcquired;
    }

    /// <summary>A slot to compute one password hash in; not acquired when too many wait already.</summary>
    public ValueTask<RateLimitLease> HashSlotAsync(CancellationToken ct) => _hashing.AcquireAsync(1, ct);

    public void Dispose()
    {
        _perUser.Dispose();
        _hashing.Dispose();
    }

    /// <summary>Per client address: only POSTs (sign-in attempts) count; showing the form is free.</summary>
    public static void AddPolicy(RateLimiterOptions limiter, StaffOptions o) =>
        limiter.AddPolicy(Policy, new ClientPolicy(o));

    private sealed class ClientPolicy(StaffOptions o) : IRateLimiterPolicy<string>
    {
        public RateLimitPartition<string> GetPartition(HttpContext http) =>
            HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, o.LoginAttemptsPerMinutePerClient), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("form");

        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (ctx, ct) =>
        {
            var response = ctx.HttpContext.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = "60";
            response.ContentType = Html.ContentType;
            await response.WriteAsync(Html.Page(TooManyTitle, $"<h1>{TooManyTitle}</h1><p>{TooManyText}</p>"), ct);
        };
    }

    public const string TooManyTitle = "Terlalu banyak percobaan masuk";
    public const string TooManyText = "Silakan coba lagi dalam satu menit.";
}
