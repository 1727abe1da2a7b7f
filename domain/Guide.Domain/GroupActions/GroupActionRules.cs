using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Guide.Domain.Points;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.GroupActions;

/// <summary>
/// A rule as HQ sees it. The built-in purchase rule (<see cref="BuiltIn"/>) is a view of the points settings: its points are
/// <see cref="PointsPer100Yuan"/>, and the custom rule's fields (points, validity, caps, take-back) are null.
/// </summary>
public sealed record GroupActionRuleView(Guid Id, GroupActionKind Kind, string Name, bool BuiltIn, long? Points, int? PointsPer100Yuan,
    int? ValidityDays, int? DailyCap, int? LifetimeCap, bool Paused, int? TakeBackWithinDays, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public const string PurchaseRuleName = "消费积分";

    internal static GroupActionRuleView Of(GroupActionRule r) =>
        new(r.Id, r.Kind, r.Name, false, r.Points, null, r.ValidityDays, r.DailyCap, r.LifetimeCap, r.Paused, r.TakeBackWithinDays, r.CreatedAt, r.UpdatedAt);

    internal static async Task<GroupActionRuleView> PurchaseAsync(GuideDbContext db, CancellationToken cancellationToken) =>
        new(GroupActionRule.PurchaseRuleId, GroupActionKind.Purchase, PurchaseRuleName, true, null,
            (await PointsSettings.ReadAsync(db, cancellationToken)).PointsPer100Yuan, null, null, null, false, null, null, null);
}

internal static class GroupActionRuleErrors
{
    public static DomainException NotFound() => new(DomainError.NotFound("group_action_rule.not_found", "No such group-action rule (or it was deleted)."));

    public static DomainException BuiltIn() =>
        new(DomainError.Conflict("group_action_rule.built_in", "The purchase rule is built in: its points are set in the points settings, and it is never deleted."));

    public static DomainException KindExists(GroupActionKind kind) =>
        new(DomainError.Conflict("group_action_rule.kind_exists", $"A live rule for {kind} exists already: change it, or delete it first."));

    public const string NoTakeBack = "Likes and comments on moments cannot be undone: their points are never taken back.";
}

/// <summary>
/// HQ creates (<see cref="RuleId"/> null, with a custom <see cref="Kind"/>) or changes a rule (its kind is fixed). Pausing is
/// <see cref="Paused"/>; the points already awarded stay either way.
/// </summary>
public sealed record SaveGroupActionRule(Guid? RuleId, GroupActionKind? Kind, string Name, long Points, int? ValidityDays, int? DailyCap,
    int? LifetimeCap, bool Paused, int? TakeBackWithinDays) : ICommand<GroupActionRuleView>;

public sealed class SaveGroupActionRuleValidator : AbstractValidator<SaveGroupActionRule>
{
    public SaveGroupActionRuleValidator()
    {
        When(x => x.RuleId is null, () =>
        {
            RuleFor(x => x.Kind).NotNull().WithMessage("A rule has a kind.")
                .IsInEnum().Must(k => k is not { } kind || GroupActionRule.IsCustom(kind))
                .WithMessage("The kind is add_guide_friend, join_customer_group, like_moment or comment_moment (purchase points are set in the points settings).");
            RuleFor(x => x.TakeBackWithinDays).Null().When(x => x.Kind is { } k && !GroupActionRule.CanTakeBack(k)).WithMessage(GroupActionRuleErrors.NoTakeBack);
        });
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("A rule has a name.")
            .Must(n => n is null || n.Trim().Length <= GroupActionRule.NameMaxLength).WithMessage($"The name has at most {GroupActionRule.NameMaxLength} characters.");
        RuleFor(x => x.Points).InclusiveBetween(1, GroupActionRule.MaxPoints);
        RuleFor(x => x.ValidityDays).InclusiveBetween(1, GroupActionRule.MaxValidityDays).When(x => x.ValidityDays is not null);
        RuleFor(x => x.DailyCap).InclusiveBetween(1, GroupActionRule.MaxCap).When(x => x.DailyCap is not null);
        RuleFor(x => x.LifetimeCap).InclusiveBetween(1, GroupActionRule.MaxCap).When(x => x.LifetimeCap is not null);
        // Impossible caps: a member could never earn the daily cap's worth in one day.
        RuleFor(x => x.DailyCap).LessThanOrEqualTo(x => x.LifetimeCap).When(x => x.DailyCap is not null && x.LifetimeCap is not null)
            .WithMessage("The daily cap is not above the lifetime cap.");
        RuleFor(x => x.TakeBackWithinDays).InclusiveBetween(1, GroupActionRule.MaxTakeBackDays).When(x => x.TakeBackWithinDays is not null);
    }
}

public sealed class SaveGroupActionRuleHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<SaveGroupActionRule, GroupActionRuleView>
{
    public async Task<GroupActionRuleView> Handle(SaveGroupActionRule r, CancellationToken cancellationToken)
    {
        var name = r.Name.Trim();
        if (r.RuleId is { } id)
        {
            if (id == GroupActionRule.PurchaseRuleId) throw GroupActionRuleErrors.BuiltIn();
            var rule = await db.GroupActionRules.SingleOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, cancellationToken)
                ?? throw GroupActionRuleErrors.NotFound();
            // The kind is known only now: the validator saw none.
            if (r.TakeBackWithinDays is not null && !GroupActionRule.CanTakeBack(rule.Kind))
                throw new RequestValidationException([new FieldError("takeBackWithinDays", GroupActionRuleErrors.NoTakeBack)]);
            rule.Change(name, r.Points, r.ValidityDays, r.DailyCap, r.LifetimeCap, r.Paused, r.TakeBackWithinDays, clock.UtcNow);
            return GroupActionRuleView.Of(rule);
        }
        var kind = r.Kind!.Value;
        // One live rule per kind: checked here for a clear answer. Two creations racing both pass it; the unique index on
        // LiveKind fails the second at saving, the policy retries it whole, and the retry finds the first one here.
        if (await db.GroupActionRules.AnyAsync(x => x.LiveKind == kind, cancellationToken)) throw GroupActionRuleErrors.KindExists(kind);
        var created = new GroupActionRule(kind, name, r.Points, r.ValidityDays, r.DailyCap, r.LifetimeCap, r.Paused, r.TakeBackWithinDays, clock.UtcNow);
        db.GroupActionRules.Add(created);
        return GroupActionRuleView.Of(created);
    }
}

/// <summary>HQ deletes a custom rule (kept, marked deleted, its kind free for a new rule); actions already recorded keep their copy of it.</summary>
public sealed record DeleteGroupActionRule(Guid RuleId) : ICommand<Unit>;

public sealed class DeleteGroupActionRuleHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<DeleteGroupActionRule, Unit>
{
    public async Task<Unit> Handle(DeleteGroupActionRule request, CancellationToken cancellationToken)
    {
        if (request.RuleId == GroupActionRule.PurchaseRuleId) throw GroupActionRuleErrors.BuiltIn();
        var rule = await db.GroupActionRules.SingleOrDefaultAsync(x => x.Id == request.RuleId && x.DeletedAt == null, cancellationToken)
            ?? throw GroupActionRuleErrors.NotFound();
        rule.Delete(clock.UtcNow);
        return Unit.Value;
    }
}

/// <summary>The built-in purchase rule first, then the live custom rules in the order of their kinds.</summary>
public sealed record ListGroupActionRules : IRequest<IReadOnlyList<GroupActionRuleView>>;

public sealed class ListGroupActionRulesHandler(GuideDbContext db) : IRequestHandler<ListGroupActionRules, IReadOnlyList<GroupActionRuleView>>
{
    public async Task<IReadOnlyList<GroupActionRuleView>> Handle(ListGroupActionRules request, CancellationToken cancellationToken)
    {
        // At most one live rule per kind: a handful of rows, ordered here by the enum (the column holds the kind's name).
        var rules = await db.GroupActionRules.AsNoTracking().Where(x => x.DeletedAt == null).ToListAsync(cancellationToken);
        return [await GroupActionRuleView.PurchaseAsync(db, cancellationToken), .. rules.OrderBy(x => x.Kind).Select(GroupActionRuleView.Of)];
    }
}

public sealed record GetGroupActionRule(Guid RuleId) : IRequest<GroupActionRuleView>;

public sealed class GetGroupActionRuleHandler(GuideDbContext db) : IRequestHandler<GetGroupActionRule, GroupActionRuleView>
{
    public async Task<GroupActionRuleView> Handle(GetGroupActionRule request, CancellationToken cancellationToken)
    {
        if (request.RuleId == GroupActionRule.PurchaseRuleId) return await GroupActionRuleView.PurchaseAsync(db, cancellationToken);
        var rule = await db.GroupActionRules.AsNoTracking().SingleOrDefaultAsync(x => x.Id == request.RuleId && x.DeletedAt == null, cancellationToken)
            ?? throw GroupActionRuleErrors.NotFound();
        return GroupActionRuleView.Of(rule);
    }
}

/// <summary>A recorded group action as HQ sees it: who did what to which target, and what came of it.</summary>
public sealed record GroupActionHqView(Guid Id, GroupActionKind Kind, string ExternalUserId, string Target, string? GuideUserId, DateTimeOffset OccurredAt,
    Guid? MemberId, GroupActionStatus Status, string? Outcome, long Points, DateTimeOffset? AwardedAt, DateTimeOffset? UndoneAt)
{
    internal static GroupActionHqView Of(GroupAction a) =>
        new(a.Id, a.Kind, a.ExternalUserId, a.Target, a.GuideUserId, a.OccurredAt, a.MemberId, a.Status, a.Outcome, a.Points, a.AwardedAt, a.UndoneAt);
}

/// <summary>HQ's recorded group actions, newest first (paged), each filter optional.</summary>
public sealed record ListGroupActions(GroupActionStatus? Status, GroupActionKind? Kind, Guid? MemberId, int? Page, int? PageSize)
    : IRequest<Page<GroupActionHqView>>;

public sealed class ListGroupActionsHandler(GuideDbContext db) : IRequestHandler<ListGroupActions, Page<GroupActionHqView>>
{
    public async Task<Page<GroupActionHqView>> Handle(ListGroupActions request, CancellationToken cancellationToken)
    {
        var actions = db.GroupActions.AsNoTracking();
        if (request.Status is { } status) actions = actions.Where(a => a.Status == status);
        if (request.Kind is { } kind) actions = actions.Where(a => a.Kind == kind);
        if (request.MemberId is { } member) actions = actions.Where(a => a.MemberId == member);
        var page = await actions.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).PageAsync(request.Page, request.PageSize, cancellationToken);
        return page.Map(GroupActionHqView.Of);
    }
}
