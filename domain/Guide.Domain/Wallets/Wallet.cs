using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

/// <summary>What a ledger entry records.</summary>
public enum WalletEntryKind
{
    Recharge,
    Charge,
    ChargeRefund,
    Adjustment,
    RechargeRefund,
    /// <summary>WeChat Pay closed a recharge refund: what it had taken out goes back to the lot.</summary>
    RechargeRefundReversal,
}

/// <summary>One lot's part of an entry: how much principal and gift moved in (positive) or out (negative) of that lot.</summary>
public sealed record LotMovement(WalletLot Lot, Money Principal, Money Gift);

/// <summary>
/// A member's stored value (储值): principal (本金) and gift (赠送金) in fen. It changes only through
/// <see cref="Post"/>, which moves money in or out of lots and returns the ledger entry that records it, so the
/// balance is always the sum of the entries and of the lots' remainders. Writers lock the wallet's row first
/// (<see cref="WalletAccounts"/>); <see cref="Version"/> is also a concurrency token, a second guard.
/// </summary>
public sealed class Wallet
{
    private Wallet() { }

    public Wallet(Guid memberId, DateTimeOffset createdAt)
    {
        MemberId = memberId;
        CreatedAt = createdAt;
    }

    /// <summary>A wallet as its locked row was read (<see cref="WalletAccounts"/>), before it is attached to the context.</summary>
    internal static Wallet Rehydrate(Guid memberId, long principal, long gift, int version, DateTimeOffset createdAt, DateTimeOffset? updatedAt) =>
        new() { MemberId = memberId, Principal = principal, Gift = gift, Version = version, CreatedAt = createdAt, UpdatedAt = updatedAt };

    public Guid MemberId { get; private set; }
    public long Principal { get; private set; }
    public long Gift { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public WalletBalance Balance => new(Principal, Gift);

    public static DomainError Insufficient(long principal, long gift, long wantedPrincipal, long wantedGift) =>
        new("wallet.insufficient_balance", "The wallet's balance is not enough.", ErrorKind.Conflict)
        {
            Details = new Dictionary<string, object?>
            {
                ["principal"] = principal, ["gift"] = gift, ["requestedPrincipal"] = wantedPrincipal, ["requestedGift"] = wantedGift,
            },
        };

    /// <summary>How a charge of <paramref name="amount"/> splits between the buckets under HQ's policy; refuses more than the wallet holds.</summary>
    public (Money Principal, Money Gift) SplitCharge(Money amount, SplitPolicy policy)
    {
        if (amount <= Money.Zero) throw new ArgumentOutOfRangeException(nameof(amount));
        if (amount.Fen > Principal + Gift) throw new DomainException(Insufficient(Principal, Gift, amount.Fen, 0));
        return WalletSplit.Charge(amount, new Money(Principal), new Money(Gift), policy);
    }

    /// <summary>
    /// Applies the movements to their lots and to the balances, and returns the entry that records them.
    /// Refuses (nothing changed on the wallet) when a balance would go below zero.
    /// </summary>
    public WalletEntry Post(WalletEntryKind kind, string sourceKey, DateTimeOffset at, IEnumerable<LotMovement> movements,
        string? reference = null, string? note = null, Guid? storeId = null)
    {
        var moves = movements.Where(m => m.Principal != Money.Zero || m.Gift != Money.Zero).ToList();
        var principal = Money.Zero;
        var gift = Money.Zero;
        foreach (var m in moves)
        {
            if (m.Lot.MemberId != MemberId) throw new InvalidOperationException("A lot of another wallet.");
            principal += m.Principal;
            gift += m.Gift;
        }
        var principalAfter = checked(Principal + principal.Fen);
        var giftAfter = checked(Gift + gift.Fen);
        if (principalAfter < 0 || giftAfter < 0)
            throw new DomainException(Insufficient(Principal, Gift, Math.Max(0, -principal.Fen), Math.Max(0, -gift.Fen)));
        foreach (var m in moves) m.Lot.Move(m.Principal, m.Gift);

        Principal = principalAfter;
        Gift = giftAfter;
        Version++;
        UpdatedAt = at;
        var entry = new WalletEntry(MemberId, kind, principal.Fen, gift.Fen, principalAfter, giftAfter, sourceKey, reference, note, storeId, at);
        foreach (var m in moves) entry.Lines.Add(new WalletEntryLine(entry.Id, m.Lot.Id, m.Principal.Fen, m.Gift.Fen));
        return entry;
    }

    /// <summary>
    /// Which lots pay <paramref name="principal"/> and <paramref name="gift"/>: oldest lot first in each bucket,
    /// so recent recharges keep their money (a recharge refund returns only the unspent part of its lot).
    /// </summary>
    public static IReadOnlyList<LotMovement> Draw(IEnumerable<WalletLot> lots, Money principal, Money gift)
    {
        var ordered = lots.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).ToList();
        var fromPrincipal = Lots.Draw(ordered, principal, l => new Money(l.PrincipalRemaining));
        var fromGift = Lots.Draw(ordered, gift, l => new Money(l.GiftRemaining));
        if (fromPrincipal is null || fromGift is null)
            throw new DomainException(Insufficient(ordered.Sum(l => l.PrincipalRemaining), ordered.Sum(l => l.GiftRemaining), principal.Fen, gift.Fen));
        return Merge(ordered, fromPrincipal, fromGift, sign: -1);
    }

    /// <summary>One movement per lot from the per-bucket shares (negative for a draw, positive for a return).</summary>
    internal static IReadOnlyList<LotMovement> Merge(IEnumerable<WalletLot> lots, IReadOnlyList<LotShare<WalletLot, Money>> principal,
        IReadOnlyList<LotShare<WalletLot, Money>> gift, int sign)
    {
        var result = new List<LotMovement>();
        foreach (var lot in lots)
        {
            var p = principal.Where(s => s.Lot == lot).Select(s => s.Amount).FirstOrDefault();
            var g = gift.Where(s => s.Lot == lot).Select(s => s.Amount).FirstOrDefault();
            if (p == Money.Zero && g == Money.Zero) continue;
            result.Add(sign < 0 ? new LotMovement(lot, -p, -g) : new LotMovement(lot, p, g));
        }
        return result;
    }
}

public sealed record WalletBalance(long Principal, long Gift)
{
    public long Total => Principal + Gift;
}

public enum WalletLotSource
{
    Recharge,
    Adjustment,
}

/// <summary>
/// Money that came in together (a recharge, an HQ credit): what it brought of each bucket and what remains.
/// Charges record per lot what they took, so refunds return it to the same lots and a recharge refund knows
/// what of its lot is unspent.
/// </summary>
public sealed class WalletLot
{
    private WalletLot() { }

    /// <summary>A lot as its row was read (<see cref="WalletAccounts"/>); tracked only if it moves.</summary>
    internal static WalletLot Rehydrate(Guid id, Guid memberId, WalletLotSource source, Guid? sourceId, long principal, long gift,
        long principalRemaining, long giftRemaining, DateTimeOffset createdAt) =>
        new()
        {
            Id = id, MemberId = memberId, Source = source, SourceId = sourceId, Principal = principal, Gift = gift,
            PrincipalRemaining = principalRemaining, GiftRemaining = giftRemaining, CreatedAt = createdAt,
        };

    public WalletLot(Guid memberId, WalletLotSource source, Guid? sourceId, long principal, long gift, DateTimeOffset createdAt)
    {
        if (principal < 0 || gift < 0) throw new ArgumentOutOfRangeException(nameof(principal));
        Id = Ids.New();
        MemberId = memberId;
        Source = source;
        SourceId = sourceId;
        Principal = principal;
        Gift = gift;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public WalletLotSource Source { get; private set; }
    /// <summary>The recharge (or adjustment entry) that created the lot.</summary>
    public Guid? SourceId { get; private set; }
    public long Principal { get; private set; }
    public long Gift { get; private set; }
    public long PrincipalRemaining { get; private set; }
    public long GiftRemaining { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Only through <see cref="Wallet.Post"/>: what remains stays within zero and what the lot brought.</summary>
    internal void Move(Money principal, Money gift)
    {
        var p = checked(PrincipalRemaining + principal.Fen);
        var g = checked(GiftRemaining + gift.Fen);
        if (p < 0 || g < 0 || p > Principal || g > Gift)
            throw new InvalidOperationException($"Lot {Id} would hold {p}/{g} of {Principal}/{Gift}.");
        PrincipalRemaining = p;
        GiftRemaining = g;
    }
}

/// <summary>
/// One line of the append-only ledger: what changed, by bucket, the balances after, and the external fact it
/// records (<see cref="SourceKey"/>, unique: the same fact is never applied twice).
/// </summary>
public sealed class WalletEntry
{
    public const int SourceKeyMaxLength = 160;

    private WalletEntry() { }

    internal WalletEntry(Guid memberId, WalletEntryKind kind, long principalDelta, long giftDelta, long principalAfter, long giftAfter,
        string sourceKey, string? reference, string? note, Guid? storeId, DateTimeOffset occurredAt)
    {
        Id = Ids.New();
        MemberId = memberId;
        Kind = kind;
        PrincipalDelta = principalDelta;
        GiftDelta = giftDelta;
        PrincipalAfter = principalAfter;
        GiftAfter = giftAfter;
        SourceKey = sourceKey;
        Reference = reference;
        Note = note;
        StoreId = storeId;
        OccurredAt = occurredAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public WalletEntryKind Kind { get; private set; }
    public long PrincipalDelta { get; private set; }
    public long GiftDelta { get; private set; }
    public long PrincipalAfter { get; private set; }
    public long GiftAfter { get; private set; }
    public string SourceKey { get; private set; } = "";
    /// <summary>What people know it by: a document number, a recharge's out_trade_no.</summary>
    public string? Reference { get; private set; }
    /// <summary>HQ's reason for an adjustment or a forced refund.</summary>
    public string? Note { get; private set; }
    public Guid? StoreId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public List<WalletEntryLine> Lines { get; private set; } = [];
}

/// <summary>An entry's movement in one lot.</summary>
public sealed class WalletEntryLine
{
    private WalletEntryLine() { }

    internal WalletEntryLine(Guid entryId, Guid lotId, long principalDelta, long giftDelta)
    {
        EntryId = entryId;
        LotId = lotId;
        PrincipalDelta = principalDelta;
        GiftDelta = giftDelta;
    }

    public Guid EntryId { get; private set; }
    public Guid LotId { get; private set; }
    public long PrincipalDelta { get; private set; }
    public long GiftDelta { get; private set; }
}

internal sealed class WalletConfiguration :
    IEntityTypeConfiguration<Wallet>, IEntityTypeConfiguration<WalletLot>, IEntityTypeConfiguration<WalletEntry>, IEntityTypeConfiguration<WalletEntryLine>
{
    public void Configure(EntityTypeBuilder<Wallet> b)
    {
        b.ToTable("wallets");
        b.HasKey(x => x.MemberId);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Balance);
        b.HasOne<Member>().WithOne().HasForeignKey<Wallet>(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<WalletLot> b)
    {
        b.ToTable("wallet_lots");
        b.HasKey(x => x.Id);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.MemberId, x.CreatedAt });
        b.HasIndex(x => x.SourceId);
        b.HasOne<Wallet>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<WalletEntry> b)
    {
        b.ToTable("wallet_entries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.SourceKey).HasMaxLength(WalletEntry.SourceKeyMaxLength).IsRequired();
        b.HasIndex(x => x.SourceKey).IsUnique();
        b.Property(x => x.Reference).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(200);
        b.HasIndex(x => new { x.MemberId, x.OccurredAt });
        b.HasIndex(x => new { x.OccurredAt, x.Kind });
        b.HasOne<Wallet>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<WalletEntryLine> b)
    {
        b.ToTable("wallet_entry_lines");
        b.HasKey(x => new { x.EntryId, x.LotId });
        b.HasIndex(x => x.LotId);
        b.HasOne<WalletLot>().WithMany().HasForeignKey(x => x.LotId).OnDelete(DeleteBehavior.Restrict);
    }
}
