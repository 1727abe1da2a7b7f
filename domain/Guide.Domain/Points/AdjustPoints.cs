using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;

namespace Guide.Domain.Points;

/// <summary>
/// HQ credits (a new lot, not frozen, expiring by the policy) or debits (spendable lots, earliest expiry first,
/// never below zero) a member's points with a reason; the console's Idempotency-Key applies it once.
/// </summary>
public sealed record AdjustPoints(Guid MemberId, long Points, string Reason, Guid AdminId, string ClientKey) : ICommand<PointsAdjustment>, IIdempotentCommand
{
    public const long MaxPoints = 100_000_000;

    public string IdempotencyKey => $"points-adjustment:{MemberId:N}:{ClientKey}";
    public object IdempotencyPayload => new { Points, Reason };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

public sealed record PointsAdjustment(Guid EntryId, Guid MemberId, long Points, string Reason, long Balance, long Debt, DateTimeOffset OccurredAt,
    bool Replayed = false) : IReplayable<PointsAdjustment>
{
    public PointsAdjustment AsReplayed() => this with { Replayed = true };
}

public sealed class AdjustPointsValidator : AbstractValidator<AdjustPoints>
{
    public AdjustPointsValidator()
    {
        RuleFor(x => x.Points).InclusiveBetween(-AdjustPoints.MaxPoints, AdjustPoints.MaxPoints).NotEqual(0);
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A reason is required.").MaximumLength(200);
        RuleFor(x => x.ClientKey).Must(HqIdempotency.IsValidKey).WithMessage(HqIdempotency.KeyRule);
    }
}

public sealed class AdjustPointsHandler(PointsAccounts accounts, GuideDbContext db, BrandClock clock) : IRequestHandler<AdjustPoints, PointsAdjustment>
{
    public async Task<PointsAdjustment> Handle(AdjustPoints request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var account = await accounts.LockAsync(request.MemberId, now, cancellationToken);
        var reason = request.Reason.Trim();
        var reference = $"admin:{request.AdminId:N}";
        PointsEntry entry;
        if (request.Points > 0)
        {
            var settings = await PointsSettings.ReadAsync(db, cancellationToken);
            entry = account.Earn(PointsEntryKind.Adjustment, request.IdempotencyKey, now, request.Points, PointsLotSource.Adjustment, null, now,
                settings.ExpiryOf(now, clock.Zone), null, reference, reason);
        }
        else entry = account.Spend(PointsEntryKind.Adjustment, request.IdempotencyKey, now, -request.Points, reference, reason);
        return new PointsAdjustment(entry.Id, request.MemberId, request.Points, reason, account.Account.Balance, account.Account.Debt, now);
    }
}
