using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Members;

/// <summary>
/// Binds a member to an exclusive guide (and the guide's store) unless the member already has one: first
/// binding wins, race-safe (the member's row is locked), and the binding is recorded in the history.
/// The one entry point for every binding source: the shopper's scan (<see cref="BindGuideByScene"/>) and the
/// WeCom friend-added event (<c>add_external_contact</c> with a guide's State: send this with
/// <see cref="GuideBindingCause.WecomFriend"/>, the member found by unionid, the external userid as the reference).
/// HQ re-assigns with <see cref="ReassignExclusiveGuide"/> instead.
/// </summary>
/// <param name="Actor">Who did it, for the history (<c>member:{id}</c>, <c>wecom</c>); defaults by cause.</param>
public sealed record BindExclusiveGuide(Guid MemberId, Guid GuideId, GuideBindingCause Cause, string? Reference = null, string? Actor = null)
    : ICommand<GuideBindingOutcome>;

public sealed class BindExclusiveGuideValidator : AbstractValidator<BindExclusiveGuide>
{
    public BindExclusiveGuideValidator()
    {
        RuleFor(x => x.GuideId).NotEmpty();
        RuleFor(x => x.Cause).IsInEnum().NotEqual(GuideBindingCause.Hq).WithMessage("HQ re-assigns with ReassignExclusiveGuide.");
        RuleFor(x => x.Reference).MaximumLength(MemberGuideChange.ReferenceMaxLength);
        RuleFor(x => x.Actor).MaximumLength(MemberGuideChange.ActorMaxLength);
    }
}

public sealed class BindExclusiveGuideHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<BindExclusiveGuide, GuideBindingOutcome>
{
    public async Task<GuideBindingOutcome> Handle(BindExclusiveGuide request, CancellationToken cancellationToken)
    {
        var member = await MemberGuideRows.LockAsync(db, request.MemberId, cancellationToken);
        if (member.ExclusiveGuideId is { } current)
            return new GuideBindingOutcome(false, await MemberGuideRows.ViewAsync(db, current, cancellationToken));

        var guide = await db.Guides.SingleOrDefaultAsync(g => g.Id == request.GuideId, cancellationToken);
        // A departed guide's code or friendship binds nobody: their members are handed to a successor instead.
        if (guide is null || !guide.Active)
            throw new DomainException(DomainError.NotFound("guide.not_found", "No such active guide."));

        var fromStore = member.StoreId;
        if (!member.BindExclusiveGuide(guide))
            return new GuideBindingOutcome(false, await MemberGuideRows.ViewAsync(db, member.ExclusiveGuideId!.Value, cancellationToken));
        var actor = request.Actor ?? (request.Cause == GuideBindingCause.WecomFriend ? "wecom" : $"member:{member.Id}");
        db.MemberGuideChanges.Add(new MemberGuideChange(member.Id, null, fromStore, guide, request.Cause, null, actor, request.Reference, clock.UtcNow));
        await db.SaveChangesAsync(cancellationToken);
        return new GuideBindingOutcome(true, await MemberGuideRows.ViewAsync(db, guide.Id, cancellationToken));
    }
}

/// <summary>
/// The shopper opened the mini program through a guide's code and sends its <c>scene</c>: binds them to that
/// guide if they have none yet. An already-bound member is answered with their guide (<c>bound: false</c>).
/// </summary>
public sealed record BindGuideByScene(Guid MemberId, string? Scene) : ICommand<GuideBindingOutcome>;

public sealed class BindGuideBySceneValidator : AbstractValidator<BindGuideByScene>
{
    public BindGuideBySceneValidator() =>
        RuleFor(x => x.Scene).NotEmpty().Must(s => GuideScene.TryParse(s, out _))
            .WithMessage("The scene is not one of a guide's codes (g= and 10 letters or digits).");
}

public sealed class BindGuideBySceneHandler(GuideDbContext db, IMediator mediator) : IRequestHandler<BindGuideByScene, GuideBindingOutcome>
{
    public async Task<GuideBindingOutcome> Handle(BindGuideByScene request, CancellationToken cancellationToken)
    {
        GuideScene.TryParse(request.Scene, out var code);
        var guideId = await db.Guides.AsNoTracking().Where(g => g.SceneCode == code && g.Active).Select(g => (Guid?)g.Id)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.scene_not_found", "No active guide has this code."));
        return await mediator.Send(new BindExclusiveGuide(request.MemberId, guideId, GuideBindingCause.Qrcode, GuideScene.Of(code)), cancellationToken);
    }
}

/// <summary>HQ moves a member to another guide (and that guide's store), with a reason; recorded like every change.</summary>
public sealed record ReassignExclusiveGuide(Guid MemberId, Guid GuideId, string? Reason, Guid AdminId) : ICommand<MemberProfile>;

public sealed class ReassignExclusiveGuideValidator : AbstractValidator<ReassignExclusiveGuide>
{
    public ReassignExclusiveGuideValidator()
    {
        RuleFor(x => x.GuideId).NotEmpty();
        RuleFor(x => x.Reason).NotEmpty().Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("HQ states why the member moves.")
            .MaximumLength(MemberGuideChange.ReasonMaxLength);
    }
}

public sealed class ReassignExclusiveGuideHandler(GuideDbContext db, BrandClock clock, IMediator mediator)
    : IRequestHandler<ReassignExclusiveGuide, MemberProfile>
{
    public async Task<MemberProfile> Handle(ReassignExclusiveGuide request, CancellationToken cancellationToken)
    {
        var member = await MemberGuideRows.LockAsync(db, request.MemberId, cancellationToken);
        var guide = await db.Guides.SingleOrDefaultAsync(g => g.Id == request.GuideId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide."));
        if (!guide.Active)
            throw new DomainException(DomainError.Conflict("member_guide.guide_inactive", "This guide is not active; choose an active guide."));

        var (fromGuide, fromStore) = (member.ExclusiveGuideId, member.StoreId);
        if (member.ReassignExclusiveGuide(guide))
        {
            db.MemberGuideChanges.Add(new MemberGuideChange(member.Id, fromGuide, fromStore, guide, GuideBindingCause.Hq,
                request.Reason!.Trim(), $"hq:{request.AdminId}", null, clock.UtcNow));
            await db.SaveChangesAsync(cancellationToken);
        }
        return await mediator.Send(new GetMemberProfile(member.Id), cancellationToken);
    }
}

public sealed record MemberGuideChangeView(Guid Id, Guid? FromGuideId, string? FromGuideName, Guid? FromStoreId, Guid ToGuideId, string ToGuideName,
    Guid ToStoreId, GuideBindingCause Cause, string? Reason, string? Actor, string? Reference, DateTimeOffset ChangedAt);

/// <summary>HQ: a member's exclusive-guide changes, newest first (the first binding included).</summary>
public sealed record ListMemberGuideChanges(Guid MemberId, int? Page, int? PageSize) : IRequest<Page<MemberGuideChangeView>>;

public sealed class ListMemberGuideChangesHandler(GuideDbContext db) : IRequestHandler<ListMemberGuideChanges, Page<MemberGuideChangeView>>
{
    public async Task<Page<MemberGuideChangeView>> Handle(ListMemberGuideChanges request, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        return await db.MemberGuideChanges.AsNoTracking().Where(c => c.MemberId == request.MemberId)
            .OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id)
            .Select(c => new MemberGuideChangeView(c.Id,
                c.FromGuideId, db.Guides.Where(g => g.Id == c.FromGuideId).Select(g => g.Name).FirstOrDefault(), c.FromStoreId,
                c.ToGuideId, db.Guides.Where(g => g.Id == c.ToGuideId).Select(g => g.Name).First(), c.ToStoreId,
                c.Cause, c.Reason, c.Actor, c.Reference, c.ChangedAt))
            .PageAsync(request.Page, request.PageSize, cancellationToken);
    }
}
