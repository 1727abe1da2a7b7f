using System.Text.Json.Nodes;
using Guide.Weixin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.Pay;

/// <summary>
/// The entry point for the API's WeChat Pay notify endpoint. Verifies the signature and timestamp window
/// before anything is parsed or decrypted, then decrypts the resource (AEAD_AES_256_GCM, APIv3 key).
/// Answer 200/204 with no body on success; on <see cref="WeChatPaySignatureException"/> answer 401 with
/// <see cref="FailureBody"/>. WeChat Pay re-sends unanswered notifications for about 24 hours (15s, 15s,
/// 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m, 3h, 3h, 3h, 6h, 6h; pay.weixin.qq.com/doc/v2/merchant/4011937248
/// and docs/partner/products/notification/introduction.html), so handle by
/// <see cref="WeChatPayNotification.DeduplicationKey"/>.
/// </summary>
public sealed class WeChatPayNotificationReader(WeChatPayVerifier verifier, IOptionsMonitor<WeixinOptions> options)
{
    public WeChatPayNotification Read(IHeaderDictionary headers, string body) =>
        Read(WeChatPaySignatureHeaders.From(name => headers.TryGetValue(name, out var v) ? v.ToString() : null), body);

    public WeChatPayNotification Read(WeChatPaySignatureHeaders headers, string body)
    {
        verifier.Verify(headers, body);

        var json = WeChatPayJson.ParseObject(body) ?? throw new WeChatPaySignatureException("notification is not a JSON object");
        var resource = json["resource"] as JsonObject ?? throw new WeChatPaySignatureException("notification has no resource");
        if (WeixinHttp.OptionalString(resource, "algorithm") != "AEAD_AES_256_GCM")
            throw new WeChatPaySignatureException("unsupported resource algorithm");

        var plain = WeChatPayCrypto.DecryptResource(options.CurrentValue.Pay.ApiV3Key,
            WeixinHttp.OptionalString(resource, "ciphertext") ?? "",
            WeixinHttp.OptionalString(resource, "nonce") ?? "",
            WeixinHttp.OptionalString(resource, "associated_data"));
        var decrypted = WeChatPayJson.ParseObject(plain) ?? throw new WeChatPaySignatureException("decrypted resource is not a JSON object");

        var eventType = WeixinHttp.OptionalString(json, "event_type") ?? "";
        return new WeChatPayNotification(
            WeixinHttp.OptionalString(json, "id") ?? "",
            WeChatPayJson.Time(json, "create_time") ?? DateTimeOffset.MinValue,
            eventType,
            WeixinHttp.OptionalString(json, "summary"),
            WeixinHttp.OptionalString(resource, "original_type"),
            plain,
            eventType.StartsWith("TRANSACTION.", StringComparison.Ordinal) ? WeChatPayJson.Transaction(decrypted) : null,
            eventType.StartsWith("REFUND.", StringComparison.Ordinal) ? WeChatPayJson.Refund(decrypted) : null);
    }

    /// <summary>The body of a failure answer: <c>{"code":"FAIL","message":...}</c>.</summary>
    public static string FailureBody(string message) =>
        new JsonObject { ["code"] = "FAIL", ["message"] = message }.ToJsonString();
}
