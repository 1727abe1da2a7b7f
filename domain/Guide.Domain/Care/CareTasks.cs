using System.Globalization;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Documents;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

/// <summary>
/// The member as a guide sees them on a care task: the phone masked (138****5678), the level's rank and name, the points
/// balance, the wallet (principal and gift, fen), the last paid sale (time and amount, fen) and the birthday.
/// </summary>
public sealed record CareMemberSnippet(Guid Id, string? Nickname, string? MaskedPhone, int LevelRank, string? LevelName, long Points,
    long WalletPrincipal, long WalletGift, DateTimeOffset? LastPurchaseAt, long? LastPurchaseAmount, DateOnly? Birthday);

/// <summary>One care task with its plan, its member's snippet and the plan's script with the member's facts filled in.</summary>
public sealed record CareTaskItem(Guid Id, Guid PlanId, string PlanName, CareChannel Channel, string Period, Guid? GuideId, Guid? StoreId,
    DateTimeOffset IssuedAt, DateTimeOffset DueAt, CareTaskStatus Status, DateTimeOffset? UrgedAt, int UrgeCount, DateTimeOffset? ClosedAt,
    CareOutcome? Outcome, CareChannel? CompletedChannel, string? Note, CareMemberSnippet Member, string Script);

/// <summary>
/// Which care tasks a list or a look-up means: each filter that is null (or false) does not apply. <c>Stores</c>: the tasks of
/// these stores (a manager's scope); <c>UnassignedOnly</c>: no guide yet; <c>DueBefore</c>: due at or before that instant.
/// </summary>
internal sealed record CareTaskFilter(CareTaskStatus? Status, Guid? TaskId = null, Guid? GuideId = null, bool UnassignedOnly = false,
    List<Guid>? Stores = null, Guid? PlanId = null, DateTimeOffset? DueBefore = null)
{
    /// <summary>The compiled queries' store list when <see cref="Stores"/> does not filter (never read: the any-store flag is set).</summary>
    internal static readonly List<Guid> NoStores = [];
}

/// <summary>The viewing guide's Active flag and the number of tasks a filter means.</summary>
internal sealed record CareTaskHead(bool Active, int Total);

/// <summary>
/// The calling guide's own care tasks (GuideId = the guide), pending by default; <c>DueWithin</c> days: due before the start of
/// brand day today + N (DueAt at or before the start of today + N + 1; 0: due by the end of today). Urged first (the latest urge first), then the soonest due, then id.
/// </summary>
public sealed record ListMyCareTasks(Guid GuideId, CareTaskStatus? Status, int? DueWithin, Guid? PlanId, int? Page, int? PageSize)
    : IRequest<Page<CareTaskItem>>;

public sealed class ListMyCareTasksValidator : AbstractValidator<ListMyCareTasks>
{
    public ListMyCareTasksValidator()
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.DueWithin).InclusiveBetween(0, CareTaskRules.MaxDueWithinDays);
    }
}

public sealed class ListMyCareTasksHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ListMyCareTasks, Page<CareTaskItem>>
{
    public async Task<Page<CareTaskItem>> Handle(ListMyCareTasks request, CancellationToken cancellationToken)
    {
        DateTimeOffset? dueBefore = request.DueWithin is { } days ? CareTaskRules.BrandDayStart(clock, clock.Today.AddDays(days + 1)) : null;
        var tasks = new CareTaskFilter(request.Status ?? CareTaskStatus.Pending, GuideId: request.GuideId, PlanId: request.PlanId, DueBefore: dueBefore);
        // Both statements on one connection taken from the pool once.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // One statement for the guide's Active flag, read on every request as GuideScope.LoadAsync does (a deactivated guide is
            // refused at once, whatever the token says), and the total; a plain guide's scope is their own tasks, so nothing more is loaded.
            var head = await CareTaskRules.HeadAsync(db, request.GuideId, tasks, cancellationToken);
            if (head is not { Active: true }) throw new DomainException(GuideScope.Inactive());
            return await CareTaskRules.PageAsync(db, tasks, head.Total, request.Page, request.PageSize, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// A manager's view: the care tasks of the stores of their scope (a store manager: their store, unassigned tasks included; an area
/// manager: their areas' stores), by status (pending by default; none: every status), guide, store or unassigned only.
/// </summary>
public sealed record ListTeamCareTasks(Guid ManagerId, CareTaskStatus? Status, Guid? GuideId, Guid? StoreId, bool Unassigned, int? Page, int? PageSize)
    : IRequest<Page<CareTaskItem>>;

public sealed class ListTeamCareTasksValidator : AbstractValidator<ListTeamCareTasks>
{
    public ListTeamCareTasksValidator()
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.GuideId).Null().When(x => x.Unassigned).WithMessage("Unassigned tasks have no guide: give guideId or unassigned, not both.");
    }
}

public sealed class ListTeamCareTasksHandler(GuideDbContext db) : IRequestHandler<ListTeamCareTasks, Page<CareTaskItem>>
{
    public async Task<Page<CareTaskItem>> Handle(ListTeamCareTasks request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadManagerAsync(db, request.ManagerId, cancellationToken);
        if (request.StoreId is { } storeId && !scope.Covers(storeId))
            throw new DomainException(CareTaskRules.OutsideScope());
        var tasks = new CareTaskFilter(request.Status ?? CareTaskStatus.Pending, GuideId: request.GuideId, UnassignedOnly: request.Unassigned,
            Stores: request.StoreId is { } one ? [one] : scope.StoreIds.ToList());
        var head = await CareTaskRules.HeadAsync(db, request.ManagerId, tasks, cancellationToken);
        return await CareTaskRules.PageAsync(db, tasks, head?.Total ?? 0, request.Page, request.PageSize, cancellationToken);
    }
}

/// <summary>The guide reached (or tried to reach) the member: an outcome, the channel used and a note.</summary>
public sealed record CompleteCareTask(Guid GuideId, Guid TaskId, CareOutcome? Outcome, CareChannel? Channel, string? Note) : ICommand<CareTaskItem>;

public sealed class CompleteCareTaskValidator : AbstractValidator<CompleteCareTask>
{
    public CompleteCareTaskValidator()
    {
        RuleFor(x => x.Outcome).NotNull().IsInEnum();
        RuleFor(x => x.Channel).NotNull().IsInEnum();
        RuleFor(x => x.Note).MaximumLength(CareTask.NoteMaxLength);
    }
}

public sealed class CompleteCareTaskHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CompleteCareTask, CareTaskItem>
{
    public async Task<CareTaskItem> Handle(CompleteCareTask request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var task = await CareTaskRules.OwnOpenTaskAsync(db, request.GuideId, request.TaskId, now, cancellationToken);
        task.Status = CareTaskStatus.Completed;
        task.Outcome = request.Outcome;
        task.CompletedChannel = request.Channel;
        task.Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        task.ClosedAt = now;
        task.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return await CareTaskRules.ItemAsync(db, task.Id, cancellationToken);
    }
}

/// <summary>The guide gives the task up, with a reason (kept in the task's note).</summary>
public sealed record AbandonCareTask(Guid GuideId, Guid TaskId, string? Reason) : ICommand<CareTaskItem>;

public sealed class AbandonCareTaskValidator : AbstractValidator<AbandonCareTask>
{
    public AbandonCareTaskValidator() =>
        RuleFor(x => x.Reason).NotEmpty().Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Say why the task is abandoned.")
            .MaximumLength(CareTask.NoteMaxLength);
}

public sealed class AbandonCareTaskHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<AbandonCareTask, CareTaskItem>
{
    public async Task<CareTaskItem> Handle(AbandonCareTask request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var task = await CareTaskRules.OwnOpenTaskAsync(db, request.GuideId, request.TaskId, now, cancellationToken);
        task.Status = CareTaskStatus.Abandoned;
        task.Note = request.Reason!.Trim();
        task.ClosedAt = now;
        task.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return await CareTaskRules.ItemAsync(db, task.Id, cancellationToken);
    }
}

/// <summary>A manager urges the guide of a pending task of their scope: it sorts first in the guide's list.</summary>
public sealed record UrgeCareTask(Guid ManagerId, Guid TaskId) : ICommand<CareTaskItem>;

public sealed class UrgeCareTaskHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UrgeCareTask, CareTaskItem>
{
    public async Task<CareTaskItem> Handle(UrgeCareTask request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadManagerAsync(db, request.ManagerId, cancellationToken);
        var task = await db.CareTasks.SingleOrDefaultAsync(t => t.Id == request.TaskId, cancellationToken)
            ?? throw new DomainException(CareTaskRules.NotFound());
        if (!scope.Covers(task.StoreId)) throw new DomainException(CareTaskRules.OutsideScope());
        if (task.Status != CareTaskStatus.Pending) throw new DomainException(CareTaskRules.Closed());
        task.UrgedAt = clock.UtcNow;
        task.UrgedBy = scope.GuideId;
        task.UrgeCount++;
        task.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return await CareTaskRules.ItemAsync(db, task.Id, cancellationToken);
    }
}

public static class CareTaskRules
{
    public const int MaxDueWithinDays = 3650;

    public static DomainError NotFound() => DomainError.NotFound("care_task.not_found", "No such care task.");
    public static DomainError Closed() => DomainError.Conflict("care_task.closed", "The task is no longer pending (completed, abandoned or expired).");
    public static DomainError OutsideScope() =>
        DomainError.Forbidden("care_task.outside_scope", "The task's store is not one you manage (a store manager's store, an area manager's areas).");

    /// <summary>The start (UTC) of a brand day.</summary>
    public static DateTimeOffset BrandDayStart(BrandClock clock, DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The guide's own pending task before its deadline, tracked; its Version guards the write against a racing close.</summary>
    internal static async Task<CareTask> OwnOpenTaskAsync(GuideDbContext db, Guid guideId, Guid taskId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await GuideScope.LoadAsync(db, guideId, cancellationToken);
        var task = await db.CareTasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken)
            ?? throw new DomainException(NotFound());
        if (task.GuideId != guideId)
            throw new DomainException(DomainError.Forbidden("care_task.not_yours", "This care task is another guide's (or nobody's yet)."));
        if (task.Status != CareTaskStatus.Pending) throw new DomainException(Closed());
        if (now >= task.DueAt)
            throw new DomainException(DomainError.Conflict("care_task.past_deadline", "The task's deadline has passed: it expires and can no longer be closed."));
        return task;
    }

    internal static async Task<CareTaskItem> ItemAsync(GuideDbContext db, Guid taskId, CancellationToken cancellationToken) =>
        (await ItemsAsync(db, new CareTaskFilter(null, TaskId: taskId), 0, 1, cancellationToken)).Single();

    /// <summary>The viewer's Active flag and the number of tasks <paramref name="tasks"/> means, in one statement (null: no such guide).</summary>
    internal static async Task<CareTaskHead?> HeadAsync(GuideDbContext db, Guid viewerId, CareTaskFilter tasks, CancellationToken cancellationToken) =>
        await CareTaskQueries.Of(db).Head(db, viewerId, tasks.TaskId, tasks.GuideId, tasks.UnassignedOnly, tasks.Stores is null,
            tasks.Stores ?? CareTaskFilter.NoStores, tasks.Status, tasks.PlanId, tasks.DueBefore);

    /// <summary>A page of the tasks <paramref name="tasks"/> means, whose total is known (counted by <see cref="HeadAsync"/>); no page query past the last.</summary>
    internal static async Task<Page<CareTaskItem>> PageAsync(GuideDbContext db, CareTaskFilter tasks, int total, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var (number, size) = Paging.Normalize(page, pageSize);
        var skip = (number - 1) * size;
        var items = skip >= total ? [] : await ItemsAsync(db, tasks, skip, size, cancellationToken);
        return new Page<CareTaskItem>(items, number, size, total);
    }

    private static async Task<IReadOnlyList<CareTaskItem>> ItemsAsync(GuideDbContext db, CareTaskFilter tasks, int skip, int take,
        CancellationToken cancellationToken)
    {
        var items = new List<CareTaskItem>(take);
        await foreach (var r in CareTaskQueries.Of(db).Items(db, tasks.TaskId, tasks.GuideId, tasks.UnassignedOnly, tasks.Stores is null,
                           tasks.Stores ?? CareTaskFilter.NoStores, tasks.Status, tasks.PlanId, tasks.DueBefore, skip, take).WithCancellation(cancellationToken))
        {
            var t = r.Task;
            var snippet = new CareMemberSnippet(t.MemberId, r.Nickname, Members.Member.MaskPhone(r.Phone), r.Level, r.LevelName, r.Points ?? 0,
                r.Principal ?? 0, r.Gift ?? 0, r.LastSaleAt, r.LastSaleAmount, r.Birthday);
            items.Add(new CareTaskItem(t.Id, t.PlanId, r.PlanName, r.Channel, t.Period, t.GuideId, t.StoreId, t.IssuedAt, t.DueAt, t.Status,
                t.UrgedAt, t.UrgeCount, t.ClosedAt, t.Outcome, t.CompletedChannel, t.Note, snippet, FillScript(r.Script, snippet)));
        }
        return items;
    }

    internal sealed record CareTaskRow(CareTask Task, string PlanName, CareChannel Channel, string Script, string? Nickname, string? Phone,
        int Level, DateOnly? Birthday, string? LevelName, long? Points, long? Principal, long? Gift, DateTimeOffset? LastSaleAt,
        long? LastSaleAmount);

    /// <summary>The script with {name} (nickname), {level} (the level's name, empty without one), {points} and {birthday} (M月d日) filled in.</summary>
    public static string FillScript(string script, CareMemberSnippet member) =>
        script.Replace("{name}", member.Nickname ?? "", StringComparison.Ordinal)
            .Replace("{level}", member.LevelName ?? "", StringComparison.Ordinal)
            .Replace("{points}", member.Points.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{birthday}", member.Birthday is { } b ? b.ToString("M月d日", CultureInfo.InvariantCulture) : "", StringComparison.Ordinal);
}

/// <summary>
/// The two statements of every care task list, compiled once per model (EF binds a compiled query to the model it first ran with):
/// a list is read on every visit to the workbench, and building its LINQ tree again for each request (EF's parameter extraction
/// and cache look-up) was a fifth of the API's CPU for a page (issue 19's profile). The task filter is the same in both
/// (<see cref="CareTaskFilter"/>: a null or false argument does not filter; EF drops the null checks from the SQL it sends).
/// </summary>
internal sealed class CareTaskQueries
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, CareTaskQueries> PerModel = new();

    public static CareTaskQueries Of(GuideDbContext db) => PerModel.GetValue(db.Model, _ => new CareTaskQueries());

        public readonly Func<GuideDbContext, Guid, Guid?, Guid?, bool, bool, List<Guid>, CareTaskStatus?, Guid?, DateTimeOffset?, Task<CareTaskHead?>> Head =
            EF.CompileAsyncQuery((GuideDbContext db, Guid viewerId, Guid? taskId, Guid? guideId, bool unassignedOnly, bool anyStore, List<Guid> stores,
                    CareTaskStatus? status, Guid? planId, DateTimeOffset? dueBefore) =>
                db.Guides.AsNoTracking().Where(g => g.Id == viewerId).Select(g => new CareTaskHead(g.Active, db.CareTasks.Count(t =>
                    (taskId == null || t.Id == taskId) && (guideId == null || t.GuideId == guideId) && (!unassignedOnly || t.GuideId == null)
                    && (anyStore || (t.StoreId != null && stores.Contains(t.StoreId.Value))) && (status == null || t.Status == status)
                    && (planId == null || t.PlanId == planId) && (dueBefore == null || t.DueAt <= dueBefore)))).SingleOrDefault());

        /// <summary>
        /// The tasks in the guides' order (urged first, the latest urge first: a null urge sorts last in a descending order on both
        /// providers; then the soonest due, then id: the (GuideId, Status, UrgedAt, DueAt, Id) index hands a guide's page over in that
        /// order), each with its plan and its member's snippet: the level, points account and wallet are left joins on their unique keys
        /// (a level by rank, the others by member id); the last paid sale is two scalar subqueries on the member id index (a
        /// <c>FirstOrDefault</c> of a pair would make EF rank every sale of every member).
        /// </summary>
        public readonly Func<GuideDbContext, Guid?, Guid?, bool, bool, List<Guid>, CareTaskStatus?, Guid?, DateTimeOffset?, int, int, IAsyncEnumerable<CareTaskRules.CareTaskRow>> Items =
            EF.CompileAsyncQuery((GuideDbContext db, Guid? taskId, Guid? guideId, bool unassignedOnly, bool anyStore, List<Guid> stores,
                    CareTaskStatus? status, Guid? planId, DateTimeOffset? dueBefore, int skip, int take) =>
                from t in db.CareTasks.AsNoTracking().Where(t =>
                        (taskId == null || t.Id == taskId) && (guideId == null || t.GuideId == guideId) && (!unassignedOnly || t.GuideId == null)
                        && (anyStore || (t.StoreId != null && stores.Contains(t.StoreId.Value))) && (status == null || t.Status == status)
                        && (planId == null || t.PlanId == planId) && (dueBefore == null || t.DueAt <= dueBefore))
                    .OrderByDescending(t => t.UrgedAt).ThenBy(t => t.DueAt).ThenBy(t => t.Id).Skip(skip).Take(take)
                join p in db.CarePlans on t.PlanId equals p.Id
                join m in db.Members on t.MemberId equals m.Id
                from l in db.MemberLevels.Where(l => l.Rank == m.Level).DefaultIfEmpty()
                from a in db.PointsAccounts.Where(a => a.MemberId == m.Id).DefaultIfEmpty()
                from w in db.Wallets.Where(w => w.MemberId == m.Id).DefaultIfEmpty()
                orderby t.UrgedAt descending, t.DueAt, t.Id
                select new CareTaskRules.CareTaskRow(t, p.Name, p.Channel, p.Script, m.Nickname, m.Phone, m.Level, m.Birthday,
                    l == null ? null : l.Name,
                    a == null ? null : a.Balance,
                    w == null ? null : w.Principal,
                    w == null ? null : w.Gift,
                    // The latest paid sale (the member id index finds their documents); the larger amount when two share the instant.
                    db.SalesDocuments.Where(d => d.MemberId == m.Id && d.Kind == DocumentKind.Sale)
                        .OrderByDescending(d => d.DocumentTime).ThenByDescending(d => d.TotalPaid)
                        .Select(d => (DateTimeOffset?)d.DocumentTime).FirstOrDefault(),
                    db.SalesDocuments.Where(d => d.MemberId == m.Id && d.Kind == DocumentKind.Sale)
                        .OrderByDescending(d => d.DocumentTime).ThenByDescending(d => d.TotalPaid)
                        .Select(d => (long?)d.TotalPaid).FirstOrDefault()));
}
