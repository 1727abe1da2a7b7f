using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

public sealed record GuideHandoverView(Guid Id, Guid FromGuideId, Guid ToGuideId, int Members, int Tasks, string Actor, DateTimeOffset At);

/// <summary>
/// HQ: a leaving guide hands their members and pending care tasks to an active successor, in one transaction. Each member whose
/// exclusive guide they are is re-assigned to the successor (and, as every re-assignment, the successor's store), recorded in the
/// member's guide history with HQ as the actor; their pending tasks go to the successor (a moved member's tasks to the
/// successor's store too). The handover itself is recorded with its counts.
/// </summary>
public sealed record HandOverGuide(Guid GuideId, Guid SuccessorId, Guid AdminId) : ICommand<GuideHandoverView>;

public sealed class HandOverGuideValidator : AbstractValidator<HandOverGuide>
{
    public HandOverGuideValidator() => RuleFor(x => x.SuccessorId).NotEmpty();
}

public sealed class HandOverGuideHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<HandOverGuide, GuideHandoverView>
{
    public const string Reason = "handover: the guide left";

    public async Task<GuideHandoverView> Handle(HandOverGuide request, CancellationToken cancellationToken)
    {
        var from = await db.Guides.AsNoTracking().SingleOrDefaultAsync(g => g.Id == request.GuideId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide."));
        if (request.SuccessorId == request.GuideId)
            throw new DomainException(DomainError.Conflict("guide.handover_to_self", "A guide cannot hand over to themselves: name another guide."));
        var to = await db.Guides.AsNoTracking().SingleOrDefaultAsync(g => g.Id == request.SuccessorId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide (the successor)."));
        if (!to.Active)
            throw new DomainException(DomainError.Conflict("guide.successor_inactive", "The successor is not active; choose an active guide."));

        var now = clock.UtcNow;
        var actor = $"hq:{request.AdminId}";
        // Lock the members' rows first (as every guide change does), so a binding or re-assignment racing this one queues behind it.
        await db.Members.Where(m => m.ExclusiveGuideId == from.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ExclusiveGuideId, m => m.ExclusiveGuideId), cancellationToken);
        var members = await db.Members.Where(m => m.ExclusiveGuideId == from.Id).ToListAsync(cancellationToken);
        foreach (var member in members)
        {
            var fromStore = member.StoreId;
            member.ReassignExclusiveGuide(to);
            db.MemberGuideChanges.Add(new MemberGuideChange(member.Id, from.Id, fromStore, to, GuideBindingCause.Hq, Reason, actor, null, now));
        }
        await db.SaveChangesAsync(cancellationToken);

        // The Version bump makes a complete or abandon that read the task before this moved it lose (and be retried, then refused).
        var movedMembersTasks = await db.CareTasks
            .Where(t => t.GuideId == from.Id && t.Status == CareTaskStatus.Pending && db.Members.Any(m => m.Id == t.MemberId && m.ExclusiveGuideId == to.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.GuideId, to.Id).SetProperty(t => t.StoreId, to.StoreId)
                .SetProperty(t => t.Version, t => t.Version + 1), cancellationToken);
        var otherTasks = await db.CareTasks.Where(t => t.GuideId == from.Id && t.Status == CareTaskStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.GuideId, to.Id).SetProperty(t => t.Version, t => t.Version + 1), cancellationToken);

        var handover = new GuideHandover(from.Id, to.Id, members.Count, movedMembersTasks + otherTasks, actor, now);
        db.GuideHandovers.Add(handover);
        await db.SaveChangesAsync(cancellationToken);
        return new GuideHandoverView(handover.Id, handover.FromGuideId, handover.ToGuideId, handover.Members, handover.Tasks, handover.Actor, handover.At);
    }
}

public sealed record StoreDefaultGuideView(Guid StoreId, Guid? DefaultGuideId, string? DefaultGuideName);

/// <summary>HQ: the guide a store's care tasks go to when the member has no active exclusive guide (null: none; such tasks stay unassigned).</summary>
public sealed record SetStoreDefaultGuide(Guid StoreId, Guid? GuideId) : ICommand<StoreDefaultGuideView>;

public sealed class SetStoreDefaultGuideHandler(GuideDbContext db) : IRequestHandler<SetStoreDefaultGuide, StoreDefaultGuideView>
{
    public async Task<StoreDefaultGuideView> Handle(SetStoreDefaultGuide request, CancellationToken cancellationToken)
    {
        var store = await db.Stores.SingleOrDefaultAsync(s => s.Id == request.StoreId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("store.not_found", "No such store."));
        string? name = null;
        if (request.GuideId is { } guideId)
        {
            var guide = await db.Guides.AsNoTracking().SingleOrDefaultAsync(g => g.Id == guideId, cancellationToken)
                ?? throw new DomainException(DomainError.NotFound("guide.not_found", "No such guide."));
            if (guide.StoreId != store.Id || !guide.Active)
                throw new DomainException(DomainError.Conflict("store.default_guide_not_in_store",
                    "The default guide must be an active guide of this store."));
            name = guide.Name;
        }
        store.DefaultGuideId = request.GuideId;
        await db.SaveChangesAsync(cancellationToken);
        return new StoreDefaultGuideView(store.Id, store.DefaultGuideId, name);
    }
}
