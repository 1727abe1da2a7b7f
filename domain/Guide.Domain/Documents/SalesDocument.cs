using Guide.Domain.Common;
using Guide.Domain.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Documents;

public enum DocumentKind
{
    Sale,
    Refund,
}

/// <summary>How a document was paid (or, for a refund, how the money went back).</summary>
public enum PaymentMethod
{
    WechatPay,
    Cash,
    Card,
    WalletPrincipal,
    WalletGift,
    Points,
    Coupon,
}

/// <summary>
/// A sales document (单据) from a POS, the ERP or the online mall: a sale, or a refund of (part of) an earlier
/// sale. Unique per source (the integration client) and document number; a resend changes nothing. Points and
/// commission read it: the document time dates them, the payments split their bases.
/// </summary>
public sealed class SalesDocument
{
    public const int NumberMaxLength = 64;

    private SalesDocument() { }

    internal SalesDocument(Guid id, Guid clientId, string documentNumber, DocumentKind kind, Guid? storeId, Guid? guideId, Guid? memberId,
        DateTimeOffset documentTime, Guid? originalDocumentId, DateTimeOffset receivedAt)
    {
        Id = id;
        ClientId = clientId;
        DocumentNumber = documentNumber;
        Kind = kind;
        StoreId = storeId;
        GuideId = guideId;
        MemberId = memberId;
        DocumentTime = documentTime;
        OriginalDocumentId = originalDocumentId;
        ReceivedAt = receivedAt;
    }

    public Guid Id { get; private set; }
    public Guid ClientId { get; private set; }
    public string DocumentNumber { get; private set; } = "";
    public DocumentKind Kind { get; private set; }
    public Guid? StoreId { get; private set; }
    /// <summary>The guide the sale is attributed to (commission).</summary>
    public Guid? GuideId { get; private set; }
    public Guid? MemberId { get; private set; }
    /// <summary>When it happened (paid, or refund succeeded); dates points and commission.</summary>
    public DateTimeOffset DocumentTime { get; private set; }
    public Guid? OriginalDocumentId { get; private set; }
    public long TotalPaid { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    /// <summary>Bumped by each refund of this sale: its row lock serializes refunds of one sale.</summary>
    public int Version { get; private set; }
    public List<SalesDocumentLine> Lines { get; private set; } = [];
    public List<SalesDocumentPayment> Payments { get; private set; } = [];

    internal void Add(SalesDocumentLine line)
    {
        Lines.Add(line);
        TotalPaid = checked(TotalPaid + line.PaidAmount);
    }
}

public sealed class SalesDocumentLine
{
    private SalesDocumentLine() { }

    internal SalesDocumentLine(Guid documentId, int lineNo, string sku, string product, string? category, int quantity, long unitPrice, long paidAmount, int? originalLineNo)
    {
        DocumentId = documentId;
        LineNo = lineNo;
        Sku = sku;
        Product = product;
        Category = category;
        Quantity = quantity;
        UnitPrice = unitPrice;
        PaidAmount = paidAmount;
        OriginalLineNo = originalLineNo;
    }

    public Guid DocumentId { get; private set; }
    public int LineNo { get; private set; }
    public string Sku { get; private set; } = "";
    public string Product { get; private set; } = "";
    public string? Category { get; private set; }
    public int Quantity { get; private set; }
    public long UnitPrice { get; private set; }
    /// <summary>What was actually paid for the line (refund: what is returned), in fen.</summary>
    public long PaidAmount { get; private set; }
    /// <summary>A refund line's line of the original sale.</summary>
    public int? OriginalLineNo { get; private set; }
}

public sealed class SalesDocumentPayment
{
    private SalesDocumentPayment() { }

    internal SalesDocumentPayment(Guid documentId, int sequence, PaymentMethod method, long amount)
    {
        DocumentId = documentId;
        Sequence = sequence;
        Method = method;
        Amount = amount;
    }

    public Guid DocumentId { get; private set; }
    public int Sequence { get; private set; }
    public PaymentMethod Method { get; private set; }
    public long Amount { get; private set; }
}

internal sealed class SalesDocumentConfiguration :
    IEntityTypeConfiguration<SalesDocument>, IEntityTypeConfiguration<SalesDocumentLine>, IEntityTypeConfiguration<SalesDocumentPayment>
{
    public void Configure(EntityTypeBuilder<SalesDocument> b)
    {
        b.ToTable("sales_documents");
        b.HasKey(x => x.Id);
        b.Property(x => x.DocumentNumber).HasMaxLength(SalesDocument.NumberMaxLength).IsRequired();
        b.HasIndex(x => new { x.ClientId, x.DocumentNumber }).IsUnique();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.DocumentTime);
        b.HasIndex(x => x.MemberId);
        b.HasIndex(x => x.GuideId);
        b.HasIndex(x => x.OriginalDocumentId);
        b.HasOne<IntegrationClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organization.Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organization.ShoppingGuide>().WithMany().HasForeignKey(x => x.GuideId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Members.Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SalesDocument>().WithMany().HasForeignKey(x => x.OriginalDocumentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Payments).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<SalesDocumentLine> b)
    {
        b.ToTable("sales_document_lines");
        b.HasKey(x => new { x.DocumentId, x.LineNo });
        b.Property(x => x.Sku).HasMaxLength(64).IsRequired();
        b.Property(x => x.Product).HasMaxLength(128).IsRequired();
        b.Property(x => x.Category).HasMaxLength(64);
        b.HasIndex(x => x.Sku);
    }

    public void Configure(EntityTypeBuilder<SalesDocumentPayment> b)
    {
        b.ToTable("sales_document_payments");
        b.HasKey(x => new { x.DocumentId, x.Sequence });
        b.Property(x => x.Method).HasConversion<string>().HasMaxLength(24);
    }
}
