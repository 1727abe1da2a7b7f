using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Commissions;

public sealed record CommissionPeriodView(string Month, bool Closed, DateTimeOffset? ClosedAt, IReadOnlyList<CommissionPeriodChangeView> Changes);

public sealed record CommissionPeriodChangeView(CommissionPeriodAction Action, string? Reason, string Actor, DateTimeOffset At);

/// <summary>
/// Finance closes (<see cref="Close"/>) or reopens a month, with a reason, recorded. The settings row is taken
/// exclusively first (<see cref="CommissionGate.LockAsync"/>): the close waits for the postings in flight, which hold
/// it shared, and every posting after it sees the month closed and posts in the next open month. Only months that
/// have begun can be closed.
/// </summary>
public sealed record ChangeCommissionPeriod(string Month, CommissionPeriodAction Action, string? Reason, string Actor) : ICommand<CommissionPeriodView>;

public sealed class ChangeCommissionPeriodValidator : AbstractValidator<ChangeCommissionPeriod>
{
    public ChangeCommissionPeriodValidator()
    {
        CommissionMonths.MustBeMonth(this, x => x.Month);
        RuleFor(x => x.Action).IsInEnum();
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Closing or reopening a month needs a reason.")
            .Must(r => r is null || r.Trim().Length <= CommissionPeriodChange.ReasonMaxLength)
            .WithMessage($"The reason has at most {CommissionPeriodChange.ReasonMaxLength} characters.");
    }
}

public sealed class ChangeCommissionPeriodHandler(GuideDbContext db, Transactions transactions, BrandClock clock)
    : IRequestHandler<ChangeCommissionPeriod, CommissionPeriodView>
{
    public async Task<CommissionPeriodView> Handle(ChangeCommissionPeriod request, CancellationToken cancellationToken)
    {
        CommissionMonths.TryParse(request.Month, out var month);
        var now = clock.UtcNow;
        if (request.Action == CommissionPeriodAction.Close && month > CommissionMonths.Of(now, clock.Zone))
            throw new DomainException(DomainError.Conflict("commission_period.not_begun", "A month is closed once it has begun."));
        await CommissionGate.LockAsync(db, transactions, cancellationToken);
        var period = await db.CommissionPeriods.SingleOrDefaultAsync(p => p.Month == month, cancellationToken);
        if (request.Action == CommissionPeriodAction.Close)
        {
            if (period?.Closed == true)
                throw new DomainException(DomainError.Conflict("commission_period.already_closed", $"{request.Month} is closed already."));
            if (period is null) db.CommissionPeriods.Add(period = new CommissionPeriod(month, now));
            period.Close(now);
        }
        else
        {
            if (period is not { Closed: true })
                throw new DomainException(DomainError.Conflict("commission_period.not_closed", $"{request.Month} is not closed."));
            period.Reopen(now);
        }
        db.CommissionPeriodChanges.Add(new CommissionPeriodChange(month, request.Action, request.Reason!.Trim(), request.Actor, now));
        await db.SaveChangesAsync(cancellationToken);
        return await CommissionPeriodViews.OfAsync(db, month, cancellationToken);
    }
}

/// <summary>HQ reads a month's state and its history of closes and reopenings.</summary>
public sealed record GetCommissionPeriod(string Month) : IRequest<CommissionPeriodView>;

public sealed class GetCommissionPeriodValidator : AbstractValidator<GetCommissionPeriod>
{
    public GetCommissionPeriodValidator() => CommissionMonths.MustBeMonth(this, x => x.Month);
}

public sealed class GetCommissionPeriodHandler(GuideDbContext db) : IRequestHandler<GetCommissionPeriod, CommissionPeriodView>
{
    public async Task<CommissionPeriodView> Handle(GetCommissionPeriod request, CancellationToken cancellationToken)
    {
        CommissionMonths.TryParse(request.Month, out var month);
        return await CommissionPeriodViews.OfAsync(db, month, cancellationToken);
    }
}

internal static class CommissionPeriodViews
{
    public static async Task<CommissionPeriodView> OfAsync(GuideDbContext db, int month, CancellationToken cancellationToken)
    {
        var period = await db.CommissionPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.Month == month, cancellationToken);
        var changes = (await db.CommissionPeriodChanges.AsNoTracking().Where(c => c.Month == month).ToListAsync(cancellationToken))
            .OrderBy(c => c.At).Select(c => new CommissionPeriodChangeView(c.Action, c.Reason, c.Actor, c.At)).ToList();
        return new CommissionPeriodView(CommissionMonths.Text(month), period?.Closed ?? false, period?.Closed == true ? period.ClosedAt : null, changes);
    }
}
