using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

/// <summary>
/// Expires the due lots of a batch of members under their accounts' locks, in one transaction. Each expiry is an
/// entry keyed by its lot (unique), and a lot already expired has nothing remaining when the lock is taken, so
/// two instances (or two runs) expire each lot exactly once.
/// </summary>
public sealed record ExpireMembersPoints(IReadOnlyList<Guid> MemberIds) : ICommand<int>;

public sealed class ExpireMembersPointsHandler(PointsAccounts accounts, BrandClock clock) : IRequestHandler<ExpireMembersPoints, int>
{
    public async Task<int> Handle(ExpireMembersPoints request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var expired = 0;
        foreach (var account in await accounts.LockManyAsync(request.MemberIds, cancellationToken))
        {
            foreach (var lot in account.OpenLots.Where(l => l.IsExpiredAt(now) && l.Remaining > 0).ToList())
            {
                account.Expire(lot, now);
                expired++;
            }
        }
        return expired;
    }
}

/// <summary>
/// The expiry job's work: members with due lots, read in pages of <see cref="BatchSize"/> (never the whole table),
/// each page expired in one short transaction (one lock-and-load statement, one write batch): memory is bounded by
/// a page, and a million lots cost a few thousand transactions, not a million.
/// </summary>
public sealed class PointsExpiryRun(GuideDbContext db, Transactions transactions, IMediator mediator, BrandClock clock)
{
    public const int BatchSize = 200;

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        int lots = 0, members = 0;
        Guid? after = null;
        while (true)
        {
            // Keyset by member over the (MemberId, Remaining) index: the whole run reads the open lots once, however
            // many it expires, and a page that failed is not read again by this run (the next run takes it up).
            var page = await DueMembersAsync(after, now, cancellationToken);
            if (page.Count == 0) break;
            lots += await mediator.Send(new ExpireMembersPoints(page), cancellationToken);
            members += page.Count;
            after = page[^1];
            db.ChangeTracker.Clear();
        }
        return $"expired {lots} lot(s) of {members} member(s)";
    }

    /// <summary>A read in a short transaction of its own (the kernel's statements run inside the policy); it locks nothing.</summary>
    private Task<List<Guid>> DueMembersAsync(Guid? after, DateTimeOffset now, CancellationToken cancellationToken) =>
        transactions.RunAsync(() => ReadDueMembersAsync(after, now, cancellationToken), cancellationToken);

    private async Task<List<Guid>> ReadDueMembersAsync(Guid? after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var page = new List<Guid>(BatchSize);
        var from = after is { } last ? $"MemberId > {batch.P(last)} AND " : "";
        batch.Query($"SELECT DISTINCT MemberId FROM points_lots WHERE {from}Remaining > 0 AND ExpiresAt IS NOT NULL AND ExpiresAt <= {batch.P(now)} " +
                    $"ORDER BY MemberId LIMIT {BatchSize}", row => page.Add(row.Guid(0)));
        await batch.ExecuteAsync(cancellationToken);
        return page;
    }
}
