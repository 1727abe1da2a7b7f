using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Guide.Weixin.Fake;
using Guide.Weixin.Pay;
using Microsoft.AspNetCore.Http;

namespace Guide.Weixin.Tests.Pay;

public sealed class WeChatPayNotificationTests
{
    private static async Task<(WeixinHarness H, FakePayNotification Notification)> PaidAsync(string no = "order_100001")
    {
        var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(new JsapiOrder(no, "充值", 8800, "o-payer-9"));
        h.Fake.PayOrder(no);
        return (h, h.Fake.CreatePayNotification(no));
    }

    private static WeChatPaySignatureHeaders Headers(FakePayNotification n) =>
        WeChatPaySignatureHeaders.From(name => n.Headers.GetValueOrDefault(name));

    [Fact]
    public async Task Genuine_notification_is_verified_and_decrypted()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;

        var notification = h.PayNotifications.Read(Headers(n), n.Body);

        Assert.Equal("TRANSACTION.SUCCESS", notification.EventType);
        Assert.NotNull(notification.Transaction);
        Assert.Equal("order_100001", notification.Transaction.OutTradeNo);
        Assert.True(notification.Transaction.IsPaidAsCreated(h.Fake.Options.AppId, h.Fake.Options.MchId, 8800));
        Assert.Equal($"pay:{notification.Transaction.TransactionId}:TRANSACTION.SUCCESS", notification.DeduplicationKey);
    }

    [Fact]
    public async Task Notification_signed_with_the_platform_certificate_is_verified()
    {
        var (h, _) = await PaidAsync();
        await using var __ = h;
        h.Fake.PaySigningMode = FakePaySigningMode.PlatformCertificate;
        var n = h.Fake.CreatePayNotification("order_100001");

        Assert.Equal(h.Fake.PlatformSerialNo, n.Header("Wechatpay-Serial"));
        Assert.Equal("TRANSACTION.SUCCESS", h.PayNotifications.Read(Headers(n), n.Body).EventType);
    }

    [Fact]
    public async Task Tampered_body_is_rejected()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var tampered = n with { Body = n.Body.Replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ") };

        var e = Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(tampered), tampered.Body));
        Assert.Equal("signature does not match", e.Reason);
    }

    [Fact]
    public async Task Forged_notification_signed_with_another_key_is_rejected()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        using var forger = RSA.Create(2048);
        var message = $"{n.Header("Wechatpay-Timestamp")}\n{n.Header("Wechatpay-Nonce")}\n{n.Body}\n";
        var forged = n.WithHeader("Wechatpay-Signature", Convert.ToBase64String(
            forger.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));

        Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(forged), forged.Body));
    }

    [Fact]
    public async Task Stale_notification_is_rejected_even_with_a_valid_signature()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var replayed = h.Fake.SignPayNotification(n.Body, DateTimeOffset.UtcNow.AddMinutes(-6));

        var e = Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(replayed), replayed.Body));
        Assert.Contains("timestamp", e.Reason);
    }

    [Fact]
    public async Task Signature_probe_fails_verification()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var probe = n.WithHeader("Wechatpay-Signature", "WECHATPAY/SIGNTEST/" + n.Header("Wechatpay-Signature"));

        var e = Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(probe), probe.Body));
        Assert.Contains("SIGNTEST", e.Reason);
    }

    [Fact]
    public async Task Unknown_serial_and_missing_headers_are_rejected()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var unknown = n.WithHeader("Wechatpay-Serial", "PUB_KEY_ID_SOMEONE_ELSE");

        Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(unknown), unknown.Body));
        Assert.Throws<WeChatPaySignatureException>(() =>
            h.PayNotifications.Read(new WeChatPaySignatureHeaders(null, null, null, null), n.Body));
    }

    [Fact]
    public async Task Resource_that_does_not_decrypt_is_rejected_after_a_valid_signature()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var json = JsonNode.Parse(n.Body)!.AsObject();
        var ciphertext = Convert.FromBase64String(json["resource"]!["ciphertext"]!.GetValue<string>());
        ciphertext[0] ^= 0xFF;
        json["resource"]!["ciphertext"] = Convert.ToBase64String(ciphertext);
        // Re-signed as WeChat Pay would: only the APIv3 key can protect the content.
        var resigned = h.Fake.SignPayNotification(json.ToJsonString());

        var e = Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(resigned), resigned.Body));
        Assert.Contains("decrypt", e.Reason);
    }

    [Fact]
    public async Task Refund_notification_carries_the_refund()
    {
        var (h, _) = await PaidAsync();
        await using var __ = h;
        await h.Pay.RefundAsync(new RefundRequest("refund_1001", 8800, 8800, OutTradeNo: "order_100001"));
        h.Fake.SettleRefund("refund_1001");
        var n = h.Fake.CreateRefundNotification("refund_1001");

        var notification = h.PayNotifications.Read(Headers(n), n.Body);

        Assert.Equal("REFUND.SUCCESS", notification.EventType);
        Assert.Equal("refund_1001", notification.Refund!.OutRefundNo);
        Assert.Equal("SUCCESS", notification.Refund.Status);
        Assert.Equal(8800, notification.Refund.RefundFen);
        Assert.Equal("refund:refund_1001:REFUND.SUCCESS", notification.DeduplicationKey);
    }

    [Fact]
    public async Task Delivered_over_http_duplicates_share_one_key_and_forgeries_get_401()
    {
        await using var h = await WeixinHarness.StartAsync();
        var keys = new List<string>();
        await using var receiver = await LoopbackReceiver.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            try
            {
                var n = h.PayNotifications.Read(ctx.Request.Headers, body);
                lock (keys) keys.Add(n.DeduplicationKey);
                ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            catch (WeChatPaySignatureException e)
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await ctx.Response.WriteAsync(WeChatPayNotificationReader.FailureBody(e.Reason));
            }
        });
        await h.Pay.CreateJsapiOrderAsync(new JsapiOrder("order_100002", "充值", 100, "o-1", NotifyUrl: "https://guide.invalid/notify"));

        var answers = await h.Fake.SendPayNotificationAsync("order_100002", receiver.Url, copies: 2);
        var forged = h.Fake.CreatePayNotification("order_100002").WithHeader("Wechatpay-Nonce", "replaced");
        var forgedAnswer = await h.Fake.PostPayNotificationAsync(receiver.Url, forged);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a));
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer);
    }
}
