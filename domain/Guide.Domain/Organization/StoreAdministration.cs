using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Organization;

public sealed record StoreView(Guid Id, string Code, string Name, string Area, bool Active);

public sealed record ListStores(string? Area) : IRequest<IReadOnlyList<StoreView>>;

public sealed class ListStoresHandler(GuideDbContext db) : IRequestHandler<ListStores, IReadOnlyList<StoreView>>
{
    public async Task<IReadOnlyList<StoreView>> Handle(ListStores request, CancellationToken cancellationToken)
    {
        var query = db.Stores.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Area)) query = query.Where(s => s.Area == request.Area);
        return await query.OrderBy(s => s.Code).Select(s => new StoreView(s.Id, s.Code, s.Name, s.Area, s.Active)).ToListAsync(cancellationToken);
    }
}

/// <summary>HQ opens a store. Store codes are the brand's own and unique.</summary>
public sealed record CreateStore(string Code, string Name, string Area) : ICommand<StoreView>;

public sealed class CreateStoreValidator : AbstractValidator<CreateStore>
{
    public CreateStoreValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(Store.CodeMaxLength).Matches("^[A-Za-z0-9_-]+$")
            .WithMessage("Store code: letters, digits, '-' and '_' only.");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Area).NotEmpty().MaximumLength(64);
    }
}

public sealed class CreateStoreHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CreateStore, StoreView>
{
    public async Task<StoreView> Handle(CreateStore request, CancellationToken cancellationToken)
    {
        if (await db.Stores.AnyAsync(s => s.Code == request.Code, cancellationToken))
            throw new DomainException(DomainError.Conflict("store.code_taken", $"Store code {request.Code} is already used."));
        var store = new Store(request.Code, request.Name.Trim(), request.Area.Trim(), clock.UtcNow);
        db.Stores.Add(store);
        await db.SaveChangesAsync(cancellationToken);
        return new StoreView(store.Id, store.Code, store.Name, store.Area, store.Active);
    }
}

public sealed record UpdateStore(Guid StoreId, string Name, string Area, bool Active) : ICommand<StoreView>;

public sealed class UpdateStoreValidator : AbstractValidator<UpdateStore>
{
    public UpdateStoreValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Area).NotEmpty().MaximumLength(64);
    }
}

public sealed class UpdateStoreHandler(GuideDbContext db) : IRequestHandler<UpdateStore, StoreView>
{
    public async Task<StoreView> Handle(UpdateStore request, CancellationToken cancellationToken)
    {
        var store = await db.Stores.SingleOrDefaultAsync(s => s.Id == request.StoreId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("store.not_found", "No such store."));
        store.Rename(request.Name.Trim(), request.Area.Trim());
        store.SetActive(request.Active);
        await db.SaveChangesAsync(cancellationToken);
        return new StoreView(store.Id, store.Code, store.Name, store.Area, store.Active);
    }
}

public sealed record ListGuides(Guid? StoreId) : IRequest<IReadOnlyList<GuideProfile>>;

public sealed class ListGuidesHandler(GuideDbContext db) : IRequestHandler<ListGuides, IReadOnlyList<GuideProfile>>
{
    public async Task<IReadOnlyList<GuideProfile>> Handle(ListGuides request, CancellationToken cancellationToken)
    {
        var rows = await (from g in db.Guides.AsNoTracking()
                          join s in db.Stores.AsNoTracking() on g.StoreId equals s.Id
                          where request.StoreId == null || g.StoreId == request.StoreId
                          orderby s.Code, g.WeComUserId
                          select new { g, s }).ToListAsync(cancellationToken);
        return rows.Select(r => GetGuideProfileHandler.ToProfile(r.g, r.s)).ToList();
    }
}
