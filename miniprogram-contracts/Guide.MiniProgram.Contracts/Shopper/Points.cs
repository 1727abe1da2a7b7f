namespace Guide.MiniProgram.Contracts;

/// <summary>
/// What a points entry records (JSON: <c>purchase</c>, <c>purchase_reversal</c>, <c>adjustment</c>, <c>expiry</c>,
/// <c>mall_redemption</c>, <c>mall_cancellation</c>, <c>deduction</c>: points paid part of a purchase, <c>deduction_refund</c>: given back by its refund).
/// </summary>
public enum PointsEntryKind
{
    Purchase,
    PurchaseReversal,
    Adjustment,
    Expiry,
    MallRedemption,
    MallCancellation,
    Deduction,
    DeductionRefund,
}

/// <summary>
/// <c>GET /api/mp/points</c>: <see cref="Available"/> spendable now, <see cref="Frozen"/> still in the return window,
/// <see cref="Debt"/> owed after a refund (settled by the next earnings), and what expires within 30 days (from <see cref="EarliestExpiry"/>).
/// </summary>
public sealed record PointsResponse(long Available, long Frozen, long Debt, long ExpiringWithin30Days, DateTimeOffset? EarliestExpiry);

/// <summary>One line of <c>GET /api/mp/points/entries</c>, newest first; <see cref="Delta"/> is signed.</summary>
public sealed record PointsEntryResponse(Guid Id, PointsEntryKind Kind, long Delta, long BalanceAfter, string? Reference, DateTimeOffset OccurredAt);

public sealed record PointsEntriesResponse(IReadOnlyList<PointsEntryResponse> Items, int Page, int PageSize, int Total);
