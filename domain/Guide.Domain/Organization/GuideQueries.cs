using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Organization;

public sealed record GuideProfile(Guid Id, string WeComUserId, string Name, GuideRole Role, Guid StoreId, string StoreCode,
    string StoreName, string Area, IReadOnlyList<string> ManagedAreas, string? Mobile, bool Active);

public sealed record GetGuideProfile(Guid GuideId) : IRequest<GuideProfile>;

public sealed class GetGuideProfileHandler(GuideDbContext db) : IRequestHandler<GetGuideProfile, GuideProfile>
{
    public async Task<GuideProfile> Handle(GetGuideProfile request, CancellationToken cancellationToken)
    {
        var row = await (from g in db.Guides.AsNoTracking()
                         join s in db.Stores.AsNoTracking() on g.StoreId equals s.Id
                         where g.Id == request.GuideId
                         select new { g, s }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide."));
        return ToProfile(row.g, row.s);
    }

    internal static GuideProfile ToProfile(ShoppingGuide g, Store s) =>
        new(g.Id, g.WeComUserId, g.Name, g.Role, s.Id, s.Code, s.Name, s.Area, g.ManagedAreas, g.Mobile, g.Active);
}

/// <summary>The members of the stores a guide may see, newest first, optionally by phone.</summary>
/// <param name="BoundToMe">Only the members whose exclusive guide is this guide (wherever they are now).</param>
public sealed record ListScopedMembers(Guid GuideId, string? Phone, int? Page, int? PageSize, bool BoundToMe = false) : IRequest<Page<MemberProfile>>;

public sealed class ListScopedMembersHandler(GuideDbContext db) : IRequestHandler<ListScopedMembers, Page<MemberProfile>>
{
    public async Task<Page<MemberProfile>> Handle(ListScopedMembers request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var stores = scope.StoreIds.ToList();
        var query = request.BoundToMe
            ? db.Members.AsNoTracking().Where(m => m.ExclusiveGuideId == scope.GuideId)
            : db.Members.AsNoTracking().Where(m => m.StoreId != null && stores.Contains(m.StoreId.Value));
        return await MemberProfile.PageAsync(query, request.Phone, request.Page, request.PageSize, cancellationToken);
    }
}

/// <summary>One member, if the guide's scope covers the member's store or the member is bound to the guide (otherwise: not found).</summary>
public sealed record GetScopedMember(Guid GuideId, Guid MemberId) : IRequest<MemberProfile>;

public sealed class GetScopedMemberHandler(GuideDbContext db) : IRequestHandler<GetScopedMember, MemberProfile>
{
    public async Task<MemberProfile> Handle(GetScopedMember request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var member = await MemberProfile.Project(db.Members.AsNoTracking().Where(m => m.Id == request.MemberId))
            .SingleOrDefaultAsync(cancellationToken);
        // Another store's member is reported as absent, so ids of other stores' members leak nothing.
        if (member is null || (!scope.Covers(member.StoreId) && member.ExclusiveGuideId != scope.GuideId))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member in your stores."));
        return member;
    }
}

/// <summary>For store and area managers: the guides of the stores they manage.</summary>
public sealed record ListScopedGuides(Guid GuideId) : IRequest<IReadOnlyList<GuideProfile>>;

public sealed class ListScopedGuidesHandler(GuideDbContext db) : IRequestHandler<ListScopedGuides, IReadOnlyList<GuideProfile>>
{
    public async Task<IReadOnlyList<GuideProfile>> Handle(ListScopedGuides request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadManagerAsync(db, request.GuideId, cancellationToken);
        var stores = scope.StoreIds.ToList();
        var rows = await (from g in db.Guides.AsNoTracking()
                          join s in db.Stores.AsNoTracking() on g.StoreId equals s.Id
                          where stores.Contains(g.StoreId)
                          orderby s.Code, g.WeComUserId
                          select new { g, s }).ToListAsync(cancellationToken);
        return rows.Select(r => GetGuideProfileHandler.ToProfile(r.g, r.s)).ToList();
    }
}
