using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace LaporBot.Hosting;

internal static class ErrorHandling
{
    /// <summary>
    /// Turns unexpected failures into short problem responses without internals. A request the
    /// client got wrong (a truncated or malformed body, a body too large, one that never arrived)
    /// is the client's fault: Kestrel's status (400, 408, 413, …), logged as information, since
    /// providers retry 5xx forever. Storage failures are 503 with Retry-After: providers retry
    /// those, so a message we could not keep is not lost. Anything else is our bug: 500.
    /// </summary>
    public static WebApplication UseLaporErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Client mistakes are answered here and logged below; the middleware's own error log is for our faults only.
            SuppressDiagnosticsCallback = ctx => ctx.Exception is BadHttpRequestException || ClientGone(ctx.HttpContext, ctx.Exception),
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var (status, title) = Classify(context, error);
                if (status is null)
                {
                    return; // the client went away; nobody is listening for an answer
                }
                if (error is BadHttpRequestException bad)
                {
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LaporBot.BadRequest")
                        .LogInformation("Bad request {Method} {Path}: {Status} {Reason}", context.Request.Method, context.Request.Path, bad.StatusCode, bad.Message);
                }
                context.Response.StatusCode = status.Value;
                if (status == StatusCodes.Status503ServiceUnavailable)
                {
                    context.Response.Headers.RetryAfter = "5";
                }
                await context.Response.WriteAsJsonAsync(new { title, status, traceId = context.TraceIdentifier });
            },
        });
        return app;
    }

    private static bool ClientGone(HttpContext context, Exception? error) =>
        error is OperationCanceledException && context.RequestAborted.IsCancellationRequested;

    private static bool Unstorable(Exception? error) => error is Npgsql.PostgresException
    {
        SqlState: Npgsql.PostgresErrorCodes.CharacterNotInRepertoire or Npgsql.PostgresErrorCodes.UntranslatableCharacter,
    };

    private static (int? Status, string Title) Classify(HttpContext context, Exception? error) => error switch
    {
        _ when ClientGone(context, error) => (null, ""),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode switch
        {
            StatusCodes.Status408RequestTimeout => "The request body did not arrive in time.",
            StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
            StatusCodes.Status415UnsupportedMediaType => "The request body has an unsupported content type.",
            _ => "The request is malformed or incomplete.",
        }),
        // Text PostgreSQL cannot keep (a NUL in a query or a form): the sender's mistake, not a storage fault.
        _ when Unstorable(error) || Unstorable(error?.InnerException) => (StatusCodes.Status400BadRequest, "The request contains a character that cannot be stored (NUL)."),
        DbException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; the request was not processed. Retry later."),
        { InnerException: DbException } => (StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; the request was not processed. Retry later."),
        _ => (StatusCodes.Status500InternalServerError, "Unexpected error; the request was not processed."),
    };
}
