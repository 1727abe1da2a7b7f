namespace Guide.Domain.Common;

/// <summary>
/// What the domain needs of WeChat Pay's JSAPI orders (a recharge, the cash part of a mall redemption); the API
/// implements it with Guide.Weixin. Never called inside a database transaction (SQLite holds its write lock for
/// the whole of one): the order is recorded and committed first, then created at WeChat Pay.
/// </summary>
public interface IWeChatPayOrders
{
    /// <summary>Creates the JSAPI order (idempotent for the same out_trade_no) and signs wx.requestPayment's parameters.</summary>
    Task<PayOrderPrepay> PrepayAsync(PayOrder order, string payerOpenId, CancellationToken cancellationToken);

    /// <summary>The order's state as WeChat Pay knows it (ORDER_NOT_EXIST when it never was created).</summary>
    Task<PayOrderState> QueryAsync(string outTradeNo, CancellationToken cancellationToken);

    /// <summary>Closes an unpaid order so that it can no longer be paid.</summary>
    Task CloseAsync(string outTradeNo, CancellationToken cancellationToken);
}

/// <summary>A JSAPI order: what the payer sees (<paramref name="Description"/>), the amount, until when it can be paid, and what it is for.</summary>
public sealed record PayOrder(string OutTradeNo, string Description, long TotalFen, DateTimeOffset ExpiresAt, string Attach);

public sealed record PayOrderPrepay(string PrepayId, RequestPayment Payment);

/// <summary>The parameters of <c>wx.requestPayment</c>.</summary>
public sealed record RequestPayment(string AppId, string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

/// <summary>
/// A WeChat Pay order as verified by the caller: <paramref name="MatchesMerchant"/> when it is for our app id,
/// merchant id and in CNY. <paramref name="TradeState"/>: SUCCESS, NOTPAY, CLOSED, ...
/// </summary>
public sealed record PayOrderState(string OutTradeNo, string TradeState, string? TransactionId, long? TotalFen,
    DateTimeOffset? SuccessTime, bool MatchesMerchant)
{
    public bool IsPaid => TradeState is "SUCCESS" or "REFUND";
}

/// <summary>What applying a verified WeChat Pay order state to its order did.</summary>
public enum SettleOutcome
{
    /// <summary>Paid as created: applied now (credited, or the redemption released for fulfilment).</summary>
    Credited,
    AlreadyCredited,
    NotPaid,
    UnknownOrder,
    /// <summary>Paid, but not as created (amount, app or merchant differ): never applied, logged for HQ.</summary>
    Mismatch,
    /// <summary>Paid after we released what it held (the order had closed): nothing applied, logged for HQ to refund.</summary>
    PaidAfterRelease,
}
