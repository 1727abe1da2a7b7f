using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Guide.Domain.Points;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>
/// The member cancels an unfulfilled redemption: its points come back as new lots, one per lot they were drawn
/// from, each with that lot's expiry (so a cancel does not extend points), and its stock comes back; one
/// transaction. A resend answers the first result; another member's redemption is not found.
/// </summary>
public sealed record CancelMallRedemption(Guid MemberId, Guid RedemptionId) : ICommand<MallRedemptionView>, IIdempotentCommand
{
    public string IdempotencyKey => $"mall-cancel:{RedemptionId:N}";
    public object IdempotencyPayload => new { MemberId };
    // Another member with this id: the same answer as for an unknown redemption.
    public DomainError KeyReused => MallRedemption.NotFound;
}

public sealed class CancelMallRedemptionHandler(PointsAccounts accounts, MallStock stock, GuideDbContext db, BrandClock clock)
    : IRequestHandler<CancelMallRedemption, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(CancelMallRedemption request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        // The account first (as a redemption does): one lock order for everything that moves this member's points.
        var points = await accounts.LockAsync(request.MemberId, now, cancellationToken);
        var redemption = await db.MallRedemptions.SingleOrDefaultAsync(r => r.Id == request.RedemptionId && r.MemberId == request.MemberId, cancellationToken)
            ?? throw new DomainException(MallRedemption.NotFound);
        redemption.Cancel(now); // refuses a fulfilled or cancelled one; the Version guards a racing pickup

        await MallReturns.GiveBackAsync(db, points, stock, redemption, request.IdempotencyKey, now, cancellationToken);
        return MallRedemptionView.Of(redemption);
    }
}
