using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

public enum RechargeStatus
{
    /// <summary>Order created, waiting for WeChat Pay.</summary>
    Pending,
    Paid,
    /// <summary>Never paid: the order expired and was closed.</summary>
    Closed,
    /// <summary>HQ is refunding it: the lot's remainder left the wallet, WeChat Pay has not confirmed yet.</summary>
    Refunding,
    Refunded,
    /// <summary>The WeChat Pay order could not be created: nothing can pay it.</summary>
    Failed,
}

/// <summary>
/// A member buying a recharge package through WeChat Pay. Recorded (pending) before WeChat Pay is called,
/// credited once when the payment is verified: by the notification, or by the settle job that queries
/// WeChat Pay when no notification came. Its amounts are copied from the package when it starts.
/// </summary>
public sealed class Recharge
{
    public static readonly TimeSpan PaymentWindow = TimeSpan.FromMinutes(30);

    private Recharge() { }

    public Recharge(Guid memberId, RechargePackage package, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        OutTradeNo = Id.ToString("N");
        MemberId = memberId;
        PackageId = package.Id;
        Description = package.Name;
        Price = package.Price;
        Gift = package.Gift;
        LevelGranted = package.LevelGranted;
        LevelGrantMonths = package.LevelGrantMonths;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + PaymentWindow;
    }

    public Guid Id { get; private set; }
    /// <summary>WeChat Pay's out_trade_no: the id without dashes (32 characters).</summary>
    public string OutTradeNo { get; private set; } = "";
    public Guid MemberId { get; private set; }
    public Guid PackageId { get; private set; }
    public string Description { get; private set; } = "";
    /// <summary>What the member pays, credited as principal.</summary>
    public long Price { get; private set; }
    public long Gift { get; private set; }
    public int? LevelGranted { get; private set; }
    /// <summary>The package's grant validity when bought (months from payment; null: for good).</summary>
    public int? LevelGrantMonths { get; private set; }
    /// <summary>Until when the granted level holds (null: for good, or no level granted); set when paid.</summary>
    public DateTimeOffset? LevelGrantedUntil { get; private set; }
    /// <summary>The grant's expiry was processed (the member's level re-evaluated) by the daily job.</summary>
    public bool LevelGrantLapsed { get; private set; }
    public RechargeStatus Status { get; private set; }
    public string? PrepayId { get; private set; }
    public string? TransactionId { get; private set; }
    public Guid? LotId { get; private set; }
    public Guid? StoreId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public int Version { get; private set; }

    /// <summary>The WeChat Pay order that pays it.</summary>
    public PayOrder PayOrder => new(OutTradeNo, Description, Price, ExpiresAt, Attach: "recharge");

    /// <summary>The payment was credited (it may be refunding or refunded since).</summary>
    public bool IsCredited => Status is RechargeStatus.Paid or RechargeStatus.Refunding or RechargeStatus.Refunded;

    public void Prepared(string prepayId)
    {
        PrepayId = prepayId;
        Version++;
    }

    /// <summary>The payment is verified: mark it paid. A closed order WeChat Pay says was paid is paid too.</summary>
    /// <param name="zone">The brand's time zone: a grant of N months ends at the same brand-local time N months after payment.</param>
    internal void MarkPaid(string? transactionId, DateTimeOffset paidAt, Guid lotId, Guid? storeId, TimeZoneInfo zone)
    {
        if (IsCredited) throw new InvalidOperationException("Credited already.");
        Status = RechargeStatus.Paid;
        TransactionId = transactionId;
        PaidAt = paidAt;
        if (LevelGranted is not null && LevelGrantMonths is { } months)
            LevelGrantedUntil = TimeZoneInfo.ConvertTime(paidAt, zone).AddMonths(months).ToUniversalTime();
        LotId = lotId;
        StoreId = storeId;
        Version++;
    }

    internal void StartRefund(bool completed)
    {
        if (Status != RechargeStatus.Paid) throw new InvalidOperationException($"Recharge {Id} is {Status}.");
        Status = completed ? RechargeStatus.Refunded : RechargeStatus.Refunding;
        Version++;
    }

    internal void FinishRefund(bool succeeded)
    {
        if (Status != RechargeStatus.Refunding) throw new InvalidOperationException($"Recharge {Id} is {Status}.");
        Status = succeeded ? RechargeStatus.Refunded : RechargeStatus.Paid;
        Version++;
    }

    internal bool Close()
    {
        if (Status != RechargeStatus.Pending) return false;
        Status = RechargeStatus.Closed;
        Version++;
        return true;
    }

    internal bool Fail()
    {
        if (Status != RechargeStatus.Pending || PrepayId is not null) return false;
        Status = RechargeStatus.Failed;
        Version++;
        return true;
    }
}

internal sealed class RechargeConfiguration : IEntityTypeConfiguration<Recharge>
{
    public void Configure(EntityTypeBuilder<Recharge> b)
    {
        b.ToTable("recharges");
        b.HasKey(x => x.Id);
        b.Property(x => x.OutTradeNo).HasMaxLength(32).IsRequired();
        b.HasIndex(x => x.OutTradeNo).IsUnique();
        b.Property(x => x.Description).HasMaxLength(64).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.PrepayId).HasMaxLength(64);
        b.Property(x => x.TransactionId).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.Status, x.CreatedAt });
        b.HasIndex(x => new { x.MemberId, x.PackageId });
        b.HasIndex(x => x.PaidAt);
        b.HasOne<Members.Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RechargePackage>().WithMany().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Restrict);
    }
}
