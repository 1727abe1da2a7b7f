using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Commissions;

/// <summary>
/// Which entries a report reads: one posting month (required), then each filter optional. <see cref="Area"/>: the entries of
/// the stores of that area (the store's area now). <see cref="Product"/>: the entries whose product name contains it (the
/// database's collation decides case: MariaDB ignores it, SQLite does not).
/// </summary>
public sealed record CommissionEntryFilter(string? Month, Guid? StoreId = null, Guid? GuideId = null, string? Area = null,
    CommissionEntryKind? Kind = null, string? Product = null)
{
    /// <summary>The matching entries; the request's validator has checked <see cref="Month"/>.</summary>
    internal IQueryable<CommissionEntry> Apply(GuideDbContext db)
    {
        CommissionMonths.TryParse(Month, out var month);
        var entries = db.CommissionEntries.AsNoTracking().Where(e => e.PostingMonth == month);
        if (StoreId is { } store) entries = entries.Where(e => e.StoreId == store);
        if (GuideId is { } guide) entries = entries.Where(e => e.GuideId == guide);
        if (!string.IsNullOrEmpty(Area))
        {
            var area = Area;
            entries = entries.Where(e => db.Stores.Where(s => s.Area == area).Select(s => s.Id).Contains(e.StoreId));
        }
        if (Kind is { } kind) entries = entries.Where(e => e.Kind == kind);
        if (!string.IsNullOrEmpty(Product))
        {
            var product = Product;
            entries = entries.Where(e => e.Product != null && e.Product.Contains(product));
        }
        return entries;
    }
}

internal static class CommissionEntryFilterRules
{
    public static void Check<T>(AbstractValidator<T> validator, Func<T, CommissionEntryFilter> filter)
    {
        CommissionMonths.MustBeMonth(validator, x => filter(x).Month);
        validator.RuleFor(x => filter(x).Kind).IsInEnum().WithName("kind");
        validator.RuleFor(x => filter(x).Area).MaximumLength(64).WithName("area");
        validator.RuleFor(x => filter(x).Product).MaximumLength(128).WithName("product");
    }
}

/// <summary>
/// One line of the detail table (商品提成明细表). Amounts in fen, signed (a refund's quantity, amount and commission are
/// negative). <see cref="RuleValue"/>: basis points (rate) or fen per unit (fixed_per_unit); none on an adjustment. <see cref="ActorId"/>:
/// the HQ admin who made an adjustment or a re-attribution.
/// </summary>
public sealed record CommissionEntryRow(Guid Id, Guid GuideId, string? GuideName, Guid StoreId, string? StoreName, string? DocumentNumber,
    CommissionEntryKind Kind, DateTimeOffset DocumentTime, string PostingMonth, int? LineNo, string? Sku, string? Product, string? Category,
    int Quantity, long CommissionableAmount, CommissionMethod? Method, long? RuleValue, long Commission, string? Reason, Guid? ActorId);

/// <summary>
/// Sums of a set of entries, in fen: commissionable amount (sales performance, 业绩) and commission of the sales, of the
/// refunds (negative), of the adjustments and of the re-attributions (what moved to a guide, less what moved away; zero over both
/// sides); net is the sum over all of them. Always the sums of the lines they cover.
/// </summary>
public sealed record CommissionTotals(long SalesAmount, long SalesCommission, long RefundAmount, long RefundCommission, long AdjustmentAmount,
    long AdjustmentCommission, long ReattributionAmount, long ReattributionCommission, long NetAmount, long NetCommission)
{
    public static readonly CommissionTotals Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public CommissionTotals Add(CommissionEntryKind kind, long amount, long commission) => Add(kind switch
    {
        CommissionEntryKind.Sale => Zero with { SalesAmount = amount, SalesCommission = commission, NetAmount = amount, NetCommission = commission },
        CommissionEntryKind.Refund => Zero with { RefundAmount = amount, RefundCommission = commission, NetAmount = amount, NetCommission = commission },
        CommissionEntryKind.Reattribution => Zero with
        {
            ReattributionAmount = amount, ReattributionCommission = commission, NetAmount = amount, NetCommission = commission,
        },
        _ => Zero with { AdjustmentAmount = amount, AdjustmentCommission = commission, NetAmount = amount, NetCommission = commission },
    });

    public CommissionTotals Add(CommissionTotals other) => new(checked(SalesAmount + other.SalesAmount), checked(SalesCommission + other.SalesCommission),
        checked(RefundAmount + other.RefundAmount), checked(RefundCommission + other.RefundCommission), checked(AdjustmentAmount + other.AdjustmentAmount),
        checked(AdjustmentCommission + other.AdjustmentCommission), checked(ReattributionAmount + other.ReattributionAmount),
        checked(ReattributionCommission + other.ReattributionCommission), checked(NetAmount + other.NetAmount), checked(NetCommission + other.NetCommission));

    /// <summary>The totals of a set of entries: one GROUP BY kind in the database (four rows at most).</summary>
    internal static async Task<CommissionTotals> OfAsync(IQueryable<CommissionEntry> entries, CancellationToken cancellationToken)
    {
        var byKind = await entries.GroupBy(e => e.Kind)
            .Select(g => new { Kind = g.Key, Amount = g.Sum(e => e.CommissionableAmount), Commission = g.Sum(e => e.Commission) })
            .ToListAsync(cancellationToken);
        return byKind.Aggregate(Zero, (totals, k) => totals.Add(k.Kind, k.Amount, k.Commission));
    }
}

internal static class CommissionEntryRows
{
    /// <summary>A line as the database gives it (the posting month as yyyyMM).</summary>
    internal sealed record Line(Guid Id, Guid GuideId, string? GuideName, Guid StoreId, string? StoreName, string? DocumentNumber,
        CommissionEntryKind Kind, DateTimeOffset DocumentTime, int PostingMonth, int? LineNo, string? Sku, string? Product, string? Category,
        int Quantity, long CommissionableAmount, CommissionMethod? Method, long? RuleValue, long Commission, string? Reason, Guid? ActorId);

    /// <summary>The filtered entries with their guide's and store's names, by document time then id (the detail table's order).</summary>
    public static IQueryable<Line> Of(GuideDbContext db, IQueryable<CommissionEntry> entries) =>
        // Left joins: a line stays in the table (and in its totals) whatever became of its guide or store.
        from e in entries
        join g in db.Guides.AsNoTracking() on e.GuideId equals g.Id into guides
        from g in guides.DefaultIfEmpty()
        join s in db.Stores.AsNoTracking() on e.StoreId equals s.Id into stores
        from s in stores.DefaultIfEmpty()
        orderby e.DocumentTime, e.Id
        select new Line(e.Id, e.GuideId, g != null ? g.Name : null, e.StoreId, s != null ? s.Name : null, e.DocumentNumber, e.Kind,
            e.DocumentTime, e.PostingMonth, e.LineNo, e.Sku, e.Product, e.Category, e.Quantity, e.CommissionableAmount, e.Method,
            e.RuleValue, e.Commission, e.Reason, e.ActorId);

    public static CommissionEntryRow ToRow(Line l) =>
        new(l.Id, l.GuideId, l.GuideName, l.StoreId, l.StoreName, l.DocumentNumber, l.Kind, l.DocumentTime, CommissionMonths.Text(l.PostingMonth), l.LineNo,
            l.Sku, l.Product, l.Category, l.Quantity, l.CommissionableAmount, l.Method, l.RuleValue, l.Commission, l.Reason, l.ActorId);
}

/// <summary>One page of the detail table and the totals of every line the filters match (not only the page's).</summary>
public sealed record CommissionEntryReport(Page<CommissionEntryRow> Lines, CommissionTotals Totals);

/// <summary>HQ's detail table (商品提成明细表) of a posting month, by document time (paged), with the filtered totals.</summary>
public sealed record ListCommissionEntries(CommissionEntryFilter Filter, int? Page, int? PageSize) : IRequest<CommissionEntryReport>;

public sealed class ListCommissionEntriesValidator : AbstractValidator<ListCommissionEntries>
{
    public ListCommissionEntriesValidator() => CommissionEntryFilterRules.Check(this, x => x.Filter);
}

public sealed class ListCommissionEntriesHandler(GuideDbContext db) : IRequestHandler<ListCommissionEntries, CommissionEntryReport>
{
    public async Task<CommissionEntryReport> Handle(ListCommissionEntries request, CancellationToken cancellationToken)
    {
        var entries = request.Filter.Apply(db);
        var page = await CommissionEntryRows.Of(db, entries).PageAsync(request.Page, request.PageSize, cancellationToken);
        return new CommissionEntryReport(page.Map(CommissionEntryRows.ToRow), await CommissionTotals.OfAsync(entries, cancellationToken));
    }
}

/// <summary>
/// Every line of <see cref="ListCommissionEntries"/>, for a file: read one by one as the caller enumerates (a month can hold a
/// million lines, so never all of them in memory). Enumerate it within the request's scope (its DbContext).
/// </summary>
public sealed record ExportCommissionEntries(CommissionEntryFilter Filter) : IRequest<IAsyncEnumerable<CommissionEntryRow>>;

public sealed class ExportCommissionEntriesValidator : AbstractValidator<ExportCommissionEntries>
{
    public ExportCommissionEntriesValidator() => CommissionEntryFilterRules.Check(this, x => x.Filter);
}

public sealed class ExportCommissionEntriesHandler(GuideDbContext db) : IRequestHandler<ExportCommissionEntries, IAsyncEnumerable<CommissionEntryRow>>
{
    public Task<IAsyncEnumerable<CommissionEntryRow>> Handle(ExportCommissionEntries request, CancellationToken cancellationToken) =>
        Task.FromResult(Shaped(CommissionEntryRows.Of(db, request.Filter.Apply(db)).AsAsyncEnumerable()));

    private static async IAsyncEnumerable<CommissionEntryRow> Shaped(IAsyncEnumerable<CommissionEntryRows.Line> lines,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken)) yield return CommissionEntryRows.ToRow(line);
    }
}

/// <summary>The detail table as CSV for Excel: UTF-8 with a byte order mark, Chinese column names, money in yuan.</summary>
public static class CommissionEntriesCsv
{
    /// <summary>The header, in HQ's words (the console's column names); the columns' order is the JSON row's.</summary>
    public static readonly string[] Columns =
    [
        "明细ID", "导购ID", "导购", "门店ID", "门店", "单据号", "类型", "单据发生时间", "入账月份", "行号", "SKU", "商品", "品类", "数量",
        "提成基数(元)", "提成方式", "比例(基点)/每件(元)", "提成(元)", "原因", "操作人ID",
    ];

    /// <summary>
    /// Writes <paramref name="rows"/> to <paramref name="destination"/> as they come (the writer flushes its 64 KiB buffer
    /// asynchronously), so memory stays flat whatever the month holds. Kind and method as in JSON (sale, refund, adjustment,
    /// reattribution; rate, fixed_per_unit); document time in brand time with its offset; amounts as yuan with two decimals, exact
    /// (<see cref="Yuan"/>); a rate's value stays basis points, a fixed amount per unit is yuan. Text typed by people
    /// (product, reason) that a spreadsheet would run as a formula is escaped (a leading <c>'</c>).
    /// </summary>
    public static async Task WriteAsync(IAsyncEnumerable<CommissionEntryRow> rows, Stream destination, BrandClock clock, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true }, leaveOpen: true);
        foreach (var column in Columns) csv.WriteField(column);
        await csv.EndRecordAsync(cancellationToken);
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(r.Id.ToString());
            csv.WriteField(r.GuideId.ToString());
            csv.WriteField(r.GuideName ?? "");
            csv.WriteField(r.StoreId.ToString());
            csv.WriteField(r.StoreName ?? "");
            csv.WriteField(r.DocumentNumber ?? "");
            csv.WriteField(Snake(r.Kind));
            csv.WriteField(clock.ToBrandTime(r.DocumentTime).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            csv.WriteField(r.PostingMonth);
            csv.WriteField(r.LineNo, "");
            csv.WriteField(r.Sku ?? "");
            csv.WriteField(r.Product ?? "");
            csv.WriteField(r.Category ?? "");
            csv.WriteField(r.Quantity, "");
            csv.WriteField(Yuan(r.CommissionableAmount), "0.00");
            csv.WriteField(r.Method is { } method ? Snake(method) : "");
            if (r.RuleValue is not { } value) csv.WriteField("");
            else if (r.Method == CommissionMethod.FixedPerUnit) csv.WriteField(Yuan(value), "0.00");
            else csv.WriteField(value, "");
            csv.WriteField(Yuan(r.Commission), "0.00");
            csv.WriteField(r.Reason ?? "");
            csv.WriteField(r.ActorId?.ToString() ?? "");
            await csv.EndRecordAsync(cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Fen as yuan: the same digits with the point moved two places (1234 → 12.34, -50 → -0.50), built from the integer, so exact;
    /// numbers, not text, so that a negative amount is not taken for a formula and escaped.
    /// </summary>
    public static decimal Yuan(long fen)
    {
        // Unsigned, so that long.MinValue (whose absolute value no long holds) converts too.
        var abs = fen < 0 ? (ulong)(-(fen + 1)) + 1 : (ulong)fen;
        return new decimal((int)(uint)abs, (int)(uint)(abs >> 32), 0, fen < 0, 2);
    }

    private static string Snake<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

/// <summary>One guide in one store in a posting month: the sums of their lines there.</summary>
public sealed record CommissionSummaryRow(Guid GuideId, string? GuideName, Guid StoreId, string? StoreName, CommissionTotals Totals);

/// <summary>A posting month's totals per guide and store, and over all of them (the sum of the rows, so of the details).</summary>
public sealed record CommissionSummary(string Month, IReadOnlyList<CommissionSummaryRow> Rows, CommissionTotals Totals);

/// <summary>HQ's monthly totals per guide and store of a posting month, optionally of one store or one area's stores.</summary>
public sealed record GetCommissionSummary(string? Month, Guid? StoreId, string? Area) : IRequest<CommissionSummary>
{
    internal CommissionEntryFilter Filter => new(Month, StoreId, Area: Area);
}

public sealed class GetCommissionSummaryValidator : AbstractValidator<GetCommissionSummary>
{
    public GetCommissionSummaryValidator() => CommissionEntryFilterRules.Check(this, x => x.Filter);
}

public sealed class GetCommissionSummaryHandler(GuideDbContext db) : IRequestHandler<GetCommissionSummary, CommissionSummary>
{
    public async Task<CommissionSummary> Handle(GetCommissionSummary request, CancellationToken cancellationToken)
    {
        // One GROUP BY (store, guide) over the month, the kinds as conditional sums; in the order of the (posting_month, store_id,
        // guide_id) index, so that the database can group along it. The names are joined to the groups, not to the lines. The grand totals are the rows' sums, so they equal the details by construction.
        var sums = request.Filter.Apply(db).GroupBy(e => new { e.StoreId, e.GuideId }).Select(g => new
        {
            g.Key.StoreId,
            g.Key.GuideId,
            SalesAmount = g.Sum(e => e.Kind == CommissionEntryKind.Sale ? e.CommissionableAmount : 0L),
            SalesCommission = g.Sum(e => e.Kind == CommissionEntryKind.Sale ? e.Commission : 0L),
            RefundAmount = g.Sum(e => e.Kind == CommissionEntryKind.Refund ? e.CommissionableAmount : 0L),
            RefundCommission = g.Sum(e => e.Kind == CommissionEntryKind.Refund ? e.Commission : 0L),
            AdjustmentAmount = g.Sum(e => e.Kind == CommissionEntryKind.Adjustment ? e.CommissionableAmount : 0L),
            AdjustmentCommission = g.Sum(e => e.Kind == CommissionEntryKind.Adjustment ? e.Commission : 0L),
            ReattributionAmount = g.Sum(e => e.Kind == CommissionEntryKind.Reattribution ? e.CommissionableAmount : 0L),
            ReattributionCommission = g.Sum(e => e.Kind == CommissionEntryKind.Reattribution ? e.Commission : 0L),
            NetAmount = g.Sum(e => e.CommissionableAmount),
            NetCommission = g.Sum(e => e.Commission),
        });
        var rows = await (from x in sums
                          join g in db.Guides.AsNoTracking() on x.GuideId equals g.Id into guides
                          from g in guides.DefaultIfEmpty()
                          join s in db.Stores.AsNoTracking() on x.StoreId equals s.Id into stores
                          from s in stores.DefaultIfEmpty()
                          select new
                          {
                              x,
                              GuideName = g != null ? g.Name : null,
                              StoreCode = s != null ? s.Code : null,
                              StoreName = s != null ? s.Name : null,
                          }).ToListAsync(cancellationToken);
        var summary = rows
            .OrderBy(r => r.StoreCode, StringComparer.Ordinal).ThenBy(r => r.x.StoreId).ThenBy(r => r.GuideName, StringComparer.Ordinal).ThenBy(r => r.x.GuideId)
            .Select(r => new CommissionSummaryRow(r.x.GuideId, r.GuideName, r.x.StoreId, r.StoreName, new CommissionTotals(r.x.SalesAmount,
                r.x.SalesCommission, r.x.RefundAmount, r.x.RefundCommission, r.x.AdjustmentAmount, r.x.AdjustmentCommission, r.x.ReattributionAmount, r.x.ReattributionCommission, r.x.NetAmount, r.x.NetCommission)))
            .ToList();
        CommissionMonths.TryParse(request.Month, out var month);
        return new CommissionSummary(CommissionMonths.Text(month), summary, summary.Aggregate(CommissionTotals.Zero, (t, r) => t.Add(r.Totals)));
    }
}

/// <summary>What the guide workbench shows of a posting month: whose lines (<see cref="GuideId"/>; none: every line of the
/// caller's stores), one page of them, and the totals of all of them.</summary>
public sealed record GuideCommissionReport(string Month, Guid? GuideId, Page<CommissionEntryRow> Lines, CommissionTotals Totals);

/// <summary>
/// The guide workbench's commission of a posting month. A guide sees their own lines (wherever they were posted). A store
/// manager without <see cref="GuideId"/> sees every line of their store, and with the id of a guide who works there now that
/// guide's lines of the store; an area manager the same for the stores of their areas (and their own). Asking for any other
/// guide (one of another store, one that does not exist, or anyone but oneself as a plain guide) is <c>commission.not_your_guide</c>.
/// </summary>
public sealed record GetGuideCommissions(Guid CallerId, string? Month, Guid? GuideId, int? Page, int? PageSize) : IRequest<GuideCommissionReport>
{
    public static readonly DomainError NotYourGuide =
        DomainError.Forbidden("commission.not_your_guide", "This guide is not you, nor a guide of a store you manage.");
}

public sealed class GetGuideCommissionsValidator : AbstractValidator<GetGuideCommissions>
{
    public GetGuideCommissionsValidator() => CommissionMonths.MustBeMonth(this, x => x.Month);
}

public sealed class GetGuideCommissionsHandler(GuideDbContext db) : IRequestHandler<GetGuideCommissions, GuideCommissionReport>
{
    public async Task<GuideCommissionReport> Handle(GetGuideCommissions request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadAsync(db, request.CallerId, cancellationToken);
        var entries = new CommissionEntryFilter(request.Month).Apply(db);
        var stores = scope.StoreIds.ToList();
        if (request.GuideId is not { } guideId || guideId == scope.GuideId)
        {
            entries = scope.Role == GuideRole.Guide || request.GuideId is not null
                ? entries.Where(e => e.GuideId == scope.GuideId)
                : entries.Where(e => stores.Contains(e.StoreId));
        }
        else
        {
            // A manager's guide is one who works in a store they manage now; they see that guide's lines of those stores only.
            var target = scope.Role == GuideRole.Guide
                ? null
                : await db.Guides.AsNoTracking().Where(g => g.Id == guideId).Select(g => (Guid?)g.StoreId).SingleOrDefaultAsync(cancellationToken);
            if (target is not { } targetStore || !scope.Covers(targetStore)) throw new DomainException(GetGuideCommissions.NotYourGuide);
            entries = entries.Where(e => e.GuideId == guideId && stores.Contains(e.StoreId));
        }
        var page = await CommissionEntryRows.Of(db, entries).PageAsync(request.Page, request.PageSize, cancellationToken);
        CommissionMonths.TryParse(request.Month, out var month);
        return new GuideCommissionReport(CommissionMonths.Text(month), request.GuideId ?? (scope.Role == GuideRole.Guide ? scope.GuideId : null),
            page.Map(CommissionEntryRows.ToRow), await CommissionTotals.OfAsync(entries, cancellationToken));
    }
}
