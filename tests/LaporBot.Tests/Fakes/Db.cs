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

    /// <summary>Waits (bounded) until the condition holds; for work done after commit by the dispatcher.</summary>
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
