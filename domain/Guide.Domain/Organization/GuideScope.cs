using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Organization;

/// <summary>
/// The stores a guide may see: a guide and a store manager their own store; an area manager every store
/// of the areas they manage (and their own). Loaded from the database on each request, so a deactivated
/// guide or a changed role takes effect at once, whatever the token says.
/// </summary>
public sealed record GuideScope(Guid GuideId, GuideRole Role, Guid StoreId, IReadOnlyList<Guid> StoreIds)
{
    /// <summary>The refusal of a guide who is unknown or deactivated.</summary>
    public static DomainError Inactive() => DomainError.Forbidden("guide.inactive", "This guide account is not active.");

    public bool Covers(Guid? storeId) => storeId is { } id && StoreIds.Contains(id);

    public static async Task<GuideScope> LoadAsync(GuideDbContext db, Guid guideId, CancellationToken cancellationToken)
    {
        var guide = await db.Guides.AsNoTracking().SingleOrDefaultAsync(g => g.Id == guideId, cancellationToken);
        if (guide is null || !guide.Active)
            throw new DomainException(Inactive());

        var storeIds = new List<Guid> { guide.StoreId };
        if (guide.Role == GuideRole.AreaManager && guide.ManagedAreas.Count > 0)
        {
            var areas = guide.ManagedAreas.ToList();
            storeIds.AddRange(await db.Stores.AsNoTracking().Where(s => areas.Contains(s.Area)).Select(s => s.Id).ToListAsync(cancellationToken));
        }
        return new GuideScope(guide.Id, guide.Role, guide.StoreId, storeIds.Distinct().ToList());
    }

    /// <summary>The scope of a store or area manager; a plain guide is refused (<c>guide.not_a_manager</c>).</summary>
    public static async Task<GuideScope> LoadManagerAsync(GuideDbContext db, Guid guideId, CancellationToken cancellationToken)
    {
        var scope = await LoadAsync(db, guideId, cancellationToken);
        if (scope.Role == GuideRole.Guide)
            throw new DomainException(DomainError.Forbidden("guide.not_a_manager", "Only store and area managers see other guides and their work."));
        return scope;
    }
}
