using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using MediatR;

namespace Guide.Domain.Commissions;

/// <summary>
/// HQ corrects a guide's commission (positive or negative fen) with a reason: an adjustment entry of the guide's current
/// store, dated now, posted in the current brand month or, when finance closed it, the first open month after it. The
/// console's Idempotency-Key applies it once. <see cref="ActorId"/>: the HQ admin, recorded on the entry.
/// </summary>
public sealed record AdjustCommission(Guid? GuideId, long? Amount, string Reason, Guid ActorId, string ClientKey) : ICommand<CommissionAdjustment>, IIdempotentCommand
{
    public const long MaxAmount = 100_000_000;
    public const int ReasonMaxLength = 200;

    public string IdempotencyKey => $"commission-adjustment:{ClientKey}";
    public object IdempotencyPayload => new { GuideId, Amount, Reason };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

/// <summary>The adjustment entry; <see cref="PostingMonth"/> is yyyyMM in brand time.</summary>
public sealed record CommissionAdjustment(Guid EntryId, Guid GuideId, Guid StoreId, long Amount, string Reason, DateTimeOffset DocumentTime, int PostingMonth,
    bool Replayed = false) : IReplayable<CommissionAdjustment>
{
    public CommissionAdjustment AsReplayed() => this with { Replayed = true };
}

public sealed class AdjustCommissionValidator : AbstractValidator<AdjustCommission>
{
    public AdjustCommissionValidator()
    {
        RuleFor(x => x.GuideId).NotNull().WithMessage("Name the guide (guideId).");
        RuleFor(x => x.Amount).NotNull().WithMessage("An adjustment has an amount in fen (negative takes commission back).")
            .NotEqual(0).InclusiveBetween(-AdjustCommission.MaxAmount, AdjustCommission.MaxAmount);
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A reason is required.")
            .Must(r => r is null || r.Trim().Length <= AdjustCommission.ReasonMaxLength)
            .WithMessage($"The reason has at most {AdjustCommission.ReasonMaxLength} characters.");
        RuleFor(x => x.ClientKey).Must(HqIdempotency.IsValidKey).WithMessage(HqIdempotency.KeyRule);
    }
}

public sealed class AdjustCommissionHandler(GuideDbContext db, Transactions transactions, LedgerWrites writes, BrandClock clock)
    : IRequestHandler<AdjustCommission, CommissionAdjustment>
{
    public async Task<CommissionAdjustment> Handle(AdjustCommission request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var guideId = request.GuideId!.Value;
        // The gate shared (a month's close takes it exclusively, so no close commits between the read of the closed months
        // and this commit), then the guide's store.
        var gate = await CommissionGate.ShareAsync(db, transactions, CommissionMonths.Of(now, clock.Zone), cancellationToken);
        var store = await db.Guides.AsNoTracking().Where(g => g.Id == guideId).Select(g => (Guid?)g.StoreId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide."));
        var month = gate.PostingMonth;
        var reason = request.Reason.Trim();
        var amount = request.Amount!.Value;
        var entry = new CommissionEntry(CommissionEntryKind.Adjustment, request.IdempotencyKey, guideId, store, null, null, now, month, null, null, null, null,
            0, 0, null, null, null, amount, null, reason, now, request.ActorId);
        // Append-only: the kernel inserts it with the idempotency record; a resend fails on the unique source key and replays.
        writes.Insert(entry);
        return new CommissionAdjustment(entry.Id, guideId, store, amount, reason, now, month);
    }
}
