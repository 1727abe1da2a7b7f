namespace Guide.Domain.Common;

/// <summary>What kind of failure a <see cref="DomainError"/> is; the API maps it to an HTTP status once.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Unauthenticated,
    Forbidden,
    TooManyRequests,
    Unavailable,
    /// <summary>Well-formed, but there is nothing to act on (an empty campaign audience): 422.</summary>
    Unprocessable,
}

/// <summary>A business failure with a stable machine code (e.g. <c>wallet.insufficient_balance</c>).</summary>
public sealed record DomainError(string Code, string Message, ErrorKind Kind = ErrorKind.Invalid)
{
    /// <summary>Extra facts for the client (field errors, the gap of a refund, a retry delay).</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();

    public static DomainError NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);
    public static DomainError Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);
    public static DomainError Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);
}

/// <summary>
/// Raised by handlers and entities when a rule refuses a request. The transaction behaviour rolls back,
/// the API turns it into problem details. Nothing the client sends should surface as anything else.
/// </summary>
public sealed class DomainException(DomainError error) : Exception(error.Message)
{
    public DomainError Error { get; } = error;
}

/// <summary>One field's validation failure; a 400 problem carries a list of them.</summary>
public sealed record FieldError(string Field, string Message, string? Code = null);

public sealed class RequestValidationException(IReadOnlyList<FieldError> errors)
    : Exception("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
