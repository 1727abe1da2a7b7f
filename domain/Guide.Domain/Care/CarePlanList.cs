using Guide.Domain.Members;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

/// <summary>
/// The members of an imported_list plan from CSV (UTF-8, BOM and CRLF allowed): a header row with a column <c>phone</c>
/// (an 11-digit mainland mobile) or <c>member_id</c> (also <c>memberId</c>), other columns ignored. Every line is checked
/// first: an unknown member, a malformed phone or id, a member named twice, a member outside a manager's stores: each is
/// reported with its line number and nothing is written. A good file replaces the plan's whole list. A phone several
/// members share picks the earliest registered, as the POS lookup does.
/// </summary>
public sealed record ImportCarePlanList(CarePlanActor Actor, Guid PlanId, byte[] Csv) : ICommand<CarePlanListImported>
{
    public const int MaxMembers = 100_000;
    /// <summary>The endpoints refuse a larger body before reading it (request.too_large).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;
}

public sealed record CarePlanListImported(Guid PlanId, int Members);

public sealed class ImportCarePlanListHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ImportCarePlanList, CarePlanListImported>
{
    public async Task<CarePlanListImported> Handle(ImportCarePlanList request, CancellationToken cancellationToken)
    {
        // The plan's row is locked first (InnoDB: an exclusive row lock to commit; SQLite: the write lock), so two imports of
        // one list, or an import and a change of the plan, run one after the other and the list is one file's members.
        await db.CarePlans.Where(p => p.Id == request.PlanId && p.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, clock.UtcNow), cancellationToken);
        var (plan, scope) = await new CarePlanAccess(db).LoadAsync(request.Actor, request.PlanId, forChange: true, tracked: false, cancellationToken);
        if (plan.TargetKind != CareTargetKind.ImportedList)
            throw new DomainException(DomainError.Conflict("care_plan.not_a_list_plan",
                "Only an imported_list plan takes a list of members; this plan selects its members by its target."));

        var listed = await MemberListCsv.ReadAsync(db, request.Csv, ImportCarePlanList.MaxMembers, "care_plan.bad_list",
            scope is null ? null : store => scope.Covers(store), cancellationToken);

        await db.CarePlanListMembers.Where(m => m.PlanId == plan.Id).ExecuteDeleteAsync(cancellationToken);
        db.CarePlanListMembers.AddRange(listed.Select(m => new CarePlanListMember(plan.Id, m.Id, m.Line)));
        await db.SaveChangesAsync(cancellationToken);
        return new CarePlanListImported(plan.Id, listed.Count);
    }
}
