using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LaporBot.Bench.Load;

/// <summary>
/// The machine's floor for "one request, one durable commit": a Kestrel server that reads the
/// webhook (parses the Twilio form or the Telegram JSON), inserts one row into a SQLite file in
/// WAL mode at the given synchronous setting (its own commit), and answers. One writer connection
/// behind a lock — the fastest way to commit once per request (no busy-wait between writers).
/// Runs in its own process (the bench started with "floor-server"), like the app.
/// </summary>
internal static class FloorServer
{
    public static async Task RunAsync(int port, string dbPath, string synchronous)
    {
        var db = new SqliteConnection($"Data Source={dbPath};Pooling=false");
        db.Open();
        using (var setup = db.CreateCommand())
        {
            setup.CommandText = $"""
                PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};
                CREATE TABLE IF NOT EXISTS inbound (id INTEGER PRIMARY KEY, provider_id TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, body TEXT, received_at INTEGER NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }
        var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO inbound (provider_id, sender, body, received_at) VALUES ($id, $sender, $body, $at) ON CONFLICT (provider_id) DO NOTHING";
        var pId = insert.Parameters.Add("$id", SqliteType.Text);
        var pSender = insert.Parameters.Add("$sender", SqliteType.Text);
        var pBody = insert.Parameters.Add("$body", SqliteType.Text);
        var pAt = insert.Parameters.Add("$at", SqliteType.Integer);
        insert.Prepare();
        var gate = new SemaphoreSlim(1);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/webhooks/{channel}", async (HttpContext ctx, string channel) =>
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            string id, sender, text;
            if (channel == "twilio")
            {
                var form = QueryHelpers.ParseQuery(body);
                id = form["MessageSid"].ToString();
                sender = form["From"].ToString();
                text = form["Body"].ToString();
            }
            else
            {
                using var json = JsonDocument.Parse(body);
                var m = json.RootElement.GetProperty("message");
                id = json.RootElement.GetProperty("update_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                sender = m.GetProperty("chat").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                text = m.GetProperty("text").GetString() ?? "";
            }
            await gate.WaitAsync();
            try
            {
                pId.Value = id;
                pSender.Value = sender;
                pBody.Value = text;
                pAt.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                insert.ExecuteNonQuery();
            }
            finally
            {
                gate.Release();
            }
            return Results.Content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", "text/xml; charset=utf-8");
        });
        await app.RunAsync();
    }
}
