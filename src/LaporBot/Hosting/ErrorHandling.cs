using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace LaporBot.Hosting;

internal static class ErrorHandling
{
    /// <summary>
    /// Turns unexpected failures into short problem responses without internals. Storage failures are
    /// 503 with Retry-After: providers retry those, so a message we could not keep is not lost.
    /// </summary>
    public static WebApplication UseLaporErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var storage = error is DbException or TimeoutException || error?.InnerException is DbException;
            context.Response.StatusCode = storage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            if (storage)
            {
                context.Response.Headers.RetryAfter = "5";
            }
            await context.Response.WriteAsJsonAsync(new
            {
                title = storage ? "Storage is unavailable; the request was not processed. Retry later." : "Unexpected error; the request was not processed.",
                status = context.Response.StatusCode,
                traceId = context.TraceIdentifier,
            });
        }));
        return app;
    }
}
