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

/// <summary>
/// One item of <c>GET /api/mp/mall/items</c>: <see cref="Redeemable"/> one unit now, else <see cref="Reason"/>.
/// <see cref="CashPrice"/> (fen per unit, 0: points only) is paid with WeChat Pay on top of the points.
/// </summary>
public sealed record MallItemResponse(Guid Id, string Name, MallItemKind Kind, long PointsPrice, long CashPrice, long Stock, int? LimitPerDay, int? LimitTotal,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, bool Redeemable, MallRefusal? Reason);

/// <summary>
/// <c>POST /api/mp/mall/redemptions</c>. <see cref="RequestId"/> is the client's id of this redemption (a UUID): a
/// resend with the same id and body answers the first result (<c>replayed</c>), with another body 409 <c>mall.request_reused</c>.
/// </summary>
public sealed record RedeemRequest(Guid ItemId, string RequestId, int Quantity = 1);

/// <summary>
/// JSON: <c>redeemed</c> (waiting for pickup or shipment), <c>picked_up</c>, <c>shipped</c>, <c>cancelled</c>, <c>code_issued</c> (coupon),
/// <c>awaiting_payment</c> (points + cash: points and stock held until the cash part is paid, by <c>paymentExpiresAt</c>),
/// <c>closed</c> (points + cash never paid: points and stock given back).
/// </summary>
public enum MallRedemptionStatus
{
    Redeemed,
    PickedUp,
    Shipped,
    Cancelled,
    CodeIssued,
    AwaitingPayment,
    Closed,
}

/// <summary>
/// A redemption. Pickup items carry <see cref="PickupCode"/>, shown to a guide of <see cref="StoreId"/> (the member's
/// store; null: any store), and <see cref="ReadyAt"/> once that store has the item ready (still <c>redeemed</c> until handed
/// out); shipped ones the carrier and tracking number once HQ sent them; coupons their codes (one per unit).
/// A points + cash redemption (<see cref="Cash"/> fen) is <c>awaiting_payment</c> until its WeChat Pay order is paid: the
/// answer of <c>POST /api/mp/mall/redemptions</c> then carries <see cref="Payment"/>, to pass to <c>wx.requestPayment</c> as it is;
/// poll <c>GET /api/mp/mall/redemptions/{id}</c> after it (<c>redeemed</c> or <c>code_issued</c> once the payment is verified).
/// </summary>
public sealed record MallRedemptionResponse(Guid Id, Guid ItemId, string ItemName, MallItemKind Kind, int Quantity, long Points, long Cash,
    MallRedemptionStatus Status, string? PickupCode, Guid? StoreId, DateTimeOffset CreatedAt, DateTimeOffset? PaymentExpiresAt, DateTimeOffset? PaidAt,
    DateTimeOffset? FulfilledAt, string? Carrier, string? TrackingNumber, DateTimeOffset? CancelledAt, IReadOnlyList<string> CouponCodes,
    DateTimeOffset? ReadyAt, bool Replayed, RequestPaymentResponse? Payment = null);

public sealed record MallRedemptionsResponse(IReadOnlyList<MallRedemptionResponse> Items, int Page, int PageSize, int Total);
