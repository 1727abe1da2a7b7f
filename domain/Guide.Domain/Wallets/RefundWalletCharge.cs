using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

/// <summary>
/// A POS returns (all or part of) a wallet charge it made: the money goes back to the buckets and the lots it
/// came from (never more to a lot than the charge took from it), newest lot first. Idempotent by
/// (client, refund number).
/// </summary>
public sealed record RefundWalletCharge(Guid ClientId, string RefundNumber, string DocumentNumber, long Amount)
    : ICommand<WalletChargeRefundResult>, IIdempotentCommand
{
    public string IdempotencyKey => $"charge-refund:{ClientId:N}:{RefundNumber}";
    public object IdempotencyPayload => new { DocumentNumber, Amount };

    public DomainError KeyReused => DomainError.Conflict("wallet.refund_number_reused",
        $"Refund {RefundNumber} was made already for another document or amount.");
}

public sealed record WalletChargeRefundResult(Guid RefundId, string RefundNumber, Guid ChargeId, string DocumentNumber, Guid MemberId,
    long Amount, long Principal, long Gift, WalletBalance Balance, bool Replayed) : IReplayable<WalletChargeRefundResult>
{
    public WalletChargeRefundResult AsReplayed() => this with { Replayed = true };
}

public sealed class RefundWalletChargeValidator : AbstractValidator<RefundWalletCharge>
{
    public RefundWalletChargeValidator()
    {
        RuleFor(x => x.RefundNumber).NotEmpty().MaximumLength(WalletCharge.DocumentNumberMaxLength).Matches("^[!-~]+$");
        RuleFor(x => x.DocumentNumber).NotEmpty().MaximumLength(WalletCharge.DocumentNumberMaxLength).Matches("^[!-~]+$");
        RuleFor(x => x.Amount).InclusiveBetween(1, WalletLimits.MaxAmount).WithMessage("The amount is in fen and must be positive.");
    }
}

public sealed class RefundWalletChargeHandler(GuideDbContext db, WalletAccounts wallets, LedgerWrites writes, BrandClock clock)
    : IRequestHandler<RefundWalletCharge, WalletChargeRefundResult>
{
    public async Task<WalletChargeRefundResult> Handle(RefundWalletCharge request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var found = await db.WalletCharges.AsNoTracking().Where(c => c.ClientId == request.ClientId && c.DocumentNumber == request.DocumentNumber)
            .Select(c => new { c.Id, c.MemberId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("wallet.charge_not_found", $"This client made no wallet charge for document {request.DocumentNumber}."));
        var account = await wallets.LockAsync(found.MemberId, now, cancellationToken);

        // Under the wallet's lock: the charge and its earlier refunds as they are now.
        var charge = await db.WalletCharges.SingleAsync(c => c.Id == found.Id, cancellationToken);
        var (principal, gift) = charge.SplitRefund(new Money(request.Amount));
        var taken = await db.WalletEntryLines.AsNoTracking().Where(l => l.EntryId == charge.EntryId).ToListAsync(cancellationToken);
        var returned = await (from r in db.WalletChargeRefunds
                              join l in db.WalletEntryLines on r.EntryId equals l.EntryId
                              where r.ChargeId == charge.Id
                              select l).AsNoTracking().ToListAsync(cancellationToken);
        var lotIds = taken.Select(l => l.LotId).ToList();
        var lots = (await db.WalletLots.Where(l => lotIds.Contains(l.Id)).ToListAsync(cancellationToken))
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).ToList();
        Money Taken(WalletLot lot, Func<WalletEntryLine, long> bucket) => new(-taken.Where(l => l.LotId == lot.Id).Sum(bucket));
        Money Returned(WalletLot lot, Func<WalletEntryLine, long> bucket) => new(returned.Where(l => l.LotId == lot.Id).Sum(bucket));
        var toPrincipal = Lots.Return(lots, principal, l => Taken(l, x => x.PrincipalDelta), l => Returned(l, x => x.PrincipalDelta));
        var toGift = Lots.Return(lots, gift, l => Taken(l, x => x.GiftDelta), l => Returned(l, x => x.GiftDelta));

        var entry = account.Post(WalletEntryKind.ChargeRefund, request.IdempotencyKey, now, Wallet.Merge(lots, toPrincipal, toGift, sign: +1),
            reference: request.RefundNumber, storeId: charge.StoreId);
        charge.RecordRefund(principal, gift);
        var wallet = account.Wallet;
        var refund = new WalletChargeRefund(request.ClientId, request.RefundNumber, charge, principal.Fen, gift.Fen, entry.Id, wallet.Principal, wallet.Gift, now);
        writes.Insert(refund);
        return new WalletChargeRefundResult(refund.Id, refund.RefundNumber, charge.Id, charge.DocumentNumber, charge.MemberId, refund.Amount,
            refund.Principal, refund.Gift, wallet.Balance, Replayed: false);
    }
}
