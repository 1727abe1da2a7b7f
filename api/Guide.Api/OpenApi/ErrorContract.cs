using Guide.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Guide.Api.OpenApi;

/// <summary>
/// The problem codes one operation can answer: what its endpoint and group declared, and what follows from
/// its shape: its audience's authentication failures, and the request errors of what it binds.
/// </summary>
public static class ErrorContract
{
    private static readonly string[] BearerFailures = ["auth.unauthenticated", "auth.invalid_token", "auth.token_expired"];

    private static readonly string[] SignatureFailures =
    [
        "integration.missing_signature", "integration.unknown_client", "integration.client_disabled",
        "integration.stale_timestamp", "integration.bad_signature", "integration.nonce_reused",
    ];

    public static IReadOnlyList<ErrorCode> For(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var codes = new List<string>();

        foreach (var policy in PoliciesOf(metadata))
        {
            codes.AddRange(policy == Policies.Integration ? SignatureFailures : BearerFailures);
            if (policy is Policies.Guide or Policies.StoreManager or Policies.Hq) codes.Add("auth.forbidden");
        }

        var parameters = description.ParameterDescriptions;
        if (ReadsBody(metadata) || parameters.Any(p => p.Source == BindingSource.Body))
            codes.AddRange(["request.malformed", "request.too_large", "request.unsupported_media_type"]);
        if (parameters.Any(p => (p.Source == BindingSource.Query || p.Source == BindingSource.Header) && !IsText(p.Type)))
            codes.Add("request.malformed");

        codes.AddRange(metadata.OfType<DeclaredErrors>().SelectMany(d => d.Errors).Select(e => e.Code));
        return codes.Distinct().Select(ErrorCatalog.Get).OrderBy(e => e.Status).ThenBy(e => e.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the endpoint reads a request body (bound JSON, or read by the endpoint itself).</summary>
    public static bool ReadsBody(IEnumerable<object> metadata) => metadata.Any(m => m is IAcceptsMetadata or RawBodyMetadata);

    /// <summary>The audience policies the endpoint requires (none when it allows anonymous callers).</summary>
    public static IReadOnlyList<string> PoliciesOf(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return [];
        return metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
    }

    private static bool IsText(Type? type) => type is null || type == typeof(string);
}
