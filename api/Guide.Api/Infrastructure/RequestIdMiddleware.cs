using Serilog.Context;

namespace Guide.Api.Infrastructure;

/// <summary>
/// Every request gets an id (the caller's <c>X-Request-Id</c> when it is sane), echoed in the response,
/// in every log line of the request and in every problem body, so a support ticket leads to the logs.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        if (incoming.Length is > 0 and <= 64 && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            context.TraceIdentifier = incoming;
        // OnStarting, not now: the exception handler clears the response's headers before it writes a problem.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = context.TraceIdentifier;
            return Task.CompletedTask;
        });
        using (LogContext.PushProperty("RequestId", context.TraceIdentifier))
        {
            await next(context);
        }
    }
}
