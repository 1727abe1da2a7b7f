using System.Net;
using System.Text.Json.Nodes;
using Guide.Weixin.Fake;
using Guide.Weixin.Pay;
using Microsoft.AspNetCore.Http;

namespace Guide.Weixin.Tests.Pay;

/// <summary>
/// Whatever arrives at the notify URL, the reader answers with a verified notification or a
/// <see cref="WeChatPaySignatureException"/> (401): never another exception, which the API would answer with 500.
/// </summary>
public sealed class WeChatPayMalformedNotificationTests
{
    private static async Task<(WeixinHarness H, FakePayNotification Notification)> PaidAsync()
    {
        var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(new JsapiOrder("order_200001", "充值", 8800, "o-payer-9"));
        h.Fake.PayOrder("order_200001");
        return (h, h.Fake.CreatePayNotification("order_200001"));
    }

    private static WeChatPaySignatureHeaders Headers(FakePayNotification n) =>
        WeChatPaySignatureHeaders.From(name => n.Headers.GetValueOrDefault(name));

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("-99999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    [InlineData("99999999999999999999999")]
    [InlineData("1e10")]
    public async Task Timestamp_no_date_can_hold_is_outside_the_window(string timestamp)
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var odd = n.WithHeader("Wechatpay-Timestamp", timestamp);

        var e = Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(odd), odd.Body));

        Assert.Equal("timestamp outside the 5-minute window", e.Reason);
    }

    [Fact]
    public async Task Timestamp_no_date_can_hold_is_answered_401_over_http()
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        // The API's notify endpoint in small: only a signature failure becomes 401, anything else escapes as 500.
        await using var receiver = await LoopbackReceiver.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            try
            {
                h.PayNotifications.Read(ctx.Request.Headers, body);
                ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            catch (WeChatPaySignatureException e)
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await ctx.Response.WriteAsync(WeChatPayNotificationReader.FailureBody(e.Reason));
            }
        });

        var answer = await h.Fake.PostPayNotificationAsync(receiver.Url, n.WithHeader("Wechatpay-Timestamp", long.MaxValue.ToString()));

        Assert.Equal(HttpStatusCode.Unauthorized, answer);
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "Wechatpay-Signature", "AAAA" },
        { "Wechatpay-Signature", Convert.ToBase64String(new byte[512]) },
        { "Wechatpay-Signature", new string('A', 40_000) },
        { "Wechatpay-Signature", "%%% not base64 %%%" },
        { "Wechatpay-Nonce", new string('n', 100_000) },
        { "Wechatpay-Serial", new string('S', 100_000) },
        { "Wechatpay-Serial", "PUB_KEY_ID_\r\nforged log line" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public async Task Malformed_signature_header_is_a_signature_failure_with_a_short_reason(string header, string value)
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var odd = n.WithHeader(header, value);

        var e = Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(odd), odd.Body));

        // The webhook logs the reason: it must not carry a sender's 100 kB or line breaks into the log.
        Assert.InRange(e.Reason.Length, 1, 200);
        Assert.DoesNotContain('\n', e.Reason);
    }

    public static TheoryData<string> RefusedBodies => new()
    {
        "body is an array",
        "body nests deeper than the parser allows",
        "body repeats a property",
        "resource repeats a property",
        "resource is an array",
        "resource is a string",
        "ciphertext is huge and not base64",
        "ciphertext is a number",
        "nonce is huge",
    };

    /// <summary>A genuine notification bent into <paramref name="shape"/>, and signed again as if by WeChat Pay.</summary>
    private static string Bent(string body, string shape)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        var resource = json["resource"]!.AsObject();
        switch (shape)
        {
            case "body is an array": return "[" + body + "]";
            case "body nests deeper than the parser allows": return new string('[', 5000) + new string(']', 5000);
            case "body repeats a property": return body.Replace("{\"id\":", "{\"id\":\"EV-first\",\"id\":", StringComparison.Ordinal);
            case "resource repeats a property":
                return body.Replace("\"resource\":{", "\"resource\":{\"algorithm\":\"AEAD_AES_256_GCM\",", StringComparison.Ordinal);
            case "resource is an array": json["resource"] = new JsonArray(1, 2); break;
            case "resource is a string": json["resource"] = "resource"; break;
            case "ciphertext is huge and not base64": resource["ciphertext"] = new string('%', 100_000); break;
            case "ciphertext is a number": resource["ciphertext"] = 42; break;
            case "nonce is huge": resource["nonce"] = new string('n', 100_000); break;
            case "create_time is beyond year 9999": json["create_time"] = "9999-12-31T23:59:59-14:00"; break;
            case "create_time is before year 1": json["create_time"] = "0001-01-01T00:00:00+14:00"; break;
            case "create_time is a number": json["create_time"] = 99999999999999; break;
            case "create_time is an object": json["create_time"] = new JsonObject { ["year"] = 2026 }; break;
            default: throw new ArgumentOutOfRangeException(nameof(shape), shape, null);
        }
        return json.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public async Task Signed_but_malformed_body_is_a_signature_failure(string shape)
    {
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var bent = h.Fake.SignPayNotification(Bent(n.Body, shape));

        Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(bent), bent.Body));
    }

    [Theory]
    [InlineData("create_time is beyond year 9999")]
    [InlineData("create_time is before year 1")]
    [InlineData("create_time is a number")]
    [InlineData("create_time is an object")]
    public async Task Odd_create_time_does_not_lose_a_genuine_payment(string shape)
    {
        // create_time is informational; refusing the notification would only make WeChat Pay resend it for a day.
        var (h, n) = await PaidAsync();
        await using var _ = h;
        var bent = h.Fake.SignPayNotification(Bent(n.Body, shape));

        var notification = h.PayNotifications.Read(Headers(bent), bent.Body);

        Assert.Equal(DateTimeOffset.MinValue, notification.CreateTime);
        Assert.True(notification.Transaction!.IsPaidAsCreated(h.Fake.Options.AppId, h.Fake.Options.MchId, 8800));
    }

    [Theory]
    [InlineData("""{"appid":"wxfake00000000001","mchid":"1900000001","out_trade_no":"order_200001","trade_state":"SUCCESS","amount":[8800],"payer":"o-payer-9"}""")]
    [InlineData("""{"appid":"wxfake00000000001","mchid":"1900000001","out_trade_no":"order_200001","trade_state":"SUCCESS","amount":{"total":"8800"}}""")]
    [InlineData("""{"appid":"wxfake00000000001","mchid":"1900000001","out_trade_no":"order_200001","trade_state":"SUCCESS","amount":{"total":1e400},"success_time":"9999-12-31T23:59:59-14:00"}""")]
    [InlineData("""{"appid":["wxfake00000000001"],"amount":"8800","payer":{"openid":7}}""")]
    public async Task Decrypted_transaction_of_the_wrong_shape_is_read_but_never_paid_as_created(string resource)
    {
        var (h, _) = await PaidAsync();
        await using var __ = h;
        var n = h.Fake.CreatePayNotification("TRANSACTION.SUCCESS", "transaction", resource);

        var notification = h.PayNotifications.Read(Headers(n), n.Body);

        Assert.False(notification.Transaction!.IsPaidAsCreated(h.Fake.Options.AppId, h.Fake.Options.MchId, 8800));
    }

    [Theory]
    [InlineData("\"a string\"")]
    [InlineData("[1,2,3]")]
    [InlineData("not json")]
    [InlineData("""{"out_trade_no":"order_200001","payer":{"openid":"o-1","openid":"o-2"}}""")]
    public async Task Decrypted_resource_that_is_no_plain_object_is_a_signature_failure(string resource)
    {
        var (h, _) = await PaidAsync();
        await using var __ = h;
        var n = h.Fake.CreatePayNotification("TRANSACTION.SUCCESS", "transaction", resource);

        Assert.Throws<WeChatPaySignatureException>(() => h.PayNotifications.Read(Headers(n), n.Body));
    }
}
