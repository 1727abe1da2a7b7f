using Guide.Domain.Common;
using Guide.Domain.Ledgers;

namespace Guide.Api.Endpoints.Admin;

/// <summary>The <c>Idempotency-Key</c> header every HQ money action carries (a retried request applies once).</summary>
public static class IdempotencyKeys
{
    /// <summary>The header's value; 400 <c>idempotency.key_required</c> when it is missing or malformed.</summary>
    public static string Required(HttpRequest request)
    {
        var values = request.Headers[HqIdempotency.Header];
        var key = values.Count == 1 ? values[0] : null;
        return HqIdempotency.IsValidKey(key) ? key! : throw new DomainException(HqIdempotency.KeyRequired);
    }
}
