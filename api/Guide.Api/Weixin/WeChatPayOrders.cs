using Guide.Domain.Common;
using Guide.Domain.Wallets;
using Guide.Weixin;
using Guide.Weixin.Pay;
using Microsoft.Extensions.Options;

namespace Guide.Api.Weixin;

/// <summary>
/// The domain's view of WeChat Pay (orders of recharges and of mall redemptions paid partly in cash; recharge
/// refunds), on Guide.Weixin. WeChat Pay being down or refusing is a 503 the member may retry (the order stays
/// pending and is settled or closed by its job).
/// </summary>
public sealed class WeChatPayOrders(IWeChatPayClient pay, IOptionsMonitor<WeixinOptions> options, ILogger<WeChatPayOrders> logger) : IRechargePayments
{
    public async Task<PayOrderPrepay> PrepayAsync(PayOrder order, string payerOpenId, CancellationToken cancellationToken)
    {
        var prepayId = await Call(() => pay.CreateJsapiOrderAsync(
            new JsapiOrder(order.OutTradeNo, order.Description, order.TotalFen, payerOpenId, order.ExpiresAt, Attach: order.Attach), cancellationToken));
        var p = pay.CreateRequestPayment(prepayId);
        return new PayOrderPrepay(prepayId, new RequestPayment(p.AppId, p.TimeStamp, p.NonceStr, p.Package, p.SignType, p.PaySign));
    }

    public async Task<PayOrderState> QueryAsync(string outTradeNo, CancellationToken cancellationToken)
    {
        try
        {
            return StateOf(await pay.QueryOrderAsync(outTradeNo, cancellationToken), options.CurrentValue);
        }
        catch (WeChatPayApiException e) when (e.Code == "ORDER_NOT_EXIST" || e.Code == "ORDERNOTEXIST")
        {
            return new PayOrderState(outTradeNo, "ORDER_NOT_EXIST", null, null, null, false);
        }
    }

    public Task CloseAsync(string outTradeNo, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            await pay.CloseOrderAsync(outTradeNo, cancellationToken);
            return true;
        });

    public async Task<RechargeRefundState> RefundAsync(RechargeRefund refund, string outTradeNo, long totalFen, CancellationToken cancellationToken)
    {
        var answer = await Call(() => pay.RefundAsync(new RefundRequest(refund.OutRefundNo, refund.Amount, totalFen, OutTradeNo: outTradeNo,
            Reason: refund.Reason is { Length: > 0 } r ? r[..Math.Min(r.Length, 80)] : "储值退款"), cancellationToken));
        return new RechargeRefundState(answer.OutRefundNo, answer.Status, answer.SuccessTime);
    }

    public async Task<RechargeRefundState> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken)
    {
        var answer = await pay.QueryRefundAsync(outRefundNo, cancellationToken);
        return new RechargeRefundState(answer.OutRefundNo, answer.Status, answer.SuccessTime);
    }

    /// <summary>A queried or notified transaction, checked against our app id, merchant id and currency.</summary>
    public static PayOrderState StateOf(PayTransaction t, WeixinOptions o) =>
        new(t.OutTradeNo, t.TradeState, t.TransactionId, t.TotalFen, t.SuccessTime,
            t.AppId == o.MiniProgram.AppId && t.MchId == o.Pay.MchId && (t.Currency ?? "CNY") == "CNY");

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is WeixinApiException or WeChatPaySignatureException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            logger.LogWarning(e, "WeChat Pay call failed");
            throw new DomainException(new DomainError("weixin.unavailable", "WeChat Pay did not answer as expected; try again shortly.", ErrorKind.Unavailable));
        }
    }
}
