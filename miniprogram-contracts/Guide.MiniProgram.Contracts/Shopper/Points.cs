namespace Guide.MiniProgram.Contracts;

/// <summary>
/// What a points entry records (JSON: <c>purchase</c>, <c>purchase_reversal</c>, <c>adjustment</c>, <c>expiry</c>,
/// <c>mall_redemption</c>, <c>mall_cancellation</c>, <c>deduction</c>: points paid part of a purchase, <c>deduction_refund</c>: given back by its refund, <c>group_action</c>: for adding a guide, joining a group, liking or commenting a moment in WeCom,
/// <c>group_action_take_back</c>: taken back when the guide was deleted or the group left soon after).
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
    GroupAction,
    GroupActionTakeBack,
}

/// <summary>
/// <c>GET /api/mp/points</c>: <see cref="Available"/> spendable now, <see cref="Frozen"/> still in the return window,
/// <see cref="Debt"/> owed after a refund (settled by the next earnings), and what expires within 30 days (from <see cref="EarliestExpiry"/>).
/// </summary>
public sealed record PointsResponse(long Available, long Frozen, long Debt, long ExpiringWithin30Days, DateTimeOffset? EarliestExpiry);

/// <summary>One line of <c>GET /api/mp/points/entries</c>, newest first; <see cref="Delta"/> is signed.</summary>
public sealed record PointsEntryResponse(Guid Id, PointsEntryKind Kind, long Delta, long BalanceAfter, string? Reference, DateTimeOffset OccurredAt);

public sealed record PointsEntriesResponse(IReadOnlyList<PointsEntryResponse> Items, int Page, int PageSize, int Total);
