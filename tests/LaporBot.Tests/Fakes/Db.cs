using Dapper;

namespace LaporBot.Tests.Fakes;

/// <summary>
/// Reads the app's database directly, to check what was really stored. <c>path</c> is a database
/// target (<see cref="TestDatabase.Target"/>): a SQLite file, or a PostgreSQL connection string.
/// </summary>
internal static class Db
{
    public static async Task<T> ScalarAsync<T>(string path, string sql, object? args = null)
    {
        await using var c = TestDatabase.Connect(path);
        await c.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task<List<T>> QueryAsync<T>(string path, string sql, object? args = null)
    {
        await using var c = TestDatabase.Connect(path);
        await c.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).AsList();
    }

    public static async Task ExecuteAsync(string path, string sql, object? args = null)
    {
        await using var c = TestDatabase.Connect(path);
        await c.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    /// <summary>
    /// Makes inserts into <paramref name="table"/> fail like a full disk (where <paramref name="when"/>, a
    /// condition on <c>NEW</c>, holds), in the target's own dialect; <see cref="StopFailingInsertsAsync"/> undoes it.
    /// </summary>
    public static Task FailInsertsAsync(string path, string table, string? when = null) =>
        ExecuteAsync(path, TestDatabase.IsPostgres(path)
            ? $"""
              CREATE FUNCTION fail_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN RAISE EXCEPTION 'disk full (simulated)' USING ERRCODE = 'disk_full'; END $$;
              CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} FOR EACH ROW {(when is null ? "" : $"WHEN ({when}) ")}EXECUTE FUNCTION fail_{table}();
              """
            : $"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} {(when is null ? "" : $"WHEN {when} ")}BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END");

    public static Task StopFailingInsertsAsync(string path, string table) =>
        ExecuteAsync(path, TestDatabase.IsPostgres(path) ? $"DROP TRIGGER fail_{table} ON {table}" : $"DROP TRIGGER fail_{table}");

    /// <summary>The dialog step the citizen with this chat address is at (e.g. "ask_identity" for a returning reporter).</summary>
    public static async Task<string?> DialogStepAsync(string path, string chatAddress)
    {
        var json = (await QueryAsync<string>(path,
            "SELECT c.state FROM conversations c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @chatAddress", new { chatAddress })).FirstOrDefault();
        return json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("step").GetString();
    }

    /// <summary>
    /// Answers the identity part of the form the way the citizen would: YA to a remembered identity
    /// (a returning reporter), otherwise the name and the address.
    /// </summary>
    public static async Task AnswerIdentityAsync(string path, string chatAddress, Func<string, Task> say, string name, string address)
    {
        if (await DialogStepAsync(path, chatAddress) == "ask_identity")
        {
            await say("ya");
            return;
        }
        await say(name);
        await say(address);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"timed out after {timeoutMs} ms waiting for: {what}");
    }
}
