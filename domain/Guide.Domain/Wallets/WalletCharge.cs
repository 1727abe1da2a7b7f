using Guide.Domain.Common;
using Guide.Domain.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

/// <summary>
/// A payment with the wallet for a document of an integration client (a POS sale, a mall order). Unique by
/// (client, document number): a resent charge finds this row and returns its first result. The split per
/// lot is the lines of its ledger entry.
/// </summary>
public sealed class WalletCharge
{
    public const int DocumentNumberMaxLength = 64;

    private WalletCharge() { }

    internal WalletCharge(Guid clientId, string documentNumber, Guid memberId, Guid? storeId, long principal, long gift,
        Guid entryId, long principalAfter, long giftAfter, DateTimeOffset chargedAt, string payloadHash)
    {
        Id = Ids.New();
        ClientId = clientId;
        DocumentNumber = documentNumber;
        MemberId = memberId;
        StoreId = storeId;
        Amount = principal + gift;
        Principal = principal;
        Gift = gift;
        EntryId = entryId;
        PrincipalAfter = principalAfter;
        GiftAfter = giftAfter;
        ChargedAt = chargedAt;
        PayloadHash = payloadHash;
    }

    public Guid Id { get; private set; }
    public Guid ClientId { get; private set; }
    public string DocumentNumber { get; private set; } = "";
    public Guid MemberId { get; private set; }
    public Guid? StoreId { get; private set; }
    public long Amount { get; private set; }
    public long Principal { get; private set; }
    public long Gift { get; private set; }
    public long RefundedPrincipal { get; private set; }
    public long RefundedGift { get; private set; }
    public Guid EntryId { get; private set; }
    /// <summary>The balances right after the charge: part of its first result, returned again on a resend.</summary>
    public long PrincipalAfter { get; private set; }
    public long GiftAfter { get; private set; }
    public DateTimeOffset ChargedAt { get; private set; }

    /// <summary>
    /// The hash of the charge request's idempotency payload: the row answers a resend of the document (the kernel compares the
    /// hash, then answers from the row). Null on charges recorded before it was kept, whose ledger_requests row answers instead.
    /// </summary>
    public string? PayloadHash { get; private set; }

    public long Refundable => Amount - RefundedPrincipal - RefundedGift;

    /// <summary>How a refund of <paramref name="amount"/> splits; refuses more than is left to refund.</summary>
    public (Money Principal, Money Gift) SplitRefund(Money amount)
    {
        if (amount.Fen > Refundable)
            throw new DomainException(new DomainError("wallet.refund_exceeds_charge", $"At most {Refundable} fen of this charge can still be refunded.", ErrorKind.Conflict)
            {
                Details = new Dictionary<string, object?> { ["refundable"] = Refundable },
            });
        return WalletSplit.Refund(amount, new Money(Principal - RefundedPrincipal), new Money(Gift - RefundedGift));
    }

    internal void RecordRefund(Money principal, Money gift)
    {
        RefundedPrincipal = checked(RefundedPrincipal + principal.Fen);
        RefundedGift = checked(RefundedGift + gift.Fen);
        if (RefundedPrincipal > Principal || RefundedGift > Gift) throw new InvalidOperationException("Refunded more than charged.");
    }
}

/// <summary>A (partial) refund of a charge, unique by (client, refund number).</summary>
public sealed class WalletChargeRefund
{
    private WalletChargeRefund() { }

    internal WalletChargeRefund(Guid clientId, string refundNumber, WalletCharge charge, long principal, long gift,
        Guid entryId, long principalAfter, long giftAfter, DateTimeOffset refundedAt)
    {
        Id = Ids.New();
        ClientId = clientId;
        RefundNumber = refundNumber;
        ChargeId = charge.Id;
        MemberId = charge.MemberId;
        Amount = principal + gift;
        Principal = principal;
        Gift = gift;
        EntryId = entryId;
        PrincipalAfter = principalAfter;
        GiftAfter = giftAfter;
        RefundedAt = refundedAt;
    }

    public Guid Id { get; private set; }
    public Guid ClientId { get; private set; }
    public string RefundNumber { get; private set; } = "";
    public Guid ChargeId { get; private set; }
    public Guid MemberId { get; private set; }
    public long Amount { get; private set; }
    public long Principal { get; private set; }
    public long Gift { get; private set; }
    public Guid EntryId { get; private set; }
    public long PrincipalAfter { get; private set; }
    public long GiftAfter { get; private set; }
    public DateTimeOffset RefundedAt { get; private set; }
}

internal sealed class WalletChargeConfiguration : IEntityTypeConfiguration<WalletCharge>, IEntityTypeConfiguration<WalletChargeRefund>
{
    public void Configure(EntityTypeBuilder<WalletCharge> b)
    {
        b.ToTable("wallet_charges");
        b.HasKey(x => x.Id);
        b.Property(x => x.DocumentNumber).HasMaxLength(WalletCharge.DocumentNumberMaxLength).IsRequired();
        b.Property(x => x.PayloadHash).HasMaxLength(64);
        b.HasIndex(x => new { x.ClientId, x.DocumentNumber }).IsUnique();
        b.HasIndex(x => x.MemberId);
        b.Ignore(x => x.Refundable);
        b.HasOne<IntegrationClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Wallet>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WalletEntry>().WithOne().HasForeignKey<WalletCharge>(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<WalletChargeRefund> b)
    {
        b.ToTable("wallet_charge_refunds");
        b.HasKey(x => x.Id);
        b.Property(x => x.RefundNumber).HasMaxLength(WalletCharge.DocumentNumberMaxLength).IsRequired();
        b.HasIndex(x => new { x.ClientId, x.RefundNumber }).IsUnique();
        b.HasIndex(x => x.ChargeId);
        b.HasOne<IntegrationClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WalletCharge>().WithMany().HasForeignKey(x => x.ChargeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WalletEntry>().WithOne().HasForeignKey<WalletChargeRefund>(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
    }
}
