using System.Globalization;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Documents;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Commissions;

/// <summary>Commission months as yyyyMM numbers of the brand's calendar, and their text yyyy-MM.</summary>
public static class CommissionMonths
{
    // Nobody posts commission in another millennium; the bounds keep a month's instants inside DateTimeOffset.
    public const int FirstYear = 2000, LastYear = 2999;

    public static int Of(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Year * 100 + local.Month;
    }

    public static int Next(int month) => month % 100 == 12 ? (month / 100 + 1) * 100 + 1 : month + 1;

    public static string Text(int month) => (month / 100).ToString("D4", CultureInfo.InvariantCulture) + "-" + (month % 100).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>Exactly four ASCII digits, '-', two ASCII digits; month 01 to 12; years <see cref="FirstYear"/> to <see cref="LastYear"/>.</summary>
    public static bool TryParse(string? text, out int month)
    {
        month = 0;
        if (text is not { Length: 7 } || text[4] != '-') return false;
        for (var i = 0; i < 7; i++)
            if (i != 4 && !char.IsAsciiDigit(text[i])) return false;
        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var m = int.Parse(text.AsSpan(5, 2), CultureInfo.InvariantCulture);
        if (year is < FirstYear or > LastYear || m is < 1 or > 12) return false;
        month = year * 100 + m;
        return true;
    }

    internal static void MustBeMonth<T>(AbstractValidator<T> validator, Func<T, string?> month) =>
        validator.RuleFor(x => month(x)).Must(m => TryParse(m, out _)).WithName("month")
            .WithMessage($"'month' is a posting month yyyy-MM, {FirstYear}-01 to {LastYear}-12.");
}

/// <summary>
/// The commission ledger's gate, read at the start of every posting: the settings (what the base includes) and the
/// closed months from the document's month on, both under a shared lock of the settings row (MySQL
/// <c>LOCK IN SHARE MODE</c>; SQLite serializes writers anyway). Closing a month takes that row exclusively, so a
/// close waits for the postings in flight and every posting after it sees the month closed: nothing lands in a
/// month after its close commits.
/// </summary>
public sealed record CommissionGate(CommissionSettings Settings, int PostingMonth)
{
    public static async Task<CommissionGate> ShareAsync(GuideDbContext db, Transactions transactions, int documentMonth, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        CommissionSettings? settings = null;
        var closed = new HashSet<int>();
        var share = batch.Dialect == SqlDialect.MySql ? " LOCK IN SHARE MODE" : "";
        batch.Query("SELECT IncludeCash, IncludeWalletPrincipal, IncludeWalletGift, IncludePoints, IncludeCoupons FROM commission_settings " +
                    $"WHERE Id = {batch.P(CommissionSettings.SingletonId)}{share}",
            row => settings = CommissionSettings.Of(row.Bool(0), row.Bool(1), row.Bool(2), row.Bool(3), row.Bool(4)));
        batch.Query($"SELECT Month FROM commission_periods WHERE Closed = {batch.P(true)} AND Month >= {batch.P(documentMonth)}", row => closed.Add(row.Int(0)));
        await batch.ExecuteAsync(cancellationToken);
        var month = documentMonth;
        while (closed.Contains(month)) month = CommissionMonths.Next(month);
        return new CommissionGate(settings ?? throw new InvalidOperationException("commission_settings has no row: the migration seeds it."), month);
    }

    /// <summary>The exclusive side: a month's close or reopening (and HQ's rule writes) queue here behind the postings in flight.</summary>
    public static async Task LockAsync(GuideDbContext db, Transactions transactions, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        batch.Query($"SELECT Id FROM commission_settings WHERE Id = {batch.P(CommissionSettings.SingletonId)}{batch.ForUpdate}", _ => { });
        await batch.ExecuteAsync(cancellationToken);
    }
}

/// <summary>
/// Commission entries of sales documents, posted in the document's own transaction and keyed by document and line
/// (so never twice). A sale attributed to a guide: one entry per line, its commissionable amount the line's share of
/// what the settings include of the payments (apportioned by paid amount, the remainder to the last line, so the lines
/// add up to the document), at the most specific rule of the document's brand date (SKU, product, category, default;
/// no rule: commission 0, the performance still counts). A refund: per refunded line, the refunded share of the sale
/// line's receipts, cumulative over the sale's refunds (floor of the sale entry's amount and commission times refunded so
/// far over paid, less what earlier refunds took), so a full refund takes back exactly what the line earned, at the
/// sale's rule and base, dated by the refund's own time, taken from the guide who holds the line now (its latest re-attribution's, else
/// the sale's guide, in the store they hold it in). Both post in the first month from the document's that is
/// not closed; the original month is never touched.
/// </summary>
public sealed class CommissionPosting(GuideDbContext db, Transactions transactions, LedgerWrites writes, BrandClock clock)
{
    public static string SaleKey(Guid documentId, int lineNo) => $"commission-sale:{documentId:N}:{lineNo}";
    public static string RefundKey(Guid documentId, int lineNo) => $"commission-refund:{documentId:N}:{lineNo}";

    /// <summary>Each line's commissionable amount: the included payments apportioned by the lines' paid amounts.</summary>
    public static Dictionary<int, long> Apportion(IReadOnlyList<(int LineNo, long Paid)> lines, IEnumerable<(PaymentMethod Method, long Amount)> payments,
        long totalPaid, CommissionSettings settings)
    {
        var listed = payments.ToList();
        var included = listed.Count == 0 ? totalPaid : listed.Where(p => settings.Includes(p.Method)).Sum(p => p.Amount);
        var total = lines.Sum(l => l.Paid);
        var ordered = lines.OrderBy(l => l.LineNo).ToList();
        var result = new Dictionary<int, long>();
        long given = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var share = total == 0 ? 0
                : i == ordered.Count - 1 ? included - given
                : (long)decimal.Floor((decimal)ordered[i].Paid * included / total);
            result[ordered[i].LineNo] = share;
            given += share;
        }
        return result;
    }

    /// <summary>The rule of a line: the most specific live rule of its SKU, product, category, or the default.</summary>
    public static CommissionRule? RuleOf(IReadOnlyCollection<CommissionRule> rules, string sku, string product, string? category) =>
        rules.FirstOrDefault(r => r.Scope == CommissionScope.Sku && r.ScopeValue == sku)
        ?? rules.FirstOrDefault(r => r.Scope == CommissionScope.Product && r.ScopeValue == product)
        ?? rules.FirstOrDefault(r => r.Scope == CommissionScope.Category && category is not null && r.ScopeValue == category)
        ?? rules.FirstOrDefault(r => r.Scope == CommissionScope.Default);

    public async Task PostSaleAsync(SalesDocument sale, CancellationToken cancellationToken)
    {
        if (sale.GuideId is not { } guideId || sale.Lines.Count == 0) return;
        var storeId = sale.StoreId ?? await db.Guides.AsNoTracking().Where(g => g.Id == guideId).Select(g => g.StoreId).SingleAsync(cancellationToken);
        var gate = await CommissionGate.ShareAsync(db, transactions, CommissionMonths.Of(sale.DocumentTime, clock.Zone), cancellationToken);
        var amounts = Apportion(sale.Lines.Select(l => (l.LineNo, l.PaidAmount)).ToList(), sale.Payments.Select(p => (p.Method, p.Amount)), sale.TotalPaid,
            gate.Settings);
        var day = DateOnly.FromDateTime(clock.ToBrandTime(sale.DocumentTime).DateTime);
        var rules = await RulesOnAsync(sale.Lines, day, cancellationToken);
        var now = clock.UtcNow;
        foreach (var line in sale.Lines.OrderBy(l => l.LineNo))
        {
            var rule = RuleOf(rules, line.Sku, line.Product, line.Category);
            var amount = amounts[line.LineNo];
            writes.Insert(new CommissionEntry(CommissionEntryKind.Sale, SaleKey(sale.Id, line.LineNo), guideId, storeId, sale.Id, sale.DocumentNumber,
                sale.DocumentTime, gate.PostingMonth, line.LineNo, line.Sku, line.Product, line.Category, line.Quantity, amount, rule?.Id, rule?.Method,
                rule?.Value, rule?.CommissionOf(amount, line.Quantity) ?? 0, null, null, now));
        }
    }

    /// <summary>
    /// Under the original sale's row lock (taken by the document handler), so refunds of one sale see each other;
    /// <paramref name="refundedBefore"/>: the paid amount earlier refunds returned per sale line.
    /// </summary>
    public async Task PostRefundAsync(SalesDocument refund, Guid originalId, IReadOnlyCollection<SalesDocumentLine> originalLines,
        IReadOnlyDictionary<int, long> refundedBefore, CancellationToken cancellationToken)
    {
        // The sale's entries and its re-attributions: a refund takes back from whoever holds the line now.
        var sold = CommissionHolders.Of(await db.CommissionEntries.AsNoTracking()
            .Where(e => e.DocumentId == originalId && (e.Kind == CommissionEntryKind.Sale || e.Kind == CommissionEntryKind.Reattribution))
            .ToListAsync(cancellationToken));
        if (sold.Count == 0) return; // the sale was not attributed: nothing to take back
        var gate = await CommissionGate.ShareAsync(db, transactions, CommissionMonths.Of(refund.DocumentTime, clock.Zone), cancellationToken);
        var paid = originalLines.ToDictionary(l => l.LineNo, l => l.PaidAmount);
        var refunded = new Dictionary<int, long>(refundedBefore);
        var now = clock.UtcNow;
        foreach (var line in refund.Lines.OrderBy(l => l.LineNo))
        {
            var no = line.OriginalLineNo!.Value;
            if (!sold.TryGetValue(no, out var held) || !paid.TryGetValue(no, out var linePaid) || linePaid == 0) continue;
            var sale = held.Sale;
            var before = Math.Min(linePaid, refunded.GetValueOrDefault(no));
            var after = Math.Min(linePaid, before + line.PaidAmount);
            refunded[no] = after;
            long Share(long total) => (long)decimal.Floor((decimal)total * after / linePaid) - (long)decimal.Floor((decimal)total * before / linePaid);
            writes.Insert(new CommissionEntry(CommissionEntryKind.Refund, RefundKey(refund.Id, line.LineNo), held.GuideId, held.StoreId, refund.Id,
                refund.DocumentNumber, refund.DocumentTime, gate.PostingMonth, line.LineNo, sale.Sku, sale.Product, sale.Category, -line.Quantity,
                -Share(sale.CommissionableAmount), sale.RuleId, sale.Method, sale.RuleValue, -Share(sale.Commission), sale.Id, null, now));
        }
    }

    private async Task<List<CommissionRule>> RulesOnAsync(IReadOnlyCollection<SalesDocumentLine> lines, DateOnly day, CancellationToken cancellationToken)
    {
        var skus = lines.Select(l => l.Sku).Distinct().ToList();
        var products = lines.Select(l => l.Product).Distinct().ToList();
        var categories = lines.Where(l => l.Category != null).Select(l => l.Category!).Distinct().ToList();
        return await db.CommissionRules.AsNoTracking()
            .Where(r => r.DeletedAt == null && r.EffectiveFrom <= day && (r.EffectiveTo == null || r.EffectiveTo >= day))
            .Where(r => r.Scope == CommissionScope.Default
                        || (r.Scope == CommissionScope.Sku && skus.Contains(r.ScopeValue))
                        || (r.Scope == CommissionScope.Product && products.Contains(r.ScopeValue))
                        || (r.Scope == CommissionScope.Category && categories.Contains(r.ScopeValue)))
            .ToListAsync(cancellationToken);
    }
}
