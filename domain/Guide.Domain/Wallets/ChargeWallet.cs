using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Integration;
using Guide.Domain.Ledgers;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;

namespace Guide.Domain.Wallets;

/// <summary>
/// A POS (or the mall) pays <paramref name="Amount"/> fen of a document with the member's wallet. A POS names
/// the member by the payment code they show; only a client HQ allowed (the online mall) names them by id.
/// Idempotent by (client, document number): a resend answers the first result (read from the charge row) and debits nothing. Above HQ's
/// password-free limit the member's confirmation is required.
/// </summary>
public sealed record ChargeWallet(Guid ClientId, string DocumentNumber, long Amount, Guid? MemberId, string? PaymentCode,
    string? StoreCode, string? Confirmation) : ICommand<WalletChargeResult>, IAnsweredByOwnRecord
{
    public string IdempotencyKey => $"charge:{ClientId:N}:{DocumentNumber}";

    /// <summary>The payment code is not part of it: a till resending a charge after a time-out may have scanned a new one.</summary>
    public object IdempotencyPayload => new { Amount, MemberId, StoreCode };

    public DomainError KeyReused => new("wallet.document_number_reused",
        $"Document {DocumentNumber} was charged already with another amount, member or store.", ErrorKind.Conflict);

    /// <summary>The charge row (unique by client and document number) is the first answer: its split and the balances right after it.</summary>
    public void AddFirstAnswerQuery(StatementBatch batch, Action<string, object> found) =>
        batch.Query($"SELECT Id, MemberId, Amount, Principal, Gift, PrincipalAfter, GiftAfter, PayloadHash FROM wallet_charges "
            + $"WHERE ClientId = {batch.P(ClientId)} AND DocumentNumber = {batch.P(DocumentNumber)} AND PayloadHash IS NOT NULL", row =>
                found(row.String(7), new WalletChargeResult(row.Guid(0), DocumentNumber, row.Guid(1), row.Long(2), row.Long(3), row.Long(4),
                    new WalletBalance(row.Long(5), row.Long(6)), Replayed: false)));
}

public sealed record WalletChargeResult(Guid ChargeId, string DocumentNumber, Guid MemberId, long Amount, long Principal, long Gift,
    WalletBalance Balance, bool Replayed) : IReplayable<WalletChargeResult>
{
    public WalletChargeResult AsReplayed() => this with { Replayed = true };
}

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
        RuleFor(x => x.StoreCode).MaximumLength(Store.CodeMaxLength);
        RuleFor(x => x.Confirmation).MaximumLength(64);
    }
}

/// <summary>
/// Reads as the rule: lock and load the wallet (with the payment code spent in the same round trip), ask for
/// the confirmation above the limit, split by HQ's policy, draw the oldest lots first, post the entry. The
/// transaction, the idempotency record and its retries are the kernel's (<see cref="Transactions"/>).
/// </summary>
public sealed class ChargeWalletHandler(GuideDbContext db, WalletAccounts wallets, LedgerWrites writes, IntegrationCaller caller, StoreDirectory stores,
    Transactions transactions, BrandClock clock)
    : IRequestHandler<ChargeWallet, WalletChargeResult>
{
    public async Task<WalletChargeResult> Handle(ChargeWallet request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var storeId = await stores.IdOfAsync(db, request.StoreCode, cancellationToken);
        LockedWallet account;
        if (request.MemberId is { } memberId)
        {
            // The right is checked after the lock: the client's current rights arrive in the same round trip.
            account = await wallets.LockAsync(memberId, now, cancellationToken);
            await caller.RequireMemberIdChargesAsync(request.ClientId, cancellationToken);
        }
        else
        {
            account = await wallets.LockByPaymentCodeAsync(request.PaymentCode!, request.ClientId, request.DocumentNumber, now, cancellationToken);
        }

        var amount = new Money(request.Amount);
        if (account.Settings.NeedsConfirmation(amount))
            await WalletToken.RedeemConfirmationAsync(db, request.Confirmation, amount, account.MemberId, account.Settings, now, cancellationToken);

        var wallet = account.Wallet;
        var (principal, gift) = wallet.SplitCharge(amount, account.Settings.SplitPolicy);
        var entry = account.Post(WalletEntryKind.Charge, request.IdempotencyKey, now, Wallet.Draw(account.OpenLots, principal, gift),
            reference: request.DocumentNumber, storeId: storeId);
        var charge = new WalletCharge(request.ClientId, request.DocumentNumber, wallet.MemberId, storeId, principal.Fen, gift.Fen,
            entry.Id, wallet.Principal, wallet.Gift, now,
            transactions.PayloadHash ?? throw new InvalidOperationException("A charge runs inside the transaction policy, which hashes its payload."));
        writes.Insert(charge);
        return new WalletChargeResult(charge.Id, charge.DocumentNumber, charge.MemberId, charge.Amount, charge.Principal, charge.Gift,
            wallet.Balance, Replayed: false);
    }
}
