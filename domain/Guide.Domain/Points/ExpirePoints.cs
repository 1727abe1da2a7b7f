using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

/// <summary>
/// Expires one member's due lots under the account's lock. Each expiry is an entry keyed by its lot (unique),
/// and a lot already expired has nothing remaining when the lock is taken, so two instances (or two runs)
/// expire each lot exactly once.
/// </summary>
public sealed record ExpireMemberPoints(Guid MemberId) : ICommand<int>;

public sealed class ExpireMemberPointsHandler(PointsAccounts accounts, BrandClock clock) : IRequestHandler<ExpireMemberPoints, int>
{
    public async Task<int> Handle(ExpireMemberPoints request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var account = await accounts.LockAsync(request.MemberId, now, cancellationToken);
        var due = account.OpenLots.Where(l => l.IsExpiredAt(now) && l.Remaining > 0).ToList();
        foreach (var lot in due) account.Expire(lot, now);
        return due.Count;
    }
}

/// <summary>
/// The expiry job's work: members with due lots, read in keyset pages of <see cref="BatchSize"/> (never the whole
/// table), each expired in its own short transaction.
/// </summary>
public sealed class PointsExpiryRun(GuideDbContext db, IMediator mediator, BrandClock clock)
{
    public const int BatchSize = 500;

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var done = new HashSet<Guid>();
        int lots = 0;
        while (true)
        {
            // What was expired is no longer due, so each page brings new members; a member that failed comes back, once.
            var batch = await db.PointsLots.AsNoTracking().Where(l => l.Remaining > 0 && l.ExpiresAt != null && l.ExpiresAt <= now)
                .Select(l => l.MemberId).Distinct().Take(BatchSize).ToListAsync(cancellationToken);
            var fresh = batch.Where(done.Add).ToList();
            if (fresh.Count == 0) break;
            foreach (var member in fresh) lots += await mediator.Send(new ExpireMemberPoints(member), cancellationToken);
            db.ChangeTracker.Clear();
        }
        var members = done.Count;
        return $"expired {lots} lot(s) of {members} member(s)";
    }
}
