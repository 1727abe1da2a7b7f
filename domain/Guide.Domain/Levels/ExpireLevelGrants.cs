using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Levels;

/// <summary>
/// The daily job's work: members with a level grant whose validity has ended and was not processed yet are
/// re-evaluated, one member per transaction. A grant is marked lapsed in the member's transaction, so a second
/// run (or a second instance) finds nothing left to do; re-evaluating twice would change nothing anyway.
/// </summary>
public sealed record ExpireLevelGrants(int MaxCount = 500) : IRequest<string>;

public sealed class ExpireLevelGrantsHandler(GuideDbContext db, IMediator mediator, BrandClock clock) : IRequestHandler<ExpireLevelGrants, string>
{
    public async Task<string> Handle(ExpireLevelGrants request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var members = await db.Recharges.AsNoTracking()
            .Where(r => r.LevelGranted != null && !r.LevelGrantLapsed && r.LevelGrantedUntil != null && r.LevelGrantedUntil <= now)
            .Select(r => r.MemberId).Distinct().Take(request.MaxCount).ToListAsync(cancellationToken);
        var lowered = 0;
        foreach (var memberId in members)
            if (await mediator.Send(new ExpireMemberLevelGrants(memberId), cancellationToken)) lowered++;
        return $"{members.Count} member(s) with expired grants, {lowered} level(s) changed";
    }
}

/// <summary>One member's expired grants: re-evaluated (cause grant expiry), then marked lapsed. True when the level changed.</summary>
public sealed record ExpireMemberLevelGrants(Guid MemberId) : ICommand<bool>;

public sealed class ExpireMemberLevelGrantsHandler(GuideDbContext db, MemberLevels levels, BrandClock clock) : IRequestHandler<ExpireMemberLevelGrants, bool>
{
    public async Task<bool> Handle(ExpireMemberLevelGrants request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var before = await db.Members.AsNoTracking().Where(m => m.Id == request.MemberId).Select(m => m.Level).SingleAsync(cancellationToken);
        var expired = db.Recharges.Where(r => r.MemberId == request.MemberId && r.LevelGranted != null && !r.LevelGrantLapsed
            && r.LevelGrantedUntil != null && r.LevelGrantedUntil <= now);
        var reference = await expired.OrderByDescending(r => r.LevelGranted).Select(r => r.OutTradeNo).FirstOrDefaultAsync(cancellationToken);
        var after = await levels.ReevaluateAsync(request.MemberId, LevelChangeCause.GrantExpiry, reference, cancellationToken);
        await expired.ExecuteUpdateAsync(s => s.SetProperty(r => r.LevelGrantLapsed, true), cancellationToken);
        return after != before;
    }
}
