using System.Net;
using System.Text.RegularExpressions;
using LaporBot.Tests.Fakes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LaporBot.Tests.StatusPage;

/// <summary>A browser-like client for the staff pages: keeps cookies, does not follow redirects, posts forms with their antiforgery token.</summary>
internal sealed partial class StaffClient(HttpClient http)
{
    public const string DevUser = "admin";
    public const string DevPassword = "admin-dev-only";

    public HttpClient Http { get; } = http;

    public static StaffClient For(LaporApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    public static string Token(string html)
    {
        var m = TokenInput().Match(html);
        Assert.True(m.Success, "the page has a form with an antiforgery token");
        return m.Groups[1].Value;
    }

    public async Task<string> HtmlAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await Http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(expected == r.StatusCode, $"GET {path}: expected {(int)expected}, got {(int)r.StatusCode} {r.Headers.Location}\n{body}");
        return body;
    }

    /// <summary>Posts a form the way the browser would: the token taken from the page the form is on.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string action, IDictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            form["__RequestVerificationToken"] = Token(await HtmlAsync(pagePath));
        }
        return await Http.PostAsync(action, new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> LoginAsync(string username = DevUser, string password = DevPassword) =>
        PostFormAsync("/status/masuk", "/status/masuk", new Dictionary<string, string> { ["username"] = username, ["password"] = password });

    public async Task LoginOkAsync(string username = DevUser, string password = DevPassword)
    {
        var r = await LoginAsync(username, password);
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"login as {username}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        Assert.Equal("/status", r.Headers.Location?.OriginalString);
    }
}
