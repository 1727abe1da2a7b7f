using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>
/// The stock ledger of mall items: a counter with no lots, so (ADR 0001) one conditional statement per change
/// and an entry keyed by its fact. Taking stock is <c>UPDATE ... SET Stock = Stock - @n WHERE Stock &gt;= @n</c>,
/// read back with the row count in the same round trip: on InnoDB the UPDATE waits for the row lock of a racing
/// redemption and, under READ COMMITTED, re-evaluates the condition on the committed row, so the last unit goes
/// to exactly one of them and the others see zero rows; SQLite serializes the writers before. The row lock is
/// held from here to commit, so a redemption takes it last, after its member's points account.
/// </summary>
public sealed class MallStock(GuideDbContext db, Transactions transactions, LedgerWrites writes)
{
    /// <summary>Takes <paramref name="quantity"/> units now; false (nothing taken) when fewer are left.</summary>
    public async Task<bool> TakeAsync(Guid itemId, int quantity, MallStockEntry entry, CancellationToken cancellationToken) =>
        (await TakeAndReadAsync(itemId, quantity, entry, cancellationToken)).Taken;

    /// <summary>
    /// <see cref="TakeAsync"/>, also reading the stock in the same round trip: after the take when it was taken (the row
    /// lock is ours until commit, so it stays so), else what is left; null when the item does not exist.
    /// </summary>
    public async Task<(bool Taken, long? Stock)> TakeAndReadAsync(Guid itemId, long quantity, MallStockEntry entry, CancellationToken cancellationToken)
    {
        if (quantity <= 0) throw new ArgumentOutOfRangeException(nameof(quantity));
        var batch = new StatementBatch(db, transactions);
        var changed = 0L;
        long? stock = null;
        batch.Execute($"UPDATE mall_items SET Stock = Stock - {batch.P(quantity)} WHERE Id = {batch.P(itemId)} AND Stock >= {batch.P(quantity)}");
        batch.Query($"SELECT {batch.RowCount}", row => changed = row.Long(0));
        batch.Query($"SELECT Stock FROM mall_items WHERE Id = {batch.P(itemId)}", row => stock = row.Long(0));
        await batch.ExecuteAsync(cancellationToken);
        if (changed != 1) return (false, stock);
        writes.Insert(entry);
        return (true, stock);
    }

    /// <summary>
    /// Hands out <paramref name="quantity"/> unused codes of a coupon item to a redemption, after <see cref="TakeAsync"/>:
    /// the item row's lock it holds serializes code picks of the item, so the codes read here are nobody else's, and
    /// the stock taken equals the codes handed out (stock = unused codes). A points + cash redemption took its stock
    /// when it was made and gets its codes when paid, in another transaction: <paramref name="lockItem"/> takes the
    /// item row's lock first (a no-change UPDATE), so code picks of the item stay serialized.
    /// </summary>
    public async Task<IReadOnlyList<string>> IssueCodesAsync(Guid itemId, Guid redemptionId, int quantity, DateTimeOffset at, CancellationToken cancellationToken,
        bool lockItem = false)
    {
        var batch = new StatementBatch(db, transactions);
        if (lockItem) batch.Execute($"UPDATE mall_items SET Stock = Stock WHERE Id = {batch.P(itemId)}");
        var codes = new List<(Guid Id, string Code)>();
        batch.Query($"SELECT Id, Code FROM mall_coupon_codes WHERE ItemId = {batch.P(itemId)} AND RedemptionId IS NULL ORDER BY ImportedAt, Id " +
                    $"LIMIT {batch.P((long)quantity)}", row => codes.Add((row.Guid(0), row.String(1))));
        await batch.ExecuteAsync(cancellationToken);
        if (codes.Count != quantity) throw new InvalidOperationException($"Coupon item {itemId} has stock but only {codes.Count} unused codes.");
        writes.Account(write =>
        {
            foreach (var (id, _) in codes)
                write.Execute($"UPDATE mall_coupon_codes SET RedemptionId = {write.P(redemptionId)}, IssuedAt = {write.P(at)} WHERE Id = {write.P(id)} AND RedemptionId IS NULL");
        });
        return codes.Select(c => c.Code).ToList();
    }

    public static DomainError StockFromCodes =>
        DomainError.Conflict("mall.stock_from_codes", "A coupon item's stock is its unused codes: import codes instead; it is not restocked nor removed by hand.");

    public static DomainError Insufficient(long stock, long wanted) =>
        DomainError.Conflict("mall.stock_insufficient", $"Only {stock} units are left; {wanted} cannot be removed.") with
        {
            Details = new Dictionary<string, object?> { ["available"] = stock, ["requested"] = wanted },
        };

    /// <summary>Gives units back (a cancelled redemption, a restock) and returns the stock after it; false when the item does not exist.</summary>
    public async Task<long?> GiveAsync(Guid itemId, long quantity, MallStockEntry entry, CancellationToken cancellationToken)
    {
        if (quantity <= 0) throw new ArgumentOutOfRangeException(nameof(quantity));
        var batch = new StatementBatch(db, transactions);
        long? after = null;
        batch.Execute($"UPDATE mall_items SET Stock = Stock + {batch.P(quantity)} WHERE Id = {batch.P(itemId)}");
        batch.Query($"SELECT Stock FROM mall_items WHERE Id = {batch.P(itemId)}", row => after = row.Long(0));
        await batch.ExecuteAsync(cancellationToken);
        if (after is not null) writes.Insert(entry);
        return after;
    }
}

/// <summary>HQ adds stock to an item; the console's Idempotency-Key applies it once.</summary>
public sealed record RestockMallItem(Guid ItemId, long Quantity, string ClientKey) : ICommand<MallRestocked>, IIdempotentCommand
{
    public const long MaxQuantity = 1_000_000;

    public string IdempotencyKey => $"mall-restock:{ItemId:N}:{ClientKey}";
    public object IdempotencyPayload => new { Quantity };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

public sealed record MallRestocked(Guid ItemId, Guid EntryId, long Quantity, long Stock, bool Replayed = false) : IReplayable<MallRestocked>
{
    public MallRestocked AsReplayed() => this with { Replayed = true };
}

public sealed class RestockMallItemValidator : AbstractValidator<RestockMallItem>
{
    public RestockMallItemValidator()
    {
        RuleFor(x => x.Quantity).InclusiveBetween(1, RestockMallItem.MaxQuantity);
        RuleFor(x => x.ClientKey).Must(HqIdempotency.IsValidKey).WithMessage(HqIdempotency.KeyRule);
    }
}

public sealed class RestockMallItemHandler(GuideDbContext db, MallStock stock, BrandClock clock) : IRequestHandler<RestockMallItem, MallRestocked>
{
    public async Task<MallRestocked> Handle(RestockMallItem request, CancellationToken cancellationToken)
    {
        if (await db.MallItems.AnyAsync(i => i.Id == request.ItemId && i.Kind == MallItemKind.Coupon, cancellationToken))
            throw new DomainException(MallStock.StockFromCodes);
        var entry = new MallStockEntry(request.ItemId, MallStockEntryKind.Restock, request.Quantity, request.IdempotencyKey, null, clock.UtcNow);
        var after = await stock.GiveAsync(request.ItemId, request.Quantity, entry, cancellationToken) ?? throw new DomainException(MallItem.NotFound);
        return new MallRestocked(request.ItemId, entry.Id, request.Quantity, after);
    }
}

/// <summary>
/// HQ writes units off an item (damaged, miscounted), with a reason, once per Idempotency-Key: the same conditional
/// UPDATE as a redemption (<see cref="MallStock.TakeAndReadAsync"/>), so a removal racing redemptions never takes the
/// stock below zero, and one that asks for more than is left writes nothing. A coupon item's stock is its unused
/// codes, so it is refused there (voiding codes would be its own action).
/// </summary>
public sealed record RemoveMallStock(Guid ItemId, long Quantity, string Reason, string ClientKey) : ICommand<MallStockRemoved>, IIdempotentCommand
{
    public string IdempotencyKey => $"mall-stock-removal:{ItemId:N}:{ClientKey}";
    public object IdempotencyPayload => new { Quantity, Reason };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

/// <summary>The removal's entry; <see cref="Quantity"/> is the units removed (the entry's delta is its negative).</summary>
public sealed record MallStockRemoved(Guid ItemId, Guid EntryId, long Quantity, string Reason, long Stock, DateTimeOffset OccurredAt, bool Replayed = false)
    : IReplayable<MallStockRemoved>
{
    public MallStockRemoved AsReplayed() => this with { Replayed = true };
}

public sealed class RemoveMallStockValidator : AbstractValidator<RemoveMallStock>
{
    public RemoveMallStockValidator()
    {
        RuleFor(x => x.Quantity).InclusiveBetween(1, RestockMallItem.MaxQuantity);
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A reason is required.")
            .Must(r => r.Trim().Length <= MallStockEntry.ReasonMaxLength).WithMessage($"At most {MallStockEntry.ReasonMaxLength} characters.");
        RuleFor(x => x.ClientKey).Must(HqIdempotency.IsValidKey).WithMessage(HqIdempotency.KeyRule);
    }
}

public sealed class RemoveMallStockHandler(GuideDbContext db, MallStock stock, BrandClock clock) : IRequestHandler<RemoveMallStock, MallStockRemoved>
{
    public async Task<MallStockRemoved> Handle(RemoveMallStock request, CancellationToken cancellationToken)
    {
        if (await db.MallItems.AnyAsync(i => i.Id == request.ItemId && i.Kind == MallItemKind.Coupon, cancellationToken))
            throw new DomainException(MallStock.StockFromCodes);
        var now = clock.UtcNow;
        var reason = request.Reason.Trim();
        var entry = new MallStockEntry(request.ItemId, MallStockEntryKind.Removal, -request.Quantity, request.IdempotencyKey, null, now, reason);
        var (taken, left) = await stock.TakeAndReadAsync(request.ItemId, request.Quantity, entry, cancellationToken);
        if (left is not { } after) throw new DomainException(MallItem.NotFound);
        if (!taken) throw new DomainException(MallStock.Insufficient(after, request.Quantity));
        return new MallStockRemoved(request.ItemId, entry.Id, request.Quantity, reason, after, now);
    }
}
