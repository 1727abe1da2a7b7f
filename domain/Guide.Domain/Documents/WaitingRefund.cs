using Guide.Domain.Common;
using Guide.Domain.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Documents;

public enum WaitingRefundStatus
{
    /// <summary>Its sale has not arrived yet.</summary>
    Waiting,
    /// <summary>Posted as a refund document when its sale arrived (<see cref="WaitingRefund.DocumentId"/>).</summary>
    Posted,
    /// <summary>Its sale arrived and the refund did not fit it (e.g. more than was sold); nothing was posted.</summary>
    Refused,
}

/// <summary>
/// A refund that arrived before its sale (a POS that syncs out of order). It is kept as received, answered
/// <c>202 waiting_for_sale</c>, and posted as a refund document (points, commission, level) as soon as its sale is
/// recorded: by the sale's request, or by the sweep job. Unique per client and document number, like documents.
/// </summary>
public sealed class WaitingRefund
{
    public const int RefusalMaxLength = 500;

    private WaitingRefund() { }

    internal WaitingRefund(Guid clientId, string documentNumber, string originalDocumentNumber, string request, DateTimeOffset receivedAt)
    {
        Id = Ids.New();
        ClientId = clientId;
        DocumentNumber = documentNumber;
        OriginalDocumentNumber = originalDocumentNumber;
        Request = request;
        ReceivedAt = receivedAt;
        CheckedAt = receivedAt;
    }

    public Guid Id { get; private set; }
    public Guid ClientId { get; private set; }
    public string DocumentNumber { get; private set; } = "";
    public string OriginalDocumentNumber { get; private set; } = "";
    /// <summary>The refund as the client sent it (JSON of <see cref="RecordSalesDocument"/>), posted as it was.</summary>
    public string Request { get; private set; } = "";
    public WaitingRefundStatus Status { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    /// <summary>Last time a sale's arrival looked at it (the look is a locking UPDATE, so a refund parking meanwhile is seen).</summary>
    public DateTimeOffset CheckedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public Guid? DocumentId { get; private set; }
    public string? RefusalCode { get; private set; }
    public string? RefusalMessage { get; private set; }

    internal void Posted(Guid documentId, DateTimeOffset now)
    {
        Status = WaitingRefundStatus.Posted;
        DocumentId = documentId;
        ResolvedAt = now;
    }

    internal void Refused(DomainError error, DateTimeOffset now)
    {
        Status = WaitingRefundStatus.Refused;
        RefusalCode = error.Code;
        RefusalMessage = error.Message.Length <= RefusalMaxLength ? error.Message : error.Message[..RefusalMaxLength];
        ResolvedAt = now;
    }
}

internal sealed class WaitingRefundConfiguration : IEntityTypeConfiguration<WaitingRefund>
{
    public void Configure(EntityTypeBuilder<WaitingRefund> b)
    {
        b.ToTable("waiting_refunds");
        b.HasKey(x => x.Id);
        b.Property(x => x.DocumentNumber).HasMaxLength(SalesDocument.NumberMaxLength).IsRequired();
        b.Property(x => x.OriginalDocumentNumber).HasMaxLength(SalesDocument.NumberMaxLength).IsRequired();
        b.HasIndex(x => new { x.ClientId, x.DocumentNumber }).IsUnique();
        b.HasIndex(x => new { x.ClientId, x.OriginalDocumentNumber, x.Status });
        b.HasIndex(x => new { x.Status, x.ReceivedAt });
        b.Property(x => x.Request).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RefusalCode).HasMaxLength(64);
        b.Property(x => x.RefusalMessage).HasMaxLength(WaitingRefund.RefusalMaxLength);
        b.HasOne<IntegrationClient>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SalesDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
