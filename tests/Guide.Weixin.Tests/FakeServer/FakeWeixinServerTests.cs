using System.Net;
using Guide.Weixin.Fake;
using Guide.Weixin.Pay;
using Microsoft.AspNetCore.Http;

namespace Guide.Weixin.Tests.FakeServer;

public sealed class FakeWeixinServerTests
{
    [Fact]
    public async Task Configuration_names_every_key_and_the_key_files_exist()
    {
        await using var fake = await FakeWeixinServer.StartAsync();
        var config = fake.WeixinConfiguration().ToDictionary(kv => kv.Key, kv => kv.Value);

        string[] required =
        [
            "Weixin:MiniProgram:BaseUrl", "Weixin:MiniProgram:AppId", "Weixin:MiniProgram:AppSecret", "Weixin:MiniProgram:PushToken",
            "Weixin:MiniProgram:PushEncodingAesKey", "Weixin:WeCom:BaseUrl", "Weixin:WeCom:CorpId", "Weixin:WeCom:AgentId",
            "Weixin:WeCom:AgentSecret", "Weixin:WeCom:ContactSecret", "Weixin:WeCom:CallbackToken", "Weixin:WeCom:CallbackEncodingAesKey",
            "Weixin:Pay:BaseUrl", "Weixin:Pay:MchId", "Weixin:Pay:MerchantSerialNo", "Weixin:Pay:MerchantPrivateKeyPath", "Weixin:Pay:ApiV3Key",
            "Weixin:Pay:PublicKeyId", "Weixin:Pay:PublicKeyPath", "Weixin:Pay:PlatformCertificatePath", "Weixin:Pay:NotifyUrl",
        ];
        Assert.All(required, key => Assert.False(string.IsNullOrEmpty(config.GetValueOrDefault(key)), key));
        Assert.True(File.Exists(config["Weixin:Pay:MerchantPrivateKeyPath"]));
        Assert.True(File.Exists(config["Weixin:Pay:PublicKeyPath"]));
        Assert.True(File.Exists(config["Weixin:Pay:PlatformCertificatePath"]));
        Assert.StartsWith("http://127.0.0.1:", config["Weixin:MiniProgram:BaseUrl"]);
    }

    [Fact]
    public async Task Key_folder_is_removed_on_dispose()
    {
        var fake = await FakeWeixinServer.StartAsync();
        var path = fake.MerchantPrivateKeyPath;
        await fake.DisposeAsync();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Simulator_pay_endpoint_pays_and_notifies_the_orders_notify_url()
    {
        await using var h = await WeixinHarness.StartAsync(new FakeWeixinOptions { Lenient = true });
        var paid = new TaskCompletionSource<WeChatPayNotification>();
        await using var receiver = await LoopbackReceiver.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            paid.TrySetResult(h.PayNotifications.Read(ctx.Request.Headers, body));
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await h.Pay.CreateJsapiOrderAsync(new JsapiOrder("sim_order_1", "充值", 100, "sim-openid-a", NotifyUrl: receiver.Url.ToString()));

        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(h.Fake.PayBaseUrl + "/_fake/orders/sim_order_1/pay"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notification = await paid.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("sim_order_1", notification.Transaction!.OutTradeNo);
    }

    [Fact]
    public async Task A_notification_the_merchant_does_not_accept_is_delivered_again_until_it_answers_204()
    {
        await using var h = await WeixinHarness.StartAsync(new FakeWeixinOptions
        {
            Lenient = true, NotifyRetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)],
        });
        var deliveries = 0;
        var accepted = new TaskCompletionSource<WeChatPayNotification>();
        await using var receiver = await LoopbackReceiver.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            var notification = h.PayNotifications.Read(ctx.Request.Headers, body); // every delivery is signed afresh
            if (Interlocked.Increment(ref deliveries) < 3)
            {
                ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }
            accepted.TrySetResult(notification);
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await h.Pay.CreateJsapiOrderAsync(new JsapiOrder("sim_order_2", "充值", 100, "sim-openid-a", NotifyUrl: receiver.Url.ToString()));

        var payment = await h.Fake.PayAndNotifyAsync("sim_order_2");

        Assert.Equal(500, payment.Notification.Status);
        Assert.False(payment.Notification.Accepted);
        Assert.Equal("sim_order_2", (await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10))).Transaction!.OutTradeNo);
        await Task.Delay(300);
        Assert.Equal(3, Volatile.Read(ref deliveries)); // accepted: no more deliveries
        Assert.Equal("SUCCESS", (await h.Pay.QueryOrderAsync("sim_order_2")).TradeState);
    }

    [Fact]
    public async Task With_auto_pay_an_order_is_paid_and_notified_by_itself()
    {
        await using var h = await WeixinHarness.StartAsync(new FakeWeixinOptions { Lenient = true, AutoPayAfter = TimeSpan.FromMilliseconds(100) });
        var paid = new TaskCompletionSource<WeChatPayNotification>();
        await using var receiver = await LoopbackReceiver.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            paid.TrySetResult(h.PayNotifications.Read(ctx.Request.Headers, body));
            ctx.Response.StatusCode = StatusCodes.Status200OK;
        });
        await h.Pay.CreateJsapiOrderAsync(new JsapiOrder("sim_order_3", "充值", 100, "sim-openid-a", NotifyUrl: receiver.Url.ToString()));

        var notification = await paid.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCESS", notification.Transaction!.TradeState);
        Assert.Equal("SUCCESS", h.Fake.OrderState("sim_order_3"));
    }

    [Fact]
    public async Task The_fake_pay_route_answers_404_for_an_unknown_order_not_500()
    {
        await using var h = await WeixinHarness.StartAsync(new FakeWeixinOptions { Lenient = true });
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(h.Fake.PayBaseUrl + "/_fake/orders/no_such_order/pay"), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Strict_fake_refuses_a_plain_http_notify_url()
    {
        await using var h = await WeixinHarness.StartAsync();
        var e = await Assert.ThrowsAsync<WeChatPayApiException>(() =>
            h.Pay.CreateJsapiOrderAsync(new JsapiOrder("order_http_1", "充值", 100, "o", NotifyUrl: "http://guide.invalid/notify")));
        Assert.Equal("PARAM_ERROR", e.Code);
    }
}
