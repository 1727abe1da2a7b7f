using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>An item of the shopper's catalogue: whether they may redeem one unit now, and if not, the first reason.</summary>
public sealed record MallCatalogItem(Guid Id, string Name, MallItemKind Kind, long PointsPrice, long CashPrice, long Stock, int? LimitPerDay, int? LimitTotal,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, bool Redeemable, MallRefusal? Reason);

/// <summary>The items not archived, for one member, with what they may redeem now (the redemption re-checks all of it under its locks).</summary>
public sealed record GetMallCatalog(Guid MemberId) : IRequest<IReadOnlyList<MallCatalogItem>>;

public sealed class GetMallCatalogHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetMallCatalog, IReadOnlyList<MallCatalogItem>>
{
    public async Task<IReadOnlyList<MallCatalogItem>> Handle(GetMallCatalog request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var level = await db.Members.AsNoTracking().Where(m => m.Id == request.MemberId).Select(m => (int?)m.Level).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var lots = await db.PointsLots.AsNoTracking().Where(l => l.MemberId == request.MemberId && l.Remaining > 0).ToListAsync(cancellationToken);
        var spendable = lots.Where(l => l.IsSpendableAt(now)).Sum(l => l.Remaining);
        var dayStart = MallItem.BrandDayStart(clock, now);
        var redeemed = await db.MallRedemptions.AsNoTracking()
            .Where(r => r.MemberId == request.MemberId && r.Status != MallRedemptionStatus.Cancelled && r.Status != MallRedemptionStatus.Closed)
            .Select(r => new { r.ItemId, r.Quantity, r.CreatedAt }).ToListAsync(cancellationToken);
        var items = await db.MallItems.AsNoTracking().Where(i => i.ArchivedAt == null).ToListAsync(cancellationToken);
        return items.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).Select(i =>
        {
            var mine = redeemed.Where(r => r.ItemId == i.Id).ToList();
            var reason = i.RefusalFor(now, level, spendable, mine.Where(r => r.CreatedAt >= dayStart).Sum(r => (long)r.Quantity),
                mine.Sum(r => (long)r.Quantity), 1, i.Stock);
            return new MallCatalogItem(i.Id, i.Name, i.Kind, i.PointsPrice, i.CashPrice, i.Stock, i.LimitPerDay, i.LimitTotal, i.OnSaleFrom, i.OnSaleUntil, reason is null, reason);
        }).ToList();
    }
}

/// <summary>The member's redemptions, newest first (paged).</summary>
public sealed record ListMyMallRedemptions(Guid MemberId, int? Page, int? PageSize) : IRequest<Page<MallRedemptionView>>;

public sealed class ListMyMallRedemptionsHandler(GuideDbContext db) : IRequestHandler<ListMyMallRedemptions, Page<MallRedemptionView>>
{
    public async Task<Page<MallRedemptionView>> Handle(ListMyMallRedemptions request, CancellationToken cancellationToken)
    {
        var page = await db.MallRedemptions.AsNoTracking().Where(r => r.MemberId == request.MemberId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).PageAsync(request.Page, request.PageSize, cancellationToken);
        return page.Map(MallRedemptionView.Of);
    }
}

/// <summary>One redemption; with <see cref="MemberId"/>, only that member's (another's is not found).</summary>
public sealed record GetMallRedemption(Guid RedemptionId, Guid? MemberId) : IRequest<MallRedemptionView>;

public sealed class GetMallRedemptionHandler(GuideDbContext db) : IRequestHandler<GetMallRedemption, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(GetMallRedemption request, CancellationToken cancellationToken)
    {
        var redemption = await db.MallRedemptions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RedemptionId, cancellationToken);
        if (redemption is null || (request.MemberId is { } member && redemption.MemberId != member)) throw new DomainException(MallRedemption.NotFound);
        return MallRedemptionView.Of(redemption);
    }
}
