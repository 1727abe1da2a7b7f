using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.GroupActions;

/// <summary>
/// Applies what <c>groupchat/get</c> answered (read before, outside any transaction) to the group: its owner guide,
/// and the members, derived by difference with what was known: a member not known before joined (at WeCom's join
/// time; a customer's join is a group action, awarded once ever), a known member missing left (at the group's
/// latest event when that is after the join, else now; a customer leaving within the rule's days loses the join's
/// points), a member who left and is back re-joined (earning nothing new). <paramref name="Group"/> null: WeCom no
/// longer has the group (dismissed), so everyone left, with no taking back. Lost or reordered callbacks do not
/// matter: the group's own list is the truth. <paramref name="ChangeCountRead"/> is the group's change count when
/// the read began: an event that came meanwhile leaves the group marked for another reconciliation.
/// </summary>
public sealed record ReconcileCustomerGroup(string ChatId, WeComGroupFacts? Group, int ChangeCountRead) : ICommand<GroupReconciliation>;

public sealed record GroupReconciliation(int Joined, int Left);

public sealed class ReconcileCustomerGroupHandler(GuideDbContext db, GroupActionLog actions, IMediator mediator, BrandClock clock)
    : IRequestHandler<ReconcileCustomerGroup, GroupReconciliation>
{
    public async Task<GroupReconciliation> Handle(ReconcileCustomerGroup request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var group = await db.WeComCustomerGroups.SingleOrDefaultAsync(g => g.ChatId == request.ChatId, cancellationToken);
        if (group is null) db.WeComCustomerGroups.Add(group = new WeComCustomerGroup(request.ChatId, now));
        var known = await db.WeComGroupMembers.Where(m => m.ChatId == request.ChatId).ToDictionaryAsync(m => m.UserId, StringComparer.Ordinal, cancellationToken);
        var current = (request.Group?.Members ?? []).GroupBy(m => m.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        int joined = 0, left = 0;
        var undone = new List<(string UserId, DateTimeOffset At)>();

        foreach (var member in current.Values)
        {
            if (member.UserId.Length > WeComEvent.IdMaxLength) continue;
            known.TryGetValue(member.UserId, out var row);
            var unionId = member.UnionId is { Length: > 0 and <= 64 } u ? u : null;
            // A unionid the group's list tells for the first time (a member new here, or one stored without it); a member
            // already known with it costs nothing on the periodic pass.
            if (member.IsExternal && unionId is not null && row?.UnionId != unionId)
            {
                await WeComCustomers.LearnAsync(db, member.UserId, unionId, null, now, cancellationToken);
                row?.Told(unionId, now);
            }
            if (row is not null)
            {
                if (row.Present) continue;
                row.Rejoined(member.JoinTime, member.JoinScene, now);
            }
            else
            {
                db.WeComGroupMembers.Add(new WeComGroupMember(request.ChatId, member.UserId, member.Type, unionId, member.JoinTime, member.JoinScene, now));
            }
            joined++;
            if (member.IsExternal)
                await actions.RecordAsync(GroupActionKind.JoinCustomerGroup, member.UserId, request.ChatId, request.Group!.Owner, member.JoinTime, null,
                    unionId, cancellationToken);
        }

        foreach (var row in known.Values.Where(r => r.Present && !current.ContainsKey(r.UserId)))
        {
            var at = request.Group is null
                ? group.DismissedAt ?? group.LastEventAt ?? now
                : group.LastEventAt is { } last && last > row.JoinedAt ? last : now;
            row.Left(at, now);
            left++;
            // A dismissed group is not the customer leaving: nothing is taken back.
            if (row.IsExternal && request.Group is not null) undone.Add((row.UserId, at));
        }

        group.Reconciled(request.Group?.Owner, dismissed: request.Group is null, request.ChangeCountRead, now);
        foreach (var (userId, at) in undone)
            await actions.UndoAsync(mediator, GroupActionKind.JoinCustomerGroup, userId, request.ChatId, at, cancellationToken);
        return new GroupReconciliation(joined, left);
    }
}
