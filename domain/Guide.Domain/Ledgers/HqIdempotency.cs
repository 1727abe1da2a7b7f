using Guide.Domain.Common;

namespace Guide.Domain.Ledgers;

/// <summary>
/// HQ money actions (wallet adjustments, recharge refunds, points adjustments) carry the console's
/// <c>Idempotency-Key</c> header: a retried request (a double click, a time-out) applies once and answers
/// its first result; the same key with another body is refused.
/// </summary>
public static class HqIdempotency
{
    public const string Header = "Idempotency-Key";
    public const int KeyMaxLength = 64;
    public const string KeyRule = "The Idempotency-Key is 1 to 64 printable ASCII characters (a UUID from the console will do).";

    public static bool IsValidKey(string? key) => key is { Length: > 0 and <= KeyMaxLength } && key.All(c => c is >= '!' and <= '~');

    public static DomainError KeyRequired => new("idempotency.key_required", $"Send an {Header} header with every HQ money action. {KeyRule}");

    public static DomainError KeyReused(string key) => DomainError.Conflict("idempotency.key_reused",
        $"The {Header} {key} was used already for another request; send a new key for a new action.");
}
