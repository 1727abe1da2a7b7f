using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Documents;

public sealed record DocumentLineInput(int LineNo, string? Sku, string? Product, string? Category, int Quantity, long UnitPrice, long PaidAmount, int? OriginalLineNo);

public sealed record DocumentPaymentInput(PaymentMethod Method, long Amount);

/// <summary>
/// A POS, the ERP or the mall records a sale or a refund. The member is named by id, phone or a payment code
/// they showed (used or not, within a day); the guide by WeCom user id. A resend (same client and number)
/// returns the first result and changes nothing; a refund may not return more of a line than was sold minus
/// earlier refunds (quantity and amount), checked under the original sale's row lock.
/// </summary>
public sealed record RecordSalesDocument(Guid ClientId, string DocumentNumber, DocumentKind Kind, string? StoreCode, string? GuideWeComUserId,
    Guid? MemberId, string? MemberPhone, string? PaymentCode, DateTimeOffset DocumentTime, string? OriginalDocumentNumber,
    IReadOnlyList<DocumentLineInput> Lines, IReadOnlyList<DocumentPaymentInput> Payments) : ICommand<SalesDocumentView>, IIdempotentCommand
{
    [JsonIgnore] public string IdempotencyKey => $"document:{ClientId:N}:{DocumentNumber}";

    /// <summary>Everything the document says: a resend must say the same, or it is another document under a used number.</summary>
    [JsonIgnore] public object IdempotencyPayload => new
    {
        Kind, StoreCode, GuideWeComUserId, MemberId, MemberPhone, PaymentCode, DocumentTime = DocumentTime.ToUniversalTime(), OriginalDocumentNumber,
        Lines, Payments,
    };

    [JsonIgnore] public DomainError KeyReused => new("document.number_reused",
        $"Document {DocumentNumber} was recorded already with other content; a document number is used once.", ErrorKind.Conflict);
}

public sealed record SalesDocumentLineView(int LineNo, string Sku, string Product, string? Category, int Quantity, long UnitPrice, long PaidAmount, int? OriginalLineNo);

public sealed record SalesDocumentPaymentView(PaymentMethod Method, long Amount);

/// <summary>Recorded, or (a refund that came before its sale) waiting for the sale: posted when the sale arrives.</summary>
public enum DocumentStatus
{
    Recorded,
    WaitingForSale,
}

public sealed record SalesDocumentView(Guid Id, string DocumentNumber, DocumentKind Kind, Guid? StoreId, Guid? GuideId, Guid? MemberId,
    DateTimeOffset DocumentTime, string? OriginalDocumentNumber, long TotalPaid, IReadOnlyList<SalesDocumentLineView> Lines,
    IReadOnlyList<SalesDocumentPaymentView> Payments, bool Replayed, DocumentStatus Status = DocumentStatus.Recorded) : IReplayable<SalesDocumentView>
{
    public SalesDocumentView AsReplayed() => this with { Replayed = true };
}

public sealed class RecordSalesDocumentValidator : AbstractValidator<RecordSalesDocument>
{
    public RecordSalesDocumentValidator(BrandClock clock)
    {
        RuleFor(x => x.DocumentNumber).NotEmpty().MaximumLength(SalesDocument.NumberMaxLength).Matches("^[!-~]+$");
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.StoreCode).MaximumLength(Organization.Store.CodeMaxLength);
        RuleFor(x => x.GuideWeComUserId).MaximumLength(64);
        RuleFor(x => x.MemberPhone).Matches("^1[0-9]{10}$").When(x => x.MemberPhone is not null);
        RuleFor(x => x.PaymentCode).MaximumLength(32).Matches("^[0-9]+$").When(x => x.PaymentCode is not null);
        RuleFor(x => x).Must(x => new object?[] { x.MemberId, x.MemberPhone, x.PaymentCode }.Count(v => v is not null) <= 1)
            .WithName("memberId").WithMessage("Name the member by at most one of memberId, memberPhone and paymentCode.");
        RuleFor(x => x.DocumentTime).Must(t => t > new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) && t <= clock.UtcNow.AddDays(1))
            .WithMessage("The document time is required and cannot be in the future.");
        RuleFor(x => x.OriginalDocumentNumber).NotEmpty().When(x => x.Kind == DocumentKind.Refund)
            .WithMessage("A refund names its original sale.");
        RuleFor(x => x.OriginalDocumentNumber).Empty().When(x => x.Kind == DocumentKind.Sale);
        RuleFor(x => x.Lines).NotEmpty().Must(l => l.Count <= 500).WithMessage("1 to 500 lines.")
            .Must(l => l.Select(x => x.LineNo).Distinct().Count() == l.Count).WithMessage("Line numbers are unique.");
        RuleForEach(x => x.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.LineNo).GreaterThan(0);
            line.RuleFor(l => l.Quantity).InclusiveBetween(1, 1_000_000);
            line.RuleFor(l => l.UnitPrice).InclusiveBetween(0, 1_000_000_000);
            line.RuleFor(l => l.PaidAmount).InclusiveBetween(0, 1_000_000_000);
            line.RuleFor(l => l.Sku).MaximumLength(64);
            line.RuleFor(l => l.Product).MaximumLength(128);
            line.RuleFor(l => l.Category).MaximumLength(64);
        });
        RuleForEach(x => x.Lines).Must(l => !string.IsNullOrWhiteSpace(l.Sku) && !string.IsNullOrWhiteSpace(l.Product))
            .When(x => x.Kind == DocumentKind.Sale).WithMessage("A sale line has a SKU and a product name.");
        RuleForEach(x => x.Lines).Must(l => l.OriginalLineNo is > 0)
            .When(x => x.Kind == DocumentKind.Refund).WithMessage("A refund line names the original line (originalLineNo).");
        RuleFor(x => x.Payments).Must(p => p.Count <= 20).WithMessage("At most 20 payments.");
        RuleForEach(x => x.Payments).ChildRules(p =>
        {
            p.RuleFor(x => x.Method).IsInEnum();
            p.RuleFor(x => x.Amount).InclusiveBetween(1, 1_000_000_000);
        });
        RuleFor(x => x).Must(x => x.Payments.Sum(p => p.Amount) == x.Lines.Sum(l => l.PaidAmount)).When(x => x.Payments.Count > 0 && x.Lines.Count <= 500
                && x.Payments.All(p => p.Amount is > 0 and <= 1_000_000_000) && x.Lines.All(l => l.PaidAmount is >= 0 and <= 1_000_000_000))
            .WithName("payments").WithMessage("The payments add up to the lines' paid amounts.");
    }
}

public sealed class RecordSalesDocumentHandler(SalesDocumentRecorder recorder) : IRequestHandler<RecordSalesDocument, SalesDocumentView>
{
    public Task<SalesDocumentView> Handle(RecordSalesDocument request, CancellationToken cancellationToken) =>
        recorder.RecordAsync(request, posting: null, cancellationToken);
}

/// <summary>
/// Records a sale or a refund with everything that follows from it in the same transaction: points, commission, the
/// member's level. A refund whose sale has not arrived waits (<see cref="WaitingRefund"/>) and is posted by this same
/// path when the sale comes.
/// </summary>
public sealed class SalesDocumentRecorder(GuideDbContext db, StoreDirectory stores, Levels.MemberLevels levels, BrandClock clock,
    Guide.Domain.Points.PurchasePoints points, Commissions.CommissionPosting commissions)
{
    /// <param name="posting">The waiting refund being posted now that its sale is here (its id becomes the document's).</param>
    public async Task<SalesDocumentView> RecordAsync(RecordSalesDocument request, WaitingRefund? posting, CancellationToken cancellationToken)
    {
        var storeId = await stores.IdOfAsync(db, request.StoreCode, cancellationToken);
        Guid? guideId = null;
        if (!string.IsNullOrEmpty(request.GuideWeComUserId))
            guideId = await db.Guides.Where(g => g.WeComUserId == request.GuideWeComUserId).Select(g => (Guid?)g.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new DomainException(DomainError.NotFound("guide.not_found", $"No guide has the WeCom user id {request.GuideWeComUserId}."));
        var memberId = await MemberAsync(request, cancellationToken);
        memberId = await CheckPointsPaidAsync(request, memberId, cancellationToken);

        Guid? originalId = null;
        Guid? saleMemberId = null;
        Dictionary<int, SalesDocumentLine>? sold = null;
        if (request.Kind == DocumentKind.Refund)
        {
            // Lock the original sale: refunds of one sale queue here, and then see each other's lines.
            if (await LockSaleAsync(request, cancellationToken) == 0)
            {
                if (posting is not null)
                    throw new DomainException(DomainError.NotFound("document.original_not_found", $"This client recorded no sale {request.OriginalDocumentNumber}."));
                // The sale has not arrived: the refund waits for it. Its row first, then the sale looked for again by the
                // same locking UPDATE: a sale committing meanwhile is seen here, or (if it looks first) its own locking
                // look at the waiting refunds waits for this row. Either way the refund is posted once.
                var waiting = new WaitingRefund(request.ClientId, request.DocumentNumber, request.OriginalDocumentNumber!,
                    JsonSerializer.Serialize(request, LedgerRequest.Json), clock.UtcNow);
                db.WaitingRefunds.Add(waiting);
                await db.SaveChangesAsync(cancellationToken);
                if (await LockSaleAsync(request, cancellationToken) == 0) return WaitingView(waiting, request, storeId, guideId, memberId);
                db.WaitingRefunds.Remove(waiting);
                await db.SaveChangesAsync(cancellationToken);
            }
            var original = await db.SalesDocuments.AsNoTracking().Include(d => d.Lines)
                .SingleAsync(d => d.ClientId == request.ClientId && d.DocumentNumber == request.OriginalDocumentNumber, cancellationToken);
            originalId = original.Id;
            memberId ??= original.MemberId;
            saleMemberId = original.MemberId;
            sold = original.Lines.ToDictionary(l => l.LineNo);
        }

        var document = new SalesDocument(posting?.Id ?? Ids.New(), request.ClientId, request.DocumentNumber, request.Kind, storeId, guideId, memberId,
            request.DocumentTime.ToUniversalTime(), originalId, clock.UtcNow);
        // What earlier refunds of the sale returned, per sale line: checked here, and the base of points' and commission's shares below.
        var refundedBefore = sold is null ? null : await CheckRefundAsync(request, originalId!.Value, sold, cancellationToken);
        foreach (var l in request.Lines.OrderBy(l => l.LineNo))
        {
            var originalLine = l.OriginalLineNo is { } no && sold is not null ? sold[no] : null;
            document.Add(new SalesDocumentLine(document.Id, l.LineNo,
                originalLine?.Sku ?? l.Sku!.Trim(), originalLine?.Product ?? l.Product!.Trim(), originalLine?.Category ?? l.Category?.Trim(),
                l.Quantity, originalLine?.UnitPrice ?? l.UnitPrice, l.PaidAmount, l.OriginalLineNo));
        }
        var sequence = 0;
        foreach (var p in request.Payments) document.Payments.Add(new SalesDocumentPayment(document.Id, ++sequence, p.Method, p.Amount));
        // Points in the same transaction, keyed by the document: a sale earns, a refund takes back its share.
        if (sold is null) await points.PostSaleAsync(document, cancellationToken);
        else await points.PostRefundAsync(document, originalId!.Value, sold.Values, refundedBefore!, cancellationToken);
        // Commission too, keyed by document and line: a sale attributed to a guide earns, a refund takes back its share in its own month.
        if (sold is null) await commissions.PostSaleAsync(document, cancellationToken);
        else await commissions.PostRefundAsync(document, originalId!.Value, sold.Values, refundedBefore!, cancellationToken);
        db.SalesDocuments.Add(document);
        // A sale raises its member's paid amount, a refund lowers that of its sale's member: their level follows, in this transaction.
        if ((request.Kind == DocumentKind.Refund ? saleMemberId : memberId) is { } levelMemberId)
            await levels.ReevaluateAsync(levelMemberId, Levels.LevelChangeCause.Document, request.DocumentNumber, cancellationToken);
        return View(document, request.OriginalDocumentNumber, replayed: false);
    }

    /// <summary>A locking UPDATE of the refund's sale (0: not recorded, or not yet committed by then).</summary>
    private Task<int> LockSaleAsync(RecordSalesDocument request, CancellationToken cancellationToken) =>
        db.SalesDocuments.Where(d => d.ClientId == request.ClientId && d.DocumentNumber == request.OriginalDocumentNumber && d.Kind == DocumentKind.Sale)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Version, d => d.Version + 1), cancellationToken);

    private static SalesDocumentView WaitingView(WaitingRefund waiting, RecordSalesDocument request, Guid? storeId, Guid? guideId, Guid? memberId) =>
        new(waiting.Id, request.DocumentNumber, DocumentKind.Refund, storeId, guideId, memberId, request.DocumentTime.ToUniversalTime(),
            request.OriginalDocumentNumber, request.Lines.Sum(l => l.PaidAmount),
            request.Lines.OrderBy(l => l.LineNo).Select(l => new SalesDocumentLineView(l.LineNo, l.Sku?.Trim() ?? "", l.Product?.Trim() ?? "", l.Category?.Trim(),
                l.Quantity, l.UnitPrice, l.PaidAmount, l.OriginalLineNo)).ToList(),
            request.Payments.Select(p => new SalesDocumentPaymentView(p.Method, p.Amount)).ToList(), false, DocumentStatus.WaitingForSale);

    /// <summary>Refuses a refund of more than is left of a line (quantity or amount); answers the paid amount earlier refunds returned per sale line.</summary>
    private async Task<IReadOnlyDictionary<int, long>> CheckRefundAsync(RecordSalesDocument request, Guid originalId, Dictionary<int, SalesDocumentLine> sold,
        CancellationToken cancellationToken)
    {
        var earlier = await (from d in db.SalesDocuments
                             join l in db.SalesDocumentLines on d.Id equals l.DocumentId
                             where d.OriginalDocumentId == originalId
                             select l).AsNoTracking().ToListAsync(cancellationToken);
        foreach (var line in request.Lines)
        {
            if (!sold.TryGetValue(line.OriginalLineNo!.Value, out var original))
                throw new DomainException(new DomainError("document.unknown_line", $"The original sale has no line {line.OriginalLineNo}.")
                {
                    Details = new Dictionary<string, object?> { ["lineNo"] = line.LineNo, ["originalLineNo"] = line.OriginalLineNo },
                });
            var refundedQuantity = earlier.Where(l => l.OriginalLineNo == original.LineNo).Sum(l => l.Quantity)
                + request.Lines.Where(l => l.OriginalLineNo == original.LineNo).Sum(l => l.Quantity);
            var refundedAmount = earlier.Where(l => l.OriginalLineNo == original.LineNo).Sum(l => l.PaidAmount)
                + request.Lines.Where(l => l.OriginalLineNo == original.LineNo).Sum(l => l.PaidAmount);
            if (refundedQuantity > original.Quantity || refundedAmount > original.PaidAmount)
                throw new DomainException(new DomainError("document.refund_exceeds_sale",
                    $"Line {original.LineNo} of {request.OriginalDocumentNumber} sold {original.Quantity} for {original.PaidAmount} fen; this refund would return more.", ErrorKind.Conflict)
                {
                    Details = new Dictionary<string, object?>
                    {
                        ["originalLineNo"] = original.LineNo,
                        ["soldQuantity"] = original.Quantity,
                        ["refundableQuantity"] = original.Quantity - earlier.Where(l => l.OriginalLineNo == original.LineNo).Sum(l => l.Quantity),
                        ["soldAmount"] = original.PaidAmount,
                        ["refundableAmount"] = original.PaidAmount - earlier.Where(l => l.OriginalLineNo == original.LineNo).Sum(l => l.PaidAmount),
                    },
                });
        }
        return earlier.GroupBy(l => l.OriginalLineNo!.Value).ToDictionary(g => g.Key, g => g.Sum(l => l.PaidAmount));
    }

    /// <summary>
    /// A <c>points</c> payment line says points paid that much: it must be what this client's deduction for the document
    /// took (a sale), or what its deduction refund gave back under the refund's number (a refund); and a deduction
    /// for the document must appear as its points line. A sale without a member is the deduction's member's.
    /// </summary>
    private async Task<Guid?> CheckPointsPaidAsync(RecordSalesDocument request, Guid? memberId, CancellationToken cancellationToken)
    {
        var paid = request.Payments.Where(p => p.Method == PaymentMethod.Points).Sum(p => p.Amount);
        var (recorded, member) = request.Kind == DocumentKind.Sale
            ? await db.PointsDeductions.AsNoTracking().Where(d => d.ClientId == request.ClientId && d.DocumentNumber == request.DocumentNumber)
                .Select(d => new ValueTuple<long?, Guid?>(d.Amount, d.MemberId)).SingleOrDefaultAsync(cancellationToken)
            : await db.PointsDeductionRefunds.AsNoTracking().Where(r => r.ClientId == request.ClientId && r.RefundNumber == request.DocumentNumber)
                .Select(r => new ValueTuple<long?, Guid?>(r.Amount, r.MemberId)).SingleOrDefaultAsync(cancellationToken);
        if (paid == 0 && recorded is null) return memberId;
        if (recorded != paid || (request.Kind == DocumentKind.Sale && memberId is not null && memberId != member))
            throw new DomainException(new DomainError("document.points_not_deducted", request.Kind == DocumentKind.Sale
                ? $"The document's points payment ({paid} fen) is not what this client deducted for {request.DocumentNumber} ({recorded ?? 0} fen, for its member)."
                : $"The refund's points payment ({paid} fen) is not what this client's points refund {request.DocumentNumber} gave back ({recorded ?? 0} fen).",
                ErrorKind.Conflict)
            {
                Details = new Dictionary<string, object?> { ["pointsPaid"] = paid, ["deducted"] = recorded ?? 0 },
            });
        return memberId ?? member;
    }

    private async Task<Guid?> MemberAsync(RecordSalesDocument request, CancellationToken cancellationToken)
    {
        if (request.MemberId is { } id)
            return await db.Members.AnyAsync(m => m.Id == id, cancellationToken) ? id
                : throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        if (request.MemberPhone is { } phone)
            return await db.Members.Where(m => m.Phone == phone).OrderBy(m => m.RegisteredAt).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new DomainException(DomainError.NotFound("member.not_found", "No member has this phone number."));
        if (request.PaymentCode is { } code)
        {
            // The code was usually spent by the wallet charge of this same sale; it still names the member for a day.
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
            var since = clock.UtcNow.AddDays(-1);
            return await db.WalletTokens.Where(t => t.Hash == hash && t.Purpose == Wallets.WalletTokenPurpose.PaymentCode && t.IssuedAt > since)
                .Select(t => (Guid?)t.MemberId).SingleOrDefaultAsync(cancellationToken)
                ?? throw new DomainException(DomainError.NotFound("wallet.payment_code_invalid", "No such payment code."));
        }
        return null;
    }

    private static SalesDocumentView View(SalesDocument d, string? originalNumber, bool replayed) =>
        new(d.Id, d.DocumentNumber, d.Kind, d.StoreId, d.GuideId, d.MemberId, d.DocumentTime, originalNumber, d.TotalPaid,
            d.Lines.OrderBy(l => l.LineNo).Select(l => new SalesDocumentLineView(l.LineNo, l.Sku, l.Product, l.Category, l.Quantity, l.UnitPrice, l.PaidAmount, l.OriginalLineNo)).ToList(),
            d.Payments.OrderBy(p => p.Sequence).Select(p => new SalesDocumentPaymentView(p.Method, p.Amount)).ToList(), replayed);
}
