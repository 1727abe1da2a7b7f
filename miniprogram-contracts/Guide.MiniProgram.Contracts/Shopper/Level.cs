using System.Text.Json.Serialization;

namespace Guide.MiniProgram.Contracts;

/// <summary>Where the member's level comes from: the paid amount reached its threshold, or a recharge package granted it.</summary>
public enum LevelSource
{
    None,
    Threshold,
    Grant,
}

/// <summary>What the thresholds are measured on (HQ's setting): everything paid, or the trailing 12 months (brand time).</summary>
public enum ThresholdBasis
{
    Lifetime,
    [JsonStringEnumMemberName("trailing_12_months")]
    Trailing12Months,
}

/// <summary>
/// <c>GET /api/mp/me/level</c>: the member's level (rank 0 and no name: none yet) and the way to the next one.
/// <see cref="PointsMultiplier"/> is decimal text ("1.2"). <see cref="GrantValidUntil"/> is set when a recharge
/// package's grant is the source and ends (null with source <c>grant</c>: for good). <see cref="PaidAmount"/> is
/// fen paid net of refunds on the <see cref="Basis"/>; <see cref="AmountToNextLevel"/> the fen still needed to reach
/// the next level by threshold (0 when only a grant stands above it; null when there is no next level).
/// </summary>
public sealed record MemberLevelStatusResponse(
    int Rank,
    string? Name,
    string PointsMultiplier,
    LevelSource Source,
    DateTimeOffset? GrantValidUntil,
    ThresholdBasis Basis,
    long PaidAmount,
    int? NextRank,
    string? NextLevelName,
    long? AmountToNextLevel);
