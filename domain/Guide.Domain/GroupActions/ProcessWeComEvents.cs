using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.GroupActions;

/// <summary>
/// Applies one stored event: the claim (a conditional UPDATE of <c>processed_at</c>), the facts it records and
/// the outcome are one transaction. A second processor of the same event (another instance, a second run)
/// finds nothing to claim: on MySQL its UPDATE waits for the first's row lock and then matches no row (READ
/// COMMITTED re-reads the committed row), on SQLite writers are serialized by <c>BEGIN IMMEDIATE</c>. A crash
/// rolls the claim back with the work, so the event is processed on the next run. Answers the outcome, or
/// null when the event was already processed.
/// </summary>
public sealed record ProcessWeComEvent(Guid EventId) : ICommand<string?>;

public sealed class ProcessWeComEventHandler(GuideDbContext db, GroupActionLog actions, IMediator mediator, BrandClock clock)
    : IRequestHandler<ProcessWeComEvent, string?>
{
    public async Task<string?> Handle(ProcessWeComEvent request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var claimed = await db.WeComEvents.Where(e => e.Id == request.EventId && e.ProcessedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedAt, now).SetProperty(e => e.Attempts, e => e.Attempts + 1), cancellationToken);
        if (claimed == 0) return null;
        var evt = await db.WeComEvents.SingleAsync(e => e.Id == request.EventId, cancellationToken);
        var outcome = await ApplyAsync(evt, now, cancellationToken);
        evt.Processed(outcome);
        return outcome;
    }

    private async Task<string> ApplyAsync(WeComEvent evt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (evt.Event)
        {
            case "change_external_contact" when evt is { UserId.Length: > 0, ExternalUserId.Length: > 0 }:
                switch (evt.ChangeType)
                {
                    case "add_external_contact" or "add_half_external_contact":
                        var added = await ContactAsync(evt.UserId, evt.ExternalUserId, now, cancellationToken);
                        added.Added(evt.CreatedAt, evt.State, evt.ChangeType == "add_half_external_contact", now);
                        // The friend action, once per customer and guide ever; awarded by the run once the member is known.
                        await actions.RecordAsync(GroupActionKind.AddGuideFriend, evt.ExternalUserId, evt.UserId, evt.UserId, evt.CreatedAt, evt.State,
                            null, cancellationToken);
                        // The customer's deletion came first (WeCom reorders): it undoes the friend action as if it had come after.
                        if (!added.Active && added is { DeletedBy: "customer", DeletedAt: { } deletedAt })
                            await actions.UndoAsync(mediator, GroupActionKind.AddGuideFriend, evt.ExternalUserId, evt.UserId, deletedAt, cancellationToken);
                        return WeComEventOutcome.ContactAdded;
                    case "del_external_contact" or "del_follow_user":
                        var contact = await ContactAsync(evt.UserId, evt.ExternalUserId, now, cancellationToken);
                        contact.Deleted(evt.CreatedAt, evt.ChangeType == "del_external_contact" ? "guide" : "customer", now);
                        // The customer deleting the guide (not the guide deleting the customer) may take the points back.
                        if (evt.ChangeType == "del_follow_user" && !contact.Active)
                            await actions.UndoAsync(mediator, GroupActionKind.AddGuideFriend, evt.ExternalUserId, evt.UserId, evt.CreatedAt, cancellationToken);
                        return WeComEventOutcome.ContactDeleted;
                    default:
                        // edit_external_contact, transfer_fail: nothing the relation depends on (yet).
                        return WeComEventOutcome.Ignored;
                }
            case "change_external_chat" when evt is { ChatId.Length: > 0 }:
                var group = await db.WeComCustomerGroups.SingleOrDefaultAsync(g => g.ChatId == evt.ChatId, cancellationToken);
                if (group is null) db.WeComCustomerGroups.Add(group = new WeComCustomerGroup(evt.ChatId, now));
                group.Changed(evt.CreatedAt, evt.ChangeType == "dismiss", now);
                return WeComEventOutcome.GroupMarked;
            default:
                return WeComEventOutcome.Ignored;
        }
    }

    // Two processors creating the same relation at once: the loser's unique violation retries its whole
    // transaction (the policy), which then finds the winner's row.
    private async Task<WeComExternalContact> ContactAsync(string userId, string externalUserId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var contact = await db.WeComExternalContacts.SingleOrDefaultAsync(c => c.UserId == userId && c.ExternalUserId == externalUserId, cancellationToken);
        if (contact is null) db.WeComExternalContacts.Add(contact = new WeComExternalContact(userId, externalUserId, now));
        return contact;
    }
}

/// <summary>
/// The processing run (a Quartz job, one instance of the cluster at a time): unprocessed events in WeCom's
/// order, each in its own short transaction; a failing event is counted and retried on later runs, up to
/// <see cref="MaxAttempts"/>, without holding up the others.
/// </summary>
public sealed class WeComEventProcessingRun(GuideDbContext db, IMediator mediator, ILogger<WeComEventProcessingRun> logger)
{
    public const int MaxAttempts = 5;
    private const int PageSize = 200;
    private const int MaxPages = 20;

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        int processed = 0, skipped = 0, failed = 0;
        var seen = new HashSet<Guid>();
        for (var page = 0; page < MaxPages; page++)
        {
            var ids = await db.WeComEvents.AsNoTracking()
                .Where(e => e.ProcessedAt == null && e.Attempts < MaxAttempts)
                .OrderBy(e => e.CreatedAt).ThenBy(e => e.ReceivedAt).ThenBy(e => e.Id)
                .Select(e => e.Id).Take(PageSize).ToListAsync(cancellationToken);
            var fresh = ids.Where(seen.Add).ToList();
            if (fresh.Count == 0) break;
            foreach (var id in fresh)
            {
                try
                {
                    if (await mediator.Send(new ProcessWeComEvent(id), cancellationToken) is null) skipped++;
                    else processed++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed++;
                    logger.LogWarning(e, "WeCom event {EventId} could not be processed", id);
                    var error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                    await db.WeComEvents.Where(x => x.Id == id && x.ProcessedAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.LastError, error), cancellationToken);
                }
            }
            if (ids.Count < PageSize) break;
        }
        return $"processed {processed} WeCom event(s), {skipped} already processed, {failed} failed";
    }
}
