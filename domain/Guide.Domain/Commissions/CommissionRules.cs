using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Commissions;

/// <summary>A commission rule as HQ sees it; <see cref="ScopeValue"/> is null for the default rule.</summary>
public sealed record CommissionRuleView(Guid Id, CommissionScope Scope, string? ScopeValue, CommissionMethod Method, long Value, DateOnly EffectiveFrom,
    DateOnly? EffectiveTo, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal static CommissionRuleView Of(CommissionRule r) =>
        new(r.Id, r.Scope, r.Scope == CommissionScope.Default ? null : r.ScopeValue, r.Method, r.Value, r.EffectiveFrom, r.EffectiveTo, r.CreatedAt, r.UpdatedAt);
}

internal static class CommissionRuleErrors
{
    public static DomainException NotFound() => new(DomainError.NotFound("commission_rule.not_found", "No such commission rule (or it was deleted)."));

    public static DomainException Overlap(CommissionRule other) => new(new DomainError("commission_rule.overlap",
        $"Another live rule of this scope applies from {other.EffectiveFrom:yyyy-MM-dd} to {(other.EffectiveTo is { } to ? to.ToString("yyyy-MM-dd") : "no end")}: "
        + "end it before this one starts, or change it instead.", ErrorKind.Conflict)
    {
        Details = new Dictionary<string, object?> { ["ruleId"] = other.Id, ["effectiveFrom"] = other.EffectiveFrom, ["effectiveTo"] = other.EffectiveTo },
    });
}

/// <summary>
/// HQ creates (<see cref="RuleId"/> null, with <see cref="Scope"/> and <see cref="ScopeValue"/>) or changes a rule (its scope is
/// fixed). Two live rules of one scope and scope value never overlap in time.
/// </summary>
public sealed record SaveCommissionRule(Guid? RuleId, CommissionScope? Scope, string? ScopeValue, CommissionMethod? Method, long? Value,
    DateOnly? EffectiveFrom, DateOnly? EffectiveTo) : ICommand<CommissionRuleView>
{
    /// <summary>Brand dates from 2000 on: nothing of the brand's is older, and every database stores them alike.</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
}

public sealed class SaveCommissionRuleValidator : AbstractValidator<SaveCommissionRule>
{
    public SaveCommissionRuleValidator()
    {
        When(x => x.RuleId is null, () =>
        {
            RuleFor(x => x.Scope).NotNull().WithMessage("A rule has a scope: sku, product, category or default.").IsInEnum();
            RuleFor(x => x.ScopeValue).Must(v => !string.IsNullOrWhiteSpace(v)).When(x => x.Scope is not CommissionScope.Default)
                .WithMessage("A SKU, product or category rule names its SKU, product or category.")
                .Must(v => v is null || v.Trim().Length <= CommissionRule.ScopeValueMaxLength)
                .WithMessage($"The scope value has at most {CommissionRule.ScopeValueMaxLength} characters.");
            RuleFor(x => x.ScopeValue).Must(string.IsNullOrWhiteSpace).When(x => x.Scope is CommissionScope.Default)
                .WithMessage("The default rule applies to every line: it has no scope value.");
        });
        RuleFor(x => x.Method).NotNull().WithMessage("A rule has a method: rate or fixed_per_unit.").IsInEnum();
        RuleFor(x => x.Value).NotNull().WithMessage("A rule has a value: basis points for a rate, fen per unit for a fixed amount.");
        RuleFor(x => x.Value).InclusiveBetween(1, CommissionRule.MaxRateBasisPoints).When(x => x.Method is CommissionMethod.Rate && x.Value is not null)
            .WithMessage($"A rate is 1 to {CommissionRule.MaxRateBasisPoints} basis points (0.01 % to 100 %).");
        RuleFor(x => x.Value).InclusiveBetween(1, CommissionRule.MaxFixedPerUnit).When(x => x.Method is not CommissionMethod.Rate && x.Value is not null)
            .WithMessage($"A fixed amount is 1 to {CommissionRule.MaxFixedPerUnit} fen per unit.");
        RuleFor(x => x.EffectiveFrom).NotNull().WithMessage("A rule has the first brand date it applies (effectiveFrom).")
            .GreaterThanOrEqualTo(SaveCommissionRule.EarliestDate).WithMessage("Dates are from 2000-01-01 on.");
        RuleFor(x => x.EffectiveTo).GreaterThanOrEqualTo(x => x.EffectiveFrom)
            .When(x => x.EffectiveTo is not null && x.EffectiveFrom is not null)
            .WithMessage("effectiveTo (the last date the rule applies, inclusive) is not before effectiveFrom.");
    }
}

public sealed class SaveCommissionRuleHandler(GuideDbContext db, Transactions transactions, BrandClock clock)
    : IRequestHandler<SaveCommissionRule, CommissionRuleView>
{
    public async Task<CommissionRuleView> Handle(SaveCommissionRule r, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var (method, value, from, to) = (r.Method!.Value, r.Value!.Value, r.EffectiveFrom!.Value, r.EffectiveTo);
        await CommissionGate.LockAsync(db, transactions, cancellationToken);
        if (r.RuleId is { } id)
        {
            var rule = await db.CommissionRules.SingleOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, cancellationToken)
                ?? throw CommissionRuleErrors.NotFound();
            await RefuseOverlapAsync(rule.Scope, rule.ScopeValue, from, to, rule.Id, cancellationToken);
            rule.Change(method, value, from, to, now);
            return CommissionRuleView.Of(rule);
        }
        var scope = r.Scope!.Value;
        var scopeValue = scope == CommissionScope.Default ? "" : r.ScopeValue!.Trim();
        await RefuseOverlapAsync(scope, scopeValue, from, to, Guid.Empty, cancellationToken);
        var created = new CommissionRule(scope, scopeValue, method, value, from, to, now);
        db.CommissionRules.Add(created);
        return CommissionRuleView.Of(created);
    }

    /// <summary>Under the gate's exclusive lock: no other writer can add an overlapping rule before this one commits.</summary>
    private async Task RefuseOverlapAsync(CommissionScope scope, string scopeValue, DateOnly from, DateOnly? to, Guid except, CancellationToken cancellationToken)
    {
        var others = await db.CommissionRules.AsNoTracking()
            .Where(x => x.Scope == scope && x.ScopeValue == scopeValue && x.DeletedAt == null && x.Id != except)
            .ToListAsync(cancellationToken);
        if (others.Where(o => o.Overlaps(from, to)).OrderBy(o => o.EffectiveFrom).FirstOrDefault() is { } other)
            throw CommissionRuleErrors.Overlap(other);
    }
}

/// <summary>HQ deletes a rule (kept, marked deleted: entries posted under it name it); its dates are free for another rule.</summary>
public sealed record DeleteCommissionRule(Guid RuleId) : ICommand<Unit>;

public sealed class DeleteCommissionRuleHandler(GuideDbContext db, Transactions transactions, BrandClock clock) : IRequestHandler<DeleteCommissionRule, Unit>
{
    public async Task<Unit> Handle(DeleteCommissionRule request, CancellationToken cancellationToken)
    {
        await CommissionGate.LockAsync(db, transactions, cancellationToken);
        var rule = await db.CommissionRules.SingleOrDefaultAsync(x => x.Id == request.RuleId && x.DeletedAt == null, cancellationToken)
            ?? throw CommissionRuleErrors.NotFound();
        rule.Delete(clock.UtcNow);
        return Unit.Value;
    }
}

/// <summary>HQ's live rules, each filter optional (<see cref="ActiveOn"/>: the rules that apply on that brand date), by scope, scope value, start.</summary>
public sealed record ListCommissionRules(CommissionScope? Scope, string? ScopeValue, DateOnly? ActiveOn) : IRequest<IReadOnlyList<CommissionRuleView>>;

public sealed class ListCommissionRulesHandler(GuideDbContext db) : IRequestHandler<ListCommissionRules, IReadOnlyList<CommissionRuleView>>
{
    public async Task<IReadOnlyList<CommissionRuleView>> Handle(ListCommissionRules request, CancellationToken cancellationToken)
    {
        var rules = db.CommissionRules.AsNoTracking().Where(x => x.DeletedAt == null);
        if (request.Scope is { } scope) rules = rules.Where(x => x.Scope == scope);
        if (request.ScopeValue?.Trim() is { Length: > 0 } value) rules = rules.Where(x => x.ScopeValue == value);
        if (request.ActiveOn is { } day) rules = rules.Where(x => x.EffectiveFrom <= day && (x.EffectiveTo == null || day <= x.EffectiveTo));
        // Ordered here: the column holds the scope's name, the order is the enum's (most specific first).
        var loaded = await rules.ToListAsync(cancellationToken);
        return loaded.OrderBy(x => x.Scope).ThenBy(x => x.ScopeValue, StringComparer.Ordinal).ThenBy(x => x.EffectiveFrom).ThenBy(x => x.Id)
            .Select(CommissionRuleView.Of).ToList();
    }
}

public sealed record GetCommissionRule(Guid RuleId) : IRequest<CommissionRuleView>;

public sealed class GetCommissionRuleHandler(GuideDbContext db) : IRequestHandler<GetCommissionRule, CommissionRuleView>
{
    public async Task<CommissionRuleView> Handle(GetCommissionRule request, CancellationToken cancellationToken) =>
        CommissionRuleView.Of(await db.CommissionRules.AsNoTracking().SingleOrDefaultAsync(x => x.Id == request.RuleId && x.DeletedAt == null, cancellationToken)
            ?? throw CommissionRuleErrors.NotFound());
}
