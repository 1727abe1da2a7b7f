using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Guide.Domain.Points;
using MediatR;

namespace Guide.Domain.Mall;

/// <summary>A redemption as the member (and HQ) sees it; a pickup's <see cref="ReadyAt"/>: its store has it ready for them.</summary>
public sealed record MallRedemptionView(Guid Id, Guid MemberId, Guid ItemId, string ItemName, MallItemKind Kind, int Quantity, long Points, long Cash,
    MallRedemptionStatus Status, string? PickupCode, Guid? StoreId, DateTimeOffset CreatedAt, DateTimeOffset? PaymentExpiresAt, DateTimeOffset? PaidAt,
    DateTimeOffset? FulfilledAt, string? Carrier, string? TrackingNumber, DateTimeOffset? CancelledAt, IReadOnlyList<string> CouponCodes,
    DateTimeOffset? ReadyAt, bool Replayed = false) : IReplayable<MallRedemptionView>
{
    public MallRedemptionView AsReplayed() => this with { Replayed = true };

    public static MallRedemptionView Of(MallRedemption r) =>
        new(r.Id, r.MemberId, r.ItemId, r.ItemName, r.Kind, r.Quantity, r.Points, r.Cash, r.Status, r.PickupCode, r.StoreId, r.CreatedAt,
            r.PaymentExpiresAt, r.PaidAt, r.FulfilledAt, r.Carrier, r.TrackingNumber, r.CancelledAt, r.CouponCodeList, r.ReadyAt);
}

/// <summary>
/// A member redeems <see cref="Quantity"/> units of an item for points. Every rule is checked and the points
/// and the stock are taken in ONE transaction: points first (the member's account locked, which also serializes
/// this member's redemptions, so the limits counted next are current), then the stock by its conditional
/// UPDATE; if either refuses, nothing is written. Idempotent by member and the client's request id.
/// </summary>
public sealed record RedeemMallItem(Guid MemberId, Guid ItemId, int Quantity, string RequestId) : ICommand<MallRedemptionView>, IIdempotentCommand
{
    public const int MaxQuantity = 100;

    public string IdempotencyKey => $"mall-redemption:{MemberId:N}:{RequestId}";
    public object IdempotencyPayload => new { ItemId, Quantity };
    public DomainError KeyReused =>
        DomainError.Conflict("mall.request_reused", "This requestId was sent already for another redemption; a new redemption needs a new requestId.");
}

public sealed class RedeemMallItemValidator : AbstractValidator<RedeemMallItem>
{
    public RedeemMallItemValidator()
    {
        RuleFor(x => x.Quantity).InclusiveBetween(1, RedeemMallItem.MaxQuantity);
        RuleFor(x => x.RequestId).Must(HqIdempotency.IsValidKey).WithMessage("The requestId is 1 to 64 printable ASCII characters (a UUID will do).");
    }
}

public sealed class RedeemMallItemHandler(PointsAccounts accounts, MallStock stock, GuideDbContext db, Transactions transactions, LedgerWrites writes,
    BrandClock clock) : IRequestHandler<RedeemMallItem, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(RedeemMallItem request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var points = await accounts.LockAsync(request.MemberId, now, cancellationToken);
        var facts = await MallFacts.ReadAsync(db, transactions, request.MemberId, request.ItemId, MallItem.BrandDayStart(clock, now), cancellationToken);
        var item = facts.Item is { Archived: false } found ? found : throw new DomainException(MallItem.NotFound);

        var cost = checked(item.PointsPrice * request.Quantity);
        var spendable = points.SpendableAt(now);
        if (item.RefusalFor(now, facts.MemberLevel, spendable, facts.RedeemedToday, facts.RedeemedTotal, request.Quantity, item.Stock) is { } refusal)
            throw new DomainException(MallItem.ErrorOf(refusal, spendable, cost));

        var id = Ids.New();
        var entry = points.Spend(PointsEntryKind.MallRedemption, request.IdempotencyKey, now, cost, $"mall-redemption:{id:N}", item.Name);
        var taken = new MallStockEntry(item.Id, MallStockEntryKind.Redemption, -request.Quantity, $"mall-redemption:{id:N}", id, now);
        if (!await stock.TakeAsync(item.Id, request.Quantity, taken, cancellationToken)) throw new DomainException(MallItem.SoldOut);

        var redemption = new MallRedemption(id, request.MemberId, item, request.Quantity, facts.MemberStoreId, entry.Id, now);
        // A points + cash coupon gets its codes when its cash part is paid.
        if (item.Kind == MallItemKind.Coupon && redemption.Cash == 0) redemption.IssueCodes(await stock.IssueCodesAsync(item.Id, id, request.Quantity, now, cancellationToken), now);
        writes.Insert(redemption);
        return MallRedemptionView.Of(redemption);
    }
}

/// <summary>
/// What a redemption reads besides the points account, in one round trip after the account's lock: the item,
/// the member's level and store, and the units of this item the member redeemed today (brand day) and in total
/// (cancelled ones and those closed unpaid do not count; those awaiting payment do).
/// </summary>
internal sealed record MallFacts(MallItem? Item, int MemberLevel, Guid? MemberStoreId, long RedeemedToday, long RedeemedTotal)
{
    public static async Task<MallFacts> ReadAsync(GuideDbContext db, Transactions transactions, Guid memberId, Guid itemId, DateTimeOffset dayStart,
        CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        MallItem? item = null;
        int level = 0;
        Guid? store = null;
        long today = 0, total = 0;
        batch.Query("SELECT Id, Name, Kind, PointsPrice, CashPrice, Stock, LimitPerDay, LimitTotal, AllowedLevels, OnSaleFrom, OnSaleUntil, ArchivedAt " +
                    $"FROM mall_items WHERE Id = {batch.P(itemId)}", row =>
            item = MallItem.Rehydrate(row.Guid(0), row.String(1), row.Enum<MallItemKind>(2), row.Long(3), row.Long(4), row.Long(5),
                row.IsNull(6) ? null : row.Int(6), row.IsNull(7) ? null : row.Int(7), row.String(8), row.NullableInstant(9), row.NullableInstant(10),
                row.NullableInstant(11)));
        batch.Query($"SELECT Level, StoreId FROM members WHERE Id = {batch.P(memberId)}", row =>
        {
            level = row.Int(0);
            store = row.NullableGuid(1);
        });
        batch.Query($"SELECT COALESCE(SUM(Quantity), 0), COALESCE(SUM(CASE WHEN CreatedAt >= {batch.P(dayStart)} THEN Quantity ELSE 0 END), 0) " +
                    $"FROM mall_redemptions WHERE MemberId = {batch.P(memberId)} AND ItemId = {batch.P(itemId)} " +
                    $"AND Status <> {batch.P(MallRedemptionStatus.Cancelled)} AND Status <> {batch.P(MallRedemptionStatus.Closed)}", row =>
        {
            total = row.Long(0);
            today = row.Long(1);
        });
        await batch.ExecuteAsync(cancellationToken);
        return new MallFacts(item, level, store, today, total);
    }
}
