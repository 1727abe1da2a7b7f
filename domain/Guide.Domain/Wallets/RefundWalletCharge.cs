using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

/// <summary>
/// A POS returns (all or part of) a wallet charge it made: the money goes back to the buckets and the lots it
/// came from, newest lot first. Idempotent by (client, refund number).
/// </summary>
public sealed record RefundWalletCharge(Guid ClientId, string RefundNumber, string DocumentNumber, long Amount) : IRequest<WalletChargeRefundResult>;

public sealed record WalletChargeRefundResult(Guid RefundId, string RefundNumber, Guid ChargeId, string DocumentNumber, Guid MemberId,
    long Amount, long Principal, long Gift, WalletBalance Balance, bool Replayed);

public sealed class RefundWalletChargeValidator : AbstractValidator<RefundWalletCharge>
{
    public RefundWalletChargeValidator()
    {
        RuleFor(x => x.RefundNumber).NotEmpty().MaximumLength(WalletCharge.DocumentNumberMaxLength).Matches("^[!-~]+$");
        RuleFor(x => x.DocumentNumber).NotEmpty().MaximumLength(WalletCharge.DocumentNumberMaxLength).Matches("^[!-~]+$");
        RuleFor(x => x.Amount).InclusiveBetween(1, WalletLimits.MaxAmount).WithMessage("The amount is in fen and must be positive.");
    }
}

public sealed class RefundWalletChargeHandler(GuideDbContext db, WalletLocking wallets, BrandClock clock)
    : IRequestHandler<RefundWalletCharge, WalletChargeRefundResult>
{
    public async Task<WalletChargeRefundResult> Handle(RefundWalletCharge request, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, cancellationToken) is { } first) return first;
        var memberId = await db.WalletCharges.Where(c => c.ClientId == request.ClientId && c.DocumentNumber == request.DocumentNumber)
            .Select(c => (Guid?)c.MemberId).SingleOrDefaultAsync(cancellationToken) ?? throw ChargeNotFound(request.DocumentNumber);

        return await wallets.InTransactionAsync(async () =>
        {
            var now = clock.UtcNow;
            var wallet = await wallets.LockAsync(memberId, cancellationToken);
            if (await FindAsync(request, cancellationToken) is { } raced) return raced;
            var charge = await db.WalletCharges.SingleAsync(c => c.ClientId == request.ClientId && c.DocumentNumber == request.DocumentNumber, cancellationToken);
            var (principal, gift) = charge.SplitRefund(request.Amount);

            // What each lot gave to the charge, less what earlier refunds of it returned there.
            var taken = await db.WalletEntryLines.AsNoTracking().Where(l => l.EntryId == charge.EntryId).ToListAsync(cancellationToken);
            var returned = await (from r in db.WalletChargeRefunds
                                  join l in db.WalletEntryLines on r.EntryId equals l.EntryId
                                  where r.ChargeId == charge.Id
                                  select l).AsNoTracking().ToListAsync(cancellationToken);
            var lotIds = taken.Select(l => l.LotId).ToList();
            var lots = await db.WalletLots.Where(l => lotIds.Contains(l.Id)).ToListAsync(cancellationToken);
            var movements = new List<LotMovement>();
            long needP = principal, needG = gift;
            foreach (var lot in lots.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id))
            {
                var line = taken.Single(l => l.LotId == lot.Id);
                var backP = returned.Where(l => l.LotId == lot.Id).Sum(l => l.PrincipalDelta);
                var backG = returned.Where(l => l.LotId == lot.Id).Sum(l => l.GiftDelta);
                var p = Math.Min(needP, -line.PrincipalDelta - backP);
                var g = Math.Min(needG, -line.GiftDelta - backG);
                if (p == 0 && g == 0) continue;
                movements.Add(new LotMovement(lot, p, g));
                needP -= p;
                needG -= g;
            }
            if (needP != 0 || needG != 0) throw new InvalidOperationException($"Charge {charge.Id}: its lots cannot take back {needP}/{needG}.");

            var entry = wallet.Post(WalletEntryKind.ChargeRefund, $"charge-refund:{request.ClientId:N}:{request.RefundNumber}", now, movements,
                reference: request.RefundNumber, storeId: charge.StoreId);
            charge.RecordRefund(principal, gift);
            var refund = new WalletChargeRefund(request.ClientId, request.RefundNumber, charge, principal, gift, entry.Id, wallet.Principal, wallet.Gift, now);
            db.WalletEntries.Add(entry);
            db.WalletChargeRefunds.Add(refund);
            return Result(refund, charge.DocumentNumber, replayed: false);
        }, cancellationToken);
    }

    private static DomainException ChargeNotFound(string documentNumber) =>
        new(DomainError.NotFound("wallet.charge_not_found", $"This client made no wallet charge for document {documentNumber}."));

    private async Task<WalletChargeRefundResult?> FindAsync(RefundWalletCharge request, CancellationToken cancellationToken)
    {
        var found = await (from r in db.WalletChargeRefunds.AsNoTracking()
                           join c in db.WalletCharges.AsNoTracking() on r.ChargeId equals c.Id
                           where r.ClientId == request.ClientId && r.RefundNumber == request.RefundNumber
                           select new { r, c.DocumentNumber }).SingleOrDefaultAsync(cancellationToken);
        if (found is null) return null;
        if (found.r.Amount != request.Amount || found.DocumentNumber != request.DocumentNumber)
            throw new DomainException(DomainError.Conflict("wallet.refund_number_reused",
                $"Refund {request.RefundNumber} was made already for another document or amount."));
        return Result(found.r, found.DocumentNumber, replayed: true);
    }

    private static WalletChargeRefundResult Result(WalletChargeRefund r, string documentNumber, bool replayed) =>
        new(r.Id, r.RefundNumber, r.ChargeId, documentNumber, r.MemberId, r.Amount, r.Principal, r.Gift, new WalletBalance(r.PrincipalAfter, r.GiftAfter), replayed);
}
