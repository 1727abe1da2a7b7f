using System.Net;
using System.Net.Http.Json;
using System.Text;
using Guide.Api.Tests.Support;
using Guide.Domain.Wallets;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Wallets;

/// <summary>HQ refunds a recharge: unspent principal through WeChat Pay, gift taken back, never silently smaller.</summary>
public abstract class RechargeRefundTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private async Task<(Guid MemberId, Guid RechargeId, string OutTradeNo)> PaidRechargeAsync(long price = 50_000, long gift = 5_000, int? level = null)
    {
        var package = await Api.SendAsync(new SaveRechargePackage(null, "充值", price, gift, null, level, null, null, null));
        var member = await Api.LogInMemberAsync();
        var body = await (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
        var outTradeNo = body.GetProperty("recharge").GetProperty("outTradeNo").GetString()!;
        Api.Weixin.PayOrder(outTradeNo);
        Assert.Equal(HttpStatusCode.NoContent, (await NotifyAsync(Api.Weixin.CreatePayNotification(outTradeNo))).StatusCode);
        return (member.Id, body.GetProperty("recharge").GetProperty("id").GetGuid(), outTradeNo);
    }

    private async Task<HttpResponseMessage> NotifyAsync(FakePayNotification notification)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/wxpay/notify") { Content = new StringContent(notification.Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in notification.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await Api.Client().SendAsync(request);
    }

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    [SkippableFact]
    public async Task Refund_routes_are_hq_only()
    {
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client().PostAsJsonAsync($"/api/admin/recharges/{Guid.NewGuid()}/refund", new { }), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await AssertProblemAsync(await Api.Client(member.Token).PostAsJsonAsync($"/api/admin/recharges/{Guid.NewGuid()}/refund", new { }), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await Api.Client(member.Token).GetAsync($"/api/admin/recharges/{Guid.NewGuid()}/refunds"), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task An_unspent_recharge_is_refunded_through_wechat_pay_and_the_notification_completes_it_once()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync(level: 4);
        var hq = await HqAsync();
        Assert.Equal(4, await Api.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.Level).SingleAsync()));

        var started = await (await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { })).JsonAsync();
        Assert.Equal("processing", started.GetProperty("status").GetString());
        Assert.Equal(50_000, started.GetProperty("principal").GetInt64());
        Assert.Equal(5_000, started.GetProperty("gift").GetInt64());
        var outRefundNo = started.GetProperty("outRefundNo").GetString()!;
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId)); // held out of the wallet while WeChat Pay works
        Assert.Equal(0, await Api.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.Level).SingleAsync()));

        var retried = await (await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { })).JsonAsync();
        Assert.Equal(outRefundNo, retried.GetProperty("outRefundNo").GetString());

        Api.Weixin.SettleRefund(outRefundNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => (await NotifyAsync(Api.Weixin.CreateRefundNotification(outRefundNo))).StatusCode));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.NoContent, s));
        var refunds = await (await hq.GetAsync($"/api/admin/recharges/{rechargeId}/refunds")).JsonAsync();
        Assert.Equal("succeeded", Assert.Single(refunds.EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(RechargeStatus.Refunded, await Api.DbAsync(db => db.Recharges.Where(r => r.Id == rechargeId).Select(r => r.Status).SingleAsync()));
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { }), HttpStatusCode.Conflict, "recharge.not_refundable");
        Assert.Equal(2, await Api.EntryCountAsync(memberId));
        await Api.AssertWalletConsistentAsync(memberId);
    }

    [SkippableFact]
    public async Task A_partly_spent_recharge_is_refused_with_the_gap_unless_forced_with_a_reason()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync(10_000, 1_000);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        (await pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("POS"), amount = 1_100, memberId })).EnsureSuccessStatusCode();
        var hq = await HqAsync();

        var refused = await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { });
        var problem = await AssertProblemAsync(refused, HttpStatusCode.Conflict, "recharge.partly_spent");
        Assert.Equal(1_000, problem.GetProperty("gap").GetInt64());
        Assert.Equal(9_000, problem.GetProperty("unspent").GetInt64());
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { force = true }), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal((9_000L, 900L), await Api.BalanceAsync(memberId));

        var forced = await (await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { force = true, reason = "顾客投诉，经理批准" })).JsonAsync();
        Assert.True(forced.GetProperty("forced").GetBoolean());
        Assert.Equal(9_000, forced.GetProperty("principal").GetInt64());
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId));
        await Api.AssertWalletConsistentAsync(memberId);
    }

    [SkippableFact]
    public async Task A_refund_wechat_pay_closes_puts_the_money_back()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync(level: 2);
        var hq = await HqAsync();
        var outRefundNo = (await (await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { })).JsonAsync()).GetProperty("outRefundNo").GetString()!;
        Api.Weixin.SettleRefund(outRefundNo, "CLOSED");
        Assert.Equal(HttpStatusCode.NoContent, (await NotifyAsync(Api.Weixin.CreateRefundNotification(outRefundNo))).StatusCode);
        Assert.Equal((50_000L, 5_000L), await Api.BalanceAsync(memberId));
        Assert.Equal(2, await Api.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.Level).SingleAsync()));
        Assert.Equal(RechargeStatus.Paid, await Api.DbAsync(db => db.Recharges.Where(r => r.Id == rechargeId).Select(r => r.Status).SingleAsync()));
        await Api.AssertWalletConsistentAsync(memberId);
    }

    [SkippableFact]
    public async Task After_365_days_the_refund_is_off_channel_with_a_recorded_reason()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync();
        var longAgo = DateTimeOffset.UtcNow.AddDays(-400);
        await Api.InScopeAsync(db => db.Recharges.Where(r => r.Id == rechargeId).ExecuteUpdateAsync(s => s.SetProperty(r => r.PaidAt, longAgo)));
        var hq = await HqAsync();
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { }), HttpStatusCode.BadRequest, "recharge.reason_required");
        var refund = await (await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { reason = "超过一年，银行转账退款" })).JsonAsync();
        Assert.Equal("off_channel", refund.GetProperty("channel").GetString());
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId));
    }

    [SkippableFact]
    public async Task Only_paid_recharges_can_be_refunded()
    {
        var hq = await HqAsync();
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/recharges/{Guid.NewGuid()}/refund", new { }), HttpStatusCode.NotFound, "recharge.not_found");
        var package = await Api.SendAsync(new SaveRechargePackage(null, "充值", 1_000, null, null, null, null, null, null));
        var member = await Api.LogInMemberAsync();
        var pending = await (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/recharges/{pending.GetProperty("recharge").GetProperty("id").GetGuid()}/refund", new { }),
            HttpStatusCode.Conflict, "recharge.not_refundable");
    }
}

public sealed class RechargeRefundTestsOnSqlite(SqliteApi fixture) : RechargeRefundTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class RechargeRefundTestsOnMySql(MySqlApi fixture) : RechargeRefundTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
