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
/// is credited here: only a verified payment credits. Buying a package again while an earlier purchase of it
/// is still open answers that purchase again (the same order), so a closed payment sheet never blocks the member.
/// </summary>
public sealed record StartRecharge(Guid MemberId, Guid PackageId) : IRequest<RechargeStarted>;

public sealed class StartRechargeValidator : AbstractValidator<StartRecharge>
{
    public StartRechargeValidator() => RuleFor(x => x.PackageId).NotEmpty();
}

public sealed class StartRechargeHandler(GuideDbContext db, IRechargePayments payments, IMediator mediator) : IRequestHandler<StartRecharge, RechargeStarted>
{
    public async Task<RechargeStarted> Handle(StartRecharge request, CancellationToken cancellationToken)
    {
        var rechargeId = await mediator.Send(new RecordRecharge(request.MemberId, request.PackageId), cancellationToken);
        var recharge = await db.Recharges.AsNoTracking().SingleAsync(r => r.Id == rechargeId, cancellationToken);
        var openId = await db.Members.AsNoTracking().Where(m => m.Id == recharge.MemberId).Select(m => m.OpenId).SingleAsync(cancellationToken);
        PayOrderPrepay prepay;
        try
        {
            prepay = await payments.PrepayAsync(recharge.PayOrder, openId, cancellationToken);
        }
        catch (DomainException) when (recharge.PrepayId is null)
        {
            // Never created at WeChat Pay (or not that we know): it must not hold the member's purchase limit.
            await mediator.Send(new AbandonRecharge(recharge.Id), CancellationToken.None);
            throw;
        }
        if (recharge.PrepayId != prepay.PrepayId)
            recharge = await mediator.Send(new PrepareRecharge(recharge.Id, prepay.PrepayId), cancellationToken);
        return new RechargeStarted(RechargeView.Of(recharge), prepay.Payment);
    }
}

/// <summary>
/// Records a pending recharge under the member's wallet lock, so that the per-member limit of the package
/// holds when purchases race (paid, refunding and still payable purchases count). Returns an open purchase of
/// the same package instead of a new one.
/// </summary>
internal sealed record RecordRecharge(Guid MemberId, Guid PackageId) : ICommand<Guid>;

internal sealed class RecordRechargeHandler(GuideDbContext db, WalletAccounts wallets, BrandClock clock) : IRequestHandler<RecordRecharge, Guid>
{
    public async Task<Guid> Handle(RecordRecharge request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var package = await db.RechargePackages.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PackageId, cancellationToken)
            ?? throw RechargePackages.NotFound();
        if (!package.IsOnSaleAt(now))
            throw new DomainException(DomainError.Conflict("recharge_package.not_on_sale", "This package is not on sale now."));
        await wallets.LockAsync(request.MemberId, now, cancellationToken); // also 404 member.not_found
        var purchases = await db.Recharges.AsNoTracking().Where(r => r.MemberId == request.MemberId && r.PackageId == package.Id)
            .Select(r => new RechargePurchase(r.Id, r.Status, r.ExpiresAt, r.PrepayId)).ToListAsync(cancellationToken);
        if (purchases.FirstOrDefault(p => p.IsOpenAt(now)) is { } open) return open.Id;
        package.CheckPerMemberLimit(purchases.Count(p => p.CountsAgainstLimitAt(now)));
        var recharge = new Recharge(request.MemberId, package, now);
        db.Recharges.Add(recharge);
        return recharge.Id;
    }
}

/// <summary>A member's earlier purchase of a package, as the per-member limit sees it.</summary>
internal sealed record RechargePurchase(Guid Id, RechargeStatus Status, DateTimeOffset ExpiresAt, string? PrepayId)
{
    /// <summary>Still payable: created at WeChat Pay and not expired. The member gets it again instead of a second order.</summary>
    public bool IsOpenAt(DateTimeOffset now) => Status == RechargeStatus.Pending && PrepayId is not null && ExpiresAt > now;

    public bool CountsAgainstLimitAt(DateTimeOffset now) =>
        Status is RechargeStatus.Paid or RechargeStatus.Refunding || (Status == RechargeStatus.Pending && ExpiresAt > now);
}

internal sealed record PrepareRecharge(Guid RechargeId, string PrepayId) : ICommand<Recharge>;

internal sealed class PrepareRechargeHandler(GuideDbContext db) : IRequestHandler<PrepareRecharge, Recharge>
{
    public async Task<Recharge> Handle(PrepareRecharge request, CancellationToken cancellationToken)
    {
        var recharge = await db.Recharges.SingleAsync(r => r.Id == request.RechargeId, cancellationToken);
        recharge.Prepared(request.PrepayId);
        return recharge;
    }
}

/// <summary>The WeChat Pay order could not be created: the recharge is closed as failed (it never counts against a limit).</summary>
internal sealed record AbandonRecharge(Guid RechargeId) : ICommand<bool>;

internal sealed class AbandonRechargeHandler(GuideDbContext db) : IRequestHandler<AbandonRecharge, bool>
{
    public async Task<bool> Handle(AbandonRecharge request, CancellationToken cancellationToken)
    {
        var recharge = await db.Recharges.SingleAsync(r => r.Id == request.RechargeId, cancellationToken);
        return recharge.Fail();
    }
}

/// <summary>
/// Applies a verified WeChat Pay order state to its recharge: when paid as created, credits principal and gift
/// as a new lot, grants the package's level and marks the recharge paid, all in one transaction and exactly
/// once (the wallet lock serializes deliveries; the entry's source key <c>recharge:{id}</c> is unique).
/// </summary>
public sealed record SettleRechargePayment(PayOrderState Payment) : ICommand<SettleOutcome>;

public sealed class SettleRechargePaymentHandler(GuideDbContext db, WalletAccounts wallets, Levels.MemberLevels levels, BrandClock clock,
    Messaging.SystemMessages messages, ILogger<SettleRechargePaymentHandler> logger)
    : IRequestHandler<SettleRechargePayment, SettleOutcome>
{
    public async Task<SettleOutcome> Handle(SettleRechargePayment request, CancellationToken cancellationToken)
    {
        var payment = request.Payment;
        var memberId = await db.Recharges.AsNoTracking().Where(r => r.OutTradeNo == payment.OutTradeNo).Select(r => (Guid?)r.MemberId)
            .SingleOrDefaultAsync(cancellationToken);
        if (memberId is null) return SettleOutcome.UnknownOrder;
        var now = clock.UtcNow;
        var account = await wallets.LockAsync(memberId.Value, now, cancellationToken);
        var recharge = await db.Recharges.SingleAsync(r => r.OutTradeNo == payment.OutTradeNo, cancellationToken);
        if (recharge.IsCredited) return SettleOutcome.AlreadyCredited;
        if (!payment.IsPaid) return SettleOutcome.NotPaid;
        if (!payment.MatchesMerchant || payment.TotalFen != recharge.Price)
        {
            logger.LogError("WeChat Pay order {OutTradeNo} paid {Total} fen, not as created ({Price} fen, merchant match {Match}): not credited",
                payment.OutTradeNo, payment.TotalFen, recharge.Price, payment.MatchesMerchant);
            return SettleOutcome.Mismatch;
        }

        var member = await db.Members.SingleAsync(m => m.Id == recharge.MemberId, cancellationToken);
        var paidAt = payment.SuccessTime ?? now;
        var lot = account.NewLot(WalletLotSource.Recharge, recharge.Id, new Money(recharge.Price), new Money(recharge.Gift), paidAt);
        account.Post(WalletEntryKind.Recharge, $"recharge:{recharge.Id:N}", now, [lot], reference: recharge.OutTradeNo, storeId: member.StoreId);
        recharge.MarkPaid(payment.TransactionId, paidAt, lot.Lot.Id, member.StoreId, clock.Zone);
        if (recharge.LevelGranted is not null)
            await levels.ReevaluateAsync(member.Id, Levels.LevelChangeCause.Recharge, recharge.OutTradeNo, cancellationToken);
        await messages.QueueAsync(Messaging.MessagePurpose.RechargeSucceeded, Messaging.MessageKind.Service, member.Id, RechargeMessages.SucceededKey(recharge.Id),
            new Messaging.MessageFacts(AmountFen: recharge.Price, At: paidAt, Thing: "储值充值成功", Phrase: "充值成功", Reference: recharge.OutTradeNo),
            cancellationToken);
        return SettleOutcome.Credited;
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
                    if (await mediator.Send(new CloseRecharge(r.Id), cancellationToken)) closed++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One order failing (WeChat busy, a racing notification) must not stop the others; the next run retries it.
                logger.LogWarning(e, "Settling recharge {OutTradeNo} failed", r.OutTradeNo);
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

/// <summary>An unpaid order WeChat Pay closed or that expired: the recharge is closed (a paid one is left alone).</summary>
internal sealed record CloseRecharge(Guid RechargeId) : ICommand<bool>;

internal sealed class CloseRechargeHandler(GuideDbContext db) : IRequestHandler<CloseRecharge, bool>
{
    public async Task<bool> Handle(CloseRecharge request, CancellationToken cancellationToken)
    {
        var recharge = await db.Recharges.SingleAsync(r => r.Id == request.RechargeId, cancellationToken);
        return recharge.Close();
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
        var page = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).PageAsync(request.Page, request.PageSize, cancellationToken);
        return page.Map(RechargeView.Of);
    }
}

/// <summary>The source keys of the wallet's service messages (one message per recharge paid, one per refund that succeeded).</summary>
public static class RechargeMessages
{
    public static string SucceededKey(Guid rechargeId) => $"recharge-succeeded:{rechargeId:N}";
    public static string RefundedKey(Guid refundId) => $"recharge-refunded:{refundId:N}";

    internal static Task QueueRefundedAsync(Messaging.SystemMessages messages, RechargeRefund refund, DateTimeOffset at, CancellationToken cancellationToken) =>
        messages.QueueAsync(Messaging.MessagePurpose.RechargeRefunded, Messaging.MessageKind.Service, refund.MemberId, RefundedKey(refund.Id),
            new Messaging.MessageFacts(AmountFen: refund.Amount, At: at, Thing: "储值退款成功", Phrase: "退款成功", Reference: refund.OutRefundNo), cancellationToken);
}
