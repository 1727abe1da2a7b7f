using Guide.Domain.Common;
using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Mall;

/// <summary>How a redeemed item reaches the member: picked up in their store with a verification code, shipped, or a coupon code.</summary>
public enum MallItemKind
{
    Pickup,
    Shipped,
    /// <summary>A code from the item's pool, handed out at redemption (stock = unused codes).</summary>
    Coupon,
}

/// <summary>Why a member may not redeem an item now (the shopper's catalogue says it; the redemption refuses with its code).</summary>
public enum MallRefusal
{
    NotOnSale,
    LevelNotAllowed,
    LimitReached,
    SoldOut,
    NotEnoughPoints,
}

/// <summary>
/// An item of the points mall (积分商城). <see cref="Stock"/> is a ledger: it equals the sum of the item's
/// <see cref="MallStockEntry"/> rows and never goes below zero, because every change is one conditional UPDATE
/// (<c>Stock = Stock - @n WHERE Stock &gt;= @n</c>) with its entry in the same transaction; EF never writes it.
/// </summary>
public sealed class MallItem
{
    public const int NameMaxLength = 100;

    private MallItem() { }

    public MallItem(string name, MallItemKind kind, long pointsPrice, long cashPrice, int? limitPerDay, int? limitTotal, IEnumerable<int> allowedLevels,
        DateTimeOffset? onSaleFrom, DateTimeOffset? onSaleUntil, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        Kind = kind;
        CreatedAt = createdAt;
        Update(name, pointsPrice, cashPrice, limitPerDay, limitTotal, allowedLevels, onSaleFrom, onSaleUntil, createdAt);
        UpdatedAt = null;
    }

    internal static MallItem Rehydrate(Guid id, string name, MallItemKind kind, long pointsPrice, long cashPrice, long stock, int? limitPerDay, int? limitTotal,
        string allowedLevels, DateTimeOffset? onSaleFrom, DateTimeOffset? onSaleUntil, DateTimeOffset? archivedAt) =>
        new()
        {
            Id = id, Name = name, Kind = kind, PointsPrice = pointsPrice, CashPrice = cashPrice, Stock = stock, LimitPerDay = limitPerDay, LimitTotal = limitTotal,
            AllowedLevels = LevelsFromText(allowedLevels), OnSaleFrom = onSaleFrom, OnSaleUntil = onSaleUntil, ArchivedAt = archivedAt,
        };

    /// <summary>A new item's first stock, recorded with its <see cref="MallStockEntryKind.Initial"/> entry.</summary>
    internal MallStockEntry StartWith(long stock, DateTimeOffset at)
    {
        Stock = stock;
        return new MallStockEntry(Id, MallStockEntryKind.Initial, stock, $"mall-item:{Id:N}:initial", null, at);
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public MallItemKind Kind { get; private set; }
    public long PointsPrice { get; private set; }
    /// <summary>The cash part per unit in fen, paid with WeChat Pay (0: points only).</summary>
    public long CashPrice { get; private set; }
    /// <summary>Units left; written only by the stock ledger's conditional statements.</summary>
    public long Stock { get; private set; }
    /// <summary>Units one member may redeem per brand day (null: no daily limit).</summary>
    public int? LimitPerDay { get; private set; }
    /// <summary>Units one member may redeem in total (null: no limit).</summary>
    public int? LimitTotal { get; private set; }
    /// <summary>Member level ranks that may redeem (empty: every level).</summary>
    public List<int> AllowedLevels { get; private set; } = [];
    public DateTimeOffset? OnSaleFrom { get; private set; }
    public DateTimeOffset? OnSaleUntil { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public bool Archived => ArchivedAt is not null;

    public void Update(string name, long pointsPrice, long cashPrice, int? limitPerDay, int? limitTotal, IEnumerable<int> allowedLevels,
        DateTimeOffset? onSaleFrom, DateTimeOffset? onSaleUntil, DateTimeOffset at)
    {
        Name = name.Trim();
        PointsPrice = pointsPrice;
        CashPrice = cashPrice;
        LimitPerDay = limitPerDay;
        LimitTotal = limitTotal;
        AllowedLevels = allowedLevels.Distinct().Order().ToList();
        OnSaleFrom = onSaleFrom;
        OnSaleUntil = onSaleUntil;
        UpdatedAt = at;
    }

    public void Archive(DateTimeOffset at) => ArchivedAt ??= at;

    /// <summary>On sale: not archived and inside the window (from inclusive, until exclusive).</summary>
    public bool IsOnSaleAt(DateTimeOffset now) => !Archived && (OnSaleFrom is null || OnSaleFrom <= now) && (OnSaleUntil is null || now < OnSaleUntil);

    public bool AllowsLevel(int level) => AllowedLevels.Count == 0 || AllowedLevels.Contains(level);

    /// <summary>Whether <paramref name="quantity"/> more stays within the limits, given what the member redeemed today and in total.</summary>
    public bool WithinLimits(int quantity, long redeemedToday, long redeemedTotal) =>
        (LimitPerDay is not { } day || redeemedToday + quantity <= day) && (LimitTotal is not { } total || redeemedTotal + quantity <= total);

    /// <summary>
    /// The first rule that refuses the member <paramref name="quantity"/> units now, or null. Stock here is what
    /// was read; the redemption's conditional UPDATE is what guarantees it (a racing redemption may take the last).
    /// </summary>
    public MallRefusal? RefusalFor(DateTimeOffset now, int memberLevel, long spendablePoints, long redeemedToday, long redeemedTotal, int quantity, long stock)
    {
        if (!IsOnSaleAt(now)) return MallRefusal.NotOnSale;
        if (!AllowsLevel(memberLevel)) return MallRefusal.LevelNotAllowed;
        if (!WithinLimits(quantity, redeemedToday, redeemedTotal)) return MallRefusal.LimitReached;
        if (stock < quantity) return MallRefusal.SoldOut;
        if (spendablePoints < checked(PointsPrice * quantity)) return MallRefusal.NotEnoughPoints;
        return null;
    }

    public static DomainError NotFound => DomainError.NotFound("mall.item_not_found", "No such item in the points mall (or it was archived).");
    public static DomainError SoldOut => DomainError.Conflict("mall.sold_out", "The item's stock is not enough for this quantity.");

    public static DomainError ErrorOf(MallRefusal refusal, long spendable = 0, long wanted = 0) => refusal switch
    {
        MallRefusal.NotOnSale => DomainError.Conflict("mall.not_on_sale", "The item is not on sale now."),
        MallRefusal.LevelNotAllowed => DomainError.Forbidden("mall.level_not_allowed", "The member's level may not redeem this item."),
        MallRefusal.LimitReached => DomainError.Conflict("mall.limit_reached", "The member reached the item's limit (per day or in total)."),
        MallRefusal.SoldOut => SoldOut,
        MallRefusal.NotEnoughPoints => Points.LockedPoints.Insufficient(spendable, wanted),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };

    /// <summary>The start of the brand day of <paramref name="now"/>, as a UTC instant (daily limits count from it).</summary>
    public static DateTimeOffset BrandDayStart(BrandClock clock, DateTimeOffset now)
    {
        var local = clock.ToBrandTime(now);
        return new DateTimeOffset(local.Date, clock.Zone.GetUtcOffset(local.Date)).ToUniversalTime();
    }

    internal static string LevelsToText(List<int> levels) => string.Join(',', levels);

    internal static List<int> LevelsFromText(string text) =>
        text.Length == 0 ? [] : text.Split(',').Select(int.Parse).ToList();
}

public enum MallStockEntryKind
{
    Initial,
    Restock,
    Redemption,
    /// <summary>Units back from a redemption the member cancelled, or whose cash part was never paid.</summary>
    Cancellation,
    CodeImport,
    /// <summary>HQ wrote units off (damaged, miscounted): a negative delta with its reason.</summary>
    Removal,
}

/// <summary>One change of an item's stock, keyed by its fact (unique): the item's stock is the sum of them.</summary>
public sealed class MallStockEntry
{
    public const int SourceKeyMaxLength = 200;
    public const int ReasonMaxLength = 200;

    private MallStockEntry() { }

    public MallStockEntry(Guid itemId, MallStockEntryKind kind, long delta, string sourceKey, Guid? redemptionId, DateTimeOffset occurredAt,
        string? reason = null)
    {
        Id = Ids.New();
        ItemId = itemId;
        Kind = kind;
        Delta = delta;
        SourceKey = sourceKey;
        RedemptionId = redemptionId;
        OccurredAt = occurredAt;
        Reason = reason;
    }

    public Guid Id { get; private set; }
    public Guid ItemId { get; private set; }
    public MallStockEntryKind Kind { get; private set; }
    public long Delta { get; private set; }
    public string SourceKey { get; private set; } = "";
    public Guid? RedemptionId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>Why HQ removed units (<see cref="MallStockEntryKind.Removal"/>); null for the other kinds.</summary>
    public string? Reason { get; private set; }
}

internal sealed class MallItemConfiguration : IEntityTypeConfiguration<MallItem>, IEntityTypeConfiguration<MallStockEntry>
{
    public void Configure(EntityTypeBuilder<MallItem> b)
    {
        b.ToTable("mall_items");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(MallItem.NameMaxLength).IsRequired();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.AllowedLevels).HasMaxLength(200).IsRequired()
            .HasConversion(v => MallItem.LevelsToText(v), v => MallItem.LevelsFromText(v),
                new ValueComparer<List<int>>((a, c) => a!.SequenceEqual(c!), v => v.Aggregate(0, HashCode.Combine), v => v.ToList()));
        b.HasIndex(x => x.ArchivedAt);
    }

    public void Configure(EntityTypeBuilder<MallStockEntry> b)
    {
        b.ToTable("mall_stock_entries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.SourceKey).HasMaxLength(MallStockEntry.SourceKeyMaxLength).IsRequired();
        b.HasIndex(x => x.SourceKey).IsUnique();
        b.Property(x => x.Reason).HasMaxLength(MallStockEntry.ReasonMaxLength);
        b.HasIndex(x => x.ItemId);
        b.HasOne<MallItem>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}
