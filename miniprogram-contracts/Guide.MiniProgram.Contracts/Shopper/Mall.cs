namespace Guide.MiniProgram.Contracts;

/// <summary>How a mall item reaches the member (JSON: <c>pickup</c> in their store with a code, <c>shipped</c>, <c>coupon</c>: a code at once).</summary>
public enum MallItemKind
{
    Pickup,
    Shipped,
    Coupon,
}

/// <summary>
/// Why the member may not redeem an item now (JSON: <c>not_on_sale</c>, <c>level_not_allowed</c>, <c>limit_reached</c>,
/// <c>sold_out</c>, <c>not_enough_points</c>); the first that applies.
/// </summary>
public enum MallRefusal
{
    NotOnSale,
    LevelNotAllowed,
    LimitReached,
    SoldOut,
    NotEnoughPoints,
}

/// <summary>One item of <c>GET /api/mp/mall/items</c>: <see cref="Redeemable"/> one unit now, else <see cref="Reason"/>.</summary>
public sealed record MallItemResponse(Guid Id, string Name, MallItemKind Kind, long PointsPrice, long Stock, int? LimitPerDay, int? LimitTotal,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, bool Redeemable, MallRefusal? Reason);

/// <summary>
/// <c>POST /api/mp/mall/redemptions</c>. <see cref="RequestId"/> is the client's id of this redemption (a UUID): a
/// resend with the same id and body answers the first result (<c>replayed</c>), with another body 409 <c>mall.request_reused</c>.
/// </summary>
public sealed record RedeemRequest(Guid ItemId, string RequestId, int Quantity = 1);

/// <summary>JSON: <c>redeemed</c> (waiting for pickup or shipment), <c>picked_up</c>, <c>shipped</c>, <c>cancelled</c>, <c>code_issued</c> (coupon).</summary>
public enum MallRedemptionStatus
{
    Redeemed,
    PickedUp,
    Shipped,
    Cancelled,
    CodeIssued,
}

/// <summary>
/// A redemption. Pickup items carry <see cref="PickupCode"/>, shown to a guide of <see cref="StoreId"/> (the member's
/// store; null: any store); shipped ones the carrier and tracking number once HQ sent them; coupons their codes (one per unit).
/// </summary>
public sealed record MallRedemptionResponse(Guid Id, Guid ItemId, string ItemName, MallItemKind Kind, int Quantity, long Points, MallRedemptionStatus Status,
    string? PickupCode, Guid? StoreId, DateTimeOffset CreatedAt, DateTimeOffset? FulfilledAt, string? Carrier, string? TrackingNumber,
    DateTimeOffset? CancelledAt, IReadOnlyList<string> CouponCodes, bool Replayed);

public sealed record MallRedemptionsResponse(IReadOnlyList<MallRedemptionResponse> Items, int Page, int PageSize, int Total);
