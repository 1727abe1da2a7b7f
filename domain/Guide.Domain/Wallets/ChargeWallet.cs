using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

/// <summary>
/// A POS (or the mall) pays <paramref name="Amount"/> fen of a document with the member's wallet, the member
/// named by id or by a payment code. Idempotent by (client, document number): a resend returns the first
/// result and debits nothing. Above HQ's password-free limit the member's confirmation is required. Not an
/// <see cref="ICommand{T}"/>: <see cref="WalletLocking"/> owns the transaction and its retries.
/// </summary>
public sealed record ChargeWallet(Guid ClientId, string DocumentNumber, long Amount, Guid? MemberId, string? PaymentCode,
    string? StoreCode, string? Confirmation) : IRequest<WalletChargeResult>;

public sealed record WalletChargeResult(Guid ChargeId, string DocumentNumber, Guid MemberId, long Amount, long Principal, long Gift,
    WalletBalance Balance, bool Replayed);

public sealed class ChargeWalletValidator : AbstractValidator<ChargeWallet>
{
    public ChargeWalletValidator()
    {
        RuleFor(x => x.DocumentNumber).NotEmpty().MaximumLength(WalletCharge.DocumentNumberMaxLength).Matches("^[!-~]+$")
            .WithMessage("A document number: 1 to 64 printable ASCII characters without spaces.");
        RuleFor(x => x.Amount).InclusiveBetween(1, WalletLimits.MaxAmount).WithMessage("The amount is in fen and must be positive.");
        RuleFor(x => x).Must(x => (x.MemberId is not null) != !string.IsNullOrEmpty(x.PaymentCode)).WithName("memberId")
            .WithMessage("Name the member by memberId or by paymentCode (exactly one).");
        RuleFor(x => x.MemberId).NotEqual(Guid.Empty);
        RuleFor(x => x.PaymentCode).MaximumLength(32).Matches("^[0-9]+$").When(x => x.PaymentCode is not null);
        RuleFor(x => x.StoreCode).MaximumLength(Organization.Store.CodeMaxLength);
        RuleFor(x => x.Confirmation).MaximumLength(64);
    }
}

public sealed class ChargeWalletHandler(GuideDbContext db, WalletLocking wallets, BrandClock clock) : IRequestHandler<ChargeWallet, WalletChargeResult>
{
    public async Task<WalletChargeResult> Handle(ChargeWallet request, CancellationToken cancellationToken)
    {
        // One connection for the whole charge: EF would otherwise take one from the pool (and reset it) for
        // every statement outside the transaction. A till's charge is the hottest path we have.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await ChargeAsync(request, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<WalletChargeResult> ChargeAsync(ChargeWallet request, CancellationToken cancellationToken)
    {
        // A resend usually finds its first result here, without taking any lock.
        if (await FindAsync(request, cancellationToken) is { } answered) return answered;

        Guid? storeId = null;
        if (!string.IsNullOrEmpty(request.StoreCode))
            storeId = await db.Stores.Where(s => s.Code == request.StoreCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new DomainException(DomainError.NotFound("store.not_found", $"No store has the code {request.StoreCode}."));
        var settings = await WalletSettings.ReadAsync(db, cancellationToken);

        // A racing resend of the same document fails on the unique (client, document number) or entry source key;
        // the runner retries it whole, and the retry finds the first result above (not repeated under the lock,
        // which the hot wallet's other charges are waiting for).
        var attempts = 0;
        return await wallets.InTransactionAsync(async () =>
        {
            if (attempts++ > 0 && await FindAsync(request, cancellationToken) is { } first) return first;
            var now = clock.UtcNow;
            Guid memberId;
            try
            {
                // A missing member surfaces from LockAsync (the wallet is opened only for a member that exists).
                memberId = request.MemberId
                    ?? await WalletToken.RedeemAsync(db, WalletTokenPurpose.PaymentCode, request.PaymentCode!, null, null, now, cancellationToken);
            }
            catch (DomainException e) when (e.Error.Code == "wallet.payment_code_used")
            {
                // The same charge, resent while its first delivery was being applied, finds that result now.
                return await FindAsync(request, cancellationToken) ?? throw new DomainException(e.Error);
            }

            var wallet = await wallets.LockAsync(memberId, cancellationToken);

            if (request.Amount > settings.PasswordFreeLimit)
            {
                if (string.IsNullOrEmpty(request.Confirmation))
                    throw new DomainException(new DomainError("wallet.confirmation_required",
                        $"Above {settings.PasswordFreeLimit} fen the member must confirm the amount in the mini program; send the confirmation.", ErrorKind.Forbidden)
                    {
                        Details = new Dictionary<string, object?> { ["passwordFreeLimit"] = settings.PasswordFreeLimit },
                    });
                await WalletToken.RedeemAsync(db, WalletTokenPurpose.Confirmation, request.Confirmation, request.Amount, memberId, now, cancellationToken);
            }

            var (principal, gift) = wallet.SplitCharge(request.Amount, settings.SplitPolicy);
            var lots = await wallets.OpenLotsAsync(memberId, cancellationToken);
            var entry = wallet.Post(WalletEntryKind.Charge, $"charge:{request.ClientId:N}:{request.DocumentNumber}", now,
                Wallet.Draw(lots, principal, gift), reference: request.DocumentNumber, storeId: storeId);
            var charge = new WalletCharge(request.ClientId, request.DocumentNumber, memberId, storeId, principal, gift,
                entry.Id, wallet.Principal, wallet.Gift, now);
            db.WalletEntries.Add(entry);
            db.WalletCharges.Add(charge);
            return Result(charge, replayed: false);
        }, cancellationToken);
    }

    private async Task<WalletChargeResult?> FindAsync(ChargeWallet request, CancellationToken cancellationToken)
    {
        var charge = await db.WalletCharges.AsNoTracking()
            .SingleOrDefaultAsync(c => c.ClientId == request.ClientId && c.DocumentNumber == request.DocumentNumber, cancellationToken);
        if (charge is null) return null;
        if (charge.Amount != request.Amount || (request.MemberId is not null && request.MemberId != charge.MemberId))
            throw new DomainException(new DomainError("wallet.document_number_reused",
                $"Document {request.DocumentNumber} was charged already with another amount or member.", ErrorKind.Conflict)
            {
                Details = new Dictionary<string, object?> { ["chargeId"] = charge.Id, ["amount"] = charge.Amount },
            });
        return Result(charge, replayed: true);
    }

    private static WalletChargeResult Result(WalletCharge c, bool replayed) =>
        new(c.Id, c.DocumentNumber, c.MemberId, c.Amount, c.Principal, c.Gift, new WalletBalance(c.PrincipalAfter, c.GiftAfter), replayed);
}
