namespace Guide.Weixin.Pay;

/// <summary>
/// WeChat Pay API v3 for JSAPI (mini program) payments. Every request is signed with the merchant key,
/// every response's signature is verified, errors included. Verified errors are <see cref="WeChatPayApiException"/>;
/// unsigned ones <see cref="WeChatPayUnverifiedResponseException"/>; bad signatures <see cref="WeChatPaySignatureException"/>.
/// </summary>
public interface IWeChatPayClient
{
    /// <summary><c>POST /v3/pay/transactions/jsapi</c>: the prepay_id of a new order.</summary>
    Task<string> CreateJsapiOrderAsync(JsapiOrder order, CancellationToken cancellationToken = default);

    /// <summary>Signs the parameters of <c>wx.requestPayment</c> for a prepay_id (no HTTP call).</summary>
    RequestPaymentParameters CreateRequestPayment(string prepayId);

    /// <summary><c>GET /v3/pay/transactions/out-trade-no/{out_trade_no}</c>.</summary>
    Task<PayTransaction> QueryOrderAsync(string outTradeNo, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close</c> (204).</summary>
    Task CloseOrderAsync(string outTradeNo, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v3/refund/domestic/refunds</c>. Success of the call is not success of the refund.</summary>
    Task<PayRefund> RefundAsync(RefundRequest refund, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v3/refund/domestic/refunds/{out_refund_no}</c>.</summary>
    Task<PayRefund> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /v3/certificates</c> (platform-certificate mode): downloads, decrypts and trusts the current
    /// platform certificates, returned as PEM. Nothing is trusted unless every certificate decrypts with the
    /// APIv3 key and the list's signature verifies; a refused list throws <see cref="WeChatPaySignatureException"/>.
    /// </summary>
    Task<IReadOnlyList<string>> DownloadPlatformCertificatesAsync(CancellationToken cancellationToken = default);
}
