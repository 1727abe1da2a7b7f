using System.Diagnostics;
using Guide.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Guide.Api.Infrastructure;

/// <summary>
/// The one place where failures become RFC 9457 problem details with a stable machine <c>code</c>.
/// Anything a client can send ends here as a 4xx; only our own bugs are a 500, and those say nothing more.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException e => FromDomainError(e.Error),
            RequestValidationException e => Validation(e.Errors),
            BadHttpRequestException e => Unreadable(e),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested) return true;
            logger.LogError(exception, "Unhandled exception");
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side.",
                Extensions = { ["code"] = "server.error" },
            };
        }

        if (problem.Extensions.TryGetValue("retryAfterSeconds", out var retry) && retry is int seconds)
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>A request that could not be read; <c>field</c> names what could not (a JSON path, a parameter) when we know it.</summary>
    public static ProblemDetails Unreadable(BadHttpRequestException e)
    {
        var problem = new ProblemDetails
        {
            Status = e.StatusCode,
            Title = "The request could not be read.",
            Detail = e.Message,
            Extensions =
            {
                ["code"] = e.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "request.too_large",
                    StatusCodes.Status415UnsupportedMediaType => "request.unsupported_media_type",
                    _ => "request.malformed",
                },
            },
        };
        var field = UnreadableField(e);
        if (field is not null)
        {
            problem.Extensions["field"] = field;
            if (e.InnerException is System.Text.Json.JsonException json)
                problem.Detail = $"The field '{field}' could not be read: {FirstSentence(json.Message)}";
        }
        return problem;
    }

    private static string? UnreadableField(BadHttpRequestException e)
    {
        if (e.InnerException is System.Text.Json.JsonException { Path: { Length: > 1 } path })
            return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // "Failed to bind parameter "int? page" from "abc"." / "Required parameter "string code" was not provided from query string."
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, """parameter "[^" ]+ (?<name>[A-Za-z0-9_]+)" """.TrimEnd());
        return match.Success ? match.Groups["name"].Value : null;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    public static ProblemDetails FromDomainError(DomainError error)
    {
        var problem = new ProblemDetails
        {
            Status = StatusOf(error.Kind),
            Title = error.Message,
            Extensions = { ["code"] = error.Code },
        };
        foreach (var (key, value) in error.Details) problem.Extensions[key] = value;
        return problem;
    }

    public static ProblemDetails Validation(IReadOnlyList<FieldError> errors) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid.",
        Detail = string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
        Extensions =
        {
            ["code"] = "request.validation_failed",
            ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        },
    };

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };
}

public static class ProblemSetup
{
    /// <summary>Set by authentication handlers so that the 401 they lead to names the exact reason.</summary>
    public const string AuthFailureCodeItem = "guide.auth_failure_code";

    public static IServiceCollection AddGuideProblems(this IServiceCollection services)
    {
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var authCode = context.HttpContext.Items[AuthFailureCodeItem] as string;
                problem.Extensions["code"] = problem.Status switch
                {
                    401 => authCode ?? "auth.unauthenticated",
                    403 => "auth.forbidden",
                    404 => "route.not_found",
                    405 => "request.method_not_allowed",
                    415 => "request.unsupported_media_type",
                    >= 500 => "server.error",
                    _ => "request.invalid",
                };
                if (problem.Status == 401 && authCode is not null) problem.Detail ??= AuthFailureDetail(authCode);
            }
        });
        // After the default writer, so that it only answers what the default declines.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();
        return services;
    }

    private static string AuthFailureDetail(string code) => code switch
    {
        "integration.missing_signature" => "Sign the request: X-Guide-Key-Id, X-Guide-Timestamp, X-Guide-Nonce and X-Guide-Signature.",
        "integration.unknown_client" => "No integration client has this key id.",
        "integration.client_disabled" => "HQ disabled this integration client.",
        "integration.stale_timestamp" => "The timestamp is more than 5 minutes away from our clock.",
        "integration.bad_signature" => "The signature does not match the request.",
        "integration.nonce_reused" => "This nonce was used already; every request needs a new one.",
        _ => "Authentication failed.",
    };
}

/// <summary>
/// The default problem writer declines when the request's <c>Accept</c> names no JSON type (a POS that sends
/// <c>Accept: application/xml</c>): the error would then leave with an empty body, and from the exception
/// handler as an InvalidOperationException, i.e. a 500. Every error is problem+json whatever the client
/// asked for (RFC 9110 lets a server disregard Accept), so this writer takes what the default declines.
/// </summary>
public sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> options, IOptions<HttpJsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json"));
    }
}
