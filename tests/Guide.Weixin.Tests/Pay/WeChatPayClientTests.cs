using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Guide.Weixin.Fake;
using Guide.Weixin.Pay;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Weixin.Tests.Pay;

public sealed class WeChatPayClientTests
{
    private static JsapiOrder Order(string no, long total = 1990) => new(no, "会员充值 199 元", total, "o-payer-1");

    [Fact]
    public async Task Signed_prepay_returns_a_prepay_id()
    {
        await using var h = await WeixinHarness.StartAsync();

        var prepayId = await h.Pay.CreateJsapiOrderAsync(Order("order_000001") with { Attach = "member:42" });

        Assert.StartsWith("wx", prepayId);
        var order = await h.Pay.QueryOrderAsync("order_000001");
        Assert.Equal("NOTPAY", order.TradeState);
        Assert.Equal("member:42", order.Attach);
        Assert.Equal(1990, order.TotalFen);
    }

    [Fact]
    public async Task Same_order_twice_returns_the_same_prepay_id()
    {
        await using var h = await WeixinHarness.StartAsync();
        var first = await h.Pay.CreateJsapiOrderAsync(Order("order_000002"));
        var again = await h.Pay.CreateJsapiOrderAsync(Order("order_000002"));
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Request_payment_is_signed_with_the_merchant_key()
    {
        await using var h = await WeixinHarness.StartAsync();
        var prepayId = await h.Pay.CreateJsapiOrderAsync(Order("order_000003"));

        var p = h.Pay.CreateRequestPayment(prepayId);

        Assert.Equal("RSA", p.SignType);
        Assert.Equal("prepay_id=" + prepayId, p.Package);
        Assert.Equal(h.Fake.Options.AppId, p.AppId);
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(h.Fake.MerchantCertificatePath));
        using var key = certificate.GetRSAPublicKey()!;
        var message = $"{p.AppId}\n{p.TimeStamp}\n{p.NonceStr}\n{p.Package}\n";
        Assert.True(key.VerifyData(Encoding.UTF8.GetBytes(message), Convert.FromBase64String(p.PaySign),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Paid_order_queries_as_success_for_what_we_created()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000004", 5000));
        var transactionId = h.Fake.PayOrder("order_000004");

        var order = await h.Pay.QueryOrderAsync("order_000004");

        Assert.Equal(transactionId, order.TransactionId);
        Assert.Equal("o-payer-1", order.PayerOpenId);
        Assert.True(order.IsPaidAsCreated(h.Fake.Options.AppId, h.Fake.Options.MchId, 5000));
        Assert.False(order.IsPaidAsCreated(h.Fake.Options.AppId, h.Fake.Options.MchId, 5001));
    }

    [Fact]
    public async Task Unknown_order_is_ORDER_NOT_EXIST()
    {
        await using var h = await WeixinHarness.StartAsync();
        var e = await Assert.ThrowsAsync<WeChatPayApiException>(() => h.Pay.QueryOrderAsync("order_nothere"));
        Assert.Equal("ORDER_NOT_EXIST", e.Code);
        Assert.Equal(404, e.ErrorCode);
    }

    [Fact]
    public async Task Genuine_error_signed_with_the_platform_certificate_is_believed()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.PaySigningMode = FakePaySigningMode.PlatformCertificate;

        var e = await Assert.ThrowsAsync<WeChatPayApiException>(() => h.Pay.QueryOrderAsync("order_nothere"));

        Assert.Equal("ORDER_NOT_EXIST", e.Code);
    }

    [Fact]
    public async Task Forged_ORDER_NOT_EXIST_with_a_bad_signature_is_a_signature_failure()
    {
        // The settle job closes a recharge whose order does not exist: a forged answer must not reach it.
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000016"));
        h.Fake.FailNext(FakeWeixinApis.PayQuery, 404, "ORDER_NOT_EXIST");
        h.Fake.CorruptNextPayResponseSignature();

        var e = await Record.ExceptionAsync(() => h.Pay.QueryOrderAsync("order_000016"));

        Assert.IsType<WeChatPaySignatureException>(e);
    }

    [Fact]
    public async Task Unsigned_ORDER_NOT_EXIST_is_reported_by_its_HTTP_status_alone()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000017"));
        h.Fake.FailNext(FakeWeixinApis.PayQuery, 404, "ORDER_NOT_EXIST");
        h.Fake.StripNextPayResponseSignature();

        var e = await Record.ExceptionAsync(() => h.Pay.QueryOrderAsync("order_000017"));

        Assert.False(e is WeChatPayApiException, $"an unsigned answer was believed: {e}");
        Assert.Equal(404, Assert.IsType<WeChatPayUnverifiedResponseException>(e).ErrorCode);
    }

    [Fact]
    public async Task Unsigned_5xx_is_retried_as_transient_but_never_reported_as_SYSTEM_ERROR()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000018"));
        for (var i = 0; i < 3; i++) h.Fake.FailNext(FakeWeixinApis.PayQuery, -1, "系统繁忙");
        h.Fake.StripNextPayResponseSignature(3);

        var e = await Record.ExceptionAsync(() => h.Pay.QueryOrderAsync("order_000018"));

        Assert.Equal(3, h.Fake.Calls(FakeWeixinApis.PayQuery));
        Assert.False(e is WeChatPayApiException, $"an unsigned answer was believed: {e}");
        Assert.Equal(500, Assert.IsType<WeChatPayUnverifiedResponseException>(e).ErrorCode);
    }

    [Fact]
    public async Task Unsigned_5xx_followed_by_a_genuine_answer_succeeds()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000019"));
        h.Fake.FailNext(FakeWeixinApis.PayQuery, -1, "bad gateway");
        h.Fake.StripNextPayResponseSignature();

        Assert.Equal("NOTPAY", (await h.Pay.QueryOrderAsync("order_000019")).TradeState);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.PayQuery));
    }

    [Fact]
    public async Task Unverified_codes_do_not_decide_retries()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000020"));
        // An unsigned 403 claiming FREQUENCY_LIMITED: its code is unverified, and 403 is not transient.
        h.Fake.FailNext(FakeWeixinApis.PayQuery, 403, "FREQUENCY_LIMITED");
        h.Fake.StripNextPayResponseSignature();
        var unsigned = await Record.ExceptionAsync(() => h.Pay.QueryOrderAsync("order_000020"));
        // A SYSTEM_ERROR whose signature fails: forged, so not worth asking again either.
        h.Fake.FailNext(FakeWeixinApis.PayQuery, -1, "系统繁忙");
        h.Fake.CorruptNextPayResponseSignature();
        var forged = await Record.ExceptionAsync(() => h.Pay.QueryOrderAsync("order_000020"));

        Assert.IsType<WeChatPayUnverifiedResponseException>(unsigned);
        Assert.IsType<WeChatPaySignatureException>(forged);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.PayQuery));
    }

    [Fact]
    public async Task Close_answers_204_and_the_order_is_closed()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000005"));

        await h.Pay.CloseOrderAsync("order_000005");

        Assert.Equal("CLOSED", (await h.Pay.QueryOrderAsync("order_000005")).TradeState);
        var again = await Assert.ThrowsAsync<WeChatPayApiException>(() => h.Pay.CreateJsapiOrderAsync(Order("order_000005")));
        Assert.Equal("ORDER_CLOSED", again.Code);
    }

    [Fact]
    public async Task Paid_order_cannot_be_closed_or_ordered_again()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000006"));
        h.Fake.PayOrder("order_000006");

        var close = await Assert.ThrowsAsync<WeChatPayApiException>(() => h.Pay.CloseOrderAsync("order_000006"));
        var reorder = await Assert.ThrowsAsync<WeChatPayApiException>(() => h.Pay.CreateJsapiOrderAsync(Order("order_000006")));

        Assert.Equal("ORDERPAID", close.Code);
        Assert.Equal("ORDERPAID", reorder.Code);
    }

    [Fact]
    public async Task Refund_is_processing_until_settled_and_a_retry_reuses_it()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000007", 3000));
        h.Fake.PayOrder("order_000007");

        var refund = await h.Pay.RefundAsync(new RefundRequest("refund_0007", 1000, 3000, OutTradeNo: "order_000007", Reason: "退卡"));
        var retried = await h.Pay.RefundAsync(new RefundRequest("refund_0007", 1000, 3000, OutTradeNo: "order_000007"));
        h.Fake.SettleRefund("refund_0007");
        var settled = await h.Pay.QueryRefundAsync("refund_0007");

        Assert.Equal("PROCESSING", refund.Status);
        Assert.Equal(refund.RefundId, retried.RefundId);
        Assert.Equal("SUCCESS", settled.Status);
        Assert.Equal(1000, settled.RefundFen);
        Assert.Equal(3000, settled.TotalFen);
    }

    [Fact]
    public async Task Refund_beyond_the_paid_amount_is_refused()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000008", 3000));
        h.Fake.PayOrder("order_000008");
        await h.Pay.RefundAsync(new RefundRequest("refund_0008a", 2000, 3000, OutTradeNo: "order_000008"));

        var e = await Assert.ThrowsAsync<WeChatPayApiException>(() =>
            h.Pay.RefundAsync(new RefundRequest("refund_0008b", 2000, 3000, OutTradeNo: "order_000008")));

        Assert.Equal("INVALID_REQUEST", e.Code);
    }

    [Fact]
    public async Task System_error_is_retried_and_param_error_is_not()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000009"));
        h.Fake.FailNext(FakeWeixinApis.PayQuery, -1, "系统繁忙");

        var order = await h.Pay.QueryOrderAsync("order_000009");
        Assert.Equal("NOTPAY", order.TradeState);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.PayQuery));

        h.Fake.FailNext(FakeWeixinApis.Refund, 403, "NOT_ENOUGH");
        h.Fake.PayOrder("order_000009");
        var e = await Assert.ThrowsAsync<WeChatPayApiException>(() =>
            h.Pay.RefundAsync(new RefundRequest("refund_0009", 100, 1990, OutTradeNo: "order_000009")));
        Assert.Equal("NOT_ENOUGH", e.Code);
        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.Refund));
    }

    [Fact]
    public async Task Response_with_a_bad_signature_is_rejected()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.Pay.CreateJsapiOrderAsync(Order("order_000010"));
        h.Fake.CorruptNextPayResponseSignature();

        var e = await Assert.ThrowsAsync<WeChatPaySignatureException>(() => h.Pay.QueryOrderAsync("order_000010"));

        Assert.Contains("signature", e.Reason);
    }

    [Fact]
    public async Task Responses_signed_in_platform_certificate_mode_verify()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.PaySigningMode = FakePaySigningMode.PlatformCertificate;

        await h.Pay.CreateJsapiOrderAsync(Order("order_000011"));
        await h.Pay.CloseOrderAsync("order_000011");

        Assert.Equal("CLOSED", (await h.Pay.QueryOrderAsync("order_000011")).TradeState);
    }

    [Fact]
    public async Task Public_key_mode_only_rejects_an_unknown_platform_serial()
    {
        await using var h = await WeixinHarness.StartAsync(extraConfiguration: [new("Weixin:Pay:PlatformCertificatePath", "")]);
        h.Fake.PaySigningMode = FakePaySigningMode.PlatformCertificate;

        var e = await Assert.ThrowsAsync<WeChatPaySignatureException>(() => h.Pay.CreateJsapiOrderAsync(Order("order_000012")));

        Assert.Contains("unknown Wechatpay-Serial", e.Reason);
    }

    [Fact]
    public async Task Downloaded_platform_certificates_are_decrypted_and_trusted()
    {
        await using var h = await WeixinHarness.StartAsync(extraConfiguration:
            [new("Weixin:Pay:PlatformCertificatePath", ""), new("Weixin:Pay:PublicKeyId", "")]);

        var pems = await h.Pay.DownloadPlatformCertificatesAsync();
        h.Fake.PaySigningMode = FakePaySigningMode.PlatformCertificate;
        await h.Pay.CreateJsapiOrderAsync(Order("order_000013"));

        var certificate = Assert.Single(pems);
        Assert.Equal(h.Fake.PlatformSerialNo, X509Certificate2.CreateFromPem(certificate).SerialNumber);
    }

    [Fact]
    public async Task Certificate_list_whose_signature_fails_leaves_no_key_trusted()
    {
        // Public-key mode only: the list's platform certificate is not pinned, so it can only vouch for itself.
        await using var h = await WeixinHarness.StartAsync(extraConfiguration: [new("Weixin:Pay:PlatformCertificatePath", "")]);
        await h.Pay.CreateJsapiOrderAsync(Order("order_000015"));
        h.Fake.PayOrder("order_000015");
        h.Fake.CorruptNextPayResponseSignature();

        await Assert.ThrowsAsync<WeChatPaySignatureException>(() => h.Pay.DownloadPlatformCertificatesAsync());

        Assert.Null(h.Services.GetRequiredService<WeChatPayKeys>().FindVerificationKey(h.Fake.PlatformSerialNo));
        h.Fake.PaySigningMode = FakePaySigningMode.PlatformCertificate;
        var n = h.Fake.CreatePayNotification("order_000015");
        var e = Assert.Throws<WeChatPaySignatureException>(() =>
            h.PayNotifications.Read(WeChatPaySignatureHeaders.From(name => n.Headers.GetValueOrDefault(name)), n.Body));
        Assert.Contains("unknown Wechatpay-Serial", e.Reason);
    }

    [Fact]
    public async Task Certificate_list_that_does_not_decrypt_with_our_APIv3_key_leaves_no_key_trusted()
    {
        // Whoever does not hold the APIv3 key cannot make a list we accept, however well it is signed.
        await using var h = await WeixinHarness.StartAsync(extraConfiguration:
            [new("Weixin:Pay:PlatformCertificatePath", ""), new("Weixin:Pay:ApiV3Key", "AnotherApiV3Key0123456789abcdefg")]);

        var e = await Assert.ThrowsAsync<WeChatPaySignatureException>(() => h.Pay.DownloadPlatformCertificatesAsync());

        Assert.Contains("decrypt", e.Reason);
        Assert.Null(h.Services.GetRequiredService<WeChatPayKeys>().FindVerificationKey(h.Fake.PlatformSerialNo));
    }

    [Fact]
    public async Task Request_signed_with_the_wrong_serial_is_refused_by_WeChat_Pay()
    {
        await using var h = await WeixinHarness.StartAsync(extraConfiguration: [new("Weixin:Pay:MerchantSerialNo", "0123456789ABCDEF")]);

        var e = await Record.ExceptionAsync(() => h.Pay.CreateJsapiOrderAsync(Order("order_000014")));

        // WeChat Pay does not sign its refusal of a request it could not authenticate, so its SIGN_ERROR
        // cannot be told from a forgery: reported by status, with the claim in the message for the operator.
        Assert.Equal(401, Assert.IsType<WeChatPayUnverifiedResponseException>(e).ErrorCode);
        Assert.Contains("SIGN_ERROR", e.Message);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has space in it")]
    [InlineData("this_out_trade_no_is_far_too_long_for_wechat")]
    public async Task Invalid_out_trade_no_fails_before_any_call(string outTradeNo)
    {
        await using var h = await WeixinHarness.StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => h.Pay.CreateJsapiOrderAsync(Order(outTradeNo)));
        Assert.Equal(0, h.Fake.Calls(FakeWeixinApis.PayJsapi));
    }
}
