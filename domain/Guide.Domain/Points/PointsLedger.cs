using Guide.Domain.Common;
using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Points;

/// <summary>What a points entry records.</summary>
public enum PointsEntryKind
{
    /// <summary>Points of a paid sales document.</summary>
    Purchase,
    /// <summary>A refund document took back the points of its share.</summary>
    PurchaseReversal,
    Adjustment,
    Expiry,
    /// <summary>Points spent on a points-mall redemption.</summary>
    MallRedemption,
    /// <summary>A cancelled redemption's points (or one whose cash part was never paid), back as lots with their original expiry.</summary>
    MallCancellation,
    /// <summary>Points that paid part of a document at the till or in the online mall (积分抵现).</summary>
    Deduction,
    /// <summary>A refund of such a document gave points back, to lots with their original expiry.</summary>
    DeductionRefund,
    /// <summary>Points for a WeCom group action (a friend added, a group joined, a moment liked or commented).</summary>
    GroupAction,
    /// <summary>A group action's points taken back: the customer deleted the guide or left the group within the rule's days.</summary>
    GroupActionTakeBack,
}

public enum PointsLotSource
{
    Purchase,
    Adjustment,
    /// <summary>Points a cancelled mall redemption gave back (the lot keeps the expiry of the lot they came from).</summary>
    MallReturn,
    /// <summary>Points a refunded deduction gave back (the lot keeps the expiry of the lot they came from; already past: expired at once).</summary>
    DeductionRefund,
    /// <summary>Points of a WeCom group action.</summary>
    GroupAction,
}

/// <summary>One lot's part of an entry: points moved in (positive) or out (negative) of that lot.</summary>
public sealed record PointsLotMovement(PointsLot Lot, Common.Points Points);

/// <summary>
/// A member's points (积分): <see cref="Balance"/> is the sum of the entries, and equals the lots' remainders
/// minus <see cref="Debt"/>. Debt (points a refund took back after they were spent, under HQ's debt policy) is
/// the only way below zero; later earnings settle it first. Changes only through <see cref="Post"/>.
/// </summary>
public sealed class PointsAccount
{
    private PointsAccount() { }

    public PointsAccount(Guid memberId, DateTimeOffset createdAt)
    {
        MemberId = memberId;
        CreatedAt = createdAt;
    }

    internal static PointsAccount Rehydrate(Guid memberId, long balance, long debt, int version, DateTimeOffset createdAt, DateTimeOffset? updatedAt) =>
        new() { MemberId = memberId, Balance = balance, Debt = debt, Version = version, CreatedAt = createdAt, UpdatedAt = updatedAt };

    public Guid MemberId { get; private set; }
    /// <summary>Sum of the entries: the lots' remainders minus the debt.</summary>
    public long Balance { get; private set; }
    /// <summary>Points owed (never negative).</summary>
    public long Debt { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>
    /// Applies the lot movements and the debt change, and returns the entry recording them. The entry's delta is
    /// what the lots gained less what the debt grew: balance = lots - debt stays true by construction.
    /// </summary>
    internal PointsEntry Post(PointsEntryKind kind, string sourceKey, DateTimeOffset at, IReadOnlyList<PointsLotMovement> movements, long debtChange,
        long absorbed, string? reference, string? note)
    {
        var moves = movements.Where(m => m.Points != Common.Points.Zero).ToList();
        long lots = 0;
        foreach (var m in moves)
        {
            if (m.Lot.MemberId != MemberId) throw new InvalidOperationException("A lot of another account.");
            lots = checked(lots + m.Points.Value);
        }
        var debtAfter = checked(Debt + debtChange);
        if (debtAfter < 0) throw new InvalidOperationException("Debt cannot go below zero.");
        foreach (var m in moves) m.Lot.Move(m.Points);
        var delta = checked(lots - debtChange);
        Balance = checked(Balance + delta);
        Debt = debtAfter;
        Version++;
        UpdatedAt = at;
        var entry = new PointsEntry(MemberId, kind, delta, debtChange, absorbed, Balance, Debt, sourceKey, reference, note, at);
        foreach (var m in moves) entry.Lines.Add(new PointsEntryLine(entry.Id, m.Lot.Id, m.Points.Value));
        return entry;
    }
}

/// <summary>
/// Points earned together (one document, one HQ credit): what the lot brought, what remains, when it expires
/// (null: never) and until when it is frozen (the return window: not spendable before).
/// </summary>
public sealed class PointsLot
{
    private PointsLot() { }

    internal static PointsLot Rehydrate(Guid id, Guid memberId, PointsLotSource source, Guid? sourceId, long amount, long remaining,
        DateTimeOffset earnedAt, DateTimeOffset? expiresAt, DateTimeOffset? frozenUntil) =>
        new()
        {
            Id = id, MemberId = memberId, Source = source, SourceId = sourceId, Amount = amount, Remaining = remaining, EarnedAt = earnedAt,
            ExpiresAt = expiresAt, FrozenUntil = frozenUntil,
        };

    internal PointsLot(Guid memberId, PointsLotSource source, Guid? sourceId, long amount, DateTimeOffset earnedAt, DateTimeOffset? expiresAt, DateTimeOffset? frozenUntil)
    {
        if (amount <= 0) throw new ArgumentOutOfRangeException(nameof(amount));
        Id = Ids.New();
        MemberId = memberId;
        Source = source;
        SourceId = sourceId;
        Amount = amount;
        EarnedAt = earnedAt;
        ExpiresAt = expiresAt;
        FrozenUntil = frozenUntil;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public PointsLotSource Source { get; private set; }
    /// <summary>The sales document (purchase) that earned it.</summary>
    public Guid? SourceId { get; private set; }
    public long Amount { get; private set; }
    public long Remaining { get; private set; }
    public DateTimeOffset EarnedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? FrozenUntil { get; private set; }

    public bool IsFrozenAt(DateTimeOffset now) => FrozenUntil is { } until && until > now;
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } at && at <= now;
    public bool IsSpendableAt(DateTimeOffset now) => Remaining > 0 && !IsFrozenAt(now) && !IsExpiredAt(now);

    /// <summary>Only through <see cref="PointsAccount.Post"/>: what remains stays within zero and what the lot brought.</summary>
    internal void Move(Common.Points points)
    {
        var after = checked(Remaining + points.Value);
        if (after < 0 || after > Amount) throw new InvalidOperationException($"Points lot {Id} would hold {after} of {Amount}.");
        Remaining = after;
    }

    /// <summary>Earliest expiry first (never-expiring last), then oldest.</summary>
    public static IEnumerable<PointsLot> InDrawOrder(IEnumerable<PointsLot> lots) =>
        lots.OrderBy(l => l.ExpiresAt is null ? 1 : 0).ThenBy(l => l.ExpiresAt).ThenBy(l => l.EarnedAt).ThenBy(l => l.Id);
}

/// <summary>One line of the append-only points ledger; <see cref="SourceKey"/> is unique (a fact applies once).</summary>
public sealed class PointsEntry
{
    public const int SourceKeyMaxLength = 160;

    private PointsEntry() { }

    internal PointsEntry(Guid memberId, PointsEntryKind kind, long delta, long debtDelta, long absorbed, long balanceAfter, long debtAfter,
        string sourceKey, string? reference, string? note, DateTimeOffset occurredAt)
    {
        Id = Ids.New();
        MemberId = memberId;
        Kind = kind;
        Delta = delta;
        DebtDelta = debtDelta;
        Absorbed = absorbed;
        BalanceAfter = balanceAfter;
        DebtAfter = debtAfter;
        SourceKey = sourceKey;
        Reference = reference;
        Note = note;
        OccurredAt = occurredAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public PointsEntryKind Kind { get; private set; }
    /// <summary>The change of the balance (lots moved less debt grown).</summary>
    public long Delta { get; private set; }
    public long DebtDelta { get; private set; }
    /// <summary>Points a refund should have taken back but the brand absorbed (absorb policy): recorded, not charged.</summary>
    public long Absorbed { get; private set; }
    public long BalanceAfter { get; private set; }
    public long DebtAfter { get; private set; }
    public string SourceKey { get; private set; } = "";
    public string? Reference { get; private set; }
    public string? Note { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public List<PointsEntryLine> Lines { get; private set; } = [];
}

public sealed class PointsEntryLine
{
    private PointsEntryLine() { }

    internal PointsEntryLine(Guid entryId, Guid lotId, long delta)
    {
        EntryId = entryId;
        LotId = lotId;
        Delta = delta;
    }

    public Guid EntryId { get; private set; }
    public Guid LotId { get; private set; }
    public long Delta { get; private set; }
}

internal sealed class PointsConfiguration :
    IEntityTypeConfiguration<PointsAccount>, IEntityTypeConfiguration<PointsLot>, IEntityTypeConfiguration<PointsEntry>, IEntityTypeConfiguration<PointsEntryLine>
{
    public void Configure(EntityTypeBuilder<PointsAccount> b)
    {
        b.ToTable("points_accounts");
        b.HasKey(x => x.MemberId);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Member>().WithOne().HasForeignKey<PointsAccount>(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<PointsLot> b)
    {
        b.ToTable("points_lots");
        b.HasKey(x => x.Id);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.MemberId, x.Remaining });
        b.HasIndex(x => new { x.ExpiresAt, x.Remaining });
        b.HasIndex(x => x.SourceId);
        b.HasOne<PointsAccount>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<PointsEntry> b)
    {
        b.ToTable("points_entries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.SourceKey).HasMaxLength(PointsEntry.SourceKeyMaxLength).IsRequired();
        b.HasIndex(x => x.SourceKey).IsUnique();
        b.Property(x => x.Reference).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(200);
        b.HasIndex(x => new { x.MemberId, x.OccurredAt });
        b.HasOne<PointsAccount>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<PointsEntryLine> b)
    {
        b.ToTable("points_entry_lines");
        b.HasKey(x => new { x.EntryId, x.LotId });
        b.HasIndex(x => x.LotId);
        b.HasOne<PointsLot>().WithMany().HasForeignKey(x => x.LotId).OnDelete(DeleteBehavior.Restrict);
    }
}
