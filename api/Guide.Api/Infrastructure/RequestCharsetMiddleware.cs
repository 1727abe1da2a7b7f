using System.Text;
using Microsoft.Net.Http.Headers;

namespace Guide.Api.Infrastructure;

/// <summary>
/// A body whose Content-Type names a charset no encoding answers to (<c>application/json; charset=bogus</c>)
/// is refused with 415 before an endpoint that reads a body (declares what it accepts) reads it: ASP.NET Core's JSON binding asks
/// <see cref="Encoding.GetEncoding(string)"/> for it and lets its ArgumentException escape, a 500.
/// </summary>
public sealed class RequestCharsetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { } endpoint && Guide.Api.OpenApi.ErrorContract.ReadsBody(endpoint.Metadata)
            && MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.Charset is { Length: > 0 } charset
            && !IsKnown(charset.Value!.Trim('"')))
        {
            throw new BadHttpRequestException($"The charset '{Printable(charset.Value)}' is not supported; send UTF-8.",
                StatusCodes.Status415UnsupportedMediaType);
        }
        return next(context);
    }

    private static bool IsKnown(string name)
    {
        try
        {
            Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Printable(string? value) =>
        new((value ?? "").Take(32).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
