using Guide.Domain.Organization;

namespace Guide.Api;

// Contracts of the guide workbench (/api/guide) and the HQ console (/api/admin). The mini program's live in
// miniprogram-contracts, because another team codes against them.

/// <summary>A member as a guide sees them: the phone is masked (138****8000), the rest is for care work.</summary>
public sealed record GuideMemberView(Guid Id, string? Nickname, string? MaskedPhone, string Gender, DateOnly? Birthday, int Level,
    Guid? ExclusiveGuideId, Guid? StoreId, DateTimeOffset RegisteredAt);

/// <summary>A member as HQ sees them.</summary>
public sealed record AdminMemberView(Guid Id, string? Nickname, string? Phone, string Gender, DateOnly? Birthday, int Level,
    Guid? ExclusiveGuideId, Guid? StoreId, bool UnionIdBound, DateTimeOffset RegisteredAt);

public sealed record PageView<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record GuideView(Guid Id, string WeComUserId, string Name, GuideRole Role, Guid StoreId, string StoreCode,
    string StoreName, string Area, IReadOnlyList<string> ManagedAreas, string? Mobile, bool Active);

public sealed record GuideSessionRequest(string Code);

public sealed record StaffSessionResponse(string AccessToken, string TokenType, long ExpiresIn, Guid Id, string Name, string Role);

public sealed record AdminSessionRequest(string UserName, string Password);

public sealed record StoreRequest(string Code, string Name, string Area);

public sealed record StoreUpdateRequest(string Name, string Area, bool Active);

/// <summary><c>mayChargeByMemberId</c>: the online mall only; a POS charges with the member's payment code.</summary>
public sealed record IntegrationClientRequest(string KeyId, string Name, bool? MayChargeByMemberId = null);

public sealed record IntegrationClientUpdateRequest(string Name, bool? MayChargeByMemberId = null);

public sealed record MemberLookupRequest(string Phone);

// --- stored value (integration and HQ) ---------------------------------------------------------------

public sealed record WalletBalanceView(long Principal, long Gift);

/// <summary><c>POST /api/integration/wallet/charges</c>: amount in fen; the member by <c>memberId</c> or <c>paymentCode</c>.</summary>
public sealed record WalletChargeRequest(string DocumentNumber, long Amount, Guid? MemberId = null, string? PaymentCode = null, string? StoreCode = null,
    string? Confirmation = null);

public sealed record WalletChargeResponse(Guid ChargeId, string DocumentNumber, Guid MemberId, long Amount, long Principal, long Gift,
    WalletBalanceView Balance, bool Replayed);

/// <summary><c>POST /api/integration/wallet/refunds</c>: returns <c>amount</c> fen of the charge of <c>documentNumber</c>.</summary>
public sealed record WalletRefundRequest(string? RefundNumber, string? DocumentNumber, long Amount);

public sealed record WalletRefundResponse(Guid RefundId, string RefundNumber, Guid ChargeId, string DocumentNumber, Guid MemberId, long Amount,
    long Principal, long Gift, WalletBalanceView Balance, bool Replayed);

public sealed record WalletAdjustmentRequest(string? Reason, long Principal = 0, long Gift = 0);

public sealed record WalletAdjustmentResponse(Guid EntryId, Guid MemberId, long Principal, long Gift, string Reason, WalletBalanceView Balance,
    DateTimeOffset OccurredAt, bool Replayed);

public sealed record WalletSettingsRequest(Guide.Domain.Wallets.SplitPolicy SplitPolicy, long PasswordFreeLimit);

/// <summary>A forced refund (part of the lot was spent) and an off-channel one (paid over 365 days ago) need a reason.</summary>
public sealed record RechargeRefundRequest(string? Reason = null, bool Force = false);

public sealed record RechargePackageRequest(string? Name, long Price, long? GiftAmount = null, int? GiftPercent = null, int? LevelGranted = null,
    DateTimeOffset? OnSaleFrom = null, DateTimeOffset? OnSaleUntil = null, int? PerMemberLimit = null)
{
    public Guide.Domain.Wallets.SaveRechargePackage ToCommand(Guid? packageId) =>
        new(packageId, Name ?? "", Price, GiftAmount, GiftPercent, LevelGranted, OnSaleFrom, OnSaleUntil, PerMemberLimit);
}

// --- sales documents (integration) ------------------------------------------------------------------

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
