namespace Guide.MiniProgram.Contracts.Workbench;

// The guide workbench's commission (提成) of a posting month: GET /api/guide/commissions.

/// <summary>JSON <c>sale</c>, <c>refund</c>, <c>adjustment</c>, <c>reattribution</c>.</summary>
public enum CommissionLineKind
{
    Sale,
    Refund,
    Adjustment,
    Reattribution,
}

/// <summary>JSON <c>rate</c> (ruleValue in basis points of the commissionable amount) or <c>fixed_per_unit</c> (ruleValue in fen per unit).</summary>
public enum CommissionLineMethod
{
    Rate,
    FixedPerUnit,
}

/// <summary>
/// One commission line: a sale line, a refund's negative share of it (quantity, commissionableAmount and commission negative), an
/// adjustment with a reason, or a sale line HQ moved with a reason (a reattribution: negative for the guide it left, positive for the
/// guide it went to). <c>postingMonth</c> is the month it counts in (yyyy-MM); <c>documentTime</c> the document's own time,
/// which may be in an earlier month when that month was closed. Amounts in fen.
/// </summary>
public sealed record GuideCommissionLine(Guid Id, Guid GuideId, string? GuideName, Guid StoreId, string? StoreName, string? DocumentNumber,
    CommissionLineKind Kind, DateTimeOffset DocumentTime, string PostingMonth, int? LineNo, string? Sku, string? Product, string? Category,
    int Quantity, long CommissionableAmount, CommissionLineMethod? Method, long? RuleValue, long Commission, string? Reason);

/// <summary>The sums, in fen, of every line the page belongs to: sales, refunds (negative), adjustments, reattributions, and net (all of them).</summary>
public sealed record GuideCommissionTotals(long SalesAmount, long SalesCommission, long RefundAmount, long RefundCommission, long AdjustmentAmount,
    long AdjustmentCommission, long ReattributionAmount, long ReattributionCommission, long NetAmount, long NetCommission);

/// <summary>
/// <c>GET /api/guide/commissions</c>: one page of the lines of <c>month</c> and the totals of all of them. <c>guideId</c>: whose lines
/// (null: a manager's view of every line of their stores).
/// </summary>
public sealed record GuideCommissionPage(string Month, Guid? GuideId, IReadOnlyList<GuideCommissionLine> Items, int Page, int PageSize, int Total,
    GuideCommissionTotals Totals);
