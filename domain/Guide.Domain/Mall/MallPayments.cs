using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Guide.Domain.Points;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Mall;

/// <summary>A redemption just made (or made again by a resend), with <c>wx.requestPayment</c>'s parameters while its cash part is unpaid.</summary>
public sealed record MallRedemptionStarted(MallRedemptionView Redemption, RequestPayment? Payment);

/// <summary>
/// The member redeems an item. A points-only item is redeemed at once (<see cref="RedeemMallItem"/>). A points +
/// cash item is redeemed the same way, in one transaction, but held (<see cref="MallRedemptionStatus.AwaitingPayment"/>):
/// its points and stock are taken so nobody else gets them, then, after the commit and outside any transaction,
/// the WeChat Pay order of the cash part is created and the mini program gets <c>wx.requestPayment</c>'s parameters.
/// Only a verified payment releases it for fulfilment (<see cref="SettleMallPayment"/>); an order that closes unpaid
/// gives the points and stock back (<see cref="ReleaseMallRedemption"/>). A resend with the same requestId answers
/// the redemption as it is now, with the same order's payment parameters while it can still be paid.
/// </summary>
public sealed record StartMallRedemption(Guid MemberId, Guid ItemId, int Quantity, string RequestId) : IRequest<MallRedemptionStarted>;

public sealed class StartMallRedemptionHandler(GuideDbContext db, IWeChatPayOrders payments, IMediator mediator, BrandClock clock)
    : IRequestHandler<StartMallRedemption, MallRedemptionStarted>
{
    public async Task<MallRedemptionStarted> Handle(StartMallRedemption request, CancellationToken cancellationToken)
    {
        var first = await mediator.Send(new RedeemMallItem(request.MemberId, request.ItemId, request.Quantity, request.RequestId), cancellationToken);
        if (first.Cash == 0) return new MallRedemptionStarted(first, null);
        // A resend answers the first result as recorded: read what it is now (paid, closed or still awaiting payment).
        var redemption = await db.MallRedemptions.AsNoTracking().SingleAsync(r => r.Id == first.Id, cancellationToken);
        var now = MallRedemptionView.Of(redemption) with { Replayed = first.Replayed };
        if (redemption.Status != MallRedemptionStatus.AwaitingPayment || redemption.PaymentExpiresAt <= clock.UtcNow)
            return new MallRedemptionStarted(now, null);

        var openId = await db.Members.AsNoTracking().Where(m => m.Id == redemption.MemberId).Select(m => m.OpenId).SingleAsync(cancellationToken);
        PayOrderPrepay prepay;
        try
        {
            prepay = await payments.PrepayAsync(redemption.PayOrder, openId, cancellationToken);
        }
        catch (DomainException) when (redemption.PrepayId is null)
        {
            // Never created at WeChat Pay (or not that we know): nothing can pay it, so it must not hold points and stock.
            // An order that was created after all is closed by the settle job, which queries it before releasing.
            await mediator.Send(new ReleaseMallRedemption(redemption.Id), CancellationToken.None);
            throw;
        }
        if (redemption.PrepayId != prepay.PrepayId) await mediator.Send(new PrepareMallPayment(redemption.Id, prepay.PrepayId), cancellationToken);
        return new MallRedemptionStarted(now, prepay.Payment);
    }
}

internal sealed record PrepareMallPayment(Guid RedemptionId, string PrepayId) : ICommand<bool>;

internal sealed class PrepareMallPaymentHandler(GuideDbContext db) : IRequestHandler<PrepareMallPayment, bool>
{
    public async Task<bool> Handle(PrepareMallPayment request, CancellationToken cancellationToken)
    {
        var redemption = await db.MallRedemptions.SingleAsync(r => r.Id == request.RedemptionId, cancellationToken);
        redemption.Prepared(request.PrepayId);
        return true;
    }
}

/// <summary>
/// Applies a verified WeChat Pay order state to the points + cash redemption it pays: when paid as created, the
/// redemption is released for fulfilment (a pickup gets its verification code, a coupon its codes), once: the
/// member's points account is locked first, as every change of this member's redemptions does, so a racing
/// notification, settle job or cancel sees the state the other committed. A payment of an order whose points and
/// stock were already released is never applied: it is logged for HQ (<see cref="SettleOutcome.PaidAfterRelease"/>).
/// </summary>
public sealed record SettleMallPayment(PayOrderState Payment) : ICommand<SettleOutcome>;

public sealed class SettleMallPaymentHandler(GuideDbContext db, PointsAccounts accounts, MallStock stock, BrandClock clock,
    ILogger<SettleMallPaymentHandler> logger) : IRequestHandler<SettleMallPayment, SettleOutcome>
{
    public async Task<SettleOutcome> Handle(SettleMallPayment request, CancellationToken cancellationToken)
    {
        var payment = request.Payment;
        var memberId = await db.MallRedemptions.AsNoTracking().Where(r => r.OutTradeNo == payment.OutTradeNo).Select(r => (Guid?)r.MemberId)
            .SingleOrDefaultAsync(cancellationToken);
        if (memberId is null) return SettleOutcome.UnknownOrder;
        var now = clock.UtcNow;
        await accounts.LockAsync(memberId.Value, now, cancellationToken);
        var redemption = await db.MallRedemptions.SingleAsync(r => r.OutTradeNo == payment.OutTradeNo, cancellationToken);
        if (redemption.PaidAt is not null) return SettleOutcome.AlreadyCredited;
        if (!payment.IsPaid) return SettleOutcome.NotPaid;
        if (!payment.MatchesMerchant || payment.TotalFen != redemption.Cash)
        {
            logger.LogError("WeChat Pay order {OutTradeNo} of a mall redemption paid {Total} fen, not as created ({Cash} fen, merchant match {Match}): not applied",
                payment.OutTradeNo, payment.TotalFen, redemption.Cash, payment.MatchesMerchant);
            return SettleOutcome.Mismatch;
        }
        if (redemption.Status != MallRedemptionStatus.AwaitingPayment)
        {
            logger.LogError("WeChat Pay order {OutTradeNo} was paid ({TransactionId}) after its mall redemption was {Status}: points and stock were "
                + "released, the payment must be refunded by HQ", payment.OutTradeNo, payment.TransactionId, redemption.Status);
            return SettleOutcome.PaidAfterRelease;
        }

        redemption.MarkPaid(payment.TransactionId, payment.SuccessTime ?? now);
        if (redemption.Kind == MallItemKind.Coupon)
            redemption.IssueCodes(await stock.IssueCodesAsync(redemption.ItemId, redemption.Id, redemption.Quantity, now, cancellationToken, lockItem: true), now);
        return SettleOutcome.Credited;
    }
}

/// <summary>
/// A points + cash redemption whose order closed unpaid (expired, closed at WeChat Pay, or never created): it is
/// closed and its points come back as lots with their original expiry and its stock comes back, in one transaction;
/// false when it was not awaiting payment (paid, or released already).
/// </summary>
public sealed record ReleaseMallRedemption(Guid RedemptionId) : ICommand<bool>;

public sealed class ReleaseMallRedemptionHandler(GuideDbContext db, PointsAccounts accounts, MallStock stock, BrandClock clock)
    : IRequestHandler<ReleaseMallRedemption, bool>
{
    public async Task<bool> Handle(ReleaseMallRedemption request, CancellationToken cancellationToken)
    {
        var memberId = await db.MallRedemptions.AsNoTracking().Where(r => r.Id == request.RedemptionId).Select(r => (Guid?)r.MemberId)
            .SingleOrDefaultAsync(cancellationToken);
        if (memberId is null) return false;
        var now = clock.UtcNow;
        var points = await accounts.LockAsync(memberId.Value, now, cancellationToken);
        var redemption = await db.MallRedemptions.SingleAsync(r => r.Id == request.RedemptionId, cancellationToken);
        if (!redemption.Close(now)) return false;
        await MallReturns.GiveBackAsync(db, points, stock, redemption, $"mall-release:{redemption.Id:N}", now, cancellationToken);
        return true;
    }
}

/// <summary>
/// The settle job of points + cash redemptions: those still awaiting payment after <paramref name="MinimumAge"/>
/// (the notification did not come, or not yet) are queried at WeChat Pay; paid ones are released for fulfilment,
/// those closed or expired unpaid are closed there and their points and stock given back.
/// </summary>
public sealed record SettlePendingMallPayments(TimeSpan MinimumAge, int MaxCount = 200) : IRequest<string>;

public sealed class SettlePendingMallPaymentsHandler(GuideDbContext db, IWeChatPayOrders payments, IMediator mediator, BrandClock clock,
    ILogger<SettlePendingMallPaymentsHandler> logger) : IRequestHandler<SettlePendingMallPayments, string>
{
    public async Task<string> Handle(SettlePendingMallPayments request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var before = now - request.MinimumAge;
        var pending = await db.MallRedemptions.AsNoTracking()
            .Where(r => r.Status == MallRedemptionStatus.AwaitingPayment && r.CreatedAt <= before)
            .OrderBy(r => r.CreatedAt).Take(request.MaxCount).Select(r => r.Id).ToListAsync(cancellationToken);
        int paid = 0, released = 0, failed = 0;
        foreach (var id in pending)
        {
            try
            {
                switch (await MallPaymentStates.ResolveAsync(db, payments, mediator, id, closeWhenUnpaid: false, now, cancellationToken))
                {
                    case MallPaymentResolution.Paid: paid++; break;
                    case MallPaymentResolution.Released: released++; break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One order failing (WeChat busy, a racing notification) must not stop the others; the next run retries it.
                logger.LogWarning(e, "Settling mall redemption {RedemptionId} failed", id);
                failed++;
            }
        }
        return $"{pending.Count} awaiting payment: {paid} paid, {released} released; {failed} failed";
    }
}

internal enum MallPaymentResolution
{
    Paid,
    Released,
    StillPayable,
}

internal static class MallPaymentStates
{
    /// <summary>
    /// Asks WeChat Pay about a redemption's order and applies the answer: paid is settled; closed, never created or
    /// expired unpaid is closed at WeChat Pay (so it can no longer be paid) and released. With
    /// <paramref name="closeWhenUnpaid"/> (the member cancels) an unpaid order is closed even before it expires; a
    /// payment that wins the race to the close is settled, never released.
    /// </summary>
    public static async Task<MallPaymentResolution> ResolveAsync(GuideDbContext db, IWeChatPayOrders payments, IMediator mediator, Guid redemptionId,
        bool closeWhenUnpaid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var r = await db.MallRedemptions.AsNoTracking().Where(x => x.Id == redemptionId)
            .Select(x => new { x.OutTradeNo, x.PaymentExpiresAt, x.Status }).SingleAsync(cancellationToken);
        if (r.Status != MallRedemptionStatus.AwaitingPayment || r.OutTradeNo is null)
            return r.Status == MallRedemptionStatus.Closed ? MallPaymentResolution.Released : MallPaymentResolution.Paid;
        var state = await payments.QueryAsync(r.OutTradeNo, cancellationToken);
        if (state.IsPaid) return await SettledAsync(state);
        var expired = r.PaymentExpiresAt <= now;
        if (state.TradeState is "NOTPAY" or "USERPAYING" && (expired || closeWhenUnpaid))
        {
            try
            {
                await payments.CloseAsync(r.OutTradeNo, cancellationToken);
            }
            catch (DomainException)
            {
                // Refused (paid between the query and the close: ORDERPAID) or WeChat Pay did not answer: the query decides.
            }
            state = await payments.QueryAsync(r.OutTradeNo, cancellationToken);
            if (state.IsPaid) return await SettledAsync(state);
        }
        var closed = state.TradeState is "CLOSED" or "REVOKED" or "PAYERROR" || (state.TradeState == "ORDER_NOT_EXIST" && (expired || closeWhenUnpaid));
        if (!closed) return MallPaymentResolution.StillPayable;
        await mediator.Send(new ReleaseMallRedemption(redemptionId), cancellationToken);
        return MallPaymentResolution.Released;

        async Task<MallPaymentResolution> SettledAsync(PayOrderState paid)
        {
            await mediator.Send(new SettleMallPayment(paid), cancellationToken);
            return MallPaymentResolution.Paid;
        }
    }
}

/// <summary>Giving a redemption's points and stock back (a cancel, an order closed unpaid).</summary>
internal static class MallReturns
{
    /// <summary>
    /// Its points come back as new lots, one per lot they were drawn from, each with that lot's expiry (so a
    /// return never extends points), and its stock comes back; both keyed by <paramref name="key"/>.
    /// </summary>
    public static async Task GiveBackAsync(GuideDbContext db, LockedPoints points, MallStock stock, MallRedemption redemption, string key,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parts = await PointsDraws.OfEntryAsync(db, redemption.PointsEntryId, cancellationToken);
        points.GiveBack(PointsEntryKind.MallCancellation, key, now, parts, PointsLotSource.MallReturn, redemption.Id, $"mall-redemption:{redemption.Id:N}");
        var returned = new MallStockEntry(redemption.ItemId, MallStockEntryKind.Cancellation, redemption.Quantity, key, redemption.Id, now);
        await stock.GiveAsync(redemption.ItemId, redemption.Quantity, returned, cancellationToken);
    }
}

/// <summary>
/// The member cancels a redemption. One awaiting payment has its WeChat Pay order closed first (outside any
/// transaction), then its points and stock come back; if the payment won the race to the close it stands and the
/// cancel is refused (<c>mall.cash_paid</c>). Any other goes to <see cref="CancelMallRedemption"/>.
/// </summary>
public sealed record CancelMyMallRedemption(Guid MemberId, Guid RedemptionId) : IRequest<MallRedemptionView>;

public sealed class CancelMyMallRedemptionHandler(GuideDbContext db, IWeChatPayOrders payments, IMediator mediator, BrandClock clock)
    : IRequestHandler<CancelMyMallRedemption, MallRedemptionView>
{
    public async Task<MallRedemptionView> Handle(CancelMyMallRedemption request, CancellationToken cancellationToken)
    {
        var status = await db.MallRedemptions.AsNoTracking().Where(r => r.Id == request.RedemptionId && r.MemberId == request.MemberId)
            .Select(r => (MallRedemptionStatus?)r.Status).SingleOrDefaultAsync(cancellationToken) ?? throw new DomainException(MallRedemption.NotFound);
        if (status != MallRedemptionStatus.AwaitingPayment) return await mediator.Send(new CancelMallRedemption(request.MemberId, request.RedemptionId), cancellationToken);

        var resolution = await MallPaymentStates.ResolveAsync(db, payments, mediator, request.RedemptionId, closeWhenUnpaid: true, clock.UtcNow, cancellationToken);
        var redemption = await db.MallRedemptions.AsNoTracking().SingleAsync(r => r.Id == request.RedemptionId, cancellationToken);
        return resolution switch
        {
            MallPaymentResolution.Released => MallRedemptionView.Of(redemption),
            MallPaymentResolution.Paid => throw new DomainException(MallRedemption.CashPaid),
            _ => throw new DomainException(DomainError.Conflict("mall.payment_in_progress",
                "WeChat Pay is still processing the payment of this redemption; try again in a minute.")),
        };
    }
}
