namespace Guide.Api;

// Contracts of the POS, ERP and online-mall integration (/api/integration), signed with the client's HMAC key.
// WalletBalanceView (in Admin.cs) is shared with HQ.

public sealed record MemberLookupRequest(string Phone);

/// <summary><c>POST /api/integration/wallet/charges</c>: amount in fen; the member by <c>memberId</c> or <c>paymentCode</c>.</summary>
public sealed record WalletChargeRequest(string? DocumentNumber, long Amount, Guid? MemberId = null, string? PaymentCode = null, string? StoreCode = null,
    string? Confirmation = null);

public sealed record WalletChargeResponse(Guid ChargeId, string DocumentNumber, Guid MemberId, long Amount, long Principal, long Gift,
    WalletBalanceView Balance, bool Replayed);

/// <summary><c>POST /api/integration/wallet/refunds</c>: returns <c>amount</c> fen of the charge of <c>documentNumber</c>.</summary>
public sealed record WalletRefundRequest(string? RefundNumber, string? DocumentNumber, long Amount);

public sealed record WalletRefundResponse(Guid RefundId, string RefundNumber, Guid ChargeId, string DocumentNumber, Guid MemberId, long Amount,
    long Principal, long Gift, WalletBalanceView Balance, bool Replayed);

/// <summary>
/// <c>POST /api/integration/points/deductions</c>: pay part of a document with points (积分抵现). <c>points</c> must be worth
/// whole fen at HQ's rate, at most HQ's share of <c>documentAmount</c> (fen), at least HQ's minimum; the member by
/// <c>paymentCode</c> (a till) or <c>memberId</c> (clients HQ allowed). The same payment code may also pay the
/// document's wallet part (<c>/wallet/charges</c> with the same documentNumber), once, in either order.
/// </summary>
public sealed record PointsDeductionRequest(string? DocumentNumber, long Points, long DocumentAmount, Guid? MemberId = null, string? PaymentCode = null,
    string? StoreCode = null);

/// <summary>The member's points after it: <c>available</c> spendable now, <c>balance</c> in all (frozen included, minus debt).</summary>
public sealed record PointsAfterResponse(long Available, long Balance);

/// <summary>A deduction: <c>amount</c> is what the points paid, in fen: the document's <c>points</c> payment line.</summary>
public sealed record PointsDeductionResponse(Guid DeductionId, string DocumentNumber, Guid MemberId, long Points, long Amount, PointsAfterResponse Balance,
    bool Replayed);

/// <summary><c>POST /api/integration/points/deductions/refunds</c>: gives back <c>points</c> of the deduction of <c>documentNumber</c>.</summary>
public sealed record PointsDeductionRefundRequest(string? RefundNumber, string? DocumentNumber, long Points);

/// <summary>
/// A deduction refund: <c>amount</c> (fen) is the refund document's <c>points</c> payment line; <c>expiredPoints</c> came back
/// to lots that had expired meanwhile, so they expired again at once (recorded).
/// </summary>
public sealed record PointsDeductionRefundResponse(Guid RefundId, string RefundNumber, Guid DeductionId, string DocumentNumber, Guid MemberId, long Points,
    long Amount, long ExpiredPoints, PointsAfterResponse Balance, bool Replayed);

/// <summary>
/// <c>POST /api/integration/documents</c>: a sale or a refund (<c>kind</c>); amounts in fen; the member by at most one
/// of <c>memberId</c>, <c>memberPhone</c>, <c>paymentCode</c>; <c>guide</c> is the guide's WeCom user id. A refund names
/// <c>originalDocumentNumber</c>, and each line its <c>originalLineNo</c>.
/// </summary>
public sealed record DocumentRequest(string? DocumentNumber, Guide.Domain.Documents.DocumentKind? Kind, DateTimeOffset DocumentTime,
    IReadOnlyList<DocumentLineRequest?>? Lines, IReadOnlyList<DocumentPaymentRequest?>? Payments, string? StoreCode = null, string? Guide = null,
    Guid? MemberId = null, string? MemberPhone = null, string? PaymentCode = null, string? OriginalDocumentNumber = null);

public sealed record DocumentLineRequest(int LineNo, string? Sku, string? Product, int Quantity, long UnitPrice, long PaidAmount, string? Category = null,
    int? OriginalLineNo = null);

public sealed record DocumentPaymentRequest(Guide.Domain.Documents.PaymentMethod? Method, long Amount);
