using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Levels;

/// <summary>What purchase points are multiplied by for a member: their current level's multiplier (1.0 without a level).</summary>
public interface IPointsMultiplier
{
    Task<decimal> ForMemberAsync(Guid memberId, CancellationToken ct);
}

/// <summary>The multiplier of the level the member holds now (an archived level still counts for those who hold it).</summary>
internal sealed class MemberLevelPointsMultiplier(GuideDbContext db) : IPointsMultiplier
{
    public async Task<decimal> ForMemberAsync(Guid memberId, CancellationToken ct) =>
        await (from m in db.Members.AsNoTracking()
               join l in db.MemberLevels.AsNoTracking() on m.Level equals l.Rank
               where m.Id == memberId
               select (decimal?)l.PointsMultiplier).SingleOrDefaultAsync(ct) ?? 1.0m;
}
