namespace Guide.Weixin.Pay;

/// <summary>
/// A JSAPI order to create. Amounts are in fen. <see cref="OutTradeNo"/> is 6-32 characters of
/// <c>[0-9A-Za-z_-|*]</c>, unique per merchant; <see cref="NotifyUrl"/> defaults to <c>Weixin:Pay:NotifyUrl</c>.
/// </summary>
public sealed record JsapiOrder(
    string OutTradeNo, string Description, long TotalFen, string PayerOpenId,
    DateTimeOffset? TimeExpire = null, string? Attach = null, string? NotifyUrl = null);

/// <summary>The parameters <c>wx.requestPayment</c> takes, signed with the merchant key.</summary>
public sealed record RequestPaymentParameters(string AppId, string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

/// <summary>
/// A transaction as queried or notified. Credit it only when <see cref="IsPaidAsCreated"/> holds.
/// <see cref="TradeState"/>: SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR.
/// </summary>
public sealed record PayTransaction(
    string AppId, string MchId, string OutTradeNo, string? TransactionId, string? TradeType, string TradeState,
    string? TradeStateDesc, DateTimeOffset? SuccessTime, string? PayerOpenId, long? TotalFen, long? PayerTotalFen,
    string? Currency, string? Attach)
{
    public bool IsSuccess => TradeState == "SUCCESS";

    /// <summary>Paid, and for exactly the app, merchant and amount we created the order with.</summary>
    public bool IsPaidAsCreated(string appId, string mchId, long totalFen) =>
        IsSuccess && AppId == appId && MchId == mchId && TotalFen == totalFen && (Currency ?? "CNY") == "CNY";
}

/// <summary>
/// A refund to request. Retrying must reuse <see cref="OutRefundNo"/> (at most 64 characters). Either
/// <see cref="OutTradeNo"/> or <see cref="TransactionId"/> names the order.
/// </summary>
public sealed record RefundRequest(
    string OutRefundNo, long RefundFen, long TotalFen, string? OutTradeNo = null, string? TransactionId = null,
    string? Reason = null, string? NotifyUrl = null);

/// <summary>
/// A refund as answered, queried or notified. <see cref="Status"/>: SUCCESS, CLOSED, PROCESSING, ABNORMAL;
/// a successful call is not a successful refund: wait for SUCCESS.
/// </summary>
public sealed record PayRefund(
    string RefundId, string OutRefundNo, string? TransactionId, string? OutTradeNo, string Status,
    DateTimeOffset? SuccessTime, DateTimeOffset? CreateTime, long RefundFen, long TotalFen, long? PayerRefundFen,
    string? UserReceivedAccount, string? MchId);

/// <summary>A verified, decrypted WeChat Pay notification.</summary>
public sealed record WeChatPayNotification(
    string Id, DateTimeOffset CreateTime, string EventType, string? Summary, string? OriginalType, string ResourceJson,
    PayTransaction? Transaction, PayRefund? Refund)
{
    /// <summary>Unique per business event, for idempotent handling: transaction id or out_refund_no.</summary>
    public string DeduplicationKey => Transaction is not null
        ? $"pay:{Transaction.TransactionId ?? Transaction.OutTradeNo}:{EventType}"
        : Refund is not null ? $"refund:{Refund.OutRefundNo}:{EventType}" : $"event:{Id}";
}

/// <summary>The four headers that carry a WeChat Pay signature.</summary>
public sealed record WeChatPaySignatureHeaders(string? Timestamp, string? Nonce, string? Signature, string? Serial)
{
    public const string TimestampHeader = "Wechatpay-Timestamp";
    public const string NonceHeader = "Wechatpay-Nonce";
    public const string SignatureHeader = "Wechatpay-Signature";
    public const string SerialHeader = "Wechatpay-Serial";

    public static WeChatPaySignatureHeaders From(Func<string, string?> header) =>
        new(header(TimestampHeader), header(NonceHeader), header(SignatureHeader), header(SerialHeader));
}
