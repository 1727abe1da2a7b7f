using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using MediatR;

namespace Guide.Domain.Wallets;

/// <summary>
/// HQ credits or debits a wallet with a reason, a ledger entry like any other. A positive amount is a new lot;
/// a negative one is taken from the oldest lots of its bucket and may not take a balance below zero. The
/// console's <paramref name="ClientKey"/> (its <c>Idempotency-Key</c>) makes a retried request apply once.
/// </summary>
public sealed record AdjustWallet(Guid MemberId, long Principal, long Gift, string Reason, Guid AdminId, string ClientKey)
    : ICommand<WalletAdjustment>, IIdempotentCommand
{
    public string IdempotencyKey => $"wallet-adjustment:{MemberId:N}:{ClientKey}";
    public object IdempotencyPayload => new { Principal, Gift, Reason };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

public sealed record WalletAdjustment(Guid EntryId, Guid MemberId, long Principal, long Gift, string Reason, WalletBalance Balance,
    DateTimeOffset OccurredAt, bool Replayed = false) : IReplayable<WalletAdjustment>
{
    public WalletAdjustment AsReplayed() => this with { Replayed = true };
}

public sealed class AdjustWalletValidator : AbstractValidator<AdjustWallet>
{
    public AdjustWalletValidator()
    {
        RuleFor(x => x.Principal).InclusiveBetween(-WalletLimits.MaxAmount, WalletLimits.MaxAmount);
        RuleFor(x => x.Gift).InclusiveBetween(-WalletLimits.MaxAmount, WalletLimits.MaxAmount);
        RuleFor(x => x).Must(x => x.Principal != 0 || x.Gift != 0).WithName("principal")
            .WithMessage("An adjustment moves some principal or some gift.");
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A reason is required.").MaximumLength(200);
        RuleFor(x => x.ClientKey).Must(HqIdempotency.IsValidKey).WithMessage(HqIdempotency.KeyRule);
    }
}

public sealed class AdjustWalletHandler(WalletAccounts wallets, BrandClock clock) : IRequestHandler<AdjustWallet, WalletAdjustment>
{
    public async Task<WalletAdjustment> Handle(AdjustWallet request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var account = await wallets.LockAsync(request.MemberId, now, cancellationToken);
        var movements = new List<LotMovement>();
        if (request.Principal < 0 || request.Gift < 0)
            movements.AddRange(Wallet.Draw(account.OpenLots, new Money(Math.Max(0, -request.Principal)), new Money(Math.Max(0, -request.Gift))));
        if (request.Principal > 0 || request.Gift > 0)
            movements.Add(account.NewLot(WalletLotSource.Adjustment, Ids.New(), new Money(Math.Max(0, request.Principal)), new Money(Math.Max(0, request.Gift)), now));
        var reason = request.Reason.Trim();
        var entry = account.Post(WalletEntryKind.Adjustment, request.IdempotencyKey, now, movements,
            reference: $"admin:{request.AdminId:N}", note: reason);
        return new WalletAdjustment(entry.Id, request.MemberId, request.Principal, request.Gift, reason, account.Wallet.Balance, now);
    }
}
