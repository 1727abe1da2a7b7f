using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Levels;

/// <summary>
/// A member's level as the mini program shows it: the level held, where it comes from, the paid amount on the
/// basis, and the next level with the fen still needed to reach it by threshold.
/// </summary>
public sealed record MyLevelView(int Rank, string? Name, decimal PointsMultiplier, LevelSource Source, DateTimeOffset? GrantValidUntil,
    ThresholdBasis Basis, long PaidAmount, int? NextRank, string? NextLevelName, long? AmountToNextLevel);

public sealed record GetMyLevel(Guid MemberId) : IRequest<MyLevelView>;

public sealed class GetMyLevelHandler(GuideDbContext db, MemberLevels levels) : IRequestHandler<GetMyLevel, MyLevelView>
{
    public async Task<MyLevelView> Handle(GetMyLevel request, CancellationToken cancellationToken)
    {
        var rank = await db.Members.AsNoTracking().Where(m => m.Id == request.MemberId).Select(m => (int?)m.Level).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var standing = await levels.StandingAsync(request.MemberId, cancellationToken);
        var all = await db.MemberLevels.AsNoTracking().OrderBy(l => l.Rank).ToListAsync(cancellationToken);
        var held = all.FirstOrDefault(l => l.Rank == rank);
        var next = all.FirstOrDefault(l => !l.Archived && l.Rank > rank);
        // The stored level is what holds; the standing says where it comes from (they differ only until a grant's expiry is processed).
        var source = rank == 0 ? LevelSource.None : rank == standing.GrantRank && rank > standing.ThresholdRank ? LevelSource.Grant : LevelSource.Threshold;
        return new MyLevelView(rank, held?.Name, held?.PointsMultiplier ?? 1.0m, source, source == LevelSource.Grant ? standing.GrantValidUntil : null,
            standing.Basis, standing.PaidAmount, next?.Rank, next?.Name, next is null ? null : Math.Max(0, next.Threshold - standing.PaidAmount));
    }
}

public sealed record MemberLevelChangeView(Guid Id, int FromRank, int ToRank, LevelChangeCause Cause, string? Reference, DateTimeOffset ChangedAt);

/// <summary>HQ: a member's level changes, newest first.</summary>
public sealed record ListMemberLevelChanges(Guid MemberId, int? Page, int? PageSize) : IRequest<Page<MemberLevelChangeView>>;

public sealed class ListMemberLevelChangesHandler(GuideDbContext db) : IRequestHandler<ListMemberLevelChanges, Page<MemberLevelChangeView>>
{
    public async Task<Page<MemberLevelChangeView>> Handle(ListMemberLevelChanges request, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        return await db.MemberLevelChanges.AsNoTracking().Where(c => c.MemberId == request.MemberId)
            .OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id)
            .Select(c => new MemberLevelChangeView(c.Id, c.FromRank, c.ToRank, c.Cause, c.Reference, c.ChangedAt))
            .PageAsync(request.Page, request.PageSize, cancellationToken);
    }
}
