using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Guide.Weixin.Fake;

public sealed partial class FakeWeixinServer
{
    private sealed class FakeOrder
    {
        public required string OutTradeNo { get; init; }
        public required string AppId { get; init; }
        public required string MchId { get; init; }
        public required string Description { get; init; }
        public required long Total { get; init; }
        public required string OpenId { get; init; }
        public required string NotifyUrl { get; init; }
        public string? Attach { get; init; }
        public required string PrepayId { get; init; }
        public string State { get; set; } = "NOTPAY";
        public string? TransactionId { get; set; }
        public DateTimeOffset? SuccessTime { get; set; }
    }

    private sealed class FakeRefund
    {
        public required string OutRefundNo { get; init; }
        public required string RefundId { get; init; }
        public required FakeOrder Order { get; init; }
        public required long Amount { get; init; }
        public string? NotifyUrl { get; init; }
        public string Status { get; set; } = "PROCESSING";
        public DateTimeOffset CreateTime { get; init; } = DateTimeOffset.UtcNow;
        public DateTimeOffset? SuccessTime { get; set; }
    }

    private static readonly HttpClient Sender = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, FakeOrder> _orders = new();
    private readonly Dictionary<string, FakeRefund> _refunds = new();
    private int _corruptPaySignatures;
    private int _unsignedPayResponses;
    private string? _keyFolder;

    /// <summary>Which key signs responses and notifications; switchable at run time.</summary>
    public FakePaySigningMode PaySigningMode { get; set; } = FakePaySigningMode.PublicKey;

    /// <summary>Serial number of the generated merchant certificate (what the client sends as serial_no).</summary>
    public string MerchantSerialNo => FakePayKeys.Instance.MerchantCertificate.SerialNumber;

    /// <summary>Serial number of the generated platform certificate.</summary>
    public string PlatformSerialNo => FakePayKeys.Instance.PlatformCertificate.SerialNumber;

    public string MerchantPrivateKeyPath => Path.Combine(_keyFolder!, "apiclient_key.pem");
    public string MerchantCertificatePath => Path.Combine(_keyFolder!, "apiclient_cert.pem");
    public string PublicKeyPath => Path.Combine(_keyFolder!, "pub_key.pem");
    public string PlatformCertificatePath => Path.Combine(_keyFolder!, "wechatpay_platform_cert.pem");

    /// <summary>
    /// The next <paramref name="count"/> WeChat Pay responses, successes and errors alike, carry a signature that
    /// does not verify: a forged or tampered answer.
    /// </summary>
    public void CorruptNextPayResponseSignature(int count = 1)
    {
        lock (_lock) _corruptPaySignatures += count;
    }

    /// <summary>
    /// The next <paramref name="count"/> WeChat Pay responses carry no signature headers at all: an answer made
    /// by a gateway or by someone in the middle rather than by WeChat Pay. With <see cref="FailNext"/>, a
    /// forged error such as ORDER_NOT_EXIST.
    /// </summary>
    public void StripNextPayResponseSignature(int count = 1)
    {
        lock (_lock) _unsignedPayResponses += count;
    }

    /// <summary>The user pays an order (state SUCCESS); returns its transaction_id. Sends nothing.</summary>
    public string PayOrder(string outTradeNo)
    {
        lock (_lock)
        {
            var order = _orders.GetValueOrDefault(outTradeNo) ?? throw new InvalidOperationException($"no order {outTradeNo}");
            if (order.State == "NOTPAY")
            {
                order.State = "SUCCESS";
                order.TransactionId = "4200" + DateTimeOffset.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
                                      + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(CultureInfo.InvariantCulture);
                order.SuccessTime = DateTimeOffset.UtcNow;
            }
            return order.TransactionId ?? throw new InvalidOperationException($"order {outTradeNo} is {order.State}");
        }
    }

    /// <summary>A refund reaches a final status: SUCCESS, CLOSED or ABNORMAL.</summary>
    /// <summary>The amount (fen) a refund asked WeChat Pay to pay back, or null when no refund has that number.</summary>
    public long? RefundAmountOf(string outRefundNo)
    {
        lock (_lock) return _refunds.GetValueOrDefault(outRefundNo)?.Amount;
    }

    public void SettleRefund(string outRefundNo, string status = "SUCCESS")
    {
        lock (_lock)
        {
            var refund = _refunds.GetValueOrDefault(outRefundNo) ?? throw new InvalidOperationException($"no refund {outRefundNo}");
            refund.Status = status;
            if (status == "SUCCESS") refund.SuccessTime = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>The TRANSACTION.SUCCESS notification of a paid order, encrypted and signed.</summary>
    public FakePayNotification CreatePayNotification(string outTradeNo)
    {
        JsonObject resource;
        lock (_lock)
        {
            var order = _orders.GetValueOrDefault(outTradeNo) ?? throw new InvalidOperationException($"no order {outTradeNo}");
            if (order.TransactionId is null) throw new InvalidOperationException($"order {outTradeNo} is not paid; call PayOrder");
            resource = TransactionJson(order);
        }
        return SignPayNotification(NotificationBody("TRANSACTION.SUCCESS", "支付成功", "transaction", resource.ToJsonString()));
    }

    /// <summary>The REFUND.* notification of a settled refund, encrypted and signed.</summary>
    public FakePayNotification CreateRefundNotification(string outRefundNo)
    {
        JsonObject resource;
        string status;
        lock (_lock)
        {
            var refund = _refunds.GetValueOrDefault(outRefundNo) ?? throw new InvalidOperationException($"no refund {outRefundNo}");
            status = refund.Status;
            resource = new JsonObject
            {
                ["mchid"] = refund.Order.MchId,
                ["out_trade_no"] = refund.Order.OutTradeNo,
                ["transaction_id"] = refund.Order.TransactionId,
                ["out_refund_no"] = refund.OutRefundNo,
                ["refund_id"] = refund.RefundId,
                ["refund_status"] = refund.Status,
                ["user_received_account"] = "支付用户零钱",
                ["amount"] = new JsonObject
                {
                    ["total"] = refund.Order.Total, ["refund"] = refund.Amount,
                    ["payer_total"] = refund.Order.Total, ["payer_refund"] = refund.Amount,
                },
            };
            if (refund.SuccessTime is { } t) resource["success_time"] = Rfc3339(t);
        }
        var eventType = status switch { "SUCCESS" => "REFUND.SUCCESS", "CLOSED" => "REFUND.CLOSED", _ => "REFUND.ABNORMAL" };
        return SignPayNotification(NotificationBody(eventType, "退款状态变更", "refund", resource.ToJsonString()));
    }

    /// <summary>
    /// A notification around any decrypted resource, encrypted with the APIv3 key and signed: the way to build
    /// resources WeChat Pay would not send (odd shapes, wrong types), which only the APIv3 key can produce.
    /// </summary>
    public FakePayNotification CreatePayNotification(string eventType, string originalType, string resourceJson) =>
        SignPayNotification(NotificationBody(eventType, "测试", originalType, resourceJson));

    /// <summary>
    /// Signs any notification body with the current <see cref="PaySigningMode"/> key: the way to build stale
    /// (<paramref name="timestamp"/>) or tampered notifications.
    /// </summary>
    public FakePayNotification SignPayNotification(string body, DateTimeOffset? timestamp = null)
    {
        var headers = SignatureHeaders(body, timestamp ?? DateTimeOffset.UtcNow, corrupt: false);
        return new FakePayNotification(body, headers);
    }

    /// <summary>POSTs a notification to <paramref name="url"/>; the status the merchant answered.</summary>
    public async Task<HttpStatusCode> PostPayNotificationAsync(Uri url, FakePayNotification notification, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(notification.Body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in notification.Headers) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.UserAgent.ParseAdd("Mozilla/4.0");
        using var response = await Sender.SendAsync(request, ct).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>
    /// Pays the order if needed and delivers its notification <paramref name="copies"/> times (duplicates,
    /// as WeChat Pay may), to <paramref name="url"/> or the order's notify_url.
    /// </summary>
    public async Task<IReadOnlyList<HttpStatusCode>> SendPayNotificationAsync(string outTradeNo, Uri? url = null, int copies = 1,
        CancellationToken ct = default)
    {
        PayOrder(outTradeNo);
        string notifyUrl;
        lock (_lock) notifyUrl = _orders[outTradeNo].NotifyUrl;
        var notification = CreatePayNotification(outTradeNo);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < copies; i++)
            answers.Add(await PostPayNotificationAsync(url ?? new Uri(notifyUrl), notification, ct).ConfigureAwait(false));
        return answers;
    }

    /// <summary>Delivers a refund's notification (settle it first) <paramref name="copies"/> times.</summary>
    public async Task<IReadOnlyList<HttpStatusCode>> SendRefundNotificationAsync(string outRefundNo, Uri? url = null, int copies = 1,
        CancellationToken ct = default)
    {
        string? notifyUrl;
        lock (_lock) notifyUrl = _refunds.GetValueOrDefault(outRefundNo)?.NotifyUrl ?? _refunds.GetValueOrDefault(outRefundNo)?.Order.NotifyUrl;
        var notification = CreateRefundNotification(outRefundNo);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < copies; i++)
            answers.Add(await PostPayNotificationAsync(url ?? new Uri(notifyUrl!), notification, ct).ConfigureAwait(false));
        return answers;
    }

    private void InitializeKeys()
    {
        var keys = FakePayKeys.Instance;
        _keyFolder = _options.KeyFolder ?? Path.Combine(Path.GetTempPath(), "guide-fake-weixin-" + NewId(6));
        Directory.CreateDirectory(_keyFolder);
        File.WriteAllText(MerchantPrivateKeyPath, keys.MerchantKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(MerchantCertificatePath, keys.MerchantCertificate.ExportCertificatePem());
        File.WriteAllText(PublicKeyPath, keys.PublicKeyModeKey.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(PlatformCertificatePath, keys.PlatformCertificate.ExportCertificatePem());
    }

    private void DeleteKeyFolder()
    {
        if (_options.KeyFolder is null && _keyFolder is not null)
        {
            try { Directory.Delete(_keyFolder, recursive: true); }
            catch (IOException) { }
        }
    }

    private IEnumerable<KeyValuePair<string, string?>> PayConfiguration()
    {
        yield return new("BaseUrl", PayBaseUrl.ToString());
        yield return new("MchId", _options.MchId);
        yield return new("MerchantSerialNo", MerchantSerialNo);
        yield return new("MerchantPrivateKeyPath", MerchantPrivateKeyPath);
        yield return new("ApiV3Key", _options.ApiV3Key);
        yield return new("PublicKeyId", _options.PublicKeyId);
        yield return new("PublicKeyPath", PublicKeyPath);
        yield return new("PlatformCertificatePath", PlatformCertificatePath);
        if (_options.PayNotifyUrl is { } notifyUrl) yield return new("NotifyUrl", notifyUrl);
    }

    private void MapPay(IEndpointRouteBuilder app)
    {
        MapPayApi(app, "POST", "/pay/v3/pay/transactions/jsapi", FakeWeixinApis.PayJsapi, (ctx, body) => Task.FromResult(Prepay(body)));
        MapPayApi(app, "GET", "/pay/v3/pay/transactions/out-trade-no/{no}", FakeWeixinApis.PayQuery, (ctx, body) =>
            Task.FromResult(QueryOrder(ctx.Request.RouteValues["no"]!.ToString()!, ctx.Request.Query["mchid"].ToString())));
        MapPayApi(app, "POST", "/pay/v3/pay/transactions/out-trade-no/{no}/close", FakeWeixinApis.PayClose, (ctx, body) =>
            Task.FromResult(CloseOrder(ctx.Request.RouteValues["no"]!.ToString()!, Str(body, "mchid"))));
        MapPayApi(app, "POST", "/pay/v3/refund/domestic/refunds", FakeWeixinApis.Refund, (ctx, body) => Task.FromResult(CreateRefund(body)));
        MapPayApi(app, "GET", "/pay/v3/refund/domestic/refunds/{no}", FakeWeixinApis.RefundQuery, (ctx, body) =>
            Task.FromResult(QueryRefund(ctx.Request.RouteValues["no"]!.ToString()!)));
        MapPayApi(app, "GET", "/pay/v3/certificates", FakeWeixinApis.PayCertificates, (ctx, body) => Task.FromResult(Certificates()));

        // For the simulator UI: "the user pays" and the notification goes to the order's notify_url. Answers what
        // the merchant answered; never fails because the merchant did.
        app.MapPost("/pay/_fake/orders/{no}/pay", async ctx =>
        {
            var no = ctx.Request.RouteValues["no"]!.ToString()!;
            switch (OrderState(no))
            {
                case null:
                    await WriteJsonAsync(ctx, PayError("ORDER_NOT_EXIST", "订单不存在"), 404).ConfigureAwait(false);
                    return;
                case "CLOSED":
                    await WriteJsonAsync(ctx, PayError("ORDER_CLOSED", "订单已关闭"), 409).ConfigureAwait(false);
                    return;
            }
            var payment = await PayAndNotifyAsync(no, ctx.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(ctx, new JsonObject
            {
                ["transaction_id"] = payment.TransactionId,
                ["notify_url"] = payment.Notification.NotifyUrl,
                ["notified"] = payment.Notification.Status,
                ["error"] = payment.Notification.Error,
            }).ConfigureAwait(false);
        });
    }

    private delegate Task<(int Status, JsonObject? Body)> PayHandler(HttpContext ctx, JsonObject body);

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex AuthorizationPair();

    /// <summary>
    /// Maps a WeChat Pay endpoint: checks the merchant's signature, signs the answer. As WeChat Pay does, every
    /// answer to a request whose signature verified is signed with the platform key, errors included, and the
    /// 401 refusing a bad request signature is not (API v3 "签名" rules:
    /// pay.weixin.qq.com/wiki/doc/apiv3_partner/wechatpay/wechatpay3_3.shtml).
    /// </summary>
    private void MapPayApi(IEndpointRouteBuilder app, string method, string pattern, string api, PayHandler handler) =>
        app.MapMethods(pattern, [method], async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            (int Status, JsonObject? Body) answer;
            var signed = true;
            if (CountAndTakeFailure(api) is { } failure)
                answer = failure.Code == -1
                    ? (500, PayError("SYSTEM_ERROR", failure.Message))
                    : (failure.Code >= 400 ? failure.Code : 400, PayError(failure.Message, failure.Message));
            else if (CheckMerchantSignature(ctx, text) is { } signError)
            {
                answer = (401, PayError("SIGN_ERROR", signError));
                signed = false;
            }
            else
            {
                JsonObject body;
                try { body = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject(); }
                catch (System.Text.Json.JsonException) { body = new JsonObject(); }
                answer = await handler(ctx, body).ConfigureAwait(false);
            }
            await WritePayAnswerAsync(ctx, answer.Status, answer.Body?.ToJsonString() ?? "", signed,
                api == FakeWeixinApis.PayCertificates ? FakePaySigningMode.PlatformCertificate : PaySigningMode).ConfigureAwait(false);
        });

    private string? CheckMerchantSignature(HttpContext ctx, string body)
    {
        var authorization = ctx.Request.Headers.Authorization.ToString();
        const string scheme = "WECHATPAY2-SHA256-RSA2048 ";
        if (!authorization.StartsWith(scheme, StringComparison.Ordinal)) return "Authorization scheme missing";
        var fields = AuthorizationPair().Matches(authorization[scheme.Length..]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        if (fields.GetValueOrDefault("mchid") != _options.MchId) return "mchid does not match";
        if (!string.Equals(fields.GetValueOrDefault("serial_no"), MerchantSerialNo, StringComparison.OrdinalIgnoreCase))
            return "serial_no is not the merchant certificate's";
        if (!long.TryParse(fields.GetValueOrDefault("timestamp"), out var ts)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > 300)
            return "timestamp expired";
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (ctx.Request.Path + ctx.Request.QueryString).ToString();
        var message = $"{ctx.Request.Method}\n{target}\n{ts}\n{fields.GetValueOrDefault("nonce_str")}\n{body}\n";
        return FakeWeixinCrypto.RsaVerify(FakePayKeys.Instance.MerchantKey, message, fields.GetValueOrDefault("signature") ?? "")
            ? null : "signature does not verify";
    }

    private async Task WritePayAnswerAsync(HttpContext ctx, int status, string body, bool signed, FakePaySigningMode mode)
    {
        bool corrupt;
        lock (_lock)
        {
            if (_unsignedPayResponses > 0)
            {
                _unsignedPayResponses--;
                signed = false;
            }
            corrupt = signed && _corruptPaySignatures > 0;
            if (corrupt) _corruptPaySignatures--;
        }
        if (signed)
            foreach (var (name, value) in SignatureHeaders(body, DateTimeOffset.UtcNow, corrupt, mode))
                ctx.Response.Headers[name] = value;
        ctx.Response.StatusCode = status;
        if (body.Length > 0)
        {
            ctx.Response.ContentType = "application/json; charset=utf-8";
            await ctx.Response.WriteAsync(body).ConfigureAwait(false);
        }
    }

    private Dictionary<string, string> SignatureHeaders(string body, DateTimeOffset timestamp, bool corrupt, FakePaySigningMode? mode = null)
    {
        var keys = FakePayKeys.Instance;
        var (serial, key) = (mode ?? PaySigningMode) == FakePaySigningMode.PublicKey
            ? (_options.PublicKeyId, keys.PublicKeyModeKey)
            : (PlatformSerialNo, keys.PlatformKey);
        var ts = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = NewId(16);
        var signature = FakeWeixinCrypto.RsaSign(key, $"{ts}\n{nonce}\n{body}\n" + (corrupt ? "corrupted" : ""));
        return new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = ts,
            ["Wechatpay-Nonce"] = nonce,
            ["Wechatpay-Signature"] = signature,
            ["Wechatpay-Serial"] = serial,
            ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048",
        };
    }

    private string NotificationBody(string eventType, string summary, string originalType, string resourceJson)
    {
        var nonce = NewId(6); // 12 ASCII characters
        return new JsonObject
        {
            ["id"] = "EV-" + NewId(10),
            ["create_time"] = Rfc3339(DateTimeOffset.UtcNow),
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = eventType,
            ["summary"] = summary,
            ["resource"] = new JsonObject
            {
                ["original_type"] = originalType,
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = FakeWeixinCrypto.AesGcmEncrypt(_options.ApiV3Key, nonce, originalType, resourceJson),
                ["associated_data"] = originalType,
                ["nonce"] = nonce,
            },
        }.ToJsonString();
    }

    private static JsonObject PayError(string code, string message) => new() { ["code"] = code, ["message"] = message };

    private static string Rfc3339(DateTimeOffset t) =>
        t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9A-Za-z_\\-|*]{6,32}$")]
    private static partial Regex OutTradeNoPattern();

    private (int, JsonObject?) Prepay(JsonObject body)
    {
        var appId = Str(body, "appid");
        var mchId = Str(body, "mchid");
        var no = Str(body, "out_trade_no") ?? "";
        var description = Str(body, "description") ?? "";
        var notifyUrl = Str(body, "notify_url") ?? "";
        var total = body["amount"]?["total"] is JsonValue t && t.TryGetValue<long>(out var v) ? v : 0;
        var currency = Str(body["amount"], "currency") ?? "CNY";
        var openId = Str(body["payer"], "openid") ?? "";
        if (appId != _options.AppId || mchId != _options.MchId) return (400, PayError("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"));
        if (!OutTradeNoPattern().IsMatch(no)) return (400, PayError("PARAM_ERROR", "out_trade_no 格式错误"));
        if (description.Length is 0 or > 127) return (400, PayError("PARAM_ERROR", "description 长度错误"));
        if (total <= 0 || currency != "CNY") return (400, PayError("PARAM_ERROR", "amount 错误"));
        if (openId.Length == 0) return (400, PayError("PARAM_ERROR", "payer.openid 缺失"));
        if (!Uri.TryCreate(notifyUrl, UriKind.Absolute, out var notify) || (!_options.Lenient && notify.Scheme != "https"))
            return (400, PayError("PARAM_ERROR", "notify_url 必须为 https"));
        lock (_lock)
        {
            if (_orders.TryGetValue(no, out var existing))
            {
                if (existing.State is "SUCCESS" or "REFUND") return (403, PayError("ORDERPAID", "该订单已支付"));
                if (existing.State == "CLOSED") return (400, PayError("ORDER_CLOSED", "订单已关闭"));
                if (existing.Total != total || existing.OpenId != openId || existing.Description != description)
                    return (400, PayError("INVALID_REQUEST", "201 商户订单号重复"));
                return (200, new JsonObject { ["prepay_id"] = existing.PrepayId });
            }
            var order = new FakeOrder
            {
                OutTradeNo = no, AppId = appId!, MchId = mchId!, Description = description, Total = total, OpenId = openId,
                NotifyUrl = notifyUrl, Attach = Str(body, "attach"), PrepayId = "wx" + NewId(14),
            };
            _orders[no] = order;
            ScheduleAutoPay(no);
            return (200, new JsonObject { ["prepay_id"] = order.PrepayId });
        }
    }

    private (int, JsonObject?) QueryOrder(string no, string mchId)
    {
        if (mchId != _options.MchId) return (400, PayError("PARAM_ERROR", "mchid 错误"));
        lock (_lock)
        {
            return _orders.TryGetValue(no, out var order)
                ? (200, TransactionJson(order))
                : (404, PayError("ORDER_NOT_EXIST", "订单不存在"));
        }
    }

    private JsonObject TransactionJson(FakeOrder order)
    {
        var json = new JsonObject
        {
            ["appid"] = order.AppId,
            ["mchid"] = order.MchId,
            ["out_trade_no"] = order.OutTradeNo,
            ["trade_state"] = order.State,
            ["trade_state_desc"] = order.State switch { "SUCCESS" => "支付成功", "CLOSED" => "订单已关闭", "REFUND" => "转入退款", _ => "订单未支付" },
            ["amount"] = new JsonObject { ["total"] = order.Total, ["currency"] = "CNY" },
        };
        if (order.Attach is not null) json["attach"] = order.Attach;
        if (order.TransactionId is not null)
        {
            json["transaction_id"] = order.TransactionId;
            json["trade_type"] = "JSAPI";
            json["bank_type"] = "OTHERS";
            json["success_time"] = Rfc3339(order.SuccessTime!.Value);
            json["payer"] = new JsonObject { ["openid"] = order.OpenId };
            json["amount"] = new JsonObject
            {
                ["total"] = order.Total, ["payer_total"] = order.Total, ["currency"] = "CNY", ["payer_currency"] = "CNY",
            };
        }
        return json;
    }

    private (int, JsonObject?) CloseOrder(string no, string? mchId)
    {
        if (mchId != _options.MchId) return (400, PayError("PARAM_ERROR", "mchid 错误"));
        lock (_lock)
        {
            if (!_orders.TryGetValue(no, out var order)) return (404, PayError("ORDER_NOT_EXIST", "订单不存在"));
            if (order.State is "SUCCESS" or "REFUND") return (400, PayError("ORDERPAID", "订单已支付"));
            order.State = "CLOSED";
            return (204, null);
        }
    }

    private (int, JsonObject?) CreateRefund(JsonObject body)
    {
        var outRefundNo = Str(body, "out_refund_no") ?? "";
        var amount = body["amount"]?["refund"] is JsonValue r && r.TryGetValue<long>(out var rv) ? rv : 0;
        var total = body["amount"]?["total"] is JsonValue t && t.TryGetValue<long>(out var tv) ? tv : 0;
        if (outRefundNo.Length is 0 or > 64) return (400, PayError("PARAM_ERROR", "out_refund_no 错误"));
        lock (_lock)
        {
            if (_refunds.TryGetValue(outRefundNo, out var existing)) return (200, RefundJson(existing));
            var order = Str(body, "out_trade_no") is { } no ? _orders.GetValueOrDefault(no)
                : _orders.Values.FirstOrDefault(o => o.TransactionId is not null && o.TransactionId == Str(body, "transaction_id"));
            if (order is null) return (404, PayError("RESOURCE_NOT_EXISTS", "订单不存在"));
            if (order.TransactionId is null) return (400, PayError("INVALID_REQUEST", "订单未支付"));
            if (total != order.Total) return (400, PayError("PARAM_ERROR", "订单金额与实际不符"));
            var refunded = _refunds.Values.Where(x => x.Order == order && x.Status != "CLOSED").Sum(x => x.Amount);
            if (amount <= 0 || refunded + amount > order.Total) return (400, PayError("INVALID_REQUEST", "申请退款金额超过订单可退金额"));
            var refund = new FakeRefund
            {
                OutRefundNo = outRefundNo, RefundId = "5030" + NewId(12), Order = order, Amount = amount, NotifyUrl = Str(body, "notify_url"),
            };
            _refunds[outRefundNo] = refund;
            order.State = "REFUND";
            ScheduleAutoRefund(outRefundNo);
            return (200, RefundJson(refund));
        }
    }

    private (int, JsonObject?) QueryRefund(string outRefundNo)
    {
        lock (_lock)
        {
            return _refunds.TryGetValue(outRefundNo, out var refund)
                ? (200, RefundJson(refund))
                : (404, PayError("RESOURCE_NOT_EXISTS", "退款单不存在"));
        }
    }

    private static JsonObject RefundJson(FakeRefund refund)
    {
        var json = new JsonObject
        {
            ["refund_id"] = refund.RefundId,
            ["out_refund_no"] = refund.OutRefundNo,
            ["transaction_id"] = refund.Order.TransactionId,
            ["out_trade_no"] = refund.Order.OutTradeNo,
            ["channel"] = "ORIGINAL",
            ["user_received_account"] = "支付用户零钱",
            ["create_time"] = Rfc3339(refund.CreateTime),
            ["status"] = refund.Status,
            ["amount"] = new JsonObject
            {
                ["total"] = refund.Order.Total, ["refund"] = refund.Amount, ["payer_total"] = refund.Order.Total,
                ["payer_refund"] = refund.Amount, ["currency"] = "CNY",
            },
        };
        if (refund.SuccessTime is { } t) json["success_time"] = Rfc3339(t);
        return json;
    }

    private (int, JsonObject?) Certificates()
    {
        var certificate = FakePayKeys.Instance.PlatformCertificate;
        var nonce = NewId(6);
        return (200, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["serial_no"] = certificate.SerialNumber,
                ["effective_time"] = Rfc3339(certificate.NotBefore.ToUniversalTime()),
                ["expire_time"] = Rfc3339(certificate.NotAfter.ToUniversalTime()),
                ["encrypt_certificate"] = new JsonObject
                {
                    ["algorithm"] = "AEAD_AES_256_GCM",
                    ["nonce"] = nonce,
                    ["associated_data"] = "certificate",
                    ["ciphertext"] = FakeWeixinCrypto.AesGcmEncrypt(_options.ApiV3Key, nonce, "certificate", certificate.ExportCertificatePem()),
                },
            }),
        });
    }
}
