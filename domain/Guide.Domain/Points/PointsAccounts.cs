using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

/// <summary>
/// A points account locked for the rest of the transaction, with its open lots (remaining above zero). Its
/// operations apply the rule on the entities; the kernel writes the account (guarded by the version read),
/// new and moved lots, then the entries and lines (<see cref="LedgerWrites"/>).
/// </summary>
public sealed class LockedPoints
{
    private readonly LedgerWrites _writes;
    private readonly bool _opened;
    private readonly int _readVersion;
    private readonly HashSet<PointsLot> _loadedLots;
    private readonly HashSet<PointsLot> _movedLots = [];
    private readonly List<PointsLot> _newLots = [];

    internal LockedPoints(LedgerWrites writes, PointsAccount account, bool opened, IReadOnlyList<PointsLot> openLots)
    {
        _writes = writes;
        Account = account;
        _opened = opened;
        _readVersion = account.Version;
        OpenLots = openLots;
        _loadedLots = [.. openLots];
        writes.Account(Write);
    }

    public PointsAccount Account { get; }
    public Guid MemberId => Account.MemberId;
    public IReadOnlyList<PointsLot> OpenLots { get; }
    public IEnumerable<PointsLot> Lots => OpenLots.Concat(_newLots);

    public static DomainError Insufficient(long available, long wanted) =>
        new("points.insufficient", "The member's spendable points are not enough.", ErrorKind.Conflict)
        {
            Details = new Dictionary<string, object?> { ["available"] = available, ["requested"] = wanted },
        };

    public long SpendableAt(DateTimeOffset now) => Lots.Where(l => l.IsSpendableAt(now)).Sum(l => l.Remaining);

    /// <summary>A new lot of <paramref name="amount"/> points; what the account owes is settled from it first.</summary>
    public PointsEntry Earn(PointsEntryKind kind, string sourceKey, DateTimeOffset at, long amount, PointsLotSource source, Guid? sourceId,
        DateTimeOffset earnedAt, DateTimeOffset? expiresAt, DateTimeOffset? frozenUntil, string? reference, string? note)
    {
        var lot = new PointsLot(MemberId, source, sourceId, amount, earnedAt, expiresAt, frozenUntil);
        _newLots.Add(lot);
        var settle = Math.Min(amount, Account.Debt);
        return Post(kind, sourceKey, at, [new PointsLotMovement(lot, new Common.Points(amount - settle))], -settle, 0, reference, note);
    }

    /// <summary>
    /// Spends from the spendable lots (with <paramref name="frozenToo"/>, also those still frozen), earliest expiry first;
    /// refuses more than they hold.
    /// </summary>
    public PointsEntry Spend(PointsEntryKind kind, string sourceKey, DateTimeOffset at, long amount, string? reference, string? note, bool frozenToo = false)
    {
        var spendable = PointsLot.InDrawOrder(Lots.Where(l => frozenToo ? l.Remaining > 0 && !l.IsExpiredAt(at) : l.IsSpendableAt(at))).ToList();
        var shares = DrawFrom(spendable, amount) ?? throw new DomainException(Insufficient(spendable.Sum(l => l.Remaining), amount));
        return Post(kind, sourceKey, at, shares, 0, 0, reference, note);
    }

    /// <summary>
    /// Takes back <paramref name="amount"/> points (a refund's share; with <paramref name="kind"/>, another taking back): from <paramref name="earningLot"/> first,
    /// then from any other lot (frozen too), earliest expiry first; the rest is debt or absorbed, by policy.
    /// </summary>
    public PointsEntry Reverse(string sourceKey, DateTimeOffset at, long amount, Guid? earningLot, PointsRefundPolicy policy, string? reference,
        PointsEntryKind kind = PointsEntryKind.PurchaseReversal)
    {
        var order = Lots.Where(l => l.Id == earningLot).Concat(PointsLot.InDrawOrder(Lots.Where(l => l.Id != earningLot))).Where(l => l.Remaining > 0).ToList();
        var moves = new List<PointsLotMovement>();
        var left = amount;
        foreach (var lot in order)
        {
            if (left == 0) break;
            var take = Math.Min(left, lot.Remaining);
            moves.Add(new PointsLotMovement(lot, new Common.Points(-take)));
            left -= take;
        }
        return policy == PointsRefundPolicy.Debt
            ? Post(kind, sourceKey, at, moves, left, 0, reference, null)
            : Post(kind, sourceKey, at, moves, 0, left, reference, left > 0 ? $"absorbed {left}" : null);
    }

    /// <summary>
    /// Gives spent points back (a cancelled mall redemption): one new lot per part, each keeping the expiry of the
    /// lot the points came from (already past: the expiry run takes it), not frozen; what the account owes is
    /// settled from them first, as from any earning.
    /// </summary>
    public PointsEntry GiveBack(PointsEntryKind kind, string sourceKey, DateTimeOffset at, IReadOnlyList<(long Points, DateTimeOffset? ExpiresAt)> parts,
        PointsLotSource source, Guid? sourceId, string? reference)
    {
        var moves = new List<PointsLotMovement>();
        var debt = Account.Debt;
        foreach (var (points, expiresAt) in parts.Where(p => p.Points > 0))
        {
            var lot = new PointsLot(MemberId, source, sourceId, points, at, expiresAt, null);
            _newLots.Add(lot);
            var settle = Math.Min(points, debt);
            debt -= settle;
            moves.Add(new PointsLotMovement(lot, new Common.Points(points - settle)));
        }
        return Post(kind, sourceKey, at, moves, debt - Account.Debt, 0, reference, null);
    }

    /// <summary>What remains of a due lot expires.</summary>
    public PointsEntry Expire(PointsLot lot, DateTimeOffset at) =>
        Post(PointsEntryKind.Expiry, ExpiryKey(lot.Id), at, [new PointsLotMovement(lot, new Common.Points(-lot.Remaining))], 0, 0, null, null);

    public static string ExpiryKey(Guid lotId) => $"points-expiry:{lotId:N}";

    private static List<PointsLotMovement>? DrawFrom(IReadOnlyList<PointsLot> ordered, long amount) =>
        Ledgers.Lots.Draw(ordered, new Common.Points(amount), l => new Common.Points(l.Remaining))
            ?.Select(s => new PointsLotMovement(s.Lot, -s.Amount)).ToList();

    private PointsEntry Post(PointsEntryKind kind, string sourceKey, DateTimeOffset at, IReadOnlyList<PointsLotMovement> moves, long debtChange, long absorbed,
        string? reference, string? note)
    {
        foreach (var m in moves)
        {
            if (_loadedLots.Contains(m.Lot)) _movedLots.Add(m.Lot);
            else if (!_newLots.Contains(m.Lot)) throw new InvalidOperationException($"Points lot {m.Lot.Id} was not loaded with the account.");
        }
        var entry = Account.Post(kind, sourceKey, at, moves, debtChange, absorbed, reference, note);
        _writes.Insert(entry);
        foreach (var line in entry.Lines) _writes.Insert(line);
        return entry;
    }

    private void Write(StatementBatch batch)
    {
        if (_opened) _writes.AddInsert(batch, Account);
        else if (Account.Version != _readVersion)
            batch.Execute($"UPDATE points_accounts SET Balance = {batch.P(Account.Balance)}, Debt = {batch.P(Account.Debt)}, Version = {batch.P(Account.Version)}, " +
                          $"UpdatedAt = {batch.P(Account.UpdatedAt)} WHERE MemberId = {batch.P(Account.MemberId)} AND Version = {batch.P(_readVersion)}");
        foreach (var lot in _newLots) _writes.AddInsert(batch, lot);
        // The lots that moved, in one statement (an expiry moves every due lot of the account).
        foreach (var lots in _movedLots.Chunk(200))
        {
            var cases = string.Concat(lots.Select(lot => $" WHEN {batch.P(lot.Id)} THEN {batch.P(lot.Remaining)}"));
            batch.Execute($"UPDATE points_lots SET Remaining = CASE Id{cases} END WHERE Id IN ({string.Join(", ", lots.Select(lot => batch.P(lot.Id)))})", lots.Length);
        }
    }
}

/// <summary>What a spending entry drew from each lot, in the order it drew them (<see cref="PointsLot.InDrawOrder"/>), with that lot's expiry.</summary>
public static class PointsDraws
{
    public static async Task<IReadOnlyList<(long Points, DateTimeOffset? ExpiresAt)>> OfEntryAsync(GuideDbContext db, Guid entryId,
        CancellationToken cancellationToken)
    {
        var drawn = await db.PointsEntryLines.AsNoTracking().Where(l => l.EntryId == entryId)
            .Join(db.PointsLots.AsNoTracking(), l => l.LotId, lot => lot.Id, (l, lot) => new { l.Delta, Lot = lot })
            .ToListAsync(cancellationToken);
        var taken = drawn.ToDictionary(d => d.Lot.Id, d => -d.Delta);
        return PointsLot.InDrawOrder(drawn.Select(d => d.Lot)).Select(l => (taken[l.Id], l.ExpiresAt)).ToList();
    }
}

/// <summary>
/// The points lock-and-load, one statement: the account row (<c>FOR UPDATE</c> on InnoDB; SQLite's write
/// transaction serializes anyway) joined with its open lots. Lots are written only under the account's lock,
/// so what the statement reads is current. A member without an account gets one in the same transaction.
/// </summary>
public sealed class PointsAccounts(GuideDbContext db, Transactions transactions, LedgerWrites writes)
{
    public async Task<LockedPoints> LockAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var locked = await LockExistingAsync(batch => $"= {batch.P(memberId)}", cancellationToken);
        if (locked.Count == 1) return locked[0];
        if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        return new LockedPoints(writes, new PointsAccount(memberId, now), opened: true, []);
    }

    /// <summary>
    /// Several existing accounts locked at once (a batch job's unit of work), in one statement and in key order, so
    /// two instances taking the same batch queue on the first row instead of deadlocking. Members without an
    /// account are left out.
    /// </summary>
    public async Task<IReadOnlyList<LockedPoints>> LockManyAsync(IReadOnlyCollection<Guid> memberIds, CancellationToken cancellationToken)
    {
        if (memberIds.Count == 0) return [];
        return await LockExistingAsync(batch => $"IN ({string.Join(", ", memberIds.Select(id => batch.P(id)))})", cancellationToken);
    }

    /// <summary>The lock-and-load statement over the accounts whose MemberId matches <paramref name="members"/> (SQL after the column).</summary>
    private async Task<IReadOnlyList<LockedPoints>> LockExistingAsync(Func<StatementBatch, string> members, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var accounts = new Dictionary<Guid, (PointsAccount Account, List<PointsLot> Lots)>();
        batch.Query("SELECT a.MemberId, a.Balance, a.Debt, a.Version, a.CreatedAt, a.UpdatedAt, " +
                    "l.Id, l.Source, l.SourceId, l.Amount, l.Remaining, l.EarnedAt, l.ExpiresAt, l.FrozenUntil " +
                    "FROM points_accounts a LEFT JOIN points_lots l ON l.MemberId = a.MemberId AND l.Remaining > 0 " +
                    $"WHERE a.MemberId {members(batch)} ORDER BY a.MemberId, l.EarnedAt, l.Id{batch.ForUpdate}", row =>
        {
            var memberId = row.Guid(0);
            if (!accounts.TryGetValue(memberId, out var loaded))
                accounts[memberId] = loaded = (PointsAccount.Rehydrate(memberId, row.Long(1), row.Long(2), row.Int(3), row.Instant(4), row.NullableInstant(5)), []);
            if (!row.IsNull(6))
                loaded.Lots.Add(PointsLot.Rehydrate(row.Guid(6), memberId, row.Enum<PointsLotSource>(7), row.NullableGuid(8), row.Long(9), row.Long(10),
                    row.Instant(11), row.NullableInstant(12), row.NullableInstant(13)));
        });
        await batch.ExecuteAsync(cancellationToken);
        return accounts.Values.Select(a => new LockedPoints(writes, a.Account, opened: false, a.Lots)).ToList();
    }
}
