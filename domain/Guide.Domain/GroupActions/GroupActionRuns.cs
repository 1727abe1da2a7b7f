using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.GroupActions;

/// <summary>
/// What the WeCom job does every few seconds (one instance of the cluster at a time), each step idempotent so a crash
/// or a double run changes nothing: the stored callback events are applied (<see cref="WeComEventProcessingRun"/>),
/// the groups they marked, and every group not reconciled for <see cref="ReconcileEvery"/>, are reconciled against
/// <c>groupchat/get</c> (callbacks can be lost), the customers of pending actions are looked up for their unionid
/// (<c>externalcontact/get</c>), and every pending action whose member is known is awarded.
/// </summary>
public sealed class GroupActionRun(
    GuideDbContext db, IMediator mediator, IWeComDirectory wecom, WeComEventProcessingRun events, BrandClock clock, ILogger<GroupActionRun> logger)
{
    public static readonly TimeSpan ReconcileEvery = TimeSpan.FromHours(6);
    /// <summary>A customer WeCom gave no unionid for is asked again after this long (they may have bound WeChat's open platform since).</summary>
    public static readonly TimeSpan AskAgainAfter = TimeSpan.FromDays(1);
    private const int GroupsPerRun = 50;
    private const int CustomersPerRun = 200;
    private const int AwardsPerRun = 2000;

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var processed = await events.RunAsync(cancellationToken);
        var groups = await ReconcileGroupsAsync(cancellationToken);
        var customers = await LookUpCustomersAsync(cancellationToken);
        var awarded = await AwardAsync(cancellationToken);
        return $"{processed}; {groups}; {customers}; {awarded}";
    }

    /// <summary>Groups marked by an event, then those due for the periodic reconciliation; a failing read is left for the next run.</summary>
    public async Task<string> ReconcileGroupsAsync(CancellationToken cancellationToken)
    {
        var due = clock.UtcNow - ReconcileEvery;
        var groups = await db.WeComCustomerGroups.AsNoTracking()
            .Where(g => g.NeedsReconcile || (g.DismissedAt == null && (g.ReconciledAt == null || g.ReconciledAt < due)))
            .OrderByDescending(g => g.NeedsReconcile).ThenBy(g => g.ReconciledAt).ThenBy(g => g.ChatId)
            .Select(g => new { g.ChatId, g.ChangeCount, Dismissed = g.DismissedAt != null }).Take(GroupsPerRun).ToListAsync(cancellationToken);
        int reconciled = 0, joined = 0, left = 0, failed = 0;
        foreach (var group in groups)
        {
            try
            {
                var facts = await wecom.GetGroupAsync(group.ChatId, cancellationToken);
                // "No such group" empties a group only after WeCom's dismiss event: from a misconfigured corp (every
                // chat unknown) it would otherwise make every customer leave.
                if (facts is null && !group.Dismissed)
                {
                    failed++;
                    logger.LogWarning("WeCom does not know customer group {ChatId}, which no dismiss event closed; left as it is", group.ChatId);
                    continue;
                }
                var result = await mediator.Send(new ReconcileCustomerGroup(group.ChatId, facts, group.ChangeCount), cancellationToken);
                reconciled++;
                joined += result.Joined;
                left += result.Left;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                logger.LogWarning(e, "Customer group {ChatId} could not be reconciled", group.ChatId);
            }
        }
        return $"reconciled {reconciled} group(s) ({joined} joined, {left} left, {failed} failed)";
    }

    /// <summary>Customers of pending actions without a unionid: asked once (again after <see cref="AskAgainAfter"/> when WeCom had none).</summary>
    public async Task<string> LookUpCustomersAsync(CancellationToken cancellationToken)
    {
        var again = clock.UtcNow - AskAgainAfter;
        var customers = await db.GroupActions.AsNoTracking()
            .Where(a => a.Status == GroupActionStatus.Pending && a.UnionId == null)
            .Where(a => !db.WeComCustomers.Any(c => c.ExternalUserId == a.ExternalUserId && (c.UnionId != null || c.FetchedAt > again)))
            .Select(a => a.ExternalUserId).Distinct().OrderBy(x => x).Take(CustomersPerRun).ToListAsync(cancellationToken);
        int found = 0, failed = 0;
        foreach (var externalUserId in customers)
        {
            try
            {
                var facts = await wecom.GetCustomerAsync(externalUserId, cancellationToken);
                var unionId = facts?.UnionId is { Length: > 0 and <= 64 } u ? u : null;
                await mediator.Send(new LearnWeComCustomer(externalUserId, unionId, facts?.Name), cancellationToken);
                if (unionId is not null) found++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                logger.LogWarning(e, "WeCom customer {ExternalUserId} could not be looked up", externalUserId);
            }
        }
        return $"looked up {customers.Count} customer(s) ({found} with unionid, {failed} failed)";
    }

    /// <summary>Pending actions whose unionid belongs to a member, in the order they happened.</summary>
    public async Task<string> AwardAsync(CancellationToken cancellationToken)
    {
        var ids = await db.GroupActions.AsNoTracking()
            .Where(a => a.Status == GroupActionStatus.Pending && (a.MemberId != null || (a.UnionId != null && db.Members.Any(m => m.UnionId == a.UnionId))))
            .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Select(a => a.Id).Take(AwardsPerRun).ToListAsync(cancellationToken);
        var counts = new Dictionary<GroupActionStatus, int>();
        var failed = 0;
        foreach (var id in ids)
        {
            try
            {
                var status = await mediator.Send(new AwardGroupAction(id), cancellationToken);
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                logger.LogWarning(e, "Group action {ActionId} could not be awarded", id);
            }
        }
        return $"decided {ids.Count} action(s) ({counts.GetValueOrDefault(GroupActionStatus.Awarded)} awarded, " +
               $"{counts.GetValueOrDefault(GroupActionStatus.NotAwarded)} not, {failed} failed)";
    }
}

/// <summary>What <c>externalcontact/get</c> said of a customer: kept, and the unionid given to their pending actions.</summary>
public sealed record LearnWeComCustomer(string ExternalUserId, string? UnionId, string? Name) : ICommand<bool>;

public sealed class LearnWeComCustomerHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<LearnWeComCustomer, bool>
{
    public Task<bool> Handle(LearnWeComCustomer request, CancellationToken cancellationToken) =>
        WeComCustomers.LearnAsync(db, request.ExternalUserId, request.UnionId, request.Name, clock.UtcNow, cancellationToken);
}

/// <summary>
/// What WeCom said of a customer, from <c>externalcontact/get</c> or a group's member list: kept in
/// <c>wecom_customers</c>, and a unionid given at once to the customer's actions that lack one (recorded before it was
/// known), so that the award run and the first log-in find the member. The one place a unionid is learnt.
/// </summary>
public static class WeComCustomers
{
    public static async Task<bool> LearnAsync(GuideDbContext db, string externalUserId, string? unionId, string? name, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (unionId is { Length: > 64 }) unionId = null;
        var customer = await db.WeComCustomers.SingleOrDefaultAsync(c => c.ExternalUserId == externalUserId, cancellationToken);
        if (customer is null) db.WeComCustomers.Add(new WeComCustomer(externalUserId, unionId, name, now));
        else customer.Learn(unionId, name, now);
        if (string.IsNullOrEmpty(unionId)) return false;
        await db.GroupActions.Where(a => a.ExternalUserId == externalUserId && a.UnionId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.UnionId, unionId).SetProperty(a => a.UpdatedAt, now), cancellationToken);
        return true;
    }
}
