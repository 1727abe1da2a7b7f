using Guide.Domain.Common;
using Guide.Domain.Documents;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Levels;

public enum LevelSource
{
    None,
    Threshold,
    Grant,
}

/// <summary>A level granted by a paid recharge (储值即会员): its rank, until when (null: for good).</summary>
public sealed record LevelGrant(Guid RechargeId, RechargeStatus Status, int Rank, DateTimeOffset? Until)
{
    /// <summary>Paid (not refunding or refunded) and within the package's validity.</summary>
    public bool HoldsAt(DateTimeOffset now) => Status == RechargeStatus.Paid && (Until is null || Until > now);
}

/// <summary>Where a member stands: the level the rule gives now, and the facts it was decided from.</summary>
public sealed record MemberLevelStanding(int Rank, LevelSource Source, ThresholdBasis Basis, long PaidAmount, int ThresholdRank,
    int GrantRank, DateTimeOffset? GrantValidUntil)
{
    /// <summary>
    /// The member's level is the highest of what the threshold gives (the highest active level whose threshold
    /// the paid amount reaches) and what a still-valid grant gives. Equal ranks count as the threshold's: that
    /// one does not lapse.
    /// </summary>
    public static MemberLevelStanding Decide(IEnumerable<MemberLevel> levels, ThresholdBasis basis, long paidAmount,
        IEnumerable<LevelGrant> grants, DateTimeOffset now)
    {
        var thresholdRank = levels.Where(l => !l.Archived && l.Threshold <= paidAmount).Select(l => l.Rank).DefaultIfEmpty(0).Max();
        var holding = grants.Where(g => g.HoldsAt(now)).ToList();
        var grantRank = holding.Select(g => g.Rank).DefaultIfEmpty(0).Max();
        // The grant of the top rank that lasts longest (null = for good).
        var top = holding.Where(g => g.Rank == grantRank).ToList();
        var until = top.Count == 0 || top.Any(g => g.Until is null) ? null : top.Max(g => g.Until);
        var (rank, source) = grantRank > thresholdRank ? (grantRank, LevelSource.Grant)
            : (thresholdRank, thresholdRank > 0 ? LevelSource.Threshold : LevelSource.None);
        return new MemberLevelStanding(rank, source, basis, paidAmount, thresholdRank, grantRank, grantRank > 0 ? until : null);
    }
}

/// <summary>What a level is decided by, read once: the threshold basis and HQ's levels.</summary>
public sealed record LevelRules(ThresholdBasis Basis, IReadOnlyList<MemberLevel> Levels);

/// <summary>
/// Re-evaluates a member's level inside the running command's transaction (the one policy, <see cref="Transactions"/>):
/// locks the member's row first, so that two documents of one member racing on InnoDB queue here and the second
/// sees the first's committed document (READ COMMITTED reads afresh after the lock; SQLite's BEGIN IMMEDIATE
/// serializes writers anyway). What the command has added or changed but not saved yet (the document being
/// recorded, the recharge being paid or refunded) counts as the database will hold it at commit.
/// </summary>
public sealed class MemberLevels(GuideDbContext db, Transactions transactions, BrandClock clock)
{
    /// <summary>Brand-time midnight, twelve months before today: trailing-12-months documents from here on count.</summary>
    public static DateTimeOffset TrailingWindowStart(BrandClock clock)
    {
        var first = clock.Today.AddMonths(-12).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(first, clock.Zone), TimeSpan.Zero);
    }

    /// <summary>Re-evaluates and records a change with its cause; returns the member's rank afterwards.</summary>
    public Task<int> ReevaluateAsync(Guid memberId, LevelChangeCause cause, string? reference, CancellationToken cancellationToken) =>
        ReevaluateAsync(memberId, cause, reference, null, cancellationToken);

    /// <summary>
    /// The same, under rules read once for many members (<see cref="RulesAsync"/>, inside the same transaction).
    /// A change is recorded only when the rank actually changes: re-evaluating twice records nothing the second time.
    /// </summary>
    public async Task<int> ReevaluateAsync(Guid memberId, LevelChangeCause cause, string? reference, LevelRules? rules, CancellationToken cancellationToken)
    {
        if (!transactions.InTransaction)
            throw new InvalidOperationException("A member's level is re-evaluated inside the command that changes what it depends on.");
        var locked = await db.Members.Where(m => m.Id == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LevelVersion, m => m.LevelVersion + 1), cancellationToken);
        if (locked == 0) return 0;
        var current = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => m.Level).SingleAsync(cancellationToken);
        var standing = await StandingAsync(memberId, rules ?? await RulesAsync(cancellationToken), cancellationToken);
        if (standing.Rank == current) return current;
        await db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Level, standing.Rank), cancellationToken);
        db.MemberLevelChanges.Add(new MemberLevelChange(memberId, current, standing.Rank, cause, reference, clock.UtcNow));
        return standing.Rank;
    }

    /// <summary>What the rule gives the member now (reads only).</summary>
    public async Task<MemberLevelStanding> StandingAsync(Guid memberId, CancellationToken cancellationToken) =>
        await StandingAsync(memberId, await RulesAsync(cancellationToken), cancellationToken);

    /// <summary>HQ's rules as they stand: the basis and every level.</summary>
    public async Task<LevelRules> RulesAsync(CancellationToken cancellationToken) =>
        new(await MemberLevelSettings.BasisAsync(db, cancellationToken), await db.MemberLevels.AsNoTracking().ToListAsync(cancellationToken));

    private async Task<MemberLevelStanding> StandingAsync(Guid memberId, LevelRules rules, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var paid = await PaidAmountAsync(memberId, rules.Basis, cancellationToken);
        return MemberLevelStanding.Decide(rules.Levels, rules.Basis, paid, await GrantsAsync(memberId, cancellationToken), now);
    }

    /// <summary>
    /// Paid amount net of refunds: the member's sales (in the window, by document time) minus the refunds of
    /// those sales. A refund counts against its sale, so a refund of a sale that left the window changes nothing.
    /// </summary>
    private async Task<long> PaidAmountAsync(Guid memberId, ThresholdBasis basis, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = basis == ThresholdBasis.Trailing12Months ? TrailingWindowStart(clock) : null;
        var sales = db.SalesDocuments.AsNoTracking().Where(d => d.MemberId == memberId && d.Kind == DocumentKind.Sale);
        if (since is { } s) sales = sales.Where(d => d.DocumentTime >= s);
        var refunds = from r in db.SalesDocuments.AsNoTracking()
                      join o in sales on r.OriginalDocumentId equals o.Id
                      where r.Kind == DocumentKind.Refund
                      select r;
        var paid = await sales.SumAsync(d => d.TotalPaid, cancellationToken) - await refunds.SumAsync(d => d.TotalPaid, cancellationToken);

        foreach (var pending in db.ChangeTracker.Entries<SalesDocument>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList())
        {
            if (pending.Kind == DocumentKind.Sale)
            {
                if (pending.MemberId == memberId && (since is null || pending.DocumentTime >= since)) paid += pending.TotalPaid;
                continue;
            }
            var original = await db.SalesDocuments.AsNoTracking().Where(d => d.Id == pending.OriginalDocumentId)
                .Select(d => new { d.MemberId, d.DocumentTime }).SingleOrDefaultAsync(cancellationToken);
            if (original is not null && original.MemberId == memberId && (since is null || original.DocumentTime >= since)) paid -= pending.TotalPaid;
        }
        return paid;
    }

    private async Task<List<LevelGrant>> GrantsAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var grants = await db.Recharges.AsNoTracking().Where(r => r.MemberId == memberId && r.LevelGranted != null)
            .Select(r => new LevelGrant(r.Id, r.Status, r.LevelGranted!.Value, r.LevelGrantedUntil)).ToListAsync(cancellationToken);
        foreach (var changed in db.ChangeTracker.Entries<Recharge>().Select(e => e.Entity).Where(r => r.MemberId == memberId && r.LevelGranted != null))
        {
            grants.RemoveAll(g => g.RechargeId == changed.Id);
            grants.Add(new LevelGrant(changed.Id, changed.Status, changed.LevelGranted!.Value, changed.LevelGrantedUntil));
        }
        return grants;
    }
}
