using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

/// <summary>
/// Who acts on care plans: HQ (<see cref="ManagerId"/> null: every plan, all stores) or a store or area manager
/// (their own plans; the plans of others that reach their stores, read-only).
/// </summary>
public sealed record CarePlanActor(Guid? ManagerId)
{
    public static readonly CarePlanActor Hq = new((Guid?)null);

    public static CarePlanActor Manager(Guid guideId) => new(guideId);
}

/// <summary>
/// A plan as its reader sees it. <see cref="ReadOnly"/>: a manager's view of HQ's plan or another manager's (HQ: never).
/// <see cref="IssueTime"/> is brand time <c>HH:mm</c>; <see cref="ListMembers"/> counts an imported list's members (other kinds: 0).
/// </summary>
public sealed record CarePlanView(Guid Id, string Name, CarePlanOwner Owner, Guid? OwnerGuideId, CareTargetKind TargetKind, int? TargetDays,
    long? TargetAmount, int? TargetCount, IReadOnlyList<int> Levels, IReadOnlyList<Guid> StoreIds, CareSchedule Schedule, DateOnly StartsOn,
    DateOnly? EndsOn, int? MonthDay, string IssueTime, int DeadlineDays, string Script, CareGiftKind? GiftKind, string? GiftReference,
    long? GiftPoints, CareChannel Channel, bool Paused, int ListMembers, bool ReadOnly, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal static CarePlanView Of(CarePlan p, int listMembers, bool readOnly) =>
        new(p.Id, p.Name, p.Owner, p.OwnerGuideId, p.TargetKind, p.TargetDays, p.TargetAmount, p.TargetCount, p.LevelFilter, p.StoreFilter,
            p.Schedule, p.StartsOn, p.EndsOn, p.MonthDay, p.IssueTime.ToString("HH:mm", CultureInfo.InvariantCulture), p.DeadlineDays, p.Script,
            p.GiftKind, p.GiftReference, p.GiftPoints, p.Channel, p.Paused, listMembers, readOnly, p.CreatedAt, p.UpdatedAt);
}

/// <summary>
/// Everything a plan states, as create and update (a PUT: every term replaced) send it. Numbers of the target per kind
/// (docs/decisions/0002): birthday_within_days targetDays 0-365; no_purchase_for_days targetDays 1-3650; spent_at_least
/// targetAmount (fen) 1-10,000,000,000 and targetDays 1-3650; purchases_at_least targetCount 1-10,000 and targetDays 1-3650;
/// days_after_purchase targetDays 1-3650; the other kinds take none. Pausing is its own action (pause / resume).
/// </summary>
public sealed record CarePlanTerms(string? Name, CareTargetKind? TargetKind, int? TargetDays, long? TargetAmount, int? TargetCount,
    IReadOnlyList<int>? Levels, IReadOnlyList<Guid>? StoreIds, CareSchedule? Schedule, DateOnly? StartsOn, DateOnly? EndsOn, int? MonthDay,
    string? IssueTime, int? DeadlineDays, string? Script, CareGiftKind? GiftKind, string? GiftReference, long? GiftPoints, CareChannel? Channel);

public static class CarePlanRules
{
    public const int MaxLevels = 40;
    /// <summary>The store filter's column holds about 540 ids; 500 is the brand's store count with room to spare.</summary>
    public const int MaxStores = 500;
    public const long MaxTargetAmount = 10_000_000_000;
    public const int MaxTargetCount = 10_000;
    public const int MaxDeadlineDays = 90;
    public const long MaxGiftPoints = 1_000_000;
    public static readonly IReadOnlyList<string> Placeholders = ["{name}", "{level}", "{points}", "{birthday}"];

    private static readonly Regex Braced = new(@"\{[^{}]*\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The kinds' days: (min, max), or null for a kind that takes no days.</summary>
    public static (int Min, int Max)? DaysOf(CareTargetKind kind) => kind switch
    {
        CareTargetKind.BirthdayWithinDays => (0, 365),
        CareTargetKind.NoPurchaseForDays or CareTargetKind.SpentAtLeast or CareTargetKind.PurchasesAtLeast or CareTargetKind.DaysAfterPurchase => (1, 3650),
        _ => null,
    };

    public static bool TakesAmount(CareTargetKind kind) => kind == CareTargetKind.SpentAtLeast;

    public static bool TakesCount(CareTargetKind kind) => kind == CareTargetKind.PurchasesAtLeast;

    /// <summary>"HH:mm" (24-hour, two digits each), or null when the text is not a time of day.</summary>
    public static TimeOnly? ParseTime(string? text) =>
        text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    /// <summary>The braced words of a script that are not one of the four placeholders ({name} {level} {points} {birthday}).</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string script) =>
        Braced.Matches(script).Select(m => m.Value).Where(p => !Placeholders.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();

    internal static DomainException NotFound() => new(DomainError.NotFound("care_plan.not_found", "No such care plan (or it was deleted, or it does not reach your stores)."));

    internal static DomainException ReadOnly() =>
        new(DomainError.Forbidden("care_plan.read_only", "This plan is HQ's or another manager's: you see it, only its owner changes it."));

}

public sealed class CarePlanTermsValidator : AbstractValidator<CarePlanTerms>
{
    public CarePlanTermsValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("A plan has a name.")
            .Must(n => n is null || n.Trim().Length <= CarePlan.NameMaxLength).WithMessage($"A name has at most {CarePlan.NameMaxLength} characters.");
        RuleFor(x => x.TargetKind).NotNull().WithMessage("A plan has a targetKind.").IsInEnum();

        RuleFor(x => x.TargetDays).NotNull().When(x => x.TargetKind is { } k && CarePlanRules.DaysOf(k) is not null)
            .WithMessage(x => $"A {Snake(x.TargetKind)} plan has targetDays.");
        RuleFor(x => x.TargetDays).Must((x, d) => d >= CarePlanRules.DaysOf(x.TargetKind!.Value)!.Value.Min && d <= CarePlanRules.DaysOf(x.TargetKind!.Value)!.Value.Max)
            .When(x => x.TargetDays is not null && x.TargetKind is { } k && CarePlanRules.DaysOf(k) is not null)
            .WithMessage(x => $"targetDays of a {Snake(x.TargetKind)} plan is {CarePlanRules.DaysOf(x.TargetKind!.Value)!.Value.Min} to {CarePlanRules.DaysOf(x.TargetKind!.Value)!.Value.Max}.");
        RuleFor(x => x.TargetDays).Null().When(x => x.TargetKind is { } k && CarePlanRules.DaysOf(k) is null)
            .WithMessage(x => $"A {Snake(x.TargetKind)} plan takes no targetDays.");

        RuleFor(x => x.TargetAmount).NotNull().When(x => x.TargetKind is { } k && CarePlanRules.TakesAmount(k))
            .WithMessage("A spent_at_least plan has targetAmount (fen).");
        RuleFor(x => x.TargetAmount).InclusiveBetween(1, CarePlanRules.MaxTargetAmount)
            .When(x => x.TargetAmount is not null && x.TargetKind is { } k && CarePlanRules.TakesAmount(k))
            .WithMessage($"targetAmount is 1 to {CarePlanRules.MaxTargetAmount} fen.");
        RuleFor(x => x.TargetAmount).Null().When(x => x.TargetKind is { } k && !CarePlanRules.TakesAmount(k))
            .WithMessage(x => $"A {Snake(x.TargetKind)} plan takes no targetAmount.");

        RuleFor(x => x.TargetCount).NotNull().When(x => x.TargetKind is { } k && CarePlanRules.TakesCount(k))
            .WithMessage("A purchases_at_least plan has targetCount.");
        RuleFor(x => x.TargetCount).InclusiveBetween(1, CarePlanRules.MaxTargetCount)
            .When(x => x.TargetCount is not null && x.TargetKind is { } k && CarePlanRules.TakesCount(k))
            .WithMessage($"targetCount is 1 to {CarePlanRules.MaxTargetCount} purchases.");
        RuleFor(x => x.TargetCount).Null().When(x => x.TargetKind is { } k && !CarePlanRules.TakesCount(k))
            .WithMessage(x => $"A {Snake(x.TargetKind)} plan takes no targetCount.");

        RuleFor(x => x.Levels).Must(l => l is null || (l.Count <= CarePlanRules.MaxLevels && l.All(r => r is >= 0 and <= Levels.MemberLevel.MaxRank)))
            .WithMessage($"levels: at most {CarePlanRules.MaxLevels} member level ranks, each 0 (no level) to {Levels.MemberLevel.MaxRank}.");
        RuleFor(x => x.StoreIds).Must(s => s is null || s.Distinct().Count() <= CarePlanRules.MaxStores)
            .WithMessage($"storeIds: at most {CarePlanRules.MaxStores} stores.");

        RuleFor(x => x.Schedule).NotNull().WithMessage("A plan has a schedule: once, daily or monthly.").IsInEnum();
        RuleFor(x => x.StartsOn).NotNull().When(x => x.Schedule == CareSchedule.Once).WithMessage("A once plan has startsOn (the day it issues).");
        RuleFor(x => x.StartsOn).GreaterThanOrEqualTo(new DateOnly(2000, 1, 1)).When(x => x.StartsOn is not null).WithMessage("Dates are from 2000-01-01 on.");
        RuleFor(x => x.EndsOn).Null().When(x => x.Schedule == CareSchedule.Once).WithMessage("A once plan issues on startsOn only: it takes no endsOn.");
        RuleFor(x => x.EndsOn).GreaterThanOrEqualTo(x => x.StartsOn).When(x => x.EndsOn is not null && x.StartsOn is not null)
            .WithMessage("endsOn (the last day, inclusive) is not before startsOn.");
        RuleFor(x => x.MonthDay).NotNull().When(x => x.Schedule == CareSchedule.Monthly).WithMessage("A monthly plan has monthDay (1-31).");
        RuleFor(x => x.MonthDay).InclusiveBetween(1, 31).When(x => x.MonthDay is not null && x.Schedule == CareSchedule.Monthly)
            .WithMessage("monthDay is 1 to 31 (a month without that day issues on its last day).");
        RuleFor(x => x.MonthDay).Null().When(x => x.Schedule is CareSchedule.Once or CareSchedule.Daily).WithMessage("Only a monthly plan takes monthDay.");

        RuleFor(x => x.IssueTime).Must(t => CarePlanRules.ParseTime(t) is not null).WithMessage("issueTime is a brand time of day, HH:mm (07:00 to 23:00).");
        RuleFor(x => x.DeadlineDays).NotNull().WithMessage("A plan has deadlineDays (1-90).")
            .InclusiveBetween(1, CarePlanRules.MaxDeadlineDays).WithMessage("deadlineDays is 1 to 90.");
        RuleFor(x => x.Script).Must(s => s is null || s.Length <= CarePlan.ScriptMaxLength).WithMessage($"A script has at most {CarePlan.ScriptMaxLength} characters.");

        RuleFor(x => x.GiftReference).Must(r => !string.IsNullOrWhiteSpace(r)).When(x => x.GiftKind == CareGiftKind.Coupon)
            .WithMessage("A coupon gift names its coupon (giftReference).")
            .Must(r => r is null || r.Trim().Length <= CarePlan.GiftReferenceMaxLength).WithMessage($"giftReference has at most {CarePlan.GiftReferenceMaxLength} characters.");
        RuleFor(x => x.GiftReference).Null().When(x => x.GiftKind != CareGiftKind.Coupon).WithMessage("Only a coupon gift takes giftReference.");
        RuleFor(x => x.GiftPoints).NotNull().When(x => x.GiftKind == CareGiftKind.Points).WithMessage("A points gift has giftPoints.")
            .InclusiveBetween(1, CarePlanRules.MaxGiftPoints).When(x => x.GiftKind == CareGiftKind.Points && x.GiftPoints is not null)
            .WithMessage($"giftPoints is 1 to {CarePlanRules.MaxGiftPoints}.");
        RuleFor(x => x.GiftPoints).Null().When(x => x.GiftKind != CareGiftKind.Points).WithMessage("Only a points gift takes giftPoints.");
        RuleFor(x => x.GiftKind).IsInEnum().When(x => x.GiftKind is not null);
        RuleFor(x => x.Channel).NotNull().WithMessage("A plan has a channel: we_com_chat, phone or visit.").IsInEnum();
    }

    private static string Snake(CareTargetKind? kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind?.ToString() ?? "");
}

public sealed record CreateCarePlan(CarePlanActor Actor, CarePlanTerms Terms) : ICommand<CarePlanView>;

/// <summary>A command's terms, validated with the fields named as the client sent them (<c>targetDays</c>, not <c>terms.targetDays</c>).</summary>
public abstract class CarePlanCommandValidator<T>(Func<T, CarePlanTerms> terms) : AbstractValidator<T>
{
    private static readonly CarePlanTermsValidator Terms = new();

    public override FluentValidation.Results.ValidationResult Validate(ValidationContext<T> context) =>
        Terms.Validate(terms(context.InstanceToValidate));

    public override Task<FluentValidation.Results.ValidationResult> ValidateAsync(ValidationContext<T> context, CancellationToken cancellation = default) =>
        Terms.ValidateAsync(terms(context.InstanceToValidate), cancellation);
}

public sealed class CreateCarePlanValidator() : CarePlanCommandValidator<CreateCarePlan>(x => x.Terms);

public sealed record UpdateCarePlan(CarePlanActor Actor, Guid PlanId, CarePlanTerms Terms) : ICommand<CarePlanView>;

public sealed class UpdateCarePlanValidator() : CarePlanCommandValidator<UpdateCarePlan>(x => x.Terms);

/// <summary>Deletes a plan (marked <see cref="CarePlan.DeletedAt"/>: it issues nothing more; its tasks and list stay).</summary>
public sealed record DeleteCarePlan(CarePlanActor Actor, Guid PlanId) : ICommand<Unit>;

/// <summary>The pause switch: a paused plan issues nothing until resumed; its tasks stay.</summary>
public sealed record PauseCarePlan(CarePlanActor Actor, Guid PlanId, bool Paused) : ICommand<CarePlanView>;

public sealed record GetCarePlan(CarePlanActor Actor, Guid PlanId) : IRequest<CarePlanView>;

/// <summary>
/// Plans, newest first (paged). HQ: every plan. A manager: their own and those of HQ and other managers that reach one of
/// their stores (an HQ plan without a store filter reaches every store), the latter read-only.
/// </summary>
public sealed record ListCarePlans(CarePlanActor Actor, CarePlanOwner? Owner, Guid? OwnerGuideId, bool? Paused, int? Page, int? PageSize)
    : IRequest<Page<CarePlanView>>;

/// <summary>The plans an actor may see and what they may change: one place for every handler.</summary>
internal sealed class CarePlanAccess(GuideDbContext db)
{
    /// <summary>The manager's scope (null for HQ); a plain guide is refused.</summary>
    public async Task<GuideScope?> ScopeAsync(CarePlanActor actor, CancellationToken cancellationToken)
    {
        if (actor.ManagerId is not { } id) return null;
        return await GuideScope.LoadManagerAsync(db, id, cancellationToken);
    }

    public static bool Reaches(CarePlan plan, GuideScope scope) =>
        plan.OwnerGuideId == scope.GuideId
        || (plan.Owner == CarePlanOwner.Hq && plan.StoreFilterText.Length == 0)
        || plan.StoreFilter.Any(scope.StoreIds.Contains);

    public static bool IsReadOnly(CarePlan plan, GuideScope? scope) => scope is not null && plan.OwnerGuideId != scope.GuideId;

    /// <summary>A live plan the actor sees (else care_plan.not_found); <paramref name="forChange"/>: and may change (else care_plan.read_only).</summary>
    public async Task<(CarePlan Plan, GuideScope? Scope)> LoadAsync(CarePlanActor actor, Guid planId, bool forChange, bool tracked, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(actor, cancellationToken);
        var plans = tracked ? db.CarePlans : db.CarePlans.AsNoTracking();
        var plan = await plans.SingleOrDefaultAsync(p => p.Id == planId && p.DeletedAt == null, cancellationToken);
        if (plan is null || (scope is not null && !Reaches(plan, scope))) throw CarePlanRules.NotFound();
        if (forChange && IsReadOnly(plan, scope)) throw CarePlanRules.ReadOnly();
        return (plan, scope);
    }

    public async Task<int> ListMembersAsync(CarePlan plan, CancellationToken cancellationToken) =>
        plan.TargetKind == CareTargetKind.ImportedList ? await db.CarePlanListMembers.CountAsync(m => m.PlanId == plan.Id, cancellationToken) : 0;
}

/// <summary>Applies validated terms to a plan: the rules that need the database (levels, stores, scope) and the two own codes.</summary>
internal sealed class CarePlanWriter(GuideDbContext db, BrandClock clock)
{
    public async Task ApplyAsync(CarePlan plan, CarePlanTerms t, GuideScope? scope, bool creating, CancellationToken cancellationToken)
    {
        var issueTime = CarePlanRules.ParseTime(t.IssueTime)!.Value;
        if (issueTime < CarePlan.EarliestIssueTime || issueTime > CarePlan.LatestIssueTime)
            throw new DomainException(new DomainError("care_plan.issue_time_out_of_range",
                $"issueTime {t.IssueTime} is outside 07:00-23:00 brand time: tasks are issued in the day.")
            {
                Details = new Dictionary<string, object?> { ["earliest"] = "07:00", ["latest"] = "23:00" },
            });
        var script = t.Script ?? "";
        if (CarePlanRules.UnknownPlaceholders(script) is { Count: > 0 } unknown)
            throw new DomainException(new DomainError("care_plan.unknown_placeholder",
                $"The script names {string.Join(", ", unknown)}: the placeholders are {string.Join(" ", CarePlanRules.Placeholders)}.")
            {
                Details = new Dictionary<string, object?> { ["placeholders"] = unknown, ["allowed"] = CarePlanRules.Placeholders },
            });

        var today = DateOnly.FromDateTime(clock.ToBrandTime(clock.UtcNow).DateTime);
        var startsOn = t.StartsOn ?? (creating ? today : plan.StartsOn);
        // A start in the past would have the generation catch up on days nobody planned; an existing plan may keep its own.
        if (startsOn < today && (creating || startsOn != plan.StartsOn))
            throw new RequestValidationException([new FieldError("startsOn", $"startsOn is today ({today:yyyy-MM-dd}) or later.")]);
        if (t.EndsOn is { } endsOn && endsOn < startsOn)
            throw new RequestValidationException([new FieldError("endsOn", "endsOn (the last day, inclusive) is not before startsOn.")]);

        var levels = (t.Levels ?? []).Distinct().ToList();
        var ranks = levels.Where(r => r > 0).ToList();
        if (ranks.Count > 0)
        {
            var known = await db.MemberLevels.AsNoTracking().Where(l => ranks.Contains(l.Rank)).Select(l => l.Rank).ToListAsync(cancellationToken);
            if (ranks.Except(known).ToList() is { Count: > 0 } missing)
                throw new RequestValidationException([new FieldError("levels", $"No member level has rank {string.Join(", ", missing.Order())}.")]);
        }

        var stores = (t.StoreIds ?? []).Distinct().ToList();
        if (stores.Count > 0)
        {
            var existing = await db.Stores.AsNoTracking().Where(s => stores.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            if (stores.Except(existing).ToList() is { Count: > 0 } missing)
                throw new DomainException(DomainError.NotFound("store.not_found", $"No store has id {missing[0]}.") with
                {
                    Details = new Dictionary<string, object?> { ["storeIds"] = missing },
                });
        }
        if (scope is not null)
        {
            if (stores.Where(s => !scope.Covers(s)).ToList() is { Count: > 0 } outside)
                throw new DomainException(DomainError.Forbidden("care_plan.outside_scope",
                    "A manager's plan reaches only the stores they manage (a store manager: their store; an area manager: their areas' stores).") with
                {
                    Details = new Dictionary<string, object?> { ["storeIds"] = outside },
                });
            // Saved as the scope's stores, so the plan's reach does not grow when the manager's scope does.
            if (stores.Count == 0) stores = scope.StoreIds.ToList();
            if (stores.Count > CarePlanRules.MaxStores)
                throw new RequestValidationException([new FieldError("storeIds", $"Your scope has more than {CarePlanRules.MaxStores} stores: name the stores.")]);
        }
        else if (stores.Count == 0 && plan.Owner == CarePlanOwner.Manager)
            throw new RequestValidationException([new FieldError("storeIds", "A manager's plan names its stores (an empty filter would reach every store).")]);

        plan.Name = t.Name!.Trim();
        plan.TargetKind = t.TargetKind!.Value;
        plan.TargetDays = t.TargetDays;
        plan.TargetAmount = t.TargetAmount;
        plan.TargetCount = t.TargetCount;
        plan.Filter(levels, stores);
        plan.Schedule = t.Schedule!.Value;
        plan.StartsOn = startsOn;
        plan.EndsOn = t.EndsOn;
        plan.MonthDay = t.MonthDay;
        plan.IssueTime = issueTime;
        plan.DeadlineDays = t.DeadlineDays!.Value;
        plan.Script = script;
        plan.GiftKind = t.GiftKind;
        plan.GiftReference = t.GiftKind == CareGiftKind.Coupon ? t.GiftReference!.Trim() : null;
        plan.GiftPoints = t.GiftKind == CareGiftKind.Points ? t.GiftPoints : null;
        plan.Channel = t.Channel!.Value;
        plan.UpdatedAt = clock.UtcNow;
    }
}

public sealed class CreateCarePlanHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CreateCarePlan, CarePlanView>
{
    public async Task<CarePlanView> Handle(CreateCarePlan request, CancellationToken cancellationToken)
    {
        var scope = await new CarePlanAccess(db).ScopeAsync(request.Actor, cancellationToken);
        var plan = scope is null
            ? new CarePlan(request.Terms.Name!.Trim(), CarePlanOwner.Hq, null, clock.UtcNow)
            : new CarePlan(request.Terms.Name!.Trim(), CarePlanOwner.Manager, scope.GuideId, clock.UtcNow);
        await new CarePlanWriter(db, clock).ApplyAsync(plan, request.Terms, scope, creating: true, cancellationToken);
        db.CarePlans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return CarePlanView.Of(plan, 0, readOnly: false);
    }
}

public sealed class UpdateCarePlanHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateCarePlan, CarePlanView>
{
    public async Task<CarePlanView> Handle(UpdateCarePlan request, CancellationToken cancellationToken)
    {
        var access = new CarePlanAccess(db);
        var (plan, scope) = await access.LoadAsync(request.Actor, request.PlanId, forChange: true, tracked: true, cancellationToken);
        await new CarePlanWriter(db, clock).ApplyAsync(plan, request.Terms, scope, creating: false, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return CarePlanView.Of(plan, await access.ListMembersAsync(plan, cancellationToken), readOnly: false);
    }
}

public sealed class DeleteCarePlanHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<DeleteCarePlan, Unit>
{
    public async Task<Unit> Handle(DeleteCarePlan request, CancellationToken cancellationToken)
    {
        var (plan, _) = await new CarePlanAccess(db).LoadAsync(request.Actor, request.PlanId, forChange: true, tracked: true, cancellationToken);
        plan.DeletedAt = clock.UtcNow;
        plan.UpdatedAt = plan.DeletedAt.Value;
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

public sealed class PauseCarePlanHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<PauseCarePlan, CarePlanView>
{
    public async Task<CarePlanView> Handle(PauseCarePlan request, CancellationToken cancellationToken)
    {
        var access = new CarePlanAccess(db);
        var (plan, _) = await access.LoadAsync(request.Actor, request.PlanId, forChange: true, tracked: true, cancellationToken);
        if (plan.Paused != request.Paused)
        {
            plan.Paused = request.Paused;
            plan.UpdatedAt = clock.UtcNow;
            await db.SaveChangesAsync(cancellationToken);
        }
        return CarePlanView.Of(plan, await access.ListMembersAsync(plan, cancellationToken), readOnly: false);
    }
}

public sealed class GetCarePlanHandler(GuideDbContext db) : IRequestHandler<GetCarePlan, CarePlanView>
{
    public async Task<CarePlanView> Handle(GetCarePlan request, CancellationToken cancellationToken)
    {
        var access = new CarePlanAccess(db);
        var (plan, scope) = await access.LoadAsync(request.Actor, request.PlanId, forChange: false, tracked: false, cancellationToken);
        return CarePlanView.Of(plan, await access.ListMembersAsync(plan, cancellationToken), CarePlanAccess.IsReadOnly(plan, scope));
    }
}

public sealed class ListCarePlansHandler(GuideDbContext db) : IRequestHandler<ListCarePlans, Page<CarePlanView>>
{
    public async Task<Page<CarePlanView>> Handle(ListCarePlans request, CancellationToken cancellationToken)
    {
        var scope = await new CarePlanAccess(db).ScopeAsync(request.Actor, cancellationToken);
        var query = db.CarePlans.AsNoTracking().Where(p => p.DeletedAt == null);
        if (request.Owner is { } owner) query = query.Where(p => p.Owner == owner);
        if (request.OwnerGuideId is { } ownerGuideId) query = query.Where(p => p.OwnerGuideId == ownerGuideId);
        if (request.Paused is { } paused) query = query.Where(p => p.Paused == paused);

        var (number, size) = Paging.Normalize(request.Page, request.PageSize);
        List<CarePlan> items;
        int total;
        if (scope is null)
        {
            var ordered = query.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id);
            total = await ordered.CountAsync(cancellationToken);
            items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        }
        else
        {
            // Which plans reach the manager's stores is read from the store filter's text: plans are few (hundreds), so the
            // live ones' ids and filters are read and matched here, and only the page's plans are loaded whole.
            var heads = await query.Select(p => new { p.Id, p.Owner, p.OwnerGuideId, p.StoreFilterText, p.CreatedAt }).ToListAsync(cancellationToken);
            var stores = scope.StoreIds.Select(s => s.ToString("D")).ToHashSet(StringComparer.Ordinal);
            var visible = heads.Where(h => h.OwnerGuideId == scope.GuideId
                    || (h.Owner == CarePlanOwner.Hq && h.StoreFilterText.Length == 0)
                    || h.StoreFilterText.Split(';', StringSplitOptions.RemoveEmptyEntries).Any(stores.Contains))
                .OrderByDescending(h => h.CreatedAt).ThenBy(h => h.Id).ToList();
            total = visible.Count;
            var ids = visible.Skip((number - 1) * size).Take(size).Select(h => h.Id).ToList();
            var loaded = await db.CarePlans.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
            items = ids.Select(id => loaded[id]).ToList();
        }

        var listIds = items.Where(p => p.TargetKind == CareTargetKind.ImportedList).Select(p => p.Id).ToList();
        var counts = listIds.Count == 0
            ? new Dictionary<Guid, int>()
            : await db.CarePlanListMembers.AsNoTracking().Where(m => listIds.Contains(m.PlanId)).GroupBy(m => m.PlanId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var views = items.Select(p => CarePlanView.Of(p, counts.GetValueOrDefault(p.Id), CarePlanAccess.IsReadOnly(p, scope))).ToList();
        return new Page<CarePlanView>(views, number, size, total);
    }
}
