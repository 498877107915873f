using Dapper;
using LaporBot.Data;

namespace LaporBot.Hosting;

internal static class HealthApi
{
    /// <summary>GET /healthz: 200 when the database answers, 503 otherwise (for load balancers and monitors).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IDatabase db, ILoggerFactory logs, CancellationToken ct) =>
        {
            try
            {
                await using var c = await db.OpenAsync(ct);
                var version = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
                return Results.Ok(new { status = "ok", database = db.Dialect.Name, schemaVersion = version });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logs.CreateLogger("LaporBot.Health").LogError(e, "Health check: database unavailable");
                return Results.Json(new { status = "unavailable", database = db.Dialect.Name }, statusCode: 503);
            }
        });
        return app;
    }
}
