using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Members;

/// <summary>HQ lists every member, newest first, optionally by store or phone.</summary>
public sealed record ListMembers(Guid? StoreId, string? Phone, int? Page, int? PageSize) : IRequest<Page<MemberProfile>>;

public sealed class ListMembersHandler(GuideDbContext db) : IRequestHandler<ListMembers, Page<MemberProfile>>
{
    public async Task<Page<MemberProfile>> Handle(ListMembers request, CancellationToken cancellationToken)
    {
        var query = db.Members.AsNoTracking();
        if (request.StoreId is { } storeId) query = query.Where(m => m.StoreId == storeId);
        return await MemberProfile.PageAsync(query, request.Phone, request.Page, request.PageSize, cancellationToken);
    }
}
