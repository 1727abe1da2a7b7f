namespace Guide.MiniProgram.Contracts;

/// <summary>What a wallet ledger entry records (JSON: <c>recharge</c>, <c>charge</c>, <c>charge_refund</c>, ...).</summary>
public enum WalletEntryKind
{
    Recharge,
    Charge,
    ChargeRefund,
    Adjustment,
    RechargeRefund,
    RechargeRefundReversal,
}

/// <summary><c>GET /api/mp/wallet</c>: balances in fen; principal (本金) is what the member paid, gift (赠送金) what the brand added.</summary>
public sealed record WalletResponse(long Principal, long Gift, long Total);

/// <summary>One line of <c>GET /api/mp/wallet/entries</c>, newest first; deltas are signed fen.</summary>
public sealed record WalletEntryResponse(Guid Id, WalletEntryKind Kind, long PrincipalDelta, long GiftDelta, long PrincipalAfter, long GiftAfter,
    string? Reference, DateTimeOffset OccurredAt);

public sealed record WalletEntriesResponse(IReadOnlyList<WalletEntryResponse> Items, int Page, int PageSize, int Total);

/// <summary>
/// <c>GET /api/mp/wallet/payment-code</c>: the member's payment code (会员码), digits for a barcode or QR code.
/// Valid <see cref="ExpiresInSeconds"/> (60) seconds and once; ask again to rotate it.
/// </summary>
public sealed record PaymentCodeResponse(string Code, DateTimeOffset ExpiresAt, int ExpiresInSeconds);

/// <summary>
/// <c>POST /api/mp/wallet/confirmations</c>: the member agrees to pay exactly <see cref="Amount"/> fen above the
/// password-free limit (after wx.startSoterAuthentication or a confirm dialog in the mini program).
/// </summary>
public sealed record WalletConfirmationRequest(long Amount);

/// <summary>Show <see cref="Confirmation"/> to the cashier (QR or digits); the POS sends it with the charge. 5 minutes, once.</summary>
public sealed record WalletConfirmationResponse(string Confirmation, long Amount, DateTimeOffset ExpiresAt, int ExpiresInSeconds);

/// <summary>One item of <c>GET /api/mp/recharge-packages</c> (on sale now): pay <see cref="Price"/>, get it plus <see cref="Gift"/>;
/// <see cref="LevelGrantMonths"/>: how long the granted level holds after payment (null: for good).</summary>
public sealed record RechargePackageResponse(Guid Id, string Name, long Price, long Gift, int? LevelGranted, DateTimeOffset? OnSaleUntil, int? PerMemberLimit,
    int? LevelGrantMonths = null);

/// <summary><c>POST /api/mp/recharges</c>.</summary>
public sealed record CreateRechargeRequest(Guid PackageId);

/// <summary>JSON <c>pending</c> until WeChat Pay confirms (<c>paid</c>); <c>closed</c> never paid; <c>failed</c> the order could not be created.</summary>
public enum RechargeStatus
{
    Pending,
    Paid,
    Closed,
    Refunding,
    Refunded,
    Failed,
}

/// <summary>A recharge; <c>GET /api/mp/recharges/{id}</c> shows when it is paid (after the WeChat Pay notification).</summary>
public sealed record RechargeResponse(Guid Id, string OutTradeNo, long Price, long Gift, int? LevelGranted, RechargeStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt);

/// <summary>Pass <see cref="Payment"/>'s fields to <c>wx.requestPayment</c> as they are.</summary>
public sealed record RequestPaymentResponse(string AppId, string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

public sealed record CreateRechargeResponse(RechargeResponse Recharge, RequestPaymentResponse Payment);
