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
        if (!string.IsNullOrWhiteSpace(request.Phone)) query = query.Where(m => m.Phone == request.Phone);
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var items = await MemberProfile.Project(query.OrderByDescending(m => m.RegisteredAt).ThenBy(m => m.Id)
            .Skip((page - 1) * size).Take(size)).ToListAsync(cancellationToken);
        return new Page<MemberProfile>(items, page, size, total);
    }
}
