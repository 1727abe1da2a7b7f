using System.Globalization;
using CsvHelper;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>An item of the shopper's catalogue: whether they may redeem one unit now, and if not, the first reason.</summary>
public sealed record MallCatalogItem(Guid Id, string Name, MallItemKind Kind, long PointsPrice, long CashPrice, long Stock, int? LimitPerDay, int? LimitTotal,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, bool Redeemable, MallRefusal? Reason);

/// <summary>The items not archived, for one member, with what they may redeem now (the redemption re-checks all of it under its locks).</summary>
public sealed record GetMallCatalog(Guid MemberId) : IRequest<IReadOnlyList<MallCatalogItem>>;

public sealed class GetMallCatalogHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetMallCatalog, IReadOnlyList<MallCatalogItem>>
{
    public async Task<IReadOnlyList<MallCatalogItem>> Handle(GetMallCatalog request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var level = await db.Members.AsNoTracking().Where(m => m.Id == request.MemberId).Select(m => (int?)m.Level).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var lots = await db.PointsLots.AsNoTracking().Where(l => l.MemberId == request.MemberId && l.Remaining > 0).ToListAsync(cancellationToken);
        var spendable = lots.Where(l => l.IsSpendableAt(now)).Sum(l => l.Remaining);
        var dayStart = MallItem.BrandDayStart(clock, now);
        var redeemed = await db.MallRedemptions.AsNoTracking()
            .Where(r => r.MemberId == request.MemberId && r.Status != MallRedemptionStatus.Cancelled && r.Status != MallRedemptionStatus.Closed)
            .Select(r => new { r.ItemId, r.Quantity, r.CreatedAt }).ToListAsync(cancellationToken);
        var items = await db.MallItems.AsNoTracking().Where(i => i.ArchivedAt == null).ToListAsync(cancellationToken);
        return items.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).Select(i =>
        {
            var mine = redeemed.Where(r => r.ItemId == i.Id).ToList();
            var reason = i.RefusalFor(now, level, spendable, mine.Where(r => r.CreatedAt >= dayStart).Sum(r => (long)r.Quantity),
                mine.Sum(r => (long)r.Quantity), 1, i.Stock);
            return new MallCatalogItem(i.Id, i.Name, i.Kind, i.PointsPrice, i.CashPrice, i.Stock, i.LimitPerDay, i.LimitTotal, i.OnSaleFrom, i.OnSaleUntil, reason is null, reason);
        }).ToList();
    }
}

/// <summary>The member's redemptions, newest first (paged).</summary>
public sealed record ListMyMallRedemptions(Guid MemberId, int? Page, int? PageSize) : IRequest<Page<MallRedemptionView>>;

public sealed class ListMyMallRedemptionsHandler(GuideDbContext db) : IRequestHandler<ListMyMallRedemptions, Page<MallRedemptionView>>
{
    public async Task<Page<MallRedemptionView>> Handle(ListMyMallRedemptions request, CancellationToken cancellationToken)
    {
        var page = await db.MallRedemptions.AsNoTracking().Where(r => r.MemberId == request.MemberId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).PageAsync(request.Page, request.PageSize, cancellationToken);
        return page.Map(MallRedemptionView.Of);
    }
}

/// <summary>One of the member's redemptions (another member's is not found).</summary>
public sealed record GetMyMallRedemption(Guid RedemptionId, Guid MemberId) : IRequest<MallRedemptionView>;

public sealed class GetMyMallRedemptionHandler(GuideDbContext db) : IRequestHandler<GetMyMallRedemption, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(GetMyMallRedemption request, CancellationToken cancellationToken)
    {
        var redemption = await db.MallRedemptions.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == request.RedemptionId && r.MemberId == request.MemberId, cancellationToken);
        if (redemption is null) throw new DomainException(MallRedemption.NotFound);
        return MallRedemptionView.Of(redemption);
    }
}

/// <summary>A redemption as HQ sees it: the member's view plus who had a pickup ready, who handed it out, and where.</summary>
public sealed record MallRedemptionHqView(Guid Id, Guid MemberId, Guid ItemId, string ItemName, MallItemKind Kind, int Quantity, long Points, long Cash,
    MallRedemptionStatus Status, Guid? StoreId, string? PickupCode, DateTimeOffset CreatedAt, string? OutTradeNo, DateTimeOffset? PaymentExpiresAt,
    DateTimeOffset? PaidAt, string? TransactionId, DateTimeOffset? FulfilledAt, Guid? FulfilledByGuideId, Guid? FulfilledAtStoreId, string? Carrier,
    string? TrackingNumber, DateTimeOffset? CancelledAt, IReadOnlyList<string> CouponCodes, DateTimeOffset? ReadyAt, Guid? ReadyByGuideId, Guid? ReadyAtStoreId)
{
    public static MallRedemptionHqView Of(MallRedemption r) =>
        new(r.Id, r.MemberId, r.ItemId, r.ItemName, r.Kind, r.Quantity, r.Points, r.Cash, r.Status, r.StoreId, r.PickupCode, r.CreatedAt, r.OutTradeNo,
            r.PaymentExpiresAt, r.PaidAt, r.TransactionId, r.FulfilledAt, r.FulfilledByGuideId, r.FulfilledAtStoreId, r.Carrier, r.TrackingNumber,
            r.CancelledAt, r.CouponCodeList, r.ReadyAt, r.ReadyByGuideId, r.ReadyAtStoreId);
}

/// <summary>
/// Which redemptions HQ looks at: each filter optional; <see cref="From"/> and <see cref="To"/> are brand days (inclusive) of
/// the redemption's creation. <c>status=redeemed&amp;kind=shipped</c> is what is waiting to be shipped.
/// </summary>
public sealed record MallRedemptionFilter(Guid? ItemId, Guid? MemberId, MallRedemptionStatus? Status, MallItemKind? Kind, DateOnly? From, DateOnly? To)
{
    // Both ends become instants (a brand day's midnight, the next day's for 'to'): DateOnly.MinValue and MaxValue have none,
    // and nobody redeemed in another millennium.
    internal static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2999, 12, 31);

    internal IQueryable<MallRedemption> Apply(IQueryable<MallRedemption> redemptions, BrandClock clock)
    {
        if (ItemId is { } item) redemptions = redemptions.Where(r => r.ItemId == item);
        if (MemberId is { } member) redemptions = redemptions.Where(r => r.MemberId == member);
        if (Status is { } status) redemptions = redemptions.Where(r => r.Status == status);
        if (Kind is { } kind) redemptions = redemptions.Where(r => r.Kind == kind);
        if (From is { } from)
        {
            var start = StartOf(clock, from);
            redemptions = redemptions.Where(r => r.CreatedAt >= start);
        }
        if (To is { } to)
        {
            var end = StartOf(clock, to.AddDays(1));
            redemptions = redemptions.Where(r => r.CreatedAt < end);
        }
        return redemptions.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }

    private static DateTimeOffset StartOf(BrandClock clock, DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

internal static class MallRedemptionFilterRules
{
    public static void Check<T>(AbstractValidator<T> validator, Func<T, MallRedemptionFilter> filter)
    {
        validator.RuleFor(x => filter(x).From).InclusiveBetween(MallRedemptionFilter.Earliest, MallRedemptionFilter.Latest)
            .When(x => filter(x).From is not null).WithName("from");
        validator.RuleFor(x => filter(x).To).InclusiveBetween(MallRedemptionFilter.Earliest, MallRedemptionFilter.Latest)
            .When(x => filter(x).To is not null).WithName("to");
        validator.RuleFor(x => filter(x)).Must(f => f.From is null || f.To is null || f.From <= f.To).WithName("to")
            .WithMessage("'to' is not before 'from'.");
        validator.RuleFor(x => filter(x).Status).IsInEnum().WithName("status");
        validator.RuleFor(x => filter(x).Kind).IsInEnum().WithName("kind");
    }
}

/// <summary>HQ's redemptions, newest first (paged), e.g. those waiting to be shipped.</summary>
public sealed record ListMallRedemptions(MallRedemptionFilter Filter, int? Page, int? PageSize) : IRequest<Page<MallRedemptionHqView>>;

public sealed class ListMallRedemptionsValidator : AbstractValidator<ListMallRedemptions>
{
    public ListMallRedemptionsValidator() => MallRedemptionFilterRules.Check(this, x => x.Filter);
}

public sealed class ListMallRedemptionsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ListMallRedemptions, Page<MallRedemptionHqView>>
{
    public async Task<Page<MallRedemptionHqView>> Handle(ListMallRedemptions request, CancellationToken cancellationToken)
    {
        var page = await request.Filter.Apply(db.MallRedemptions.AsNoTracking(), clock).PageAsync(request.Page, request.PageSize, cancellationToken);
        return page.Map(MallRedemptionHqView.Of);
    }
}

/// <summary>The redemptions of <see cref="ListMallRedemptions"/> for a file: all that match (newest first), at most <see cref="MaxRows"/>.</summary>
public sealed record ExportMallRedemptions(MallRedemptionFilter Filter) : IRequest<IReadOnlyList<MallRedemptionHqView>>
{
    public const int MaxRows = 10_000;

    public static DomainError TooMany(int total) =>
        new DomainError("mall.export_too_large", $"{total} redemptions match; an export holds at most {MaxRows}: narrow the filters (from, to, status).")
        {
            Details = new Dictionary<string, object?> { ["total"] = total, ["maxRows"] = MaxRows },
        };
}

public sealed class ExportMallRedemptionsValidator : AbstractValidator<ExportMallRedemptions>
{
    public ExportMallRedemptionsValidator() => MallRedemptionFilterRules.Check(this, x => x.Filter);
}

public sealed class ExportMallRedemptionsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ExportMallRedemptions, IReadOnlyList<MallRedemptionHqView>>
{
    public async Task<IReadOnlyList<MallRedemptionHqView>> Handle(ExportMallRedemptions request, CancellationToken cancellationToken)
    {
        var query = request.Filter.Apply(db.MallRedemptions.AsNoTracking(), clock);
        var rows = await query.Take(ExportMallRedemptions.MaxRows + 1).ToListAsync(cancellationToken);
        if (rows.Count > ExportMallRedemptions.MaxRows) throw new DomainException(ExportMallRedemptions.TooMany(await query.CountAsync(cancellationToken)));
        return rows.Select(MallRedemptionHqView.Of).ToList();
    }
}

public static class MallRedemptionsCsv
{
    public static readonly string[] Columns =
    [
        "id", "created_at", "status", "kind", "item_id", "item_name", "quantity", "points", "cash", "member_id", "store_id", "fulfilled_at", "carrier",
        "tracking_number", "cancelled_at",
    ];

    /// <summary>
    /// One line per redemption, times as ISO 8601 UTC. Item names, carriers and tracking numbers are typed by people, so a
    /// field that a spreadsheet would run as a formula is escaped (a leading <c>'</c>).
    /// </summary>
    public static async Task<string> WriteAsync(IReadOnlyList<MallRedemptionHqView> rows, CancellationToken cancellationToken)
    {
        static string Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
        static string Snake<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            foreach (var column in Columns) csv.WriteField(column);
            csv.EndRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.Id.ToString());
                csv.WriteField(Instant(r.CreatedAt));
                csv.WriteField(Snake(r.Status));
                csv.WriteField(Snake(r.Kind));
                csv.WriteField(r.ItemId.ToString());
                csv.WriteField(r.ItemName);
                csv.WriteField(r.Quantity.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(r.Points.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(r.Cash.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(r.MemberId.ToString());
                csv.WriteField(r.StoreId?.ToString() ?? "");
                csv.WriteField(Instant(r.FulfilledAt));
                csv.WriteField(r.Carrier ?? "");
                csv.WriteField(r.TrackingNumber ?? "");
                csv.WriteField(Instant(r.CancelledAt));
                csv.EndRecord();
            }
            await csv.FlushAsync(cancellationToken);
        }
        return writer.ToString();
    }
}

/// <summary>One redemption, for HQ.</summary>
public sealed record GetMallRedemption(Guid RedemptionId) : IRequest<MallRedemptionHqView>;

public sealed class GetMallRedemptionHandler(GuideDbContext db) : IRequestHandler<GetMallRedemption, MallRedemptionHqView>
{
    public async Task<MallRedemptionHqView> Handle(GetMallRedemption request, CancellationToken cancellationToken)
    {
        var redemption = await db.MallRedemptions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RedemptionId, cancellationToken)
            ?? throw new DomainException(MallRedemption.NotFound);
        return MallRedemptionHqView.Of(redemption);
    }
}

/// <summary>
/// One entry of an item's stock ledger: <see cref="Quantity"/> is signed (a redemption or a removal takes, the others add);
/// the item's stock is the sum of them all.
/// </summary>
public sealed record MallStockEntryView(Guid Id, MallStockEntryKind Kind, long Quantity, string? Reason, Guid? RedemptionId, DateTimeOffset OccurredAt);

/// <summary>An item's stock ledger, newest first (paged); archived items too.</summary>
public sealed record ListMallStockEntries(Guid ItemId, int? Page, int? PageSize) : IRequest<Page<MallStockEntryView>>;

public sealed class ListMallStockEntriesHandler(GuideDbContext db) : IRequestHandler<ListMallStockEntries, Page<MallStockEntryView>>
{
    public async Task<Page<MallStockEntryView>> Handle(ListMallStockEntries request, CancellationToken cancellationToken)
    {
        if (!await db.MallItems.AnyAsync(i => i.Id == request.ItemId, cancellationToken)) throw new DomainException(MallItem.NotFound);
        return await db.MallStockEntries.AsNoTracking().Where(e => e.ItemId == request.ItemId)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Select(e => new MallStockEntryView(e.Id, e.Kind, e.Delta, e.Reason, e.RedemptionId, e.OccurredAt))
            .PageAsync(request.Page, request.PageSize, cancellationToken);
    }
}
