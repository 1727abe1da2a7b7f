using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

/// <summary>
/// A wallet locked for the rest of the transaction, with its open lots and HQ's settings as they are now.
/// <see cref="Post"/> applies a movement and tracks exactly what changed: the wallet and the lots that moved
/// (lots that do not move are never tracked, so saving compares nothing for them).
/// </summary>
public sealed class LockedWallet
{
    private readonly GuideDbContext _db;

    internal LockedWallet(GuideDbContext db, Wallet wallet, IReadOnlyList<WalletLot> openLots, WalletSettings settings)
    {
        _db = db;
        Wallet = wallet;
        OpenLots = openLots;
        Settings = settings;
    }

    public Wallet Wallet { get; }
    public Guid MemberId => Wallet.MemberId;

    /// <summary>The lots still holding money, oldest first.</summary>
    public IReadOnlyList<WalletLot> OpenLots { get; }

    public WalletSettings Settings { get; }

    /// <summary>Posts the movements (<see cref="Wallets.Wallet.Post"/>) and adds the entry to the transaction.</summary>
    public WalletEntry Post(WalletEntryKind kind, string sourceKey, DateTimeOffset at, IReadOnlyList<LotMovement> movements,
        string? reference = null, string? note = null, Guid? storeId = null)
    {
        foreach (var m in movements)
            if (_db.Entry(m.Lot).State == EntityState.Detached) _db.Attach(m.Lot);
        var entry = Wallet.Post(kind, sourceKey, at, movements, reference, note, storeId);
        _db.WalletEntries.Add(entry);
        return entry;
    }

    /// <summary>A new lot (a recharge, a credit), added to the transaction, with the movement that fills it.</summary>
    public LotMovement NewLot(WalletLotSource source, Guid? sourceId, Money principal, Money gift, DateTimeOffset at)
    {
        var lot = new WalletLot(MemberId, source, sourceId, principal.Fen, gift.Fen, at);
        _db.WalletLots.Add(lot);
        return new LotMovement(lot, principal, gift);
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
public sealed class WalletAccounts(GuideDbContext db, Transactions transactions)
{
    private const string WalletColumns = "MemberId, Principal, Gift, Version, CreatedAt, UpdatedAt";
    private const string LotColumns = "Id, MemberId, Source, SourceId, Principal, Gift, PrincipalRemaining, GiftRemaining, CreatedAt";

    /// <summary>Locks and loads the member's wallet (opening it when the member has none yet).</summary>
    public async Task<LockedWallet> LockAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var load = Load(batch, batch.P(memberId));
        await batch.ExecuteAsync(cancellationToken);
        return await load.OpenAsync(memberId, now, cancellationToken);
    }

    /// <summary>
    /// Spends the member's payment code (会员码: one use, within its 60 seconds) and locks and loads that
    /// member's wallet, in one round trip. The code comes back if the transaction rolls back (a refused charge).
    /// </summary>
    public async Task<LockedWallet> LockByPaymentCodeAsync(string paymentCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var hash = batch.P(WalletToken.HashOf(paymentCode));
        var purpose = batch.P(WalletTokenPurpose.PaymentCode);
        var at = batch.P(now);
        batch.Execute($"UPDATE wallet_tokens SET UsedAt = {at} WHERE Hash = {hash} AND Purpose = {purpose} AND UsedAt IS NULL AND ExpiresAt > {at}");
        var spent = false;
        WalletTokenState? token = null;
        batch.Query($"SELECT {batch.RowCount}, MemberId, UsedAt, ExpiresAt FROM wallet_tokens WHERE Hash = {hash} AND Purpose = {purpose}", row =>
        {
            spent = row.Long(0) == 1;
            token = new WalletTokenState(row.Guid(1), row.NullableInstant(2), row.Instant(3), null);
        });
        var load = Load(batch, $"(SELECT MemberId FROM wallet_tokens WHERE Hash = {hash} AND Purpose = {purpose})");
        await batch.ExecuteAsync(cancellationToken);

        if (!spent || token is null) throw WalletToken.Refusal(WalletTokenPurpose.PaymentCode, token, now);
        return await load.OpenAsync(token.MemberId, now, cancellationToken);
    }

    private Loaded Load(StatementBatch batch, string member)
    {
        var loaded = new Loaded(db);
        batch.Query($"SELECT {WalletColumns} FROM wallets WHERE MemberId = {member}{batch.ForUpdate}", row =>
            loaded.Wallet = Wallet.Rehydrate(row.Guid(0), row.Long(1), row.Long(2), row.Int(3), row.Instant(4), row.NullableInstant(5)));
        batch.Query($"SELECT {LotColumns} FROM wallet_lots WHERE MemberId = {member} AND (PrincipalRemaining > 0 OR GiftRemaining > 0) ORDER BY CreatedAt, Id", row =>
            loaded.Lots.Add(WalletLot.Rehydrate(row.Guid(0), row.Guid(1), row.Enum<WalletLotSource>(2), row.NullableGuid(3), row.Long(4), row.Long(5),
                row.Long(6), row.Long(7), row.Instant(8))));
        batch.Query($"SELECT SplitPolicy, PasswordFreeLimit FROM wallet_settings WHERE Id = {WalletSettings.SingletonId}", row =>
            loaded.Settings = new WalletSettings(row.Enum<SplitPolicy>(0), row.Long(1)));
        return loaded;
    }

    private sealed class Loaded(GuideDbContext db)
    {
        public Wallet? Wallet;
        public readonly List<WalletLot> Lots = [];
        public WalletSettings? Settings;

        public async Task<LockedWallet> OpenAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var settings = Settings ?? WalletSettings.Defaults;
            if (Wallet is not null)
            {
                db.Attach(Wallet);
                return new LockedWallet(db, Wallet, Lots, settings);
            }
            if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
                throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
            var opened = new Wallet(memberId, now);
            db.Wallets.Add(opened);
            return new LockedWallet(db, opened, [], settings);
        }
    }
}
