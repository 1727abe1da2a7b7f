using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;

namespace Guide.Domain.Wallets;

/// <summary>
/// HQ credits or debits a wallet with a reason, a ledger entry like any other. A positive amount is a new lot;
/// a negative one is taken from the oldest lots of its bucket and may not take a balance below zero.
/// </summary>
public sealed record AdjustWallet(Guid MemberId, long Principal, long Gift, string Reason, Guid AdminId) : IRequest<WalletAdjustment>;

public sealed record WalletAdjustment(Guid EntryId, Guid MemberId, long Principal, long Gift, string Reason, WalletBalance Balance, DateTimeOffset OccurredAt);

public sealed class AdjustWalletValidator : AbstractValidator<AdjustWallet>
{
    public AdjustWalletValidator()
    {
        RuleFor(x => x.Principal).InclusiveBetween(-WalletLimits.MaxAmount, WalletLimits.MaxAmount);
        RuleFor(x => x.Gift).InclusiveBetween(-WalletLimits.MaxAmount, WalletLimits.MaxAmount);
        RuleFor(x => x).Must(x => x.Principal != 0 || x.Gift != 0).WithName("principal")
            .WithMessage("An adjustment moves some principal or some gift.");
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A reason is required.").MaximumLength(200);
    }
}

public sealed class AdjustWalletHandler(GuideDbContext db, WalletLocking wallets, BrandClock clock) : IRequestHandler<AdjustWallet, WalletAdjustment>
{
    public Task<WalletAdjustment> Handle(AdjustWallet request, CancellationToken cancellationToken) =>
        wallets.InTransactionAsync(async () =>
        {
            var now = clock.UtcNow;
            var wallet = await wallets.LockAsync(request.MemberId, cancellationToken);
            var entryKey = Ids.New();
            var movements = new List<LotMovement>();
            if (request.Principal < 0 || request.Gift < 0)
            {
                var lots = await wallets.OpenLotsAsync(request.MemberId, cancellationToken);
                movements.AddRange(Wallet.Draw(lots, Math.Max(0, -request.Principal), Math.Max(0, -request.Gift)));
            }
            if (request.Principal > 0 || request.Gift > 0)
            {
                var lot = new WalletLot(request.MemberId, WalletLotSource.Adjustment, entryKey,
                    Math.Max(0, request.Principal), Math.Max(0, request.Gift), now);
                db.WalletLots.Add(lot);
                movements.Add(new LotMovement(lot, lot.Principal, lot.Gift));
            }
            var reason = request.Reason.Trim();
            var entry = wallet.Post(WalletEntryKind.Adjustment, $"adjustment:{entryKey:N}", now, movements,
                reference: $"admin:{request.AdminId:N}", note: reason);
            db.WalletEntries.Add(entry);
            return new WalletAdjustment(entry.Id, request.MemberId, request.Principal, request.Gift, reason, wallet.Balance, now);
        }, cancellationToken);
}
