using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using Guide.Domain.Points;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.GroupActions;

/// <summary>
/// Records group actions inside the caller's transaction (an event's processing, a group's reconciliation, a
/// moment's poll): a new action gets the live rule of its kind copied in; one already recorded (same kind,
/// customer and target) is left as it is, so nothing is ever recorded twice. Two transactions recording the same
/// action at once: the unique key fails the later one, whose whole transaction the policy retries and which then
/// finds the row.
/// </summary>
public sealed class GroupActionLog(GuideDbContext db, BrandClock clock)
{
    public async Task<GroupAction?> RecordAsync(GroupActionKind kind, string externalUserId, string target, string? guideUserId,
        DateTimeOffset occurredAt, string? state, string? unionId, CancellationToken cancellationToken)
    {
        if (await db.GroupActions.AnyAsync(a => a.Kind == kind && a.ExternalUserId == externalUserId && a.Target == target, cancellationToken))
            return null;
        var rule = await db.GroupActionRules.AsNoTracking().SingleOrDefaultAsync(r => r.LiveKind == kind, cancellationToken);
        unionId ??= await db.WeComCustomers.AsNoTracking().Where(c => c.ExternalUserId == externalUserId).Select(c => c.UnionId)
            .SingleOrDefaultAsync(cancellationToken);
        var brandDay = DateOnly.FromDateTime(clock.ToBrandTime(occurredAt).DateTime);
        var action = new GroupAction(kind, externalUserId, target, guideUserId, occurredAt, brandDay, state, unionId, rule, clock.UtcNow);
        db.GroupActions.Add(action);
        return action;
    }

    /// <summary>The customer undid an action (deleted the guide, left the group) at <paramref name="at"/>: its points are taken back if its rule says so.</summary>
    public async Task<GroupActionStatus?> UndoAsync(IMediator mediator, GroupActionKind kind, string externalUserId, string target, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        // Saved first: the action may have been recorded in this very transaction.
        await db.SaveChangesAsync(cancellationToken);
        var id = await db.GroupActions.AsNoTracking().Where(a => a.Kind == kind && a.ExternalUserId == externalUserId && a.Target == target)
            .Select(a => (Guid?)a.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null) return null;
        return await mediator.Send(new TakeBackGroupAction(id.Value, at), cancellationToken);
    }
}

/// <summary>
/// Awards one recorded action: finds the member by the customer's unionid (none yet: stays pending, awarded at the
/// member's first log-in), binds a friend-add's guide code, then, under the member's points lock, applies the rule as
/// it was at the action: paused or no rule, validity already over, daily cap (awards of this kind in the action's
/// brand day) or lifetime cap reached: no points; else one lot keyed by the action. The lock makes concurrent awards
/// of one member count each other, so a cap holds however many events race.
/// </summary>
public sealed record AwardGroupAction(Guid ActionId) : ICommand<GroupActionStatus>;

public sealed class AwardGroupActionHandler(GuideDbContext db, PointsAccounts accounts, IMediator mediator, BrandClock clock)
    : IRequestHandler<AwardGroupAction, GroupActionStatus>
{
    public static string AwardKey(Guid actionId) => $"group-action:{actionId:N}";

    public async Task<GroupActionStatus> Handle(AwardGroupAction request, CancellationToken cancellationToken)
    {
        var seen = await db.GroupActions.AsNoTracking().SingleAsync(a => a.Id == request.ActionId, cancellationToken);
        if (seen.Status != GroupActionStatus.Pending) return seen.Status;
        var memberId = seen.MemberId ?? await GroupActionMembers.FindAsync(db, seen.UnionId, cancellationToken);
        if (memberId is null) return GroupActionStatus.Pending;

        var now = clock.UtcNow;
        var account = await accounts.LockAsync(memberId.Value, now, cancellationToken);
        // Read again under the lock: a concurrent award of the same action has committed by now.
        var action = await db.GroupActions.SingleAsync(a => a.Id == request.ActionId, cancellationToken);
        if (action.Status != GroupActionStatus.Pending) return action.Status;
        action.Matched(memberId.Value);

        if (action.Kind == GroupActionKind.AddGuideFriend) await BindGuideAsync(action, memberId.Value, cancellationToken);

        var refusal = await RefusalAsync(action, memberId.Value, now, cancellationToken);
        if (refusal is not null)
        {
            action.NotAwarded(refusal, now);
            return action.Status;
        }
        var settings = await PointsSettings.ReadAsync(db, cancellationToken);
        var expiresAt = action.ValidityDays is { } days ? action.OccurredAt.AddDays(days) : settings.ExpiryOf(action.OccurredAt, clock.Zone);
        var entry = account.Earn(PointsEntryKind.GroupAction, AwardKey(action.Id), now, action.Points, PointsLotSource.GroupAction, action.Id,
            action.OccurredAt, expiresAt, null, Reference(action), null);
        action.Awarded(entry.Id, now);
        return action.Status;
    }

    private async Task<string?> RefusalAsync(GroupAction action, Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (action.RuleId is null || action.Points <= 0) return GroupActionOutcome.NoRule;
        if (action.RulePaused) return GroupActionOutcome.RulePaused;
        if (action.ValidityDays is { } days && action.OccurredAt.AddDays(days) <= now) return GroupActionOutcome.Expired;
        var awarded = db.GroupActions.Where(a => a.MemberId == memberId && a.Kind == action.Kind && a.Id != action.Id
                                                 && a.Status == GroupActionStatus.Awarded);
        if (action.DailyCap is { } daily && await awarded.CountAsync(a => a.BrandDay == action.BrandDay, cancellationToken) >= daily)
            return GroupActionOutcome.DailyCap;
        if (action.LifetimeCap is { } lifetime && await awarded.CountAsync(cancellationToken) >= lifetime)
            return GroupActionOutcome.LifetimeCap;
        return null;
    }

    // The first binding wins (BindExclusiveGuide); a code naming no active guide binds nobody and awards as usual.
    private async Task BindGuideAsync(GroupAction action, Guid memberId, CancellationToken cancellationToken)
    {
        if (!GuideScene.TryParse(action.State, out var code)) return;
        var guideId = await db.Guides.AsNoTracking().Where(g => g.SceneCode == code && g.Active).Select(g => (Guid?)g.Id).SingleOrDefaultAsync(cancellationToken);
        if (guideId is null) return;
        await db.SaveChangesAsync(cancellationToken);
        await mediator.Send(new BindExclusiveGuide(memberId, guideId.Value, GuideBindingCause.WecomFriend, action.ExternalUserId), cancellationToken);
    }

    internal static string Reference(GroupAction action)
    {
        var prefix = action.Kind switch
        {
            GroupActionKind.AddGuideFriend => "friend:",
            GroupActionKind.JoinCustomerGroup => "group:",
            GroupActionKind.LikeMoment => "like:",
            GroupActionKind.CommentMoment => "comment:",
            _ => "",
        };
        var reference = prefix + action.Target;
        return reference.Length > 64 ? reference[..64] : reference;
    }
}

/// <summary>
/// The customer undid an action at <see cref="At"/> (deleted the guide, left the group): within the rule's take-back
/// days the points go back (from the action's own lot first, then any other; what was spent already becomes debt or
/// is absorbed, as for refunds); a still-pending action is closed without points. Outside the days, or without
/// take-back, nothing changes. Once only: keyed by the action.
/// </summary>
public sealed record TakeBackGroupAction(Guid ActionId, DateTimeOffset At) : ICommand<GroupActionStatus>;

public sealed class TakeBackGroupActionHandler(GuideDbContext db, PointsAccounts accounts, BrandClock clock)
    : IRequestHandler<TakeBackGroupAction, GroupActionStatus>
{
    public static string TakeBackKey(Guid actionId) => $"group-action-take-back:{actionId:N}";

    public async Task<GroupActionStatus> Handle(TakeBackGroupAction request, CancellationToken cancellationToken)
    {
        var seen = await db.GroupActions.AsNoTracking().SingleAsync(a => a.Id == request.ActionId, cancellationToken);
        if (seen.Status is GroupActionStatus.NotAwarded or GroupActionStatus.TakenBack || !seen.TakesBackAt(request.At)) return seen.Status;
        var now = clock.UtcNow;
        var memberId = seen.MemberId;
        if (memberId is null)
        {
            // No member yet, so no points: closed without any. The status is the row's concurrency token, so an award
            // committing meanwhile fails this (or that) save, and the policy's retry sees the other's outcome.
            var pending = await db.GroupActions.SingleAsync(a => a.Id == request.ActionId, cancellationToken);
            if (pending.Status == GroupActionStatus.Pending) pending.TakenBack(null, request.At, now);
            if (pending.Status != GroupActionStatus.Awarded) return pending.Status;
            memberId = pending.MemberId!.Value;
            db.Entry(pending).State = EntityState.Detached;
        }

        var account = await accounts.LockAsync(memberId.Value, now, cancellationToken);
        var action = await db.GroupActions.SingleAsync(a => a.Id == request.ActionId, cancellationToken);
        if (action.Status == GroupActionStatus.Pending) action.TakenBack(null, request.At, now);
        if (action.Status != GroupActionStatus.Awarded) return action.Status;
        var settings = await PointsSettings.ReadAsync(db, cancellationToken);
        var lot = account.Lots.FirstOrDefault(l => l.Source == PointsLotSource.GroupAction && l.SourceId == action.Id)?.Id;
        var entry = account.Reverse(TakeBackKey(action.Id), now, action.Points, lot, settings.RefundPolicy, AwardGroupActionHandler.Reference(action),
            PointsEntryKind.GroupActionTakeBack);
        action.TakenBack(entry.Id, request.At, now);
        return action.Status;
    }
}

/// <summary>The member a customer's unionid belongs to (the earliest, should two share it).</summary>
public static class GroupActionMembers
{
    public static async Task<Guid?> FindAsync(GuideDbContext db, string? unionId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(unionId)
            ? null
            : await db.Members.AsNoTracking().Where(m => m.UnionId == unionId).OrderBy(m => m.RegisteredAt).ThenBy(m => m.Id)
                .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>
/// A member's pending actions, awarded now (the first log-in of a customer who acted in WeCom before opening the
/// mini program, or the award run). Each action is its own command, so one failure does not hold the others.
/// </summary>
public sealed record AwardPendingGroupActions(Guid MemberId) : IRequest<int>;

public sealed class AwardPendingGroupActionsHandler(GuideDbContext db, IMediator mediator) : IRequestHandler<AwardPendingGroupActions, int>
{
    public async Task<int> Handle(AwardPendingGroupActions request, CancellationToken cancellationToken)
    {
        var unionId = await db.Members.AsNoTracking().Where(m => m.Id == request.MemberId).Select(m => m.UnionId).SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrEmpty(unionId)) return 0;
        var ids = await db.GroupActions.AsNoTracking()
            .Where(a => a.Status == GroupActionStatus.Pending && (a.MemberId == request.MemberId || (a.MemberId == null && a.UnionId == unionId)))
            .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        var awarded = 0;
        foreach (var id in ids)
            if (await mediator.Send(new AwardGroupAction(id), cancellationToken) == GroupActionStatus.Awarded) awarded++;
        return awarded;
    }
}
