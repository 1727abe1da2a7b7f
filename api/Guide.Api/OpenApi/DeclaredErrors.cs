namespace Guide.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the problem <c>code</c>s an endpoint (or every endpoint of a group) can answer, beyond
/// the ones that follow from its shape (its security and what it binds; see <see cref="ErrorContract"/>).
/// </summary>
public sealed class DeclaredErrors(IReadOnlyList<ErrorCode> errors, bool byEndpoint)
{
    public IReadOnlyList<ErrorCode> Errors { get; } = errors;

    /// <summary>True when the endpoint itself declared them (every endpoint must), false for a group's.</summary>
    public bool ByEndpoint { get; } = byEndpoint;
}

public static class DeclaredErrorsExtensions
{
    /// <summary>
    /// The codes this endpoint's handler can answer (none is a valid answer: say so with <c>.Errors()</c>).
    /// An unknown code fails at start-up.
    /// </summary>
    public static TBuilder Errors<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DeclaredErrors(codes.Select(ErrorCatalog.Get).ToList(), byEndpoint: true));

    /// <summary>Codes every endpoint of a group can answer.</summary>
    public static RouteGroupBuilder CommonErrors(this RouteGroupBuilder group, params string[] codes) =>
        group.WithMetadata(new DeclaredErrors(codes.Select(ErrorCatalog.Get).ToList(), byEndpoint: false));
}
