using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Channels.Twilio;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.StatusPage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LaporBot.Tests.Hosting;

/// <summary>
/// Behind a TLS reverse proxy: X-Forwarded-* are believed from the configured proxy only, giving a
/// Secure staff cookie, a /lacak rate limit per citizen, and the Twilio signature over the public URL.
/// The TCP peer address is set per request by the test (X-Test-Peer) since the in-memory test server has none.
/// SQLite only: the HTTP edge (proxy headers, cookie, rate limit, signature URL) does not touch the store.
/// </summary>
public class ForwardedHeadersTests
{
    private const string Proxy = "10.0.0.5";
    private const string Stranger = "203.0.113.9";

    private sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, n) =>
            {
                if (ctx.Request.Headers.TryGetValue("X-Test-Peer", out var peer))
                {
                    ctx.Connection.RemoteIpAddress = IPAddress.Parse(peer!);
                }
                return n(ctx);
            });
            next(app);
        };
    }

    private static LaporApp App(Dictionary<string, string?> settings)
    {
        settings["Proxy:KnownProxies:0"] = Proxy;
        settings["Scheduler:Enabled"] = "false";
        return new LaporApp(settings: settings, services: s => s.AddSingleton<IStartupFilter>(new PeerFilter()));
    }

    [Fact]
    public async Task The_staff_cookie_is_secure_when_the_configured_proxy_says_https_and_only_then()
    {
        await using var app = App([]);

        // Cookies are carried by hand: a client would not send a Secure cookie back over the test server's http.
        async Task<string> LoginCookieAsync(string peer)
        {
            var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            http.DefaultRequestHeaders.Add("X-Test-Peer", peer);
            http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            var page = await http.GetAsync("/status/masuk");
            var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
            using var login = new HttpRequestMessage(HttpMethod.Post, "/status/masuk")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["username"] = StaffClient.DevUser, ["password"] = StaffClient.DevPassword,
                    ["__RequestVerificationToken"] = StaffClient.Token(await page.Content.ReadAsStringAsync()),
                }),
            };
            login.Headers.Add("Cookie", cookies);
            var r = await http.SendAsync(login);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            return r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("laporbot.staf=", StringComparison.Ordinal));
        }

        Assert.Contains("; secure", await LoginCookieAsync(Proxy), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", await LoginCookieAsync(Stranger), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Each_citizen_behind_the_proxy_has_a_lacak_rate_limit_of_their_own()
    {
        await using var app = App(new() { ["Tracking:PermitsPerMinute"] = "2" });
        var http = app.CreateClient();

        async Task<HttpStatusCode> LookUpAsync(string peer, string? forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/lacak/LPR-2507-00001");
            request.Headers.Add("X-Test-Peer", peer);
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(Proxy, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(Proxy, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LookUpAsync(Proxy, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(Proxy, "198.51.100.2")); // another citizen, same proxy
        // A stranger cannot pick a fresh address to escape the limit: its X-Forwarded-For is ignored.
        Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(Stranger, "198.51.100.3"));
        Assert.Equal(HttpStatusCode.NotFound, await LookUpAsync(Stranger, "198.51.100.4"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LookUpAsync(Stranger, "198.51.100.5"));
    }

    [Fact]
    public async Task The_Twilio_signature_is_checked_over_the_public_url_the_proxy_reports()
    {
        await using var twilio = await FakeProviderServer.StartAsync(_ => new(201, "{\"sid\":\"SM1\",\"status\":\"queued\"}"));
        await using var app = App(new()
        {
            ["Twilio:Enabled"] = "true",
            ["Twilio:AccountSid"] = TwilioHarness.AccountSid,
            ["Twilio:AuthToken"] = TwilioHarness.AuthToken,
            ["Twilio:WhatsAppNumber"] = TwilioHarness.Sender,
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl,
            // no Twilio:WebhookUrl: the public URL comes from the proxy
        });
        var http = app.CreateClient();
        var sid = 0;

        async Task<HttpStatusCode> PostAsync(string peer)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("MessageSid", $"SMfwd{Interlocked.Increment(ref sid):D29}"), new("AccountSid", TwilioHarness.AccountSid),
                new("From", TwilioHarness.Citizen), new("To", TwilioHarness.Sender), new("Body", "halo"), new("NumMedia", "0"),
            };
            var body = string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio") { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            request.Headers.Add("X-Test-Peer", peer);
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "lapor.example.go.id");
            request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute("https://lapor.example.go.id/webhooks/twilio", form, TwilioHarness.AuthToken));
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Proxy));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(Stranger)); // its headers are not believed: the URL differs
        Assert.Equal(1, await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM inbound_messages"));
    }
}
