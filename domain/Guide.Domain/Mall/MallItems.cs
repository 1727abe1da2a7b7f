using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>An item as HQ sees it.</summary>
public sealed record MallItemView(Guid Id, string Name, MallItemKind Kind, long PointsPrice, long CashPrice, long Stock, int? LimitPerDay, int? LimitTotal,
    IReadOnlyList<int> AllowedLevels, DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, bool Archived, DateTimeOffset CreatedAt)
{
    public static MallItemView Of(MallItem i) =>
        new(i.Id, i.Name, i.Kind, i.PointsPrice, i.CashPrice, i.Stock, i.LimitPerDay, i.LimitTotal, i.AllowedLevels, i.OnSaleFrom, i.OnSaleUntil, i.Archived, i.CreatedAt);
}

/// <summary>What HQ states of an item (its kind and first stock only at creation: stock changes by restocks).</summary>
public interface IMallItemTerms
{
    string Name { get; }
    long PointsPrice { get; }
    long CashPrice { get; }
    int? LimitPerDay { get; }
    int? LimitTotal { get; }
    IReadOnlyList<int>? AllowedLevels { get; }
    DateTimeOffset? OnSaleFrom { get; }
    DateTimeOffset? OnSaleUntil { get; }
}

public abstract class MallItemTermsValidator<T> : AbstractValidator<T> where T : IMallItemTerms
{
    public const long MaxPointsPrice = 100_000_000;
    /// <summary>100,000 yuan: more is a typing error, and far above what one WeChat Pay order of a mall item should be.</summary>
    public const long MaxCashPrice = 10_000_000;

    protected MallItemTermsValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("A name is required.").MaximumLength(MallItem.NameMaxLength);
        RuleFor(x => x.PointsPrice).InclusiveBetween(1, MaxPointsPrice);
        RuleFor(x => x.CashPrice).InclusiveBetween(0, MaxCashPrice).WithMessage("cashPrice is fen from 0 (points only) to 10000000.");
        RuleFor(x => x.LimitPerDay).InclusiveBetween(1, 10_000).When(x => x.LimitPerDay is not null);
        RuleFor(x => x.LimitTotal).InclusiveBetween(1, 10_000).When(x => x.LimitTotal is not null);
        RuleFor(x => x.AllowedLevels).Must(l => l is null || (l.Count <= 20 && l.All(r => r is >= 0 and <= 100)))
            .WithMessage("At most 20 level ranks, each 0 to 100.");
        RuleFor(x => x.OnSaleUntil).Must((x, until) => until is null || x.OnSaleFrom is null || x.OnSaleFrom < until)
            .WithMessage("onSaleUntil is after onSaleFrom.");
    }
}

public sealed record CreateMallItem(MallItemKind Kind, string Name, long PointsPrice, long CashPrice, int? LimitPerDay, int? LimitTotal, IReadOnlyList<int>? AllowedLevels,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, long Stock) : ICommand<MallItemView>, IMallItemTerms;

public sealed class CreateMallItemValidator : MallItemTermsValidator<CreateMallItem>
{
    public CreateMallItemValidator()
    {
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.Stock).InclusiveBetween(0, RestockMallItem.MaxQuantity);
        RuleFor(x => x.Stock).Equal(0).When(x => x.Kind == MallItemKind.Coupon).WithMessage("A coupon item's stock is its codes: import them.");
    }
}

public sealed class CreateMallItemHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CreateMallItem, MallItemView>
{
    public async Task<MallItemView> Handle(CreateMallItem t, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var item = new MallItem(t.Name, t.Kind, t.PointsPrice, t.CashPrice, t.LimitPerDay, t.LimitTotal, t.AllowedLevels ?? [], t.OnSaleFrom, t.OnSaleUntil, now);
        db.MallItems.Add(item);
        db.MallStockEntries.Add(item.StartWith(t.Stock, now));
        await db.SaveChangesAsync(cancellationToken);
        return MallItemView.Of(item);
    }
}

public sealed record UpdateMallItem(Guid ItemId, string Name, long PointsPrice, long CashPrice, int? LimitPerDay, int? LimitTotal, IReadOnlyList<int>? AllowedLevels,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil) : ICommand<MallItemView>, IMallItemTerms;

public sealed class UpdateMallItemValidator : MallItemTermsValidator<UpdateMallItem>;

public sealed class UpdateMallItemHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateMallItem, MallItemView>
{
    public async Task<MallItemView> Handle(UpdateMallItem t, CancellationToken cancellationToken)
    {
        var item = await db.MallItems.SingleOrDefaultAsync(i => i.Id == t.ItemId, cancellationToken) ?? throw new DomainException(MallItem.NotFound);
        item.Update(t.Name, t.PointsPrice, t.CashPrice, t.LimitPerDay, t.LimitTotal, t.AllowedLevels ?? [], t.OnSaleFrom, t.OnSaleUntil, clock.UtcNow);
        // EF writes only the changed columns: Stock (the ledger's) is never among them.
        await db.SaveChangesAsync(cancellationToken);
        return MallItemView.Of(item);
    }
}

/// <summary>Takes an item off the mall for good; its redemptions stay (and can still be fulfilled or cancelled).</summary>
public sealed record ArchiveMallItem(Guid ItemId) : ICommand<MallItemView>;

public sealed class ArchiveMallItemHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ArchiveMallItem, MallItemView>
{
    public async Task<MallItemView> Handle(ArchiveMallItem request, CancellationToken cancellationToken)
    {
        var item = await db.MallItems.SingleOrDefaultAsync(i => i.Id == request.ItemId, cancellationToken) ?? throw new DomainException(MallItem.NotFound);
        item.Archive(clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        return MallItemView.Of(item);
    }
}

public sealed record ListMallItems(bool IncludeArchived) : IRequest<IReadOnlyList<MallItemView>>;

public sealed class ListMallItemsHandler(GuideDbContext db) : IRequestHandler<ListMallItems, IReadOnlyList<MallItemView>>
{
    public async Task<IReadOnlyList<MallItemView>> Handle(ListMallItems request, CancellationToken cancellationToken)
    {
        var items = await db.MallItems.AsNoTracking().Where(i => request.IncludeArchived || i.ArchivedAt == null)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        return items.Select(MallItemView.Of).ToList();
    }
}
