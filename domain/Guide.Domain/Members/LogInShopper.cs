using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Members;

/// <summary>
/// A shopper logs in with a <c>wx.login</c> code: the member with that openid, created on first log-in.
/// Not an <see cref="ICommand{T}"/>: two first log-ins racing are settled by the unique openid, and the
/// loser reads the winner's row. A log-in that makes the member's unionid known awards the WeCom group actions the
/// customer did before (kept pending until now); a failure there is logged and never fails the log-in (the award
/// run picks them up).
/// </summary>
public sealed record LogInShopper(string Code) : IRequest<ShopperSession>;

public sealed record ShopperSession(Guid MemberId, string OpenId, bool FirstLogIn, string? UnionId = null);

public sealed class LogInShopperValidator : AbstractValidator<LogInShopper>
{
    public LogInShopperValidator() => RuleFor(x => x.Code).NotEmpty().MaximumLength(128);
}

public sealed class LogInShopperHandler(GuideDbContext db, IWeixinIdentity weixin, IMediator mediator, BrandClock clock, ILogger<LogInShopperHandler> logger)
    : IRequestHandler<LogInShopper, ShopperSession>
{
    public async Task<ShopperSession> Handle(LogInShopper request, CancellationToken cancellationToken)
    {
        var session = await LogInAsync(request, cancellationToken);
        if (session.UnionId is null) return session;
        try
        {
            await mediator.Send(new GroupActions.AwardPendingGroupActions(session.MemberId), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Pending group actions of member {MemberId} were not awarded at log-in", session.MemberId);
        }
        return session;
    }

    private async Task<ShopperSession> LogInAsync(LogInShopper request, CancellationToken cancellationToken)
    {
        var identity = await weixin.ExchangeLoginCodeAsync(request.Code, cancellationToken);

        var member = await db.Members.SingleOrDefaultAsync(m => m.OpenId == identity.OpenId, cancellationToken);
        if (member is not null)
        {
            member.LearnUnionId(identity.UnionId);
            await db.SaveChangesAsync(cancellationToken);
            return new ShopperSession(member.Id, member.OpenId, false, member.UnionId);
        }

        member = new Member(identity.OpenId, identity.UnionId, clock.UtcNow);
        db.Members.Add(member);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new ShopperSession(member.Id, member.OpenId, true, member.UnionId);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.Entry(member).State = EntityState.Detached;
            var winner = await db.Members.AsNoTracking().SingleAsync(m => m.OpenId == identity.OpenId, cancellationToken);
            return new ShopperSession(winner.Id, winner.OpenId, false, winner.UnionId);
        }
    }
}
