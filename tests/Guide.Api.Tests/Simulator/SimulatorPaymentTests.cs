using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Simulator;

/// <summary>
/// Simulator mode completes a recharge as production does: the simulated WeChat Pay POSTs a signed, encrypted
/// notification to our own <c>/webhooks/wxpay/notify</c>, by itself a moment after the prepay and refund, or
/// when <c>POST /api/simulator/pay/{outTradeNo}</c> asks. Jobs are off in these hosts, so a credited wallet can
/// only have come through the webhook, i.e. through its signature check and decryption.
/// </summary>
public sealed class SimulatorAutoPayTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public Task InitializeAsync()
    {
        _host = SimulatorHost.Start(autoPayAfterSeconds: 0.3);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_recharge_is_paid_by_the_notification_a_moment_after_the_prepay()
    {
        var (memberId, token, rechargeId, outTradeNo) = await _host.StartRechargeAsync(50_000, 5_000);

        await SimulatorHost.EventuallyAsync(() => _host.RechargeAsync(token, rechargeId), r => r.GetProperty("status").GetString() == "paid");

        var transactionId = await _host.TransactionIdAsync(rechargeId);
        Assert.False(string.IsNullOrEmpty(transactionId));
        var wallet = await (await _host.Client(token).GetAsync("/api/mp/wallet")).JsonAsync();
        Assert.Equal(50_000, wallet.GetProperty("principal").GetInt64());
        Assert.Equal(5_000, wallet.GetProperty("gift").GetInt64());
        Assert.Equal(2, (await (await _host.Client(token).GetAsync("/api/mp/me")).JsonAsync()).GetProperty("level").GetInt32());
        // The order query answers as WeChat Pay would now.
        var state = await _host.InScopeAsync(sp => sp.GetRequiredService<IRechargePayments>().QueryAsync(outTradeNo, CancellationToken.None));
        Assert.Equal("SUCCESS", state.TradeState);
        Assert.Equal(transactionId, state.TransactionId);
        await _host.InScopeAsync(async sp =>
        {
            await WalletBuilders.AssertWalletConsistentAsync(sp.GetRequiredService<Domain.Persistence.GuideDbContext>(), memberId);
            return true;
        });
    }

    [Fact]
    public async Task A_recharge_refund_settles_by_its_notification_and_the_refund_query_answers_success()
    {
        var (memberId, token, rechargeId, _) = await _host.StartRechargeAsync(30_000, 3_000);
        await SimulatorHost.EventuallyAsync(() => _host.RechargeAsync(token, rechargeId), r => r.GetProperty("status").GetString() == "paid");

        var hq = _host.Client(await _host.LogInHqAsync());
        var started = await hq.PostWithKeyAsync($"/api/admin/recharges/{rechargeId}/refund", new { reason = "顾客退卡" });
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        var outRefundNo = (await started.JsonAsync()).GetProperty("outRefundNo").GetString()!;

        var refunded = await SimulatorHost.EventuallyAsync(() => _host.RechargeAsync(token, rechargeId), r => r.GetProperty("status").GetString() == "refunded");
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        var refunds = await (await hq.GetAsync($"/api/admin/recharges/{rechargeId}/refunds")).JsonAsync();
        Assert.Equal("succeeded", Assert.Single(refunds.EnumerateArray()).GetProperty("status").GetString());
        var wallet = await (await _host.Client(token).GetAsync("/api/mp/wallet")).JsonAsync();
        Assert.Equal(0, wallet.GetProperty("total").GetInt64());
        var state = await _host.InScopeAsync(sp => sp.GetRequiredService<IRechargePayments>().QueryRefundAsync(outRefundNo, CancellationToken.None));
        Assert.Equal("SUCCESS", state.Status);
        await _host.InScopeAsync(async sp =>
        {
            await WalletBuilders.AssertWalletConsistentAsync(sp.GetRequiredService<Domain.Persistence.GuideDbContext>(), memberId);
            return true;
        });
    }

    [Fact]
    public async Task The_guide_sees_the_seeded_demo_member_of_the_store()
    {
        var session = await (await _host.Client().PostAsJsonAsync("/api/guide/session", new { code = "sim-guide" })).JsonAsync();
        var members = await (await _host.Client(session.GetProperty("accessToken").GetString()).GetAsync("/api/guide/members")).JsonAsync();
        var demo = Assert.Single(members.GetProperty("items").EnumerateArray());
        Assert.Equal("演示会员 Demo Member", demo.GetProperty("nickname").GetString());

        // wx.login code "demo" is that member.
        var (memberId, _) = await _host.LogInShopperAsync("demo");
        Assert.Equal(demo.GetProperty("id").GetGuid(), memberId);
    }
}

/// <summary>With automatic payment off, the shopper pays through the documented simulator route.</summary>
public sealed class SimulatorPayRouteTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public Task InitializeAsync()
    {
        _host = SimulatorHost.Start(autoPayAfterSeconds: 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_pay_route_pays_through_our_webhook_and_a_second_call_credits_nothing_more()
    {
        var (_, token, rechargeId, outTradeNo) = await _host.StartRechargeAsync(20_000, 2_000);
        await Task.Delay(500);
        Assert.Equal("pending", (await _host.RechargeAsync(token, rechargeId)).GetProperty("status").GetString());
        Assert.Equal("NOTPAY", _host.Weixin.OrderState(outTradeNo));

        var response = await _host.Client().PostAsync($"/api/simulator/pay/{outTradeNo}", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var payment = await response.JsonAsync();
        Assert.Equal("SUCCESS", payment.GetProperty("tradeState").GetString());
        Assert.Equal(204, payment.GetProperty("notifyStatus").GetInt32());
        Assert.True(payment.GetProperty("delivered").GetBoolean());
        Assert.EndsWith("/webhooks/wxpay/notify", payment.GetProperty("notifyUrl").GetString());

        // The route answers once our webhook answered: the recharge is paid now.
        var recharge = await _host.RechargeAsync(token, rechargeId);
        Assert.Equal("paid", recharge.GetProperty("status").GetString());
        Assert.Equal(payment.GetProperty("transactionId").GetString(), await _host.TransactionIdAsync(rechargeId));

        var again = await (await _host.Client().PostAsync($"/api/simulator/pay/{outTradeNo}", null)).JsonAsync();
        Assert.Equal(204, again.GetProperty("notifyStatus").GetInt32());
        var wallet = await (await _host.Client(token).GetAsync("/api/mp/wallet")).JsonAsync();
        Assert.Equal(22_000, wallet.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_settle_route_completes_a_recharge_refund_through_our_webhook()
    {
        var (_, token, rechargeId, outTradeNo) = await _host.StartRechargeAsync(10_000, 0);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client().PostAsync($"/api/simulator/pay/{outTradeNo}", null)).StatusCode);
        var hq = _host.Client(await _host.LogInHqAsync());
        var outRefundNo = (await (await hq.PostWithKeyAsync($"/api/admin/recharges/{rechargeId}/refund", new { })).JsonAsync())
            .GetProperty("outRefundNo").GetString()!;
        await Task.Delay(300);
        Assert.Equal("refunding", (await _host.RechargeAsync(token, rechargeId)).GetProperty("status").GetString());

        var settled = await (await _host.Client().PostAsync($"/api/simulator/refunds/{outRefundNo}/settle", null)).JsonAsync();

        Assert.Equal("SUCCESS", settled.GetProperty("status").GetString());
        Assert.Equal(204, settled.GetProperty("notifyStatus").GetInt32());
        Assert.Equal("refunded", (await _host.RechargeAsync(token, rechargeId)).GetProperty("status").GetString());
    }

    public static TheoryData<string, string> Junk => new()
    {
        { "POST", "/api/simulator/pay/x" },
        { "POST", "/api/simulator/pay/" + new string('9', 33) },
        { "POST", "/api/simulator/pay/" + new string('a', 5000) },
        { "POST", "/api/simulator/pay/%2500%2500%2500" }, // a NUL itself Kestrel refuses (400) before any endpoint
        { "POST", "/api/simulator/pay/%E8%AE%A2%E5%8D%95%E5%8F%B7123456" },
        { "POST", "/api/simulator/pay/..%2F..%2Fetc%2Fpasswd" },
        { "POST", "/api/simulator/pay/abc%20def%0Aghi" },
        { "POST", "/api/simulator/pay/abcdef1234567890" },
        { "POST", "/api/simulator/pay/%ud800abcdef" },
        { "GET", "/api/simulator/pay/abcdef1234567890" },
        { "PUT", "/api/simulator/pay/abcdef1234567890" },
        { "POST", "/api/simulator/pay/" },
        { "POST", "/api/simulator/refunds/nosuchrefund/settle" },
        { "POST", "/api/simulator/refunds/" + new string('r', 65) + "/settle" },
        { "POST", "/api/simulator/refunds/%F0%9F%8E%89/settle" },
    };

    [Theory]
    [MemberData(nameof(Junk))]
    public async Task The_simulator_routes_answer_junk_with_problem_details_never_5xx(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{\"outTradeNo\": [1, 2, {\"x\": null}]} junk", Encoding.UTF8, "application/json"),
        };
        using var response = await _host.Client().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("code").GetString()), text);
    }

    [Fact]
    public async Task An_unknown_order_is_a_404_with_a_stable_code()
    {
        using var response = await _host.Client().PostAsync("/api/simulator/pay/abcdef1234567890", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("simulator.order_not_found", (await response.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_closed_order_is_a_409()
    {
        var (_, _, _, outTradeNo) = await _host.StartRechargeAsync(1_000, 0);
        await _host.InScopeAsync(async sp => { await sp.GetRequiredService<IRechargePayments>().CloseAsync(outTradeNo, CancellationToken.None); return true; });
        using var response = await _host.Client().PostAsync($"/api/simulator/pay/{outTradeNo}", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("simulator.order_closed", (await response.JsonAsync()).GetProperty("code").GetString());
    }
}

/// <summary>Without simulator mode the simulator's routes do not exist.</summary>
public sealed class SimulatorOffTests
{
    [Fact]
    public async Task The_pay_route_is_absent_when_the_simulator_is_off()
    {
        await using var host = SimulatorHost.Start(autoPayAfterSeconds: 3, simulator: false);
        using var response = await host.Client().PostAsync("/api/simulator/pay/abcdef1234567890", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("route.not_found", (await response.JsonAsync()).GetProperty("code").GetString());
        using var refund = await host.Client().PostAsync("/api/simulator/refunds/abcdef/settle", null);
        Assert.Equal(HttpStatusCode.NotFound, refund.StatusCode);
    }
}
