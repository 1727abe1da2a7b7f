using System.Globalization;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Documents;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Commissions;

/// <summary>
/// HQ moves a sale's commission from the guide who holds it to another guide, with a reason, without editing an entry: per sale
/// line, a re-attribution entry taking the line's net (its sale, refunds and earlier re-attributions the holder holds: quantity,
/// commissionable amount, commission) from the holder in the store they hold it in, and one giving the same to the new guide in
/// the new guide's store, both dated now in the current month or the first open month after it. Every line moves, a fully refunded
/// one with zeros, so that one guide holds the whole sale. Later refunds take back from the new holder. The console's
/// Idempotency-Key applies it once. A sale nobody was credited for (no guide on the document) is not attributed here.
/// </summary>
public sealed record ReattributeCommission(Guid? DocumentId, Guid? GuideId, string Reason, Guid ActorId, string ClientKey)
    : ICommand<CommissionReattribution>, IIdempotentCommand
{
    public const int ReasonMaxLength = 200;

    public static readonly DomainError DocumentNotFound = DomainError.NotFound("document.not_found", "No such sales document.");
    public static readonly DomainError DocumentIsRefund = DomainError.Conflict("commission.document_is_refund",
        "A refund's commission follows its sale: re-attribute the sale.");
    public static readonly DomainError DocumentUnattributed = DomainError.Conflict("commission.document_unattributed",
        "Nobody earned commission on this sale (it names no guide): there is nothing to move.");
    public static readonly DomainError AlreadyAttributed = DomainError.Conflict("commission.already_attributed",
        "This guide holds the sale's commission already.");

    public string IdempotencyKey => $"commission-reattribution:{ClientKey}";
    public object IdempotencyPayload => new { DocumentId, GuideId, Reason };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

/// <summary>What moved: from whom to whom (the new guide's store), and per line the two entries and what they moved.</summary>
public sealed record CommissionReattribution(Guid DocumentId, string DocumentNumber, Guid FromGuideId, Guid ToGuideId, Guid ToStoreId, string Reason,
    Guid ActorId, DateTimeOffset DocumentTime, int PostingMonth, IReadOnlyList<CommissionReattributionLine> Lines, bool Replayed = false)
    : IReplayable<CommissionReattribution>
{
    public CommissionReattribution AsReplayed() => this with { Replayed = true };
}

/// <summary>One sale line moved: the holder's entry (minus these amounts) and the new guide's (plus them).</summary>
public sealed record CommissionReattributionLine(int LineNo, Guid FromEntryId, Guid ToEntryId, int Quantity, long CommissionableAmount, long Commission);

public sealed class ReattributeCommissionValidator : AbstractValidator<ReattributeCommission>
{
    public ReattributeCommissionValidator()
    {
        RuleFor(x => x.DocumentId).NotNull().WithMessage("Name the sale (documentId).");
        RuleFor(x => x.GuideId).NotNull().WithMessage("Name the guide the commission goes to (guideId).");
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A reason is required.")
            .Must(r => r is null || r.Trim().Length <= ReattributeCommission.ReasonMaxLength)
            .WithMessage($"The reason has at most {ReattributeCommission.ReasonMaxLength} characters.");
        RuleFor(x => x.ClientKey).Must(HqIdempotency.IsValidKey).WithMessage(HqIdempotency.KeyRule);
    }
}

/// <summary>Who holds each line of a sale now: the guide and store of the line's latest re-attribution to someone, else of its sale entry.</summary>
internal static class CommissionHolders
{
    public static string Key(Guid documentId, int lineNo, int turn, bool to) =>
        $"commission-reattribution:{documentId:N}:{lineNo}:{turn.ToString(CultureInfo.InvariantCulture)}:{(to ? "to" : "from")}";

    /// <summary>The turn of a re-attribution entry (1 for a line's first) and whether it is the receiving side, from its source key.</summary>
    public static (int Turn, bool To) Of(CommissionEntry entry)
    {
        var parts = entry.SourceKey.Split(':');
        return (int.Parse(parts[3], CultureInfo.InvariantCulture), parts[4] == "to");
    }

    /// <summary><paramref name="entries"/>: the sale's own entries (its sale and re-attribution entries, all of the sale's document id).</summary>
    public static Dictionary<int, (CommissionEntry Sale, Guid GuideId, Guid StoreId, int Turn)> Of(IEnumerable<CommissionEntry> entries)
    {
        var list = entries.ToList();
        var holders = list.Where(e => e.Kind == CommissionEntryKind.Sale)
            .ToDictionary(e => e.LineNo!.Value, e => (Sale: e, e.GuideId, e.StoreId, Turn: 0));
        foreach (var moved in list.Where(e => e.Kind == CommissionEntryKind.Reattribution).Select(e => (Entry: e, Side: Of(e))).Where(m => m.Side.To)
                     .OrderBy(m => m.Side.Turn))
            if (holders.TryGetValue(moved.Entry.LineNo!.Value, out var held))
                holders[moved.Entry.LineNo!.Value] = (held.Sale, moved.Entry.GuideId, moved.Entry.StoreId, moved.Side.Turn);
        return holders;
    }
}

public sealed class ReattributeCommissionHandler(GuideDbContext db, Transactions transactions, LedgerWrites writes, BrandClock clock)
    : IRequestHandler<ReattributeCommission, CommissionReattribution>
{
    public async Task<CommissionReattribution> Handle(ReattributeCommission request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var documentId = request.DocumentId!.Value;
        var guideId = request.GuideId!.Value;
        // The sale's row first, as a refund of it locks it: re-attributions and refunds of one sale queue here and see each other's entries.
        var locked = await db.SalesDocuments.Where(d => d.Id == documentId && d.Kind == DocumentKind.Sale)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Version, d => d.Version + 1), cancellationToken);
        if (locked == 0)
            throw new DomainException(await db.SalesDocuments.AnyAsync(d => d.Id == documentId, cancellationToken)
                ? ReattributeCommission.DocumentIsRefund
                : ReattributeCommission.DocumentNotFound);
        // Then the gate shared (no month closes between the read of the closed months and this commit), as an adjustment does.
        var gate = await CommissionGate.ShareAsync(db, transactions, CommissionMonths.Of(now, clock.Zone), cancellationToken);
        var store = await db.Guides.AsNoTracking().Where(g => g.Id == guideId).Select(g => (Guid?)g.StoreId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide."));
        var number = await db.SalesDocuments.AsNoTracking().Where(d => d.Id == documentId).Select(d => d.DocumentNumber).SingleAsync(cancellationToken);

        var own = await db.CommissionEntries.AsNoTracking()
            .Where(e => e.DocumentId == documentId && (e.Kind == CommissionEntryKind.Sale || e.Kind == CommissionEntryKind.Reattribution))
            .ToListAsync(cancellationToken);
        var holders = CommissionHolders.Of(own);
        if (holders.Count == 0) throw new DomainException(ReattributeCommission.DocumentUnattributed);
        if (holders.Values.Any(h => h.GuideId == guideId)) throw new DomainException(ReattributeCommission.AlreadyAttributed);
        // The refunds' entries, by the refunds of this sale (both look-ups by index).
        var refunds = db.SalesDocuments.Where(d => d.OriginalDocumentId == documentId).Select(d => (Guid?)d.Id);
        var refunded = await db.CommissionEntries.AsNoTracking()
            .Where(e => e.Kind == CommissionEntryKind.Refund && refunds.Contains(e.DocumentId))
            .ToListAsync(cancellationToken);
        var lineEntries = own.Concat(refunded).ToList();

        var month = gate.PostingMonth;
        var reason = request.Reason.Trim();
        var lines = new List<CommissionReattributionLine>();
        foreach (var (lineNo, holder) in holders.OrderBy(h => h.Key))
        {
            var sale = holder.Sale;
            var held = lineEntries.Where(e => (e.Id == sale.Id || e.OriginalEntryId == sale.Id) && e.GuideId == holder.GuideId).ToList();
            var quantity = held.Sum(e => e.Quantity);
            var amount = held.Sum(e => e.CommissionableAmount);
            var commission = held.Sum(e => e.Commission);
            var turn = holder.Turn + 1;
            var from = new CommissionEntry(CommissionEntryKind.Reattribution, CommissionHolders.Key(documentId, lineNo, turn, to: false), holder.GuideId,
                holder.StoreId, documentId, number, now, month, lineNo, sale.Sku, sale.Product, sale.Category, -quantity, -amount, sale.RuleId, sale.Method,
                sale.RuleValue, -commission, sale.Id, reason, now, request.ActorId);
            var to = new CommissionEntry(CommissionEntryKind.Reattribution, CommissionHolders.Key(documentId, lineNo, turn, to: true), guideId, store,
                documentId, number, now, month, lineNo, sale.Sku, sale.Product, sale.Category, quantity, amount, sale.RuleId, sale.Method, sale.RuleValue,
                commission, sale.Id, reason, now, request.ActorId);
            // Append-only: the kernel inserts both with the idempotency record.
            writes.Insert(from);
            writes.Insert(to);
            lines.Add(new CommissionReattributionLine(lineNo, from.Id, to.Id, quantity, amount, commission));
        }
        var fromGuide = holders.OrderBy(h => h.Key).First().Value.GuideId;
        return new CommissionReattribution(documentId, number, fromGuide, guideId, store, reason, request.ActorId, now, month, lines);
    }
}
