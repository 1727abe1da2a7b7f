using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

public sealed record PointsLotView(Guid Id, PointsLotSource Source, Guid? SourceId, long Amount, long Remaining, DateTimeOffset EarnedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? FrozenUntil);

/// <summary>
/// A member's points: <see cref="Available"/> spendable now, <see cref="Frozen"/> in the return window,
/// <see cref="Debt"/> owed; what of it expires within 30 days and the earliest such expiry.
/// </summary>
public sealed record PointsView(Guid MemberId, long Available, long Frozen, long Debt, long Balance, long ExpiringWithin30Days,
    DateTimeOffset? EarliestExpiry, IReadOnlyList<PointsLotView> Lots);

public sealed record PointsEntryView(Guid Id, PointsEntryKind Kind, long Delta, long BalanceAfter, long DebtAfter, long Absorbed, string? Reference,
    string? Note, DateTimeOffset OccurredAt);

public sealed record GetPoints(Guid MemberId, bool WithLots = false) : IRequest<PointsView>;

public sealed class GetPointsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetPoints, PointsView>
{
    public async Task<PointsView> Handle(GetPoints request, CancellationToken cancellationToken)
    {
        var account = await db.PointsAccounts.AsNoTracking().Where(a => a.MemberId == request.MemberId)
            .Select(a => new { a.Balance, a.Debt }).SingleOrDefaultAsync(cancellationToken);
        if (account is null && !await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var now = clock.UtcNow;
        var lots = account is null ? [] : await db.PointsLots.AsNoTracking().Where(l => l.MemberId == request.MemberId && l.Remaining > 0)
            .OrderBy(l => l.EarnedAt).ThenBy(l => l.Id)
            .Select(l => new PointsLotView(l.Id, l.Source, l.SourceId, l.Amount, l.Remaining, l.EarnedAt, l.ExpiresAt, l.FrozenUntil))
            .ToListAsync(cancellationToken);
        var live = lots.Where(l => l.ExpiresAt is not { } e || e > now).ToList();
        var frozen = live.Where(l => l.FrozenUntil is { } f && f > now).Sum(l => l.Remaining);
        var available = live.Sum(l => l.Remaining) - frozen;
        var soon = live.Where(l => l.ExpiresAt is { } e && e <= now.AddDays(30)).ToList();
        return new PointsView(request.MemberId, available, frozen, account?.Debt ?? 0, account?.Balance ?? 0, soon.Sum(l => l.Remaining),
            soon.Count == 0 ? null : soon.Min(l => l.ExpiresAt), request.WithLots ? lots : []);
    }
}

public sealed record ListPointsEntries(Guid MemberId, int? Page, int? PageSize) : IRequest<Page<PointsEntryView>>;

public sealed class ListPointsEntriesHandler(GuideDbContext db) : IRequestHandler<ListPointsEntries, Page<PointsEntryView>>
{
    public async Task<Page<PointsEntryView>> Handle(ListPointsEntries request, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        return await db.PointsEntries.AsNoTracking().Where(e => e.MemberId == request.MemberId)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Select(e => new PointsEntryView(e.Id, e.Kind, e.Delta, e.BalanceAfter, e.DebtAfter, e.Absorbed, e.Reference, e.Note, e.OccurredAt))
            .PageAsync(request.Page, request.PageSize, cancellationToken);
    }
}

/// <summary>One expiry month (brand time, <c>yyyy-MM</c>; <c>never</c> for lots that do not expire) and its outstanding points.</summary>
public sealed record PointsLiabilityMonth(string ExpiryMonth, long Points, int Lots);

public sealed record PointsLiabilityReport(long Outstanding, long Debt, IReadOnlyList<PointsLiabilityMonth> ByExpiryMonth);

/// <summary>Outstanding points (lots' remainders) by expiry month; streams the lots, so memory stays bounded.</summary>
public sealed record GetPointsLiabilityReport : IRequest<PointsLiabilityReport>;

public sealed class GetPointsLiabilityReportHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetPointsLiabilityReport, PointsLiabilityReport>
{
    public async Task<PointsLiabilityReport> Handle(GetPointsLiabilityReport request, CancellationToken cancellationToken)
    {
        var months = new SortedDictionary<string, (long Points, int Lots)>(StringComparer.Ordinal);
        await foreach (var lot in db.PointsLots.AsNoTracking().Where(l => l.Remaining > 0).Select(l => new { l.Remaining, l.ExpiresAt })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            // Expiring at brand midnight of the 1st (yearly clearing) belongs to the month before: the last day it is held.
            var key = lot.ExpiresAt is { } at ? clock.ToBrandTime(at.AddTicks(-1)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture) : "never";
            var (p, n) = months.GetValueOrDefault(key);
            months[key] = (p + lot.Remaining, n + 1);
        }
        var debt = await db.PointsAccounts.SumAsync(a => (long?)a.Debt, cancellationToken) ?? 0;
        return new PointsLiabilityReport(months.Values.Sum(v => v.Points), debt,
            months.Select(m => new PointsLiabilityMonth(m.Key, m.Value.Points, m.Value.Lots)).ToList());
    }
}
