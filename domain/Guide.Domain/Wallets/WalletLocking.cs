using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

/// <summary>Thrown inside a wallet transaction when the member has no wallet row yet; the runner opens it and retries.</summary>
internal sealed class WalletNotOpenedException(Guid memberId) : RecoverableException("The wallet is not opened yet.")
{
    public Guid MemberId { get; } = memberId;
}

/// <summary>
/// How every write to a wallet is serialized, on SQLite and on MySQL/InnoDB alike: inside the transaction the
/// first statement is <c>UPDATE wallets SET version = version + 1 WHERE member_id = @id</c>. On InnoDB that takes
/// the row's exclusive lock until commit, so writers of one wallet queue there and everything they read after
/// it (READ COMMITTED: the latest committed rows) is current; SQLite's write transactions
/// (<c>BEGIN IMMEDIATE</c>) are serialized anyway. The wallet's version is also its concurrency token.
/// </summary>
public sealed class WalletLocking(GuideDbContext db, BrandClock clock)
{
    /// <summary>Locks the member's wallet for the rest of the transaction and loads it (tracked, current).</summary>
    public async Task<Wallet> LockAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var locked = await db.Wallets.Where(w => w.MemberId == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Version, w => w.Version + 1), cancellationToken);
        if (locked == 0) throw new WalletNotOpenedException(memberId);
        return await db.Wallets.SingleAsync(w => w.MemberId == memberId, cancellationToken);
    }

    /// <summary>The lots of the wallet that still hold money, oldest first.</summary>
    public async Task<List<WalletLot>> OpenLotsAsync(Guid memberId, CancellationToken cancellationToken) =>
        await db.WalletLots.Where(l => l.MemberId == memberId && (l.PrincipalRemaining > 0 || l.GiftRemaining > 0))
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction (<see cref="Transactions"/>), saves and commits;
    /// retried whole on races (the work re-reads what a racing request wrote, e.g. the first result of a resent
    /// charge), and a missing wallet is opened and the work retried.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) =>
        Transactions.ReadCommittedAsync(db, work, cancellationToken, async failure =>
        {
            if (failure is not WalletNotOpenedException missing) return false;
            await OpenAsync(missing.MemberId, cancellationToken);
            return true;
        });

    /// <summary>Creates the member's (empty) wallet in its own statement; a racing creator's row is as good.</summary>
    private async Task OpenAsync(Guid memberId, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var wallet = new Wallet(memberId, clock.UtcNow);
        db.Wallets.Add(wallet);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when ((e is DbUpdateException u && DbErrors.IsUniqueViolation(u)) || DbErrors.IsTransient(e))
        {
            // Opened by a concurrent request, or our insert lost a deadlock against the request holding it
            // (InnoDB: the duplicate-key check waits on that row's lock); the retry finds the row either way.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
