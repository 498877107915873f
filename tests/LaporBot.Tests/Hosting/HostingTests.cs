using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Hosting;

/// <summary>SQLite only: the simulator page and start-up refusals of bad settings, decided before the store matters; PostgreSQL start-up is covered by PostgresMigrationTests and TwoInstanceTests.</summary>
public class HostingTests
{
    [Fact]
    public async Task The_simulator_page_is_served_in_development()
    {
        await using var app = new LaporApp();
        var http = app.CreateClient();
        var r = await http.GetAsync("/dev/chat/");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("api/messages", html);
        Assert.Contains("<form id=\"f\">", html);
        SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task The_simulator_is_off_outside_development(string environment)
    {
        await using var app = new LaporApp(environment: environment);
        var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dev/chat/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/dev/chat/api/messages", new { citizen = "x", text = "halo" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task The_simulator_rejects_a_request_without_a_citizen()
    {
        await using var app = new LaporApp();
        var r = await app.CreateClient().PostAsJsonAsync("/dev/chat/api/messages", new { text = "halo" });

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("citizen", await r.Content.ReadAsStringAsync());
        SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("Complaints:TrackingPrefix", "lpr1", "Complaints:TrackingPrefix")]
    [InlineData("Conversations:ExpireAfter", "00:00:10", "Conversations:ExpireAfter")]
    [InlineData("Conversations:MaxMessageLength", "50000", "Conversations:MaxMessageLength")]
    [InlineData("Database:SqliteSynchronous", "Sometimes", "Database:SqliteSynchronous")]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    [InlineData("Outbox:MaxAttempts", "0", "Outbox:MaxAttempts")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_the_key(string key, string value, string named)
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(named, Flatten(e));
    }

    [Fact]
    public async Task A_missing_dialog_folder_stops_start_up_naming_the_setting()
    {
        var e = await LaporApp.StartupFailureAsync(new Dictionary<string, string?> { ["Conversations:DialogsDirectory"] = "/nonexistent/dialogs" });

        Assert.Contains("Conversations:DialogsDirectory", Flatten(e));
    }

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            parts.Add(x.Message);
            if (x is OptionsValidationException ov)
            {
                parts.AddRange(ov.Failures);
            }
            if (x is AggregateException ag)
            {
                parts.AddRange(ag.InnerExceptions.Select(Flatten));
            }
        }
        return string.Join("\n", parts);
    }
}
