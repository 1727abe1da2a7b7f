using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>
/// A guide hands a pickup redemption out against its verification code: a guide of the redemption's store (the
/// member's store when they had one at redemption; any store's guide otherwise). Their own store only, also for
/// area managers: the item is handed out at a counter, not in an area.
/// </summary>
public sealed record PickUpMallRedemption(Guid GuideId, string Code) : ICommand<MallRedemptionView>;

public sealed class PickUpMallRedemptionValidator : AbstractValidator<PickUpMallRedemption>
{
    public PickUpMallRedemptionValidator() => RuleFor(x => x.Code).NotEmpty().MaximumLength(32);
}

public sealed class PickUpMallRedemptionHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<PickUpMallRedemption, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(PickUpMallRedemption request, CancellationToken cancellationToken)
    {
        var guide = await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var code = request.Code.Trim();
        var redemption = await db.MallRedemptions.SingleOrDefaultAsync(r => r.PickupCode == code, cancellationToken)
            ?? throw new DomainException(MallRedemption.PickupCodeInvalid);
        redemption.PickUp(guide.GuideId, guide.StoreId, clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        return MallRedemptionView.Of(redemption);
    }
}

/// <summary>HQ marks a shipped-kind redemption as sent, with the carrier and tracking number.</summary>
public sealed record ShipMallRedemption(Guid RedemptionId, string Carrier, string TrackingNumber) : ICommand<MallRedemptionView>;

public sealed class ShipMallRedemptionValidator : AbstractValidator<ShipMallRedemption>
{
    public ShipMallRedemptionValidator()
    {
        RuleFor(x => x.Carrier).Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("A carrier is required.").MaximumLength(40);
        RuleFor(x => x.TrackingNumber).Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("A tracking number is required.").MaximumLength(64);
    }
}

public sealed class ShipMallRedemptionHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ShipMallRedemption, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(ShipMallRedemption request, CancellationToken cancellationToken)
    {
        var redemption = await db.MallRedemptions.SingleOrDefaultAsync(r => r.Id == request.RedemptionId, cancellationToken)
            ?? throw new DomainException(MallRedemption.NotFound);
        redemption.Ship(request.Carrier.Trim(), request.TrackingNumber.Trim(), clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        return MallRedemptionView.Of(redemption);
    }
}
