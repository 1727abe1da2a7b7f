using System.Security.Cryptography;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Mall;

public enum MallRedemptionStatus
{
    /// <summary>Points (and cash, if any) paid; waiting for pickup or shipment. A points-only one can be cancelled.</summary>
    Redeemed,
    PickedUp,
    Shipped,
    Cancelled,
    /// <summary>A coupon item: its code(s) handed out at redemption or payment (fulfilled, not cancellable).</summary>
    CodeIssued,
    /// <summary>Points + cash: points and stock held, the WeChat Pay order not paid yet (until <c>PaymentExpiresAt</c>).</summary>
    AwaitingPayment,
    /// <summary>Points + cash never paid: the order closed (expired or the member cancelled), points and stock released.</summary>
    Closed,
}

/// <summary>
/// A member's redemption of a mall item: the points it cost (one points entry), the stock it took (one stock
/// entry), and how it is fulfilled. A pickup redemption carries a verification code its store's guide redeems;
/// its store is the member's store when they are bound to one (a guide of that store only), else any store.
/// </summary>
public sealed class MallRedemption
{
    public const int PickupCodeLength = 12;
    /// <summary>How long the cash part can be paid; points and stock are held that long (a flash sale's stock must not wait longer).</summary>
    public static readonly TimeSpan PaymentWindow = TimeSpan.FromMinutes(15);

    private MallRedemption() { }

    internal MallRedemption(Guid id, Guid memberId, MallItem item, int quantity, Guid? storeId, Guid pointsEntryId, DateTimeOffset at)
    {
        Id = id;
        MemberId = memberId;
        ItemId = item.Id;
        ItemName = item.Name;
        Kind = item.Kind;
        Quantity = quantity;
        Points = checked(item.PointsPrice * quantity);
        Cash = checked(item.CashPrice * quantity);
        StoreId = item.Kind == MallItemKind.Pickup ? storeId : null;
        PointsEntryId = pointsEntryId;
        CreatedAt = at;
        if (Cash > 0)
        {
            Status = MallRedemptionStatus.AwaitingPayment;
            OutTradeNo = id.ToString("N");
            PaymentExpiresAt = at + PaymentWindow;
        }
        else
        {
            Status = MallRedemptionStatus.Redeemed;
            PickupCode = item.Kind == MallItemKind.Pickup ? NewPickupCode() : null;
        }
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid ItemId { get; private set; }
    public string ItemName { get; private set; } = "";
    public MallItemKind Kind { get; private set; }
    public int Quantity { get; private set; }
    public long Points { get; private set; }
    /// <summary>The cash part in fen (0: points only), paid with WeChat Pay order <see cref="OutTradeNo"/>.</summary>
    public long Cash { get; private set; }
    public MallRedemptionStatus Status { get; private set; }
    /// <summary>Pickup: the store whose guides may hand it out (null: the member had no store, any store may).</summary>
    public Guid? StoreId { get; private set; }
    /// <summary>Pickup only: the verification code the member shows (unique).</summary>
    public string? PickupCode { get; private set; }
    public Guid PointsEntryId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? FulfilledAt { get; private set; }
    public Guid? FulfilledByGuideId { get; private set; }
    public Guid? FulfilledAtStoreId { get; private set; }
    public string? Carrier { get; private set; }
    public string? TrackingNumber { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    /// <summary>
    /// Pickup: when a guide of its store put the item aside for the member (the member was told once); the status stays
    /// <see cref="MallRedemptionStatus.Redeemed"/>, so pickup and cancel work as before.
    /// </summary>
    public DateTimeOffset? ReadyAt { get; private set; }
    public Guid? ReadyByGuideId { get; private set; }
    /// <summary>Where the item waits: the redemption's store, or for a member without one, the store of the guide who put it aside.</summary>
    public Guid? ReadyAtStoreId { get; private set; }
    /// <summary>Guards pickup, shipment and cancel against each other (EF concurrency token; a lost race is retried and then refused).</summary>
    public int Version { get; private set; }
    /// <summary>Points + cash: WeChat Pay's out_trade_no (the id without dashes; unique).</summary>
    public string? OutTradeNo { get; private set; }
    public string? PrepayId { get; private set; }
    /// <summary>Points + cash: until when the order can be paid; after it the order is closed and points and stock released.</summary>
    public DateTimeOffset? PaymentExpiresAt { get; private set; }
    public string? TransactionId { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }

    /// <summary>The WeChat Pay order of the cash part (points + cash only).</summary>
    public PayOrder PayOrder => OutTradeNo is null || PaymentExpiresAt is null
        ? throw new InvalidOperationException("A points-only redemption has no WeChat Pay order.")
        : new(OutTradeNo, ItemName.Length > 100 ? ItemName[..100] : ItemName, Cash, PaymentExpiresAt.Value, Attach: "mall");

    /// <summary>Coupon items: the codes handed out, one per unit (newline-separated; the pool rows point back here).</summary>
    public string? CouponCodes { get; private set; }

    public IReadOnlyList<string> CouponCodeList => CouponCodes is null ? [] : CouponCodes.Split('\n');

    /// <summary>A coupon redemption is fulfilled as it is made: its codes are handed out.</summary>
    internal void IssueCodes(IReadOnlyList<string> codes, DateTimeOffset at)
    {
        if (Kind != MallItemKind.Coupon || codes.Count != Quantity) throw new InvalidOperationException("One code per unit of a coupon item.");
        CouponCodes = string.Join('\n', codes);
        Status = MallRedemptionStatus.CodeIssued;
        FulfilledAt = at;
    }

    internal void Prepared(string prepayId)
    {
        PrepayId = prepayId;
        Version++;
    }

    /// <summary>
    /// The cash part is paid: the redemption is released for fulfilment (a pickup gets its verification code;
    /// a coupon's codes are issued by the caller next).
    /// </summary>
    internal void MarkPaid(string? transactionId, DateTimeOffset paidAt)
    {
        if (Status != MallRedemptionStatus.AwaitingPayment) throw new InvalidOperationException($"Redemption {Id} is {Status}.");
        Status = MallRedemptionStatus.Redeemed;
        TransactionId = transactionId;
        PaidAt = paidAt;
        if (Kind == MallItemKind.Pickup) PickupCode = NewPickupCode();
        Version++;
    }

    /// <summary>The cash part was never paid and its order is closed: the caller gives the points and stock back.</summary>
    internal bool Close(DateTimeOffset at)
    {
        if (Status != MallRedemptionStatus.AwaitingPayment) return false;
        Status = MallRedemptionStatus.Closed;
        CancelledAt = at;
        Version++;
        return true;
    }

    public static DomainError CashPaid => DomainError.Conflict("mall.cash_paid",
        "Its cash part was paid with WeChat Pay: a paid points + cash redemption cannot be cancelled in the mini program (the store can help).");

    public static DomainError NotFound => DomainError.NotFound("mall.redemption_not_found", "No such redemption (or not this member's).");

    /// <summary>Only an unfulfilled redemption is cancelled: its points and stock go back (the handler posts them).</summary>
    public void Cancel(DateTimeOffset at)
    {
        if (Status != MallRedemptionStatus.Redeemed)
            throw new DomainException(DomainError.Conflict("mall.not_cancellable", "Only a redemption not yet picked up or shipped can be cancelled."));
        if (Cash > 0) throw new DomainException(CashPaid);
        Status = MallRedemptionStatus.Cancelled;
        CancelledAt = at;
        Version++;
    }

    /// <summary>A guide of <paramref name="guideStoreId"/> hands the item out: own store only, when the redemption has one.</summary>
    public void PickUp(Guid guideId, Guid guideStoreId, DateTimeOffset at)
    {
        CheckAtCounter(guideStoreId, PickupCodeInvalid);
        Status = MallRedemptionStatus.PickedUp;
        FulfilledAt = at;
        FulfilledByGuideId = guideId;
        FulfilledAtStoreId = guideStoreId;
        Version++;
    }

    /// <summary>
    /// A guide of <paramref name="guideStoreId"/> has the item ready at the counter: own store only, when the redemption has one,
    /// and only while it is waiting to be handed out. Answers whether this call marked it (false: it was ready already, and the
    /// member was told then).
    /// </summary>
    public bool MarkReady(Guid guideId, Guid guideStoreId, DateTimeOffset at)
    {
        CheckAtCounter(guideStoreId, NotFound);
        if (ReadyAt is not null) return false;
        ReadyAt = at;
        ReadyByGuideId = guideId;
        ReadyAtStoreId = guideStoreId;
        Version++;
        return true;
    }

    /// <summary>
    /// What a guide of <paramref name="guideStoreId"/> may do at the counter (hand it out, put it aside): a pickup (else
    /// <paramref name="notAPickup"/>), of the guide's store when it has one, still waiting to be handed out.
    /// </summary>
    private void CheckAtCounter(Guid guideStoreId, DomainError notAPickup)
    {
        if (Kind != MallItemKind.Pickup) throw new DomainException(notAPickup);
        if (StoreId is { } store && store != guideStoreId) throw new DomainException(PickupOtherStore);
        if (Status != MallRedemptionStatus.Redeemed) throw new DomainException(NotFulfillable);
    }

    public void Ship(string carrier, string trackingNumber, DateTimeOffset at)
    {
        if (Kind != MallItemKind.Shipped || Status != MallRedemptionStatus.Redeemed) throw new DomainException(NotFulfillable);
        Status = MallRedemptionStatus.Shipped;
        Carrier = carrier;
        TrackingNumber = trackingNumber;
        FulfilledAt = at;
        Version++;
    }

    public static DomainError PickupOtherStore => DomainError.Forbidden("mall.pickup_other_store", "This redemption is picked up in another store.");

    public static DomainError PickupCodeInvalid => DomainError.NotFound("mall.pickup_code_invalid", "No pickup redemption has this verification code.");

    public static DomainError NotFulfillable =>
        DomainError.Conflict("mall.not_fulfillable", "The redemption was fulfilled or cancelled already, or is not fulfilled this way.");

    /// <summary>12 random digits; the unique index refuses a collision and the transaction is retried with a new one.</summary>
    private static string NewPickupCode() =>
        string.Concat(Enumerable.Range(0, PickupCodeLength).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
}

internal sealed class MallRedemptionConfiguration : IEntityTypeConfiguration<MallRedemption>
{
    public void Configure(EntityTypeBuilder<MallRedemption> b)
    {
        b.ToTable("mall_redemptions");
        b.HasKey(x => x.Id);
        b.Property(x => x.ItemName).HasMaxLength(MallItem.NameMaxLength).IsRequired();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.PickupCode).HasMaxLength(MallRedemption.PickupCodeLength);
        b.HasIndex(x => x.PickupCode).IsUnique();
        b.Property(x => x.Carrier).HasMaxLength(40);
        b.Property(x => x.TrackingNumber).HasMaxLength(64);
        b.Property(x => x.OutTradeNo).HasMaxLength(32);
        b.HasIndex(x => x.OutTradeNo).IsUnique();
        b.Property(x => x.PrepayId).HasMaxLength(64);
        b.Property(x => x.TransactionId).HasMaxLength(64);
        b.HasIndex(x => new { x.Status, x.CreatedAt });
        b.Ignore(x => x.PayOrder);
        b.Property(x => x.CouponCodes).HasMaxLength(RedeemMallItem.MaxQuantity * (MallCouponCode.CodeMaxLength + 1));
        b.Ignore(x => x.CouponCodeList);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.MemberId, x.ItemId, x.CreatedAt });
        b.HasIndex(x => new { x.MemberId, x.CreatedAt });
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MallItem>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}
