using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Guide.Weixin.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.Pay;

/// <summary><see cref="IWeChatPayClient"/> over HTTP with <c>WECHATPAY2-SHA256-RSA2048</c> signing.</summary>
public sealed partial class WeChatPayClient : IWeChatPayClient
{
    private const string Scheme = "WECHATPAY2-SHA256-RSA2048";
    private readonly IHttpClientFactory _http;
    private readonly IOptionsMonitor<WeixinOptions> _options;
    private readonly WeChatPayKeys _keys;
    private readonly WeChatPayVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger<WeChatPayClient> _logger;

    public WeChatPayClient(IHttpClientFactory http, IOptionsMonitor<WeixinOptions> options, WeChatPayKeys keys,
        WeChatPayVerifier verifier, TimeProvider time, ILogger<WeChatPayClient> logger)
    {
        _http = http;
        _options = options;
        _keys = keys;
        _verifier = verifier;
        _time = time;
        _logger = logger;
    }

    private WeChatPayOptions Pay => _options.CurrentValue.Pay;
    private string AppId => _options.CurrentValue.MiniProgram.AppId;

    [GeneratedRegex("^[0-9A-Za-z_\\-|*]{6,32}$")]
    private static partial Regex OutTradeNoPattern();

    public async Task<string> CreateJsapiOrderAsync(JsapiOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!OutTradeNoPattern().IsMatch(order.OutTradeNo))
            throw new ArgumentException("out_trade_no is 6-32 characters of [0-9A-Za-z_-|*]", nameof(order));
        if (string.IsNullOrEmpty(order.Description) || order.Description.Length > 127)
            throw new ArgumentException("description is 1-127 characters", nameof(order));
        if (order.TotalFen <= 0) throw new ArgumentException("the amount must be positive", nameof(order));
        if (order.Attach is { Length: > 128 }) throw new ArgumentException("attach is at most 128 characters", nameof(order));
        var notifyUrl = order.NotifyUrl ?? Pay.NotifyUrl;
        if (string.IsNullOrEmpty(notifyUrl)) throw new ArgumentException("no notify_url (Weixin:Pay:NotifyUrl)", nameof(order));

        var body = new JsonObject
        {
            ["appid"] = AppId,
            ["mchid"] = Pay.MchId,
            ["description"] = order.Description,
            ["out_trade_no"] = order.OutTradeNo,
            ["notify_url"] = notifyUrl,
            ["amount"] = new JsonObject { ["total"] = order.TotalFen, ["currency"] = "CNY" },
            ["payer"] = new JsonObject { ["openid"] = order.PayerOpenId },
        };
        if (order.TimeExpire is { } expire) body["time_expire"] = WeChatPayJson.Rfc3339(expire);
        if (order.Attach is not null) body["attach"] = order.Attach;
        var json = await SendAsync(HttpMethod.Post, "v3/pay/transactions/jsapi", body, "pay/jsapi", cancellationToken).ConfigureAwait(false);
        return WeixinHttp.OptionalString(json, "prepay_id")
               ?? throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "no prepay_id", "pay/jsapi");
    }

    public RequestPaymentParameters CreateRequestPayment(string prepayId)
    {
        ArgumentException.ThrowIfNullOrEmpty(prepayId);
        var timeStamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = NewNonce();
        var package = "prepay_id=" + prepayId;
        var paySign = WeChatPayCrypto.Sign(_keys.MerchantKey, WeChatPayCrypto.Message(AppId, timeStamp, nonce, package));
        return new RequestPaymentParameters(AppId, timeStamp, nonce, package, "RSA", paySign);
    }

    public async Task<PayTransaction> QueryOrderAsync(string outTradeNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outTradeNo);
        var path = $"v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}?mchid={Uri.EscapeDataString(Pay.MchId)}";
        var json = await SendAsync(HttpMethod.Get, path, null, "pay/query", cancellationToken).ConfigureAwait(false);
        return WeChatPayJson.Transaction(json);
    }

    public async Task CloseOrderAsync(string outTradeNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outTradeNo);
        await SendAsync(HttpMethod.Post, $"v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}/close",
            new JsonObject { ["mchid"] = Pay.MchId }, "pay/close", cancellationToken).ConfigureAwait(false);
    }

    public async Task<PayRefund> RefundAsync(RefundRequest refund, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refund);
        if (string.IsNullOrEmpty(refund.OutRefundNo) || refund.OutRefundNo.Length > 64)
            throw new ArgumentException("out_refund_no is 1-64 characters", nameof(refund));
        if (refund.OutTradeNo is null == refund.TransactionId is null)
            throw new ArgumentException("name the order by out_trade_no or transaction_id", nameof(refund));
        if (refund.RefundFen <= 0 || refund.RefundFen > refund.TotalFen)
            throw new ArgumentException("the refund is positive and at most the order total", nameof(refund));
        var body = new JsonObject
        {
            ["out_refund_no"] = refund.OutRefundNo,
            ["amount"] = new JsonObject { ["refund"] = refund.RefundFen, ["total"] = refund.TotalFen, ["currency"] = "CNY" },
        };
        if (refund.OutTradeNo is not null) body["out_trade_no"] = refund.OutTradeNo;
        if (refund.TransactionId is not null) body["transaction_id"] = refund.TransactionId;
        if (refund.Reason is not null) body["reason"] = refund.Reason;
        if ((refund.NotifyUrl ?? Pay.NotifyUrl) is { Length: > 0 } notify) body["notify_url"] = notify;
        var json = await SendAsync(HttpMethod.Post, "v3/refund/domestic/refunds", body, "refund", cancellationToken).ConfigureAwait(false);
        return WeChatPayJson.Refund(json);
    }

    public async Task<PayRefund> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outRefundNo);
        var json = await SendAsync(HttpMethod.Get, $"v3/refund/domestic/refunds/{Uri.EscapeDataString(outRefundNo)}", null,
            "refund/query", cancellationToken).ConfigureAwait(false);
        return WeChatPayJson.Refund(json);
    }

    public async Task<IReadOnlyList<string>> DownloadPlatformCertificatesAsync(CancellationToken cancellationToken = default)
    {
        var certificates = await SendAsync(HttpMethod.Get, "v3/certificates", null, "certificates", VerifiedCertificates,
            cancellationToken).ConfigureAwait(false);
        // Registered only now, all or none: a list that fails any check leaves no key behind.
        foreach (var certificate in certificates) _keys.AddPlatformCertificate(certificate);
        return certificates.Select(c => c.ExportCertificatePem()).ToList();
    }

    /// <summary>
    /// The certificates of a downloaded list once the list is proven to be WeChat Pay's; registers nothing.
    /// </summary>
    private List<X509Certificate2> VerifiedCertificates(WeChatPaySignatureHeaders headers, string text)
    {
        if (string.IsNullOrEmpty(headers.Serial)) throw new WeChatPaySignatureException("signature headers missing");
        // Signed by a key we already trust (the configured public key or platform certificate, or one an earlier
        // verified download brought): the signature proves the list before anything in it is read.
        if (_keys.FindVerificationKey(headers.Serial) is not null)
        {
            _verifier.Verify(headers, text);
            return DecryptCertificates(text);
        }
        // Signed by a certificate only the list itself carries (the first download, or the one after WeChat Pay
        // rotates its certificate). Such a signature proves nothing alone: anyone can sign with a key of their own
        // making and ship its certificate alongside. What does prove the list is the APIv3 key: every certificate
        // is AEAD_AES_256_GCM-encrypted with it, the GCM tag authenticates it, and only WeChat Pay and the
        // merchant know it. So the list is accepted only when every certificate decrypts, and then its signature
        // is verified with the certificate the serial names, held here and registered nowhere until it verified.
        var certificates = DecryptCertificates(text);
        var signer = certificates.FirstOrDefault(c => string.Equals(c.SerialNumber, headers.Serial, StringComparison.OrdinalIgnoreCase))
                     ?? throw new WeChatPaySignatureException("the certificate list is signed by an unknown serial");
        using var key = signer.GetRSAPublicKey() ?? throw new WeChatPaySignatureException("the signing certificate has no RSA key");
        _verifier.Verify(headers, text, key);
        return certificates;
    }

    /// <summary>Every certificate of the list, decrypted with the APIv3 key; one that does not decrypt refuses the list.</summary>
    private List<X509Certificate2> DecryptCertificates(string text)
    {
        var json = WeChatPayJson.ParseObject(text) ?? throw new WeChatPaySignatureException("the certificate list is not a JSON object");
        var certificates = new List<X509Certificate2>();
        foreach (var item in json["data"] as JsonArray ?? [])
        {
            var encrypted = (item as JsonObject)?["encrypt_certificate"] as JsonObject
                            ?? throw new WeChatPaySignatureException("a listed certificate is not encrypted");
            var pem = WeChatPayCrypto.DecryptResource(Pay.ApiV3Key,
                WeixinHttp.OptionalString(encrypted, "ciphertext") ?? "",
                WeixinHttp.OptionalString(encrypted, "nonce") ?? "",
                WeixinHttp.OptionalString(encrypted, "associated_data"));
            try { certificates.Add(X509Certificate2.CreateFromPem(pem)); }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new WeChatPaySignatureException("a listed certificate is not a PEM certificate");
            }
        }
        return certificates;
    }

    private Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, string api, CancellationToken cancellationToken) =>
        SendAsync(method, path, body, api, (headers, text) =>
        {
            // A 2xx answer without a valid signature is forged or tampered with (wechatpay3_3, see Failure).
            _verifier.Verify(headers, text);
            return text.Length == 0 ? new JsonObject() : ParseObject(text, api);
        }, cancellationToken);

    /// <summary>
    /// One signed request, retried with back-off on transient failures. A 2xx answer goes to
    /// <paramref name="readSuccess"/>, which verifies its signature before reading it; a 4xx/5xx answer is
    /// judged by <see cref="Failure"/>.
    /// </summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonObject? body, string api,
        Func<WeChatPaySignatureHeaders, string, T> readSuccess, CancellationToken cancellationToken)
    {
        var o = _options.CurrentValue;
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, o.BusyRetryDelayMilliseconds));
        var bodyText = body?.ToJsonString() ?? "";
        for (var attempt = 0; ; attempt++)
        {
            var uri = WeixinHttp.Build(Pay.BaseUrl, path);
            using var request = new HttpRequestMessage(method, uri);
            if (body is not null) request.Content = new StringContent(bodyText, Encoding.UTF8, "application/json");
            request.Headers.Accept.Add(WeixinHttp.AcceptJson);
            // Sign exactly the path and query that go on the wire.
            request.Headers.Authorization = new AuthenticationHeaderValue(Scheme, Authorization(method.Method, uri.PathAndQuery, bodyText));
            using var response = await _http.CreateClient(WeixinHttpClientNames.Pay).SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var headers = WeChatPaySignatureHeaders.From(name =>
                response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null);
            if (response.IsSuccessStatusCode) return readSuccess(headers, text);
            var (error, transient) = Failure(response.StatusCode, headers, text, api);
            if (!transient || attempt >= o.BusyRetryCount) throw error;
            _logger.LogWarning("WeChat Pay {Api} answered {Status} ({Error}); retry {Attempt} in {Delay}",
                api, (int)response.StatusCode, error.Message, attempt + 1, delay);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    /// <summary>
    /// What a 4xx/5xx answer may be taken to mean. WeChat Pay signs its answer to every request whose signature
    /// it verified, with the platform key, errors included; the merchant is told to verify every answer that
    /// carries a signature, and to treat an unsigned 2xx as forged (API v3 "签名" rules, section 应答签名:
    /// pay.weixin.qq.com/wiki/doc/apiv3_partner/wechatpay/wechatpay3_3.shtml; verification steps:
    /// pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_1.shtml). So:
    /// <list type="bullet">
    /// <item>signature headers present: verified first (a failure is a <see cref="WeChatPaySignatureException"/>,
    /// never retried: a forgery does not improve by asking again), then a <see cref="WeChatPayApiException"/>
    /// with WeChat Pay's code; transient on 5xx, 429, SYSTEM_ERROR and FREQUENCY_LIMITED.</item>
    /// <item>no signature headers: not WeChat Pay's word (a gateway, a proxy, someone in the middle, or WeChat
    /// Pay's own 401 to a request it could not authenticate): a <see cref="WeChatPayUnverifiedResponseException"/>
    /// that carries the HTTP status only, because callers branch on WeChat Pay codes (ORDER_NOT_EXIST closes a
    /// recharge); transient on 5xx and 429 by status alone.</item>
    /// </list>
    /// </summary>
    private (WeixinApiException Error, bool Transient) Failure(HttpStatusCode status, WeChatPaySignatureHeaders headers, string text, string api)
    {
        var unsigned = headers is { Timestamp: null or "", Nonce: null or "", Signature: null or "", Serial: null or "" };
        if (!unsigned) _verifier.Verify(headers, text);
        var json = WeChatPayJson.ParseObject(text);
        var code = WeixinHttp.OptionalString(json, "code");
        var message = WeixinHttp.OptionalString(json, "message") ?? "";
        var transientStatus = (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
        return unsigned
            ? (new WeChatPayUnverifiedResponseException((int)status, code, message, api), transientStatus)
            : (new WeChatPayApiException((int)status, code ?? "HTTP_" + (int)status, message, api),
                transientStatus || code is "SYSTEM_ERROR" or "FREQUENCY_LIMITED");
    }

    private string Authorization(string method, string pathAndQuery, string body)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = NewNonce();
        var signature = WeChatPayCrypto.Sign(_keys.MerchantKey, WeChatPayCrypto.Message(method, pathAndQuery, timestamp, nonce, body));
        return $"mchid=\"{Pay.MchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{Pay.MerchantSerialNo}\"";
    }

    private static JsonObject ParseObject(string text, string api) =>
        WeChatPayJson.ParseObject(text)
        ?? throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "response is not a JSON object", api);

    private static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
