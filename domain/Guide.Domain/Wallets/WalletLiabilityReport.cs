using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

public sealed record WalletLiability(long Principal, long Gift, int Wallets);

/// <summary>One day (brand time), store and kind of movement: the sums of its ledger entries.</summary>
public sealed record WalletDayRow(DateOnly Date, Guid? StoreId, string? StoreCode, WalletEntryKind Kind, int Entries, long Principal, long Gift);

public sealed record WalletLiabilityReport(WalletLiability Outstanding, DateOnly From, DateOnly To, IReadOnlyList<WalletDayRow> Days);

/// <summary>
/// HQ's stored-value report: outstanding principal and gift now (the brand's liability), and recharges,
/// spending, refunds and adjustments by brand-local day and store between two dates (inclusive, at most 92 days).
/// </summary>
public sealed record GetWalletLiabilityReport(DateOnly? From, DateOnly? To) : IRequest<WalletLiabilityReport>;

public sealed class GetWalletLiabilityReportValidator : AbstractValidator<GetWalletLiabilityReport>
{
    // The handler turns both ends into instants (the next day's midnight, brand time): DateOnly.MinValue and
    // MaxValue have no such instant, and no report of ours covers another millennium anyway.
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2999, 12, 31);

    public GetWalletLiabilityReportValidator()
    {
        RuleFor(x => x.From).InclusiveBetween(Earliest, Latest).When(x => x.From is not null);
        RuleFor(x => x.To).InclusiveBetween(Earliest, Latest).When(x => x.To is not null);
        RuleFor(x => x).Must(x => x.From is null || x.To is null || x.From <= x.To).WithName("to").WithMessage("'to' is not before 'from'.");
        RuleFor(x => x).Must(x => x.From is null || x.To is null || x.To.Value.DayNumber - x.From.Value.DayNumber < 92).WithName("to")
            .WithMessage("At most 92 days at once.");
    }
}

public sealed class GetWalletLiabilityReportHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetWalletLiabilityReport, WalletLiabilityReport>
{
    public async Task<WalletLiabilityReport> Handle(GetWalletLiabilityReport request, CancellationToken cancellationToken)
    {
        var to = request.To ?? clock.Today;
        var from = request.From ?? to;
        var outstanding = await db.Wallets.AsNoTracking().GroupBy(_ => 1)
            .Select(g => new WalletLiability(g.Sum(w => w.Principal), g.Sum(w => w.Gift), g.Count())).SingleOrDefaultAsync(cancellationToken)
            ?? new WalletLiability(0, 0, 0);

        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));
        var entries = await db.WalletEntries.AsNoTracking().Where(e => e.OccurredAt >= start && e.OccurredAt < end)
            .Select(e => new { e.OccurredAt, e.StoreId, e.Kind, e.PrincipalDelta, e.GiftDelta }).ToListAsync(cancellationToken);
        var stores = await db.Stores.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, cancellationToken);
        var days = entries
            .GroupBy(e => (Date: DateOnly.FromDateTime(clock.ToBrandTime(e.OccurredAt).DateTime), e.StoreId, e.Kind))
            .Select(g => new WalletDayRow(g.Key.Date, g.Key.StoreId, g.Key.StoreId is { } id ? stores.GetValueOrDefault(id) : null, g.Key.Kind,
                g.Count(), g.Sum(e => e.PrincipalDelta), g.Sum(e => e.GiftDelta)))
            .OrderBy(r => r.Date).ThenBy(r => r.StoreCode).ThenBy(r => r.Kind).ToList();
        return new WalletLiabilityReport(outstanding, from, to, days);
    }

    private DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
