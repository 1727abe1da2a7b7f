using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Wallets;

public sealed record RechargeView(Guid Id, string OutTradeNo, Guid MemberId, Guid PackageId, string Description, long Price, long Gift,
    int? LevelGranted, RechargeStatus Status, string? TransactionId, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt)
{
    internal static RechargeView Of(Recharge r) =>
        new(r.Id, r.OutTradeNo, r.MemberId, r.PackageId, r.Description, r.Price, r.Gift, r.LevelGranted, r.Status, r.TransactionId, r.CreatedAt, r.PaidAt);
}

public sealed record RechargeStarted(RechargeView Recharge, RequestPayment Payment);

/// <summary>
/// The member buys a package: the recharge is recorded (pending) and committed, then the WeChat Pay order is
/// created outside any transaction, and the mini program gets <c>wx.requestPayment</c>'s parameters. Nothing
/// is credited here: only a verified payment credits.
/// </summary>
public sealed record StartRecharge(Guid MemberId, Guid PackageId) : IRequest<RechargeStarted>;

public sealed class StartRechargeValidator : AbstractValidator<StartRecharge>
{
    public StartRechargeValidator() => RuleFor(x => x.PackageId).NotEmpty();
}

public sealed class StartRechargeHandler(GuideDbContext db, IRechargePayments payments, BrandClock clock) : IRequestHandler<StartRecharge, RechargeStarted>
{
    public async Task<RechargeStarted> Handle(StartRecharge request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == request.MemberId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var package = await db.RechargePackages.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PackageId, cancellationToken)
            ?? throw RechargePackages.NotFound();
        if (!package.IsOnSaleAt(now))
            throw new DomainException(DomainError.Conflict("recharge_package.not_on_sale", "This package is not on sale now."));
        if (package.PerMemberLimit is { } limit)
        {
            // Paid ones, and pending ones that can still be paid, count against the limit.
            var used = await db.Recharges.CountAsync(r => r.MemberId == member.Id && r.PackageId == package.Id
                && (r.Status == RechargeStatus.Paid || (r.Status == RechargeStatus.Pending && r.ExpiresAt > now)), cancellationToken);
            if (used >= limit)
                throw new DomainException(DomainError.Conflict("recharge.limit_reached", $"This package can be bought {limit} time(s) per member."));
        }

        var recharge = new Recharge(member.Id, package, now);
        db.Recharges.Add(recharge);
        await db.SaveChangesAsync(cancellationToken);

        var prepay = await payments.PrepayAsync(recharge, member.OpenId, cancellationToken);
        recharge.Prepared(prepay.PrepayId);
        await db.SaveChangesAsync(cancellationToken);
        return new RechargeStarted(RechargeView.Of(recharge), prepay.Payment);
    }
}

public enum SettleOutcome
{
    Credited,
    AlreadyCredited,
    NotPaid,
    UnknownOrder,
    /// <summary>Paid, but not as created (amount, app or merchant differ): never credited, logged for HQ.</summary>
    Mismatch,
}

/// <summary>
/// Applies a verified WeChat Pay order state to its recharge: when paid as created, credits principal and gift
/// as a new lot, grants the package's level and marks the recharge paid, all in one transaction and exactly
/// once (the entry's source key <c>recharge:{id}</c> is unique, and the wallet lock serializes deliveries).
/// </summary>
public sealed record SettleRechargePayment(RechargePaymentState Payment) : IRequest<SettleOutcome>;

public sealed class SettleRechargePaymentHandler(GuideDbContext db, WalletLocking wallets, BrandClock clock, ILogger<SettleRechargePaymentHandler> logger)
    : IRequestHandler<SettleRechargePayment, SettleOutcome>
{
    public async Task<SettleOutcome> Handle(SettleRechargePayment request, CancellationToken cancellationToken)
    {
        var payment = request.Payment;
        var known = await db.Recharges.AsNoTracking().Where(r => r.OutTradeNo == payment.OutTradeNo)
            .Select(r => new { r.MemberId, r.Status, r.Price }).SingleOrDefaultAsync(cancellationToken);
        if (known is null) return SettleOutcome.UnknownOrder;
        if (known.Status is RechargeStatus.Paid or RechargeStatus.Refunding or RechargeStatus.Refunded) return SettleOutcome.AlreadyCredited;
        if (!payment.IsPaid) return SettleOutcome.NotPaid;
        if (!payment.MatchesMerchant || payment.TotalFen != known.Price)
        {
            logger.LogError("WeChat Pay order {OutTradeNo} paid {Total} fen, not as created ({Price} fen, merchant match {Match}): not credited",
                payment.OutTradeNo, payment.TotalFen, known.Price, payment.MatchesMerchant);
            return SettleOutcome.Mismatch;
        }

        return await wallets.InTransactionAsync(async () =>
        {
            var wallet = await wallets.LockAsync(known.MemberId, cancellationToken);
            var recharge = await db.Recharges.SingleAsync(r => r.OutTradeNo == payment.OutTradeNo, cancellationToken);
            if (recharge.Status is RechargeStatus.Paid or RechargeStatus.Refunding or RechargeStatus.Refunded) return SettleOutcome.AlreadyCredited;
            var now = clock.UtcNow;
            var member = await db.Members.SingleAsync(m => m.Id == recharge.MemberId, cancellationToken);
            var lot = new WalletLot(recharge.MemberId, WalletLotSource.Recharge, recharge.Id, recharge.Price, recharge.Gift, payment.SuccessTime ?? now);
            db.WalletLots.Add(lot);
            var entry = wallet.Post(WalletEntryKind.Recharge, $"recharge:{recharge.Id:N}", now,
                [new LotMovement(lot, recharge.Price, recharge.Gift)], reference: recharge.OutTradeNo, storeId: member.StoreId);
            db.WalletEntries.Add(entry);
            recharge.MarkPaid(payment.TransactionId, payment.SuccessTime ?? now, lot.Id, member.StoreId);
            if (recharge.LevelGranted is { } level) member.GrantLevel(level);
            return SettleOutcome.Credited;
        }, cancellationToken);
    }
}

/// <summary>
/// The settle job: recharges still pending after <paramref name="MinimumAge"/> (their notification did not
/// come, or not yet) are queried at WeChat Pay; paid ones are credited, expired unpaid ones closed.
/// </summary>
public sealed record SettlePendingRecharges(TimeSpan MinimumAge, int MaxCount = 200) : IRequest<string>;

public sealed class SettlePendingRechargesHandler(GuideDbContext db, IRechargePayments payments, IMediator mediator, BrandClock clock,
    ILogger<SettlePendingRechargesHandler> logger) : IRequestHandler<SettlePendingRecharges, string>
{
    public async Task<string> Handle(SettlePendingRecharges request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var before = now - request.MinimumAge;
        var pending = await db.Recharges.AsNoTracking().Where(r => r.Status == RechargeStatus.Pending && r.CreatedAt <= before)
            .OrderBy(r => r.CreatedAt).Take(request.MaxCount).Select(r => new { r.Id, r.OutTradeNo, r.ExpiresAt }).ToListAsync(cancellationToken);
        int credited = 0, closed = 0, failed = 0;
        foreach (var r in pending)
        {
            try
            {
                var state = await payments.QueryAsync(r.OutTradeNo, cancellationToken);
                if (state.IsPaid)
                {
                    if (await mediator.Send(new SettleRechargePayment(state), cancellationToken) == SettleOutcome.Credited) credited++;
                }
                else if (state.TradeState == "CLOSED" || (state.TradeState is "NOTPAY" or "ORDER_NOT_EXIST" && r.ExpiresAt <= now))
                {
                    if (state.TradeState == "NOTPAY") await payments.CloseAsync(r.OutTradeNo, cancellationToken);
                    var recharge = await db.Recharges.SingleAsync(x => x.Id == r.Id, cancellationToken);
                    recharge.Close();
                    await db.SaveChangesAsync(cancellationToken);
                    closed++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One order failing (WeChat busy, a racing notification) must not stop the others; the next run retries it.
                logger.LogWarning(e, "Settling recharge {OutTradeNo} failed", r.OutTradeNo);
                db.ChangeTracker.Clear();
                failed++;
            }
        }
        var refunds = await db.RechargeRefunds.AsNoTracking().Where(r => r.Status == RechargeRefundStatus.Processing && r.CreatedAt <= before)
            .OrderBy(r => r.CreatedAt).Take(request.MaxCount).Select(r => r.OutRefundNo).ToListAsync(cancellationToken);
        var refundsDone = 0;
        foreach (var outRefundNo in refunds)
        {
            try
            {
                if (await mediator.Send(new CompleteRechargeRefund(await payments.QueryRefundAsync(outRefundNo, cancellationToken)), cancellationToken)) refundsDone++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Querying recharge refund {OutRefundNo} failed", outRefundNo);
                failed++;
            }
        }
        return $"{pending.Count} pending: {credited} credited, {closed} closed; {refunds.Count} refunds processing: {refundsDone} completed; {failed} failed";
    }
}

/// <summary>A recharge of the member (the mini program polls it after wx.requestPayment); another member's is not found.</summary>
public sealed record GetRecharge(Guid RechargeId, Guid? MemberId) : IRequest<RechargeView>;

public sealed class GetRechargeHandler(GuideDbContext db) : IRequestHandler<GetRecharge, RechargeView>
{
    public async Task<RechargeView> Handle(GetRecharge request, CancellationToken cancellationToken)
    {
        var recharge = await db.Recharges.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RechargeId, cancellationToken);
        if (recharge is null || (request.MemberId is not null && recharge.MemberId != request.MemberId))
            throw new DomainException(DomainError.NotFound("recharge.not_found", "No such recharge."));
        return RechargeView.Of(recharge);
    }
}

/// <summary>HQ lists recharges, newest first, optionally of one member.</summary>
public sealed record ListRecharges(Guid? MemberId, int? Page, int? PageSize) : IRequest<Page<RechargeView>>;

public sealed class ListRechargesHandler(GuideDbContext db) : IRequestHandler<ListRecharges, Page<RechargeView>>
{
    public async Task<Page<RechargeView>> Handle(ListRecharges request, CancellationToken cancellationToken)
    {
        var query = db.Recharges.AsNoTracking();
        if (request.MemberId is { } memberId) query = query.Where(r => r.MemberId == memberId);
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Page<RechargeView>(items.Select(RechargeView.Of).ToList(), page, size, total);
    }
}
