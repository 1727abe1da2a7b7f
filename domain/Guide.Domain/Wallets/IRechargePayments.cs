namespace Guide.Domain.Wallets;

/// <summary>
/// What stored value needs from WeChat Pay; the API implements it with Guide.Weixin. Never called inside a
/// database transaction (SQLite holds its write lock for the whole of one).
/// </summary>
public interface IRechargePayments
{
    /// <summary>Creates the JSAPI order (idempotent for the same out_trade_no) and signs wx.requestPayment's parameters.</summary>
    Task<RechargePrepay> PrepayAsync(Recharge recharge, string payerOpenId, CancellationToken cancellationToken);

    /// <summary>The order's state as WeChat Pay knows it.</summary>
    Task<RechargePaymentState> QueryAsync(string outTradeNo, CancellationToken cancellationToken);

    /// <summary>Closes an unpaid order so that it can no longer be paid.</summary>
    Task CloseAsync(string outTradeNo, CancellationToken cancellationToken);

    /// <summary>Requests (or, with the same out_refund_no, re-requests) a refund; its state as answered.</summary>
    Task<RechargeRefundState> RefundAsync(RechargeRefund refund, string outTradeNo, long totalFen, CancellationToken cancellationToken);

    Task<RechargeRefundState> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken);
}

/// <summary>A WeChat Pay refund's state: SUCCESS, PROCESSING, CLOSED or ABNORMAL.</summary>
public sealed record RechargeRefundState(string OutRefundNo, string Status, DateTimeOffset? SuccessTime);

public sealed record RechargePrepay(string PrepayId, RequestPayment Payment);

/// <summary>The parameters of <c>wx.requestPayment</c>.</summary>
public sealed record RequestPayment(string AppId, string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

/// <summary>
/// A WeChat Pay order as verified by the caller: <paramref name="MatchesMerchant"/> when it is for our app id,
/// merchant id and in CNY. <paramref name="TradeState"/>: SUCCESS, NOTPAY, CLOSED, ...
/// </summary>
public sealed record RechargePaymentState(string OutTradeNo, string TradeState, string? TransactionId, long? TotalFen,
    DateTimeOffset? SuccessTime, bool MatchesMerchant)
{
    public bool IsPaid => TradeState is "SUCCESS" or "REFUND";
}
