using Guide.Domain.Common;
using Guide.Domain.Documents;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

/// <summary>
/// Points of sales documents, posted in the document's own transaction and keyed by the document (so never
/// twice). A sale with a member earns floor(eligible paid fen / 100 × rate per yuan × level multiplier), frozen for the
/// return window. A refund takes back the points of the refunded share of each line: per original line,
/// floor(line's points × refunded so far / line paid) less what earlier refunds took, so a full refund takes
/// back exactly what the line earned and never more.
/// </summary>
public sealed class PurchasePoints(GuideDbContext db, PointsAccounts accounts, Levels.IPointsMultiplier multiplier, BrandClock clock)
{
    public static string EarnKey(Guid documentId) => $"points-purchase:{documentId:N}";
    public static string ReversalKey(Guid documentId) => $"points-reversal:{documentId:N}";

    /// <summary>Points a sale earns: the eligible share of what was paid (no payments listed: all of it).</summary>
    public static long PointsOf(long totalPaid, IEnumerable<(PaymentMethod Method, long Amount)> payments, PointsSettings settings, decimal multiplier)
    {
        var list = payments.ToList();
        var eligible = list.Count == 0 ? totalPaid : list.Where(p => settings.Earns(p.Method)).Sum(p => p.Amount);
        return (long)decimal.Floor(eligible * (decimal)settings.PointsPer100Yuan * multiplier / 10_000m);
    }

    /// <summary>Each line's part of the document's points, proportional to what it paid (largest remainders; sums to the total).</summary>
    public static Dictionary<int, long> Allocate(long points, IReadOnlyList<(int LineNo, long Paid)> lines)
    {
        var total = lines.Sum(l => l.Paid);
        var result = lines.ToDictionary(l => l.LineNo, l => total == 0 ? 0 : (long)((decimal)points * l.Paid / total));
        var left = points - result.Values.Sum();
        foreach (var l in lines.OrderByDescending(l => total == 0 ? 0 : (decimal)points * l.Paid % total).ThenBy(l => l.LineNo))
        {
            if (left <= 0) break;
            result[l.LineNo]++;
            left--;
        }
        return result;
    }

    /// <summary>What a refund takes back, given each original line's points and paid amount and the refunded amounts before and with it.</summary>
    public static long ReversalOf(IReadOnlyDictionary<int, long> linePoints, IReadOnlyDictionary<int, long> linePaid,
        IReadOnlyDictionary<int, long> refundedBefore, IReadOnlyDictionary<int, long> refundedNow)
    {
        long sum = 0;
        foreach (var (lineNo, now) in refundedNow)
        {
            var paid = linePaid[lineNo];
            var points = linePoints.GetValueOrDefault(lineNo);
            if (paid == 0 || points == 0) continue;
            var before = refundedBefore.GetValueOrDefault(lineNo);
            var after = Math.Min(paid, before + now);
            sum += (long)((decimal)points * after / paid) - (long)((decimal)points * before / paid);
        }
        return sum;
    }

    public async Task PostSaleAsync(SalesDocument sale, CancellationToken cancellationToken)
    {
        if (sale.MemberId is not { } memberId) return;
        var settings = await PointsSettings.ReadAsync(db, cancellationToken);
        var points = PointsOf(sale.TotalPaid, sale.Payments.Select(p => (p.Method, p.Amount)), settings,
            await multiplier.ForMemberAsync(memberId, cancellationToken));
        if (points <= 0) return;
        var account = await accounts.LockAsync(memberId, clock.UtcNow, cancellationToken);
        account.Earn(PointsEntryKind.Purchase, EarnKey(sale.Id), clock.UtcNow, points, PointsLotSource.Purchase, sale.Id, sale.DocumentTime,
            settings.ExpiryOf(sale.DocumentTime, clock.Zone), sale.DocumentTime.AddDays(settings.ReturnWindowDays), sale.DocumentNumber, null);
    }

    /// <summary>
    /// Under the original sale's row lock (taken by the document handler), so refunds of one sale see each other;
    /// <paramref name="refundedBefore"/>: the paid amount earlier refunds returned per sale line.
    /// </summary>
    public async Task PostRefundAsync(SalesDocument refund, Guid originalId, IReadOnlyCollection<SalesDocumentLine> originalLines,
        IReadOnlyDictionary<int, long> refundedBefore, CancellationToken cancellationToken)
    {
        var earned = await db.Set<PointsEntry>().AsNoTracking().Where(e => e.SourceKey == EarnKey(originalId))
            .Select(e => new { e.MemberId, e.Delta }).SingleOrDefaultAsync(cancellationToken);
        if (earned is null || earned.Delta <= 0) return;
        var linePaid = originalLines.ToDictionary(l => l.LineNo, l => l.PaidAmount);
        var linePoints = Allocate(earned.Delta, originalLines.Select(l => (l.LineNo, l.PaidAmount)).ToList());
        var now = refund.Lines.GroupBy(l => l.OriginalLineNo!.Value).ToDictionary(g => g.Key, g => g.Sum(l => l.PaidAmount));
        var points = ReversalOf(linePoints, linePaid, refundedBefore, now);
        if (points <= 0) return;
        var settings = await PointsSettings.ReadAsync(db, cancellationToken);
        var account = await accounts.LockAsync(earned.MemberId, clock.UtcNow, cancellationToken);
        var lot = account.OpenLots.FirstOrDefault(l => l.SourceId == originalId && l.Source == PointsLotSource.Purchase)?.Id;
        account.Reverse(ReversalKey(refund.Id), clock.UtcNow, points, lot, settings.RefundPolicy, refund.DocumentNumber);
    }
}
