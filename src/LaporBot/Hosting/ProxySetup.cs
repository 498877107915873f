using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace LaporBot.Hosting;

/// <summary>The reverse proxies (nginx, a load balancer) whose X-Forwarded-* headers are believed.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Addresses of the proxies in front of LaporBot, e.g. 10.0.0.5. Empty: only loopback (nginx on the same server).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. 10.0.0.0/24.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies a request passes through (nginx alone: 1; a load balancer then nginx: 2).</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>
/// X-Forwarded-For / -Proto / -Host from the configured proxies (and only from them) become the
/// request's client address, scheme and host. That is what gives, behind a TLS proxy: the staff
/// cookie marked Secure (it is issued SameAsRequest), one /lacak rate limit per citizen rather than
/// one for everybody behind the proxy, and the public URL a Twilio signature is computed over when
/// Twilio:WebhookUrl is not set (safe: the URL is not a secret; a forged host only makes a valid
/// signature fail). Headers from any other address are ignored.
/// </summary>
internal static class ProxySetup
{
    public static WebApplicationBuilder AddProxies(this WebApplicationBuilder builder)
    {
        var o = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        var proxies = o.KnownProxies.Select(p => Parse<IPAddress?>(p, "Proxy:KnownProxies", IPAddress.TryParse)!).ToList();
        var networks = o.KnownNetworks.Select(n => Parse<System.Net.IPNetwork>(n, "Proxy:KnownNetworks", System.Net.IPNetwork.TryParse)).ToList();
        if (o.ForwardLimit is < 1 or > 10)
        {
            throw new InvalidOperationException($"Proxy:ForwardLimit is {o.ForwardLimit}; use the number of proxies in front of LaporBot (1–10).");
        }
        builder.Services.Configure<ForwardedHeadersOptions>(f =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            f.ForwardLimit = o.ForwardLimit;
            if (proxies.Count > 0 || networks.Count > 0)
            {
                // Replace the loopback defaults: only the proxies named are trusted.
                f.KnownProxies.Clear();
                f.KnownIPNetworks.Clear();
                proxies.ForEach(f.KnownProxies.Add);
                networks.ForEach(f.KnownIPNetworks.Add);
            }
        });
        return builder;
    }

    private delegate bool TryParse<T>(string s, out T value);

    private static T Parse<T>(string text, string key, TryParse<T> parse) =>
        parse(text.Trim(), out var value)
            ? value
            : throw new InvalidOperationException($"{key} has '{text}', which is not an IP address{(key.EndsWith("Networks", StringComparison.Ordinal) ? " range in CIDR form (e.g. 10.0.0.0/24)" : " (e.g. 10.0.0.5)")}.");
}
