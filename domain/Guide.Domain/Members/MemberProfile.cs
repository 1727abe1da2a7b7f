using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Members;

/// <summary>What a member, their guide or HQ sees of a member.</summary>
public sealed record MemberProfile(
    Guid Id,
    string? Nickname,
    string? Phone,
    Gender Gender,
    DateOnly? Birthday,
    int Level,
    Guid? ExclusiveGuideId,
    Guid? StoreId,
    bool UnionIdBound,
    DateTimeOffset RegisteredAt)
{
    internal static IQueryable<MemberProfile> Project(IQueryable<Member> members) =>
        members.Select(m => new MemberProfile(m.Id, m.Nickname, m.Phone, m.Gender, m.Birthday, m.Level,
            m.ExclusiveGuideId, m.StoreId, m.UnionId != null, m.RegisteredAt));

    /// <summary>One page of members, newest first, optionally by phone.</summary>
    internal static async Task<Page<MemberProfile>> PageAsync(IQueryable<Member> members, string? phone, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(phone)) members = members.Where(m => m.Phone == phone);
        return await Project(members.OrderByDescending(m => m.RegisteredAt).ThenBy(m => m.Id)).PageAsync(page, pageSize, cancellationToken);
    }
}

public sealed record GetMemberProfile(Guid MemberId) : IRequest<MemberProfile>;

public sealed class GetMemberProfileHandler(GuideDbContext db) : IRequestHandler<GetMemberProfile, MemberProfile>
{
    public async Task<MemberProfile> Handle(GetMemberProfile request, CancellationToken cancellationToken) =>
        await MemberProfile.Project(db.Members.AsNoTracking().Where(m => m.Id == request.MemberId))
            .SingleOrDefaultAsync(cancellationToken)
        ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
}

/// <summary>
/// Binds the phone number behind a <c>getPhoneNumber</c> code to the member. Not an <see cref="ICommand{T}"/>:
/// WeChat is called first, outside any transaction (a database lock is never held across a network call),
/// then one save writes the phone.
/// </summary>
public sealed record BindMemberPhone(Guid MemberId, string Code) : IRequest<MemberProfile>;

public sealed class BindMemberPhoneValidator : AbstractValidator<BindMemberPhone>
{
    public BindMemberPhoneValidator() => RuleFor(x => x.Code).NotEmpty().MaximumLength(128);
}

public sealed class BindMemberPhoneHandler(GuideDbContext db, IWeixinIdentity weixin, IMediator mediator)
    : IRequestHandler<BindMemberPhone, MemberProfile>
{
    public async Task<MemberProfile> Handle(BindMemberPhone request, CancellationToken cancellationToken)
    {
        var phone = await weixin.ExchangePhoneCodeAsync(request.Code, cancellationToken);
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == request.MemberId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        member.BindPhone(phone);
        await db.SaveChangesAsync(cancellationToken);
        return await mediator.Send(new GetMemberProfile(member.Id), cancellationToken);
    }
}

/// <summary>The member's own profile fields (nickname, gender, birthday).</summary>
public sealed record UpdateMemberProfile(Guid MemberId, string? Nickname, Gender Gender, DateOnly? Birthday) : ICommand<MemberProfile>;

public sealed class UpdateMemberProfileValidator : AbstractValidator<UpdateMemberProfile>
{
    public UpdateMemberProfileValidator(BrandClock clock)
    {
        RuleFor(x => x.Nickname).MaximumLength(64);
        RuleFor(x => x.Gender).IsInEnum();
        RuleFor(x => x.Birthday).Must(b => b is null || (b.Value.Year >= 1900 && b.Value <= clock.Today))
            .WithMessage("Birthday must be a real past date.");
    }
}

public sealed class UpdateMemberProfileHandler(GuideDbContext db, IMediator mediator) : IRequestHandler<UpdateMemberProfile, MemberProfile>
{
    public async Task<MemberProfile> Handle(UpdateMemberProfile request, CancellationToken cancellationToken)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == request.MemberId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        member.UpdateProfile(request.Nickname, request.Gender, request.Birthday);
        await db.SaveChangesAsync(cancellationToken);
        return await mediator.Send(new GetMemberProfile(member.Id), cancellationToken);
    }
}
