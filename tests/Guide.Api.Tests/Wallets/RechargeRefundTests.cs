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
        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(Api.Weixin.CreatePayNotification(outTradeNo))).StatusCode);
        return (member.Id, body.GetProperty("recharge").GetProperty("id").GetGuid(), outTradeNo);
    }


    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    /// <summary>HQ's refund call as the console sends it: with an Idempotency-Key (a new one unless given).</summary>
    private static Task<HttpResponseMessage> RefundAsync(HttpClient hq, Guid rechargeId, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/recharges/{rechargeId}/refund") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return hq.SendAsync(request);
    }

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

        var started = await (await RefundAsync(hq, rechargeId, new { })).JsonAsync();
        Assert.Equal("processing", started.GetProperty("status").GetString());
        Assert.Equal(50_000, started.GetProperty("principal").GetInt64());
        Assert.Equal(5_000, started.GetProperty("gift").GetInt64());
        var outRefundNo = started.GetProperty("outRefundNo").GetString()!;
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId)); // held out of the wallet while WeChat Pay works
        Assert.Equal(0, await Api.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.Level).SingleAsync()));

        var retried = await (await RefundAsync(hq, rechargeId, new { })).JsonAsync();
        Assert.Equal(outRefundNo, retried.GetProperty("outRefundNo").GetString());

        Api.Weixin.SettleRefund(outRefundNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => (await Api.NotifyAsync(Api.Weixin.CreateRefundNotification(outRefundNo))).StatusCode));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.NoContent, s));
        var refunds = await (await hq.GetAsync($"/api/admin/recharges/{rechargeId}/refunds")).JsonAsync();
        Assert.Equal("succeeded", Assert.Single(refunds.EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(RechargeStatus.Refunded, await Api.DbAsync(db => db.Recharges.Where(r => r.Id == rechargeId).Select(r => r.Status).SingleAsync()));
        await AssertProblemAsync(await RefundAsync(hq, rechargeId, new { }), HttpStatusCode.Conflict, "recharge.not_refundable");
        Assert.Equal(2, await Api.EntryCountAsync(memberId));
        await Api.AssertWalletConsistentAsync(memberId);
    }

    [SkippableFact]
    public async Task A_partly_spent_recharge_is_refused_with_what_was_used_unless_forced_and_then_pays_back_the_payment_less_the_use()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync(10_000, 1_000);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        // Proportional: 1100 × 1000/11000 = 100 gift, 1000 principal.
        (await pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("POS"), amount = 1_100, memberId })).EnsureSuccessStatusCode();
        var hq = await HqAsync();

        var refused = await RefundAsync(hq, rechargeId, new { });
        var problem = await AssertProblemAsync(refused, HttpStatusCode.Conflict, "recharge.partly_spent");
        Assert.Equal(10_000, problem.GetProperty("paid").GetInt64());
        Assert.Equal(1_000, problem.GetProperty("principalUsed").GetInt64());
        Assert.Equal(100, problem.GetProperty("giftUsed").GetInt64());
        Assert.Equal(8_900, problem.GetProperty("refundable").GetInt64()); // 10000 paid − 1000 − 100 used
        await AssertProblemAsync(await RefundAsync(hq, rechargeId, new { force = true }), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal((9_000L, 900L), await Api.BalanceAsync(memberId));

        var forced = await (await RefundAsync(hq, rechargeId, new { force = true, reason = "顾客投诉，经理批准" })).JsonAsync();
        Assert.True(forced.GetProperty("forced").GetBoolean());
        Assert.Equal(9_000, forced.GetProperty("principal").GetInt64());
        Assert.Equal(900, forced.GetProperty("gift").GetInt64());
        Assert.Equal(8_900, forced.GetProperty("amount").GetInt64());
        Assert.Equal(8_900, Api.Weixin.RefundAmountOf(forced.GetProperty("outRefundNo").GetString()!));
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId));
        await Api.AssertWalletConsistentAsync(memberId);
    }

    /// <summary>
    /// The gift is never a way to take money out: spending only a package's gift (gift first, or proportional
    /// when an older lot pays the principal) touches the lot, so its principal is not refunded in full.
    /// </summary>
    [SkippableTheory]
    [InlineData("gift_first", 0L)]
    [InlineData("proportional", 100_000L)]
    public async Task Spending_a_package_s_gift_and_refunding_its_principal_in_full_is_impossible(string policy, long olderPrincipal)
    {
        var hq = await HqAsync();
        (await hq.PutAsJsonAsync("/api/admin/wallet/settings", new { splitPolicy = policy, passwordFreeLimit = 1_000_000 })).EnsureSuccessStatusCode();
        try
        {
            var package = await Api.SendAsync(new SaveRechargePackage(null, "充500送50", 50_000, 5_000, null, null, null, null, null));
            var member = await Api.LogInMemberAsync();
            if (olderPrincipal > 0)
            {
                // An older lot, principal only: it pays the principal share first (oldest lot first, in each bucket).
                await Api.CreditAsync(member.Id, olderPrincipal);
                var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
                await Api.InScopeAsync(db => db.WalletLots.Where(l => l.MemberId == member.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.CreatedAt, yesterday)));
            }
            var started = await (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
            var outTradeNo = started.GetProperty("recharge").GetProperty("outTradeNo").GetString()!;
            var rechargeId = started.GetProperty("recharge").GetProperty("id").GetGuid();
            Api.Weixin.PayOrder(outTradeNo);
            Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(Api.Weixin.CreatePayNotification(outTradeNo))).StatusCode);

            // gift_first: 5000 all from the gift. proportional: 5000 × 5000/155000 = 161.29 → 161 gift (from the
            // package's lot, the only one with gift), 4839 principal (from the older lot, oldest first).
            var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
            (await pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("POS"), amount = 5_000, memberId = member.Id })).EnsureSuccessStatusCode();
            var giftUsed = policy == "gift_first" ? 5_000L : 161L;
            var lot = await Api.DbAsync(db => db.WalletLots.AsNoTracking().SingleAsync(l => l.SourceId == rechargeId));
            Assert.Equal((50_000L, 5_000L - giftUsed), (lot.PrincipalRemaining, lot.GiftRemaining));

            var refused = await AssertProblemAsync(await RefundAsync(hq, rechargeId, new { }), HttpStatusCode.Conflict, "recharge.partly_spent");
            Assert.Equal(giftUsed, refused.GetProperty("giftUsed").GetInt64());
            Assert.Equal(0, refused.GetProperty("principalUsed").GetInt64());
            Assert.Equal(50_000 - giftUsed, refused.GetProperty("refundable").GetInt64());

            var forced = await (await RefundAsync(hq, rechargeId, new { force = true, reason = "会员要求退款" })).JsonAsync();
            Assert.Equal(50_000 - giftUsed, forced.GetProperty("amount").GetInt64());
            Assert.Equal(50_000 - giftUsed, Api.Weixin.RefundAmountOf(forced.GetProperty("outRefundNo").GetString()!));
            await Api.AssertWalletConsistentAsync(member.Id);
        }
        finally
        {
            (await hq.PutAsJsonAsync("/api/admin/wallet/settings", new { splitPolicy = "proportional", passwordFreeLimit = 20_000 })).EnsureSuccessStatusCode();
        }
    }

    [SkippableFact]
    public async Task A_refund_needs_an_idempotency_key_and_a_retried_request_applies_once()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync(10_000, 1_000);
        var hq = await HqAsync();
        var noKey = await hq.PostAsJsonAsync($"/api/admin/recharges/{rechargeId}/refund", new { });
        await AssertProblemAsync(noKey, HttpStatusCode.BadRequest, "idempotency.key_required");
        await AssertProblemAsync(await RefundAsync(hq, rechargeId, new { }, key: new string('k', 65)), HttpStatusCode.BadRequest, "idempotency.key_required");
        Assert.Equal((10_000L, 1_000L), await Api.BalanceAsync(memberId));

        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RefundAsync(hq, rechargeId, new { reason = "双击" }, key)));
        var bodies = await Task.WhenAll(answers.Select(a => a.JsonAsync()));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(bodies.Select(b => b.GetProperty("outRefundNo").GetString()).Distinct());
        Assert.Equal(1, await Api.DbAsync(db => db.RechargeRefunds.CountAsync(r => r.RechargeId == rechargeId)));
        await AssertProblemAsync(await RefundAsync(hq, rechargeId, new { reason = "另一个原因" }, key), HttpStatusCode.Conflict, "idempotency.key_reused");
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId));
        Assert.Equal(2, await Api.EntryCountAsync(memberId));
        await Api.AssertWalletConsistentAsync(memberId);
    }

    [SkippableFact]
    public async Task A_refund_wechat_pay_closes_puts_the_money_back()
    {
        var (memberId, rechargeId, _) = await PaidRechargeAsync(level: 2);
        var hq = await HqAsync();
        var outRefundNo = (await (await RefundAsync(hq, rechargeId, new { })).JsonAsync()).GetProperty("outRefundNo").GetString()!;
        Api.Weixin.SettleRefund(outRefundNo, "CLOSED");
        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(Api.Weixin.CreateRefundNotification(outRefundNo))).StatusCode);
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
        await AssertProblemAsync(await RefundAsync(hq, rechargeId, new { }), HttpStatusCode.BadRequest, "recharge.reason_required");
        var refund = await (await RefundAsync(hq, rechargeId, new { reason = "超过一年，银行转账退款" })).JsonAsync();
        Assert.Equal("off_channel", refund.GetProperty("channel").GetString());
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        Assert.Equal((0L, 0L), await Api.BalanceAsync(memberId));
    }

    [SkippableFact]
    public async Task Only_paid_recharges_can_be_refunded()
    {
        var hq = await HqAsync();
        await AssertProblemAsync(await RefundAsync(hq, Guid.NewGuid(), new { }), HttpStatusCode.NotFound, "recharge.not_found");
        var package = await Api.SendAsync(new SaveRechargePackage(null, "充值", 1_000, null, null, null, null, null, null));
        var member = await Api.LogInMemberAsync();
        var pending = await (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
        await AssertProblemAsync(await RefundAsync(hq, pending.GetProperty("recharge").GetProperty("id").GetGuid(), new { }),
            HttpStatusCode.Conflict, "recharge.not_refundable");
    }
}

public sealed class RechargeRefundTestsOnSqlite(SqliteApi fixture) : RechargeRefundTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class RechargeRefundTestsOnMySql(MySqlApi fixture) : RechargeRefundTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
