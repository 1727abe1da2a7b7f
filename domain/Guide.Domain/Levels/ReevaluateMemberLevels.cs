using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Levels;

/// <summary>What one page of a re-evaluation pass did; <c>Done</c> when no page is left (or none was due).</summary>
public sealed record LevelReevaluationPage(bool Done, int Members, int Changed);

/// <summary>
/// One page of the re-evaluation of every member, in one transaction: the settings row is locked first (the pass's
/// position lives there, so two runners, two instances or a run after a crash take the next page, never the same
/// one twice at once), a pass is started when one is due (or started over when HQ changed the rules behind it),
/// then up to <see cref="PageSize"/> members after the cursor, in id order, are re-evaluated each under its own
/// row lock as every other cause does (<see cref="MemberLevels.ReevaluateAsync(Guid, LevelChangeCause, string?, LevelRules?, CancellationToken)"/>),
/// and the cursor moves past them. A change is recorded only when a rank changes, so a page done twice records nothing twice.
/// <para>
/// Locks: the settings row, then members one at a time in id order. A document or recharge locks one member and
/// not the settings row; HQ's change locks the settings row (its version bump) and no member: no cycle. On InnoDB
/// the rules are read after the settings lock, so a page sees every HQ change committed before it, and a change
/// committed after it bumps the version and starts the pass over.
/// </para>
/// </summary>
public sealed record ReevaluateMemberLevelsPage(int PageSize = ReevaluateMemberLevelsPage.DefaultPageSize) : ICommand<LevelReevaluationPage>
{
    public const int DefaultPageSize = 200;
}

public sealed class ReevaluateMemberLevelsPageHandler(GuideDbContext db, Transactions transactions, MemberLevels levels, IMediator mediator, BrandClock clock)
    : IRequestHandler<ReevaluateMemberLevelsPage, LevelReevaluationPage>
{
    public async Task<LevelReevaluationPage> Handle(ReevaluateMemberLevelsPage request, CancellationToken cancellationToken)
    {
        // A no-op UPDATE of the row is its lock on InnoDB (X lock on every row an UPDATE matches, changed or not);
        // SQLite's BEGIN IMMEDIATE holds the database already. It is read after, as committed at the lock.
        await db.MemberLevelSettings.Where(s => s.Id == MemberLevelSettings.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReevaluatedMembers, x => x.ReevaluatedMembers), cancellationToken);
        var settings = await db.MemberLevelSettings.SingleOrDefaultAsync(s => s.Id == MemberLevelSettings.SingletonId, cancellationToken);
        if (settings is null) return new LevelReevaluationPage(true, 0, 0);

        var now = clock.UtcNow;
        if (!settings.ReevaluationRunning || settings.ReevaluationOutdated)
        {
            if (settings.ReevaluationDue(clock.Today) is not { } due) return new LevelReevaluationPage(true, 0, 0);
            settings.StartReevaluation(due, clock.Today, now);
        }
        var cause = settings.ReevaluationCause!.Value;
        var reference = settings.ReevaluationReference;
        var rules = await levels.RulesAsync(cancellationToken);

        // Under trailing 12 months the window's move can only lower a level: members holding none are skipped.
        var page = await MembersAfterAsync(settings.ReevaluationCursor, onlyHolding: cause == LevelChangeCause.TrailingWindow, request.PageSize, cancellationToken);
        // A grant that ended is the grant expiry's change, not the pass's (the daily grant job may not have run yet):
        // those members' grants are processed first, with their own cause, in this transaction.
        var ids = page.Select(p => p.MemberId).ToList();
        var expired = page.Count == 0 ? [] : await db.Recharges.AsNoTracking()
            .Where(r => ids.Contains(r.MemberId) && r.LevelGranted != null && !r.LevelGrantLapsed && r.LevelGrantedUntil != null && r.LevelGrantedUntil <= now)
            .Select(r => r.MemberId).Distinct().ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var (memberId, rank) in page)
        {
            if (expired.Contains(memberId)) await mediator.Send(new ExpireMemberLevelGrants(memberId), cancellationToken);
            if (await levels.ReevaluateAsync(memberId, cause, reference, rules, cancellationToken) != rank) changed++;
        }
        var last = page.Count < request.PageSize;
        settings.ReevaluationAdvanced(page.Count == 0 ? null : page[^1].MemberId, page.Count, last, now);
        return new LevelReevaluationPage(last, page.Count, changed);
    }

    /// <summary>
    /// The next page by member id, compared and ordered by the database (ids are stored as text on both
    /// providers; a keyset must use the database's order, not Guid's), over the primary key: no page reads the table.
    /// </summary>
    private async Task<List<(Guid MemberId, int Rank)>> MembersAfterAsync(Guid? after, bool onlyHolding, int size, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var page = new List<(Guid, int)>(size);
        var where = new List<string>();
        if (after is { } cursor) where.Add($"Id > {batch.P(cursor)}");
        if (onlyHolding) where.Add("Level > 0");
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        batch.Query($"SELECT Id, Level FROM members{filter} ORDER BY Id LIMIT {size}", row => page.Add((row.Guid(0), row.Int(1))));
        await batch.ExecuteAsync(cancellationToken);
        return page;
    }
}

/// <summary>
/// The re-evaluation job's work: when a pass is due or running, its pages one transaction after another until it
/// is done (memory bounded by a page). The check reads without locking: most runs find nothing to do.
/// </summary>
public sealed class MemberLevelReevaluationRun(GuideDbContext db, IMediator mediator, BrandClock clock)
{
    public Task<string> RunAsync(CancellationToken cancellationToken) => RunAsync(ReevaluateMemberLevelsPage.DefaultPageSize, cancellationToken);

    public async Task<string> RunAsync(int pageSize, CancellationToken cancellationToken)
    {
        var settings = await db.MemberLevelSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == MemberLevelSettings.SingletonId, cancellationToken);
        if (settings is null || (!settings.ReevaluationRunning && settings.ReevaluationDue(clock.Today) is null)) return "no re-evaluation due";
        int pages = 0, members = 0, changed = 0;
        while (true)
        {
            var page = await mediator.Send(new ReevaluateMemberLevelsPage(pageSize), cancellationToken);
            pages++;
            members += page.Members;
            changed += page.Changed;
            if (page.Done) break;
        }
        return $"re-evaluated {members} member(s) in {pages} page(s), {changed} level(s) changed";
    }
}
