namespace Guide.Api;

// Contracts of the HQ console (/api/admin). The mini program's and the guide workbench's live in
// miniprogram-contracts (another team codes against them); the integration's in Integration.cs.

/// <summary>A member as HQ sees them.</summary>
public sealed record AdminMemberView(Guid Id, string? Nickname, string? Phone, string Gender, DateOnly? Birthday, int Level,
    Guid? ExclusiveGuideId, Guid? StoreId, bool UnionIdBound, DateTimeOffset RegisteredAt);

public sealed record PageView<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>A bearer token for <c>/api/admin</c>.</summary>
public sealed record AdminSessionResponse(string AccessToken, string TokenType, long ExpiresIn, Guid Id, string Name, string Role);

public sealed record AdminSessionRequest(string UserName, string Password);

public sealed record StoreRequest(string Code, string Name, string Area);

public sealed record StoreUpdateRequest(string Name, string Area, bool Active);

/// <summary><c>mayChargeByMemberId</c>: the online mall only; a POS charges with the member's payment code.</summary>
public sealed record IntegrationClientRequest(string KeyId, string Name, bool? MayChargeByMemberId = null);

public sealed record IntegrationClientUpdateRequest(string Name, bool? MayChargeByMemberId = null);

// --- stored value -------------------------------------------------------------------------------------

public sealed record WalletBalanceView(long Principal, long Gift);

public sealed record WalletAdjustmentRequest(string? Reason, long Principal = 0, long Gift = 0);

public sealed record WalletAdjustmentResponse(Guid EntryId, Guid MemberId, long Principal, long Gift, string Reason, WalletBalanceView Balance,
    DateTimeOffset OccurredAt, bool Replayed);

public sealed record WalletSettingsRequest(Guide.Domain.Wallets.SplitPolicy SplitPolicy, long PasswordFreeLimit);

/// <summary>A forced refund (part of the lot was spent) and an off-channel one (paid over 365 days ago) need a reason.</summary>
public sealed record RechargeRefundRequest(string? Reason = null, bool Force = false);

/// <summary><c>levelGranted</c>: the rank of the member level a purchase grants; <c>levelGrantMonths</c>: for how long (absent: for good).</summary>
public sealed record RechargePackageRequest(string? Name, long Price, long? GiftAmount = null, int? GiftPercent = null, int? LevelGranted = null,
    DateTimeOffset? OnSaleFrom = null, DateTimeOffset? OnSaleUntil = null, int? PerMemberLimit = null, int? LevelGrantMonths = null)
{
    public Guide.Domain.Wallets.SaveRechargePackage ToCommand(Guid? packageId) =>
        new(packageId, Name ?? "", Price, GiftAmount, GiftPercent, LevelGranted, OnSaleFrom, OnSaleUntil, PerMemberLimit, LevelGrantMonths);
}

/// <summary><c>POST /api/admin/members/{memberId}/points/adjustments</c>: positive credits a lot, negative debits spendable points.</summary>
public sealed record PointsAdjustmentRequest(string? Reason, long Points = 0);

/// <summary>
/// <c>PUT /api/admin/points/settings</c>. Spending at the till and in the online mall (积分抵现): <c>spendPointsPerYuan</c> points pay
/// one yuan (default 100), at most <c>spendMaxSharePercent</c> of a document (default 50; 0: points cannot pay), at least
/// <c>spendMinPoints</c> per deduction (default 1), frozen points only with <c>spendFrozen</c> (default false); null keeps the current value.
/// </summary>
public sealed record PointsSettingsRequest(Guide.Domain.Points.PointsExpiryPolicy ExpiryPolicy, int? RollingMonths, int PointsPer100Yuan,
    bool WalletPrincipalEarns, bool WalletGiftEarns, int ReturnWindowDays, Guide.Domain.Points.PointsRefundPolicy RefundPolicy,
    int? SpendPointsPerYuan = null, int? SpendMaxSharePercent = null, int? SpendMinPoints = null, bool? SpendFrozen = null);

/// <summary>
/// An enum in a query string, spelled as in JSON (snake_case: <c>yearly_clearing</c>, <c>store</c>); minimal APIs bind
/// enums by their C# names only. An unknown value is <c>request.malformed</c> naming the parameter.
/// </summary>
public readonly record struct QueryEnum<T>(T Value) where T : struct, Enum
{
    public static bool TryParse(string? text, IFormatProvider? provider, out QueryEnum<T> result)
    {
        result = default;
        if (string.IsNullOrEmpty(text) || !text.All(c => char.IsAsciiLetterLower(c) || c == '_')) return false;
        if (!Enum.TryParse<T>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) || !Enum.IsDefined(value)) return false;
        result = new QueryEnum<T>(value);
        return true;
    }

    public override string ToString() => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(Value.ToString());
}

/// <summary>How a report answers: <c>json</c> (the default) or a <c>csv</c> file.</summary>
public enum ReportFormat
{
    Json,
    Csv,
}

// --- commission -----------------------------------------------------------------------------------------

/// <summary>
/// <c>GET /api/admin/commissions/entries</c>: one page of the detail table and <c>totals</c> over every line the filters match
/// (their sums equal the sums of all the pages' lines).
/// </summary>
public sealed record CommissionEntryPageView(IReadOnlyList<Guide.Domain.Commissions.CommissionEntryRow> Items, int Page, int PageSize, int Total,
    Guide.Domain.Commissions.CommissionTotals Totals);

// --- member levels ------------------------------------------------------------------------------------

/// <summary>
/// A member level: <c>rank</c> 1-100 (unique; higher is better; what recharge packages grant), <c>threshold</c> in fen
/// (paid net of refunds on the basis), <c>pointsMultiplier</c> as decimal text from "1.0" to "10.0" (two places at most).
/// </summary>
public sealed record MemberLevelRequest(string? Name, int Rank, long Threshold, string? PointsMultiplier)
{
    public Guide.Domain.Levels.SaveMemberLevel ToCommand(Guid? levelId) => new(levelId, Rank, Name ?? "", Threshold, PointsMultiplier ?? "");
}

/// <summary><c>members</c>: how many members hold it now. An archived level is no longer reached by threshold.</summary>
public sealed record MemberLevelResponse(Guid Id, int Rank, string Name, long Threshold, string PointsMultiplier, bool Archived, int Members);

public sealed record MemberLevelSettingsRequest(Guide.MiniProgram.Contracts.ThresholdBasis Basis);

/// <summary>
/// <c>reevaluation</c>: the re-evaluation of every member's level after HQ changed thresholds, levels or the basis
/// (and, under trailing 12 months, daily): <c>pending</c> until it is done, with the last (or running) pass's times.
/// </summary>
public sealed record MemberLevelSettingsResponse(Guide.MiniProgram.Contracts.ThresholdBasis Basis, MemberLevelReevaluationResponse Reevaluation);

/// <summary><c>members</c>: how many the last (or running) pass has re-evaluated so far.</summary>
public sealed record MemberLevelReevaluationResponse(bool Pending, DateTimeOffset? StartedAt, DateTimeOffset? DoneAt, int Members);

/// <summary>
/// One change of a member's level: <c>reference</c> is the document number, the recharge's out_trade_no, "rules v{n}"
/// (hq_change: HQ's n-th change of the rules) or "window {day}" (trailing_window: the trailing 12 months moved on).
/// </summary>
public sealed record MemberLevelChangeResponse(Guid Id, int FromRank, int ToRank, Guide.Domain.Levels.LevelChangeCause Cause, string? Reference,
    DateTimeOffset ChangedAt);

// --- points mall --------------------------------------------------------------------------------------

/// <summary>
/// <c>POST /api/admin/mall/items</c> (kind and stock at creation only; <c>PUT</c> ignores them). Limits are units per member per
/// brand day and in total (null: none); allowedLevels are member level ranks (empty: every level); the window is from inclusive, until exclusive.
/// cashPrice (fen per unit, 0: points only) makes it a points + cash item: the cash part is paid with WeChat Pay.
/// </summary>
public sealed record MallItemRequest(string? Name, Guide.Domain.Mall.MallItemKind Kind, long PointsPrice, int? LimitPerDay, int? LimitTotal,
    IReadOnlyList<int>? AllowedLevels, DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, long Stock = 0, long CashPrice = 0);

/// <summary><c>POST /api/admin/mall/items/{id}/restocks</c> with an Idempotency-Key: units added to the stock ledger.</summary>
public sealed record MallRestockRequest(long Quantity);

/// <summary>
/// <c>POST /api/admin/mall/items/{id}/stock-removals</c> with an Idempotency-Key: units written off (damaged, miscounted), with a
/// reason of 1 to 200 characters; never more than are left.
/// </summary>
public sealed record MallStockRemovalRequest(long Quantity, string? Reason);

/// <summary><c>POST /api/admin/mall/redemptions/{id}/shipment</c>.</summary>
public sealed record MallShipmentRequest(string? Carrier, string? TrackingNumber);

// --- exclusive guide ------------------------------------------------------------------------------------

/// <summary><c>POST /api/admin/members/{id}/guide</c>: the member moves to this guide and the guide's store; the reason is required.</summary>
public sealed record MemberGuideRequest(Guid GuideId, string? Reason);

/// <summary>Closing or reopening a commission month: why (required, at most 200 characters).</summary>
public sealed record CommissionPeriodRequest(string? Reason);

/// <summary>One change of a member's exclusive guide: cause <c>qrcode</c>, <c>wecom_friend</c> or <c>hq</c>; actor <c>member:{id}</c>, <c>hq:{adminId}</c>, <c>wecom</c>.</summary>
public sealed record MemberGuideChangeResponse(Guid Id, Guid? FromGuideId, string? FromGuideName, Guid? FromStoreId, Guid ToGuideId, string ToGuideName,
    Guid ToStoreId, Guide.Domain.Members.GuideBindingCause Cause, string? Reason, string? Actor, string? Reference, DateTimeOffset ChangedAt);

// --- points for group actions -------------------------------------------------------------------------

/// <summary>
/// <c>POST /api/admin/group-action-rules</c>: kind add_guide_friend, join_customer_group, like_moment or comment_moment (one live rule per
/// kind); points 1 to 1,000,000 per action; validityDays 1-3650 (null: the points settings' expiry); dailyCap and lifetimeCap awards per
/// member (1-10,000, null: none; daily not above lifetime); takeBackWithinDays 1-365 (null: never) for friends and groups only.
/// </summary>
public sealed record GroupActionRuleRequest(Guide.Domain.GroupActions.GroupActionKind? Kind, string? Name, long Points, int? ValidityDays = null,
    int? DailyCap = null, int? LifetimeCap = null, bool? Paused = null, int? TakeBackWithinDays = null)
{
    public Guide.Domain.GroupActions.SaveGroupActionRule ToCommand() =>
        new(null, Kind, Name ?? "", Points, ValidityDays, DailyCap, LifetimeCap, Paused ?? false, TakeBackWithinDays);
}

/// <summary><c>PUT /api/admin/group-action-rules/{id}</c>: the terms of <see cref="GroupActionRuleRequest"/>; the kind is fixed. Pause with paused=true.</summary>
public sealed record GroupActionRuleUpdateRequest(string? Name, long Points, int? ValidityDays = null, int? DailyCap = null, int? LifetimeCap = null,
    bool? Paused = null, int? TakeBackWithinDays = null)
{
    public Guide.Domain.GroupActions.SaveGroupActionRule ToCommand(Guid ruleId) =>
        new(ruleId, null, Name ?? "", Points, ValidityDays, DailyCap, LifetimeCap, Paused ?? false, TakeBackWithinDays);
}

// --- commission -----------------------------------------------------------------------------------------

/// <summary>
/// <c>POST /api/admin/commission-rules</c>: scope sku, product, category (with scopeValue, the SKU, product or category, 1-64 characters)
/// or default (no scopeValue); method rate (value: basis points, 1-10,000) or fixed_per_unit (value: fen per unit, 1-100,000,000);
/// effective over the brand dates effectiveFrom to effectiveTo, both inclusive (no effectiveTo: open-ended).
/// </summary>
public sealed record CommissionRuleRequest(Guide.Domain.Commissions.CommissionScope? Scope, string? ScopeValue, Guide.Domain.Commissions.CommissionMethod? Method,
    long? Value, DateOnly? EffectiveFrom, DateOnly? EffectiveTo = null)
{
    public Guide.Domain.Commissions.SaveCommissionRule ToCommand() => new(null, Scope, ScopeValue, Method, Value, EffectiveFrom, EffectiveTo);
}

/// <summary><c>PUT /api/admin/commission-rules/{id}</c>: the terms of <see cref="CommissionRuleRequest"/>, all replaced; scope and scopeValue are fixed.</summary>
public sealed record CommissionRuleUpdateRequest(Guide.Domain.Commissions.CommissionMethod? Method, long? Value, DateOnly? EffectiveFrom, DateOnly? EffectiveTo = null)
{
    public Guide.Domain.Commissions.SaveCommissionRule ToCommand(Guid ruleId) => new(ruleId, null, null, Method, Value, EffectiveFrom, EffectiveTo);
}

/// <summary><c>PUT /api/admin/commissions/settings</c>: what the commissionable amount includes; every switch is required.</summary>
public sealed record CommissionSettingsRequest(bool? IncludeCash, bool? IncludeWalletPrincipal, bool? IncludeWalletGift, bool? IncludePoints, bool? IncludeCoupons)
{
    public Guide.Domain.Commissions.UpdateCommissionSettings ToCommand() =>
        new(IncludeCash, IncludeWalletPrincipal, IncludeWalletGift, IncludePoints, IncludeCoupons);
}

/// <summary><c>POST /api/admin/commissions/adjustments</c> with an Idempotency-Key: amount in fen (non-zero, at most 100,000,000 either way), reason 1-200 characters.</summary>
public sealed record CommissionAdjustmentRequest(Guid? GuideId, long? Amount, string? Reason);

/// <summary><c>POST /api/admin/commissions/reattributions</c>: the sale (documentId), the guide its commission goes to, and why.</summary>
public sealed record CommissionReattributionRequest(Guid? DocumentId, Guid? GuideId, string? Reason);
