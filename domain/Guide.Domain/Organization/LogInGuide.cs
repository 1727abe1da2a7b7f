using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Organization;

/// <summary>A guide opens the workbench in WeCom: the OAuth code names a corp member we know.</summary>
public sealed record LogInGuide(string Code) : IRequest<GuideSession>;

public sealed record GuideSession(Guid GuideId, string WeComUserId, string Name, GuideRole Role, Guid StoreId);

public sealed class LogInGuideValidator : AbstractValidator<LogInGuide>
{
    public LogInGuideValidator() => RuleFor(x => x.Code).NotEmpty().MaximumLength(128);
}

public sealed class LogInGuideHandler(GuideDbContext db, IWeixinIdentity weixin) : IRequestHandler<LogInGuide, GuideSession>
{
    public async Task<GuideSession> Handle(LogInGuide request, CancellationToken cancellationToken)
    {
        var userId = await weixin.ExchangeWeComCodeAsync(request.Code, cancellationToken);
        var guide = await db.Guides.AsNoTracking().SingleOrDefaultAsync(g => g.WeComUserId == userId, cancellationToken)
            ?? throw new DomainException(DomainError.Forbidden("guide.not_registered",
                "This WeCom account is not a guide of the brand; HQ imports guides."));
        if (!guide.Active)
            throw new DomainException(DomainError.Forbidden("guide.inactive", "This guide account is not active."));
        return new GuideSession(guide.Id, guide.WeComUserId, guide.Name, guide.Role, guide.StoreId);
    }
}
