using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

/// <summary>
/// A wallet locked for the rest of the transaction, with its open lots and HQ's settings as they are now.
/// <see cref="Post"/> applies a movement; the kernel writes what changed when the transaction commits
/// (<see cref="LedgerWrites"/>): the wallet's new balances (guarded by the version it was read at), the lots
/// that moved and the new ones, the entry and its lines. Lots that do not move are never written.
/// </summary>
public sealed class LockedWallet
{
    private readonly GuideDbContext _db;
    private readonly LedgerWrites _writes;
    private readonly bool _opened;
    private readonly int _readVersion;
    private readonly HashSet<WalletLot> _loadedLots;
    private readonly HashSet<WalletLot> _movedLots = [];
    private readonly List<WalletLot> _newLots = [];

    internal LockedWallet(GuideDbContext db, LedgerWrites writes, Wallet wallet, bool opened, IReadOnlyList<WalletLot> openLots, WalletSettings settings)
    {
        _db = db;
        _writes = writes;
        Wallet = wallet;
        _opened = opened;
        _readVersion = wallet.Version;
        OpenLots = openLots;
        _loadedLots = [.. openLots];
        Settings = settings;
        writes.Account(Write);
    }

    public Wallet Wallet { get; }
    public Guid MemberId => Wallet.MemberId;

    /// <summary>The lots still holding money, oldest first.</summary>
    public IReadOnlyList<WalletLot> OpenLots { get; }

    public WalletSettings Settings { get; }

    /// <summary>
    /// Posts the movements (<see cref="Wallets.Wallet.Post"/>) and records the entry. Movements name lots of
    /// <see cref="OpenLots"/>, new lots (<see cref="NewLot"/>), or lots the handler loaded with EF Core (which
    /// then saves them).
    /// </summary>
    public WalletEntry Post(WalletEntryKind kind, string sourceKey, DateTimeOffset at, IReadOnlyList<LotMovement> movements,
        string? reference = null, string? note = null, Guid? storeId = null)
    {
        foreach (var m in movements)
        {
            if (_loadedLots.Contains(m.Lot)) _movedLots.Add(m.Lot);
            else if (!_newLots.Contains(m.Lot) && _db.Entry(m.Lot).State == EntityState.Detached)
                throw new InvalidOperationException($"Lot {m.Lot.Id} was neither loaded with the wallet nor tracked.");
        }
        var entry = Wallet.Post(kind, sourceKey, at, movements, reference, note, storeId);
        _writes.Insert(entry);
        foreach (var line in entry.Lines) _writes.Insert(line);
        return entry;
    }

    /// <summary>A new lot (a recharge, a credit), with the movement that fills it.</summary>
    public LotMovement NewLot(WalletLotSource source, Guid? sourceId, Money principal, Money gift, DateTimeOffset at)
    {
        var lot = new WalletLot(MemberId, source, sourceId, principal.Fen, gift.Fen, at);
        _newLots.Add(lot);
        return new LotMovement(lot, principal, gift);
    }

    /// <summary>The account rows, at flush: the wallet (inserted when opened now), new lots, moved lots.</summary>
    private void Write(StatementBatch batch)
    {
        if (_opened) _writes.AddInsert(batch, Wallet);
        else if (Wallet.Version != _readVersion)
            batch.Execute($"UPDATE wallets SET Principal = {batch.P(Wallet.Principal)}, Gift = {batch.P(Wallet.Gift)}, Version = {batch.P(Wallet.Version)}, " +
                          $"UpdatedAt = {batch.P(Wallet.UpdatedAt)} WHERE MemberId = {batch.P(Wallet.MemberId)} AND Version = {batch.P(_readVersion)}");
        foreach (var lot in _newLots) _writes.AddInsert(batch, lot);
        foreach (var lot in _movedLots)
            batch.Execute($"UPDATE wallet_lots SET PrincipalRemaining = {batch.P(lot.PrincipalRemaining)}, GiftRemaining = {batch.P(lot.GiftRemaining)} " +
                          $"WHERE Id = {batch.P(lot.Id)}");
    }
}

/// <summary>
/// The wallet's lock-and-load: every write to a wallet locks its row first, on SQLite and on MySQL/InnoDB
/// alike. On InnoDB <c>SELECT ... FOR UPDATE</c> takes the row's exclusive lock until commit, so writers of one
/// wallet queue there, and what the same round trip reads next (READ COMMITTED: the latest committed rows)
/// is current: the open lots (written only under that lock, so read without locking them) and the
/// settings. SQLite's write transactions (<c>BEGIN IMMEDIATE</c>) are serialized anyway. One round trip, which
/// as the transaction's first also carries the request's nonce and the idempotency look-up (<see cref="Transactions"/>);
/// with a payment code, spending the code (a conditional UPDATE that two tills cannot both win) rides in it too.
/// A member who never had money has no wallet row yet: it is inserted in the same transaction (a racing first
/// writer fails on the primary key and the policy retries it against the row).
/// </summary>
public sealed class WalletAccounts(GuideDbContext db, Transactions transactions, LedgerWrites writes, WalletSettingsCache settings)
{
    private const string WalletColumns = "w.MemberId, w.Principal, w.Gift, w.Version, w.CreatedAt, w.UpdatedAt";
    private const string LotColumns = "l.Id, l.Source, l.SourceId, l.Principal, l.Gift, l.PrincipalRemaining, l.GiftRemaining, l.CreatedAt";

    /// <summary>Locks and loads the member's wallet (opening it when the member has none yet).</summary>
    public async Task<LockedWallet> LockAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var load = Load(batch, batch.P(memberId));
        await batch.ExecuteAsync(cancellationToken);
        return await load.OpenAsync(memberId, now, cancellationToken);
    }

    /// <summary>
    /// Spends the member's payment code for the wallet part of <paramref name="documentNumber"/> (会员码: within its 60
    /// seconds, bound to the first document it pays; <see cref="PaymentCodeUse"/>) and locks and loads that member's
    /// wallet, in one round trip. The code comes back if the transaction rolls back (a refused charge).
    /// </summary>
    public async Task<LockedWallet> LockByPaymentCodeAsync(string paymentCode, Guid clientId, string documentNumber, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var use = PaymentCodeUse.AddTo(batch, paymentCode, clientId, documentNumber, PaymentCodeParts.Wallet, now);
        var load = Load(batch, use.MemberSubquery);
        await batch.ExecuteAsync(cancellationToken);
        return await load.OpenAsync(use.MemberId(now), now, cancellationToken);
    }

    private Loaded Load(StatementBatch batch, string member)
    {
        var loaded = new Loaded(db, writes);
        // One statement: the wallet row (locked) and its open lots, oldest first. On InnoDB the join locks the lot
        // rows too; only writers of this wallet, which hold its lock, ever write them, so that adds no waiting.
        batch.Query($"SELECT {WalletColumns}, {LotColumns} FROM wallets w LEFT JOIN wallet_lots l ON l.MemberId = w.MemberId " +
                    $"AND (l.PrincipalRemaining > 0 OR l.GiftRemaining > 0) WHERE w.MemberId = {member} ORDER BY l.CreatedAt, l.Id{batch.ForUpdate}", row =>
        {
            loaded.Wallet ??= Wallet.Rehydrate(row.Guid(0), row.Long(1), row.Long(2), row.Int(3), row.Instant(4), row.NullableInstant(5));
            if (!row.IsNull(6))
                loaded.Lots.Add(WalletLot.Rehydrate(row.Guid(6), row.Guid(0), row.Enum<WalletLotSource>(7), row.NullableGuid(8), row.Long(9), row.Long(10),
                    row.Long(11), row.Long(12), row.Instant(13)));
        });
        if (settings.Current is { } known) loaded.Settings = known;
        else
            batch.Query($"SELECT SplitPolicy, PasswordFreeLimit FROM wallet_settings WHERE Id = {WalletSettings.SingletonId}", async rows =>
            {
                loaded.Settings = await rows.ReadAsync() ? new WalletSettings(rows.Enum<SplitPolicy>(0), rows.Long(1)) : WalletSettings.Defaults;
                settings.Remember(loaded.Settings);
            });
        return loaded;
    }

    private sealed class Loaded(GuideDbContext db, LedgerWrites writes)
    {
        public Wallet? Wallet;
        public readonly List<WalletLot> Lots = [];
        public WalletSettings? Settings;

        public async Task<LockedWallet> OpenAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var settings = Settings ?? WalletSettings.Defaults;
            if (Wallet is not null) return new LockedWallet(db, writes, Wallet, opened: false, Lots, settings);
            if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
                throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
            return new LockedWallet(db, writes, new Wallet(memberId, now), opened: true, [], settings);
        }
    }
}
