using Guide.Domain.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Guide.Api.Tests.Support;
using Guide.Domain.Wallets;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Wallets;

/// <summary>Recharge packages, recharges through WeChat Pay, the notify webhook and the settle job.</summary>
public abstract class RechargeTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    public static TheoryData<string, string> MemberRoutes => new()
    {
        { "GET", "/api/mp/recharge-packages" }, { "POST", "/api/mp/recharges" }, { "GET", $"/api/mp/recharges/{Guid.NewGuid()}" },
    };

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/admin/recharge-packages" }, { "POST", "/api/admin/recharge-packages" }, { "GET", $"/api/admin/recharge-packages/{Guid.NewGuid()}" },
        { "PUT", $"/api/admin/recharge-packages/{Guid.NewGuid()}" }, { "DELETE", $"/api/admin/recharge-packages/{Guid.NewGuid()}" }, { "GET", "/api/admin/recharges" },
    };

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { price = 1 }) };

    private Task<RechargePackageView> PackageAsync(long price = 50_000, long? giftAmount = 5_000, int? giftPercent = null, int? level = null,
        int? limit = null, DateTimeOffset? from = null, DateTimeOffset? until = null) =>
        Api.SendAsync(new SaveRechargePackage(null, "充 " + price / 100 + " 送", price, giftAmount, giftPercent, level, from, until, limit));

    private async Task<(ApiFixture.LoggedIn Member, string OutTradeNo, Guid RechargeId)> StartAsync(RechargePackageView package)
    {
        var member = await Api.LogInMemberAsync();
        var response = await Api.Client(member.Token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var recharge = body.GetProperty("recharge");
        return (member, recharge.GetProperty("outTradeNo").GetString()!, recharge.GetProperty("id").GetGuid());
    }


    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_a_token_every_recharge_route_is_401(string method, string path) =>
        await AssertProblemAsync(await Api.Client().SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [SkippableTheory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_member_token_opens_no_hq_recharge_route(string method, string path)
    {
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    public async Task An_hq_token_opens_no_member_recharge_route(string method, string path)
    {
        var hq = await Api.LogInAdminAsync();
        await AssertProblemAsync(await Api.Client(hq.Token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task Hq_manages_packages_and_the_mini_program_lists_those_on_sale()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var created = await hq.PostAsJsonAsync("/api/admin/recharge-packages", new { name = "充500送10%", price = 50_000, giftPercent = 10, levelGranted = 2, perMemberLimit = 3 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var package = await created.JsonAsync();
        var id = package.GetProperty("id").GetGuid();
        Assert.Equal(5_000, package.GetProperty("gift").GetInt64());

        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/recharge-packages", new { name = "x", price = 0 }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/recharge-packages", new { name = "x", price = 100, giftAmount = 1, giftPercent = 1 }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/recharge-packages", new { name = "x", price = 100, onSaleFrom = "2030-01-02T00:00:00Z", onSaleUntil = "2030-01-01T00:00:00Z" }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/recharge-packages/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "recharge_package.not_found");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/recharge-packages/{Guid.NewGuid()}", new { name = "x", price = 100 }), HttpStatusCode.NotFound, "recharge_package.not_found");

        var updated = await (await hq.PutAsJsonAsync($"/api/admin/recharge-packages/{id}", new { name = "充500送60", price = 50_000, giftAmount = 6_000 })).JsonAsync();
        Assert.Equal(6_000, updated.GetProperty("gift").GetInt64());
        var future = await PackageAsync(from: DateTimeOffset.UtcNow.AddDays(1));

        var member = await Api.LogInMemberAsync();
        var listed = await (await Api.Client(member.Token).GetAsync("/api/mp/recharge-packages")).JsonAsync();
        var ids = listed.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(id, ids);
        Assert.DoesNotContain(future.Id, ids);

        Assert.True((await (await hq.DeleteAsync($"/api/admin/recharge-packages/{id}")).JsonAsync()).GetProperty("archived").GetBoolean());
        var after = await (await Api.Client(member.Token).GetAsync("/api/mp/recharge-packages")).JsonAsync();
        Assert.DoesNotContain(id, after.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
    }

    [SkippableFact]
    public async Task A_recharge_is_credited_once_when_its_notification_arrives_twenty_times_at_once()
    {
        var package = await PackageAsync(50_000, 5_000, level: 3);
        var (member, outTradeNo, rechargeId) = await StartAsync(package);
        Assert.Equal((0L, 0L), await Api.BalanceAsync(member.Id));

        Api.Weixin.PayOrder(outTradeNo);
        var notification = Api.Weixin.CreatePayNotification(outTradeNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Api.NotifyAsync(notification);
            return response.StatusCode;
        }));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.NoContent, s));

        Assert.Equal((50_000L, 5_000L), await Api.BalanceAsync(member.Id));
        Assert.Equal(1, await Api.EntryCountAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
        var recharge = await (await Api.Client(member.Token).GetAsync($"/api/mp/recharges/{rechargeId}")).JsonAsync();
        Assert.Equal("paid", recharge.GetProperty("status").GetString());
        var me = await (await Api.Client(member.Token).GetAsync("/api/mp/me")).JsonAsync();
        Assert.Equal(3, me.GetProperty("level").GetInt32());
        var lot = await Api.DbAsync(db => db.WalletLots.AsNoTracking().SingleAsync(l => l.MemberId == member.Id));
        Assert.Equal((WalletLotSource.Recharge, (Guid?)rechargeId), (lot.Source, lot.SourceId));

        var stranger = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(stranger.Token).GetAsync($"/api/mp/recharges/{rechargeId}"), HttpStatusCode.NotFound, "recharge.not_found");
    }

    [SkippableFact]
    public async Task Starting_a_recharge_returns_request_payment_parameters_and_refuses_bad_packages()
    {
        var package = await PackageAsync(10_000, null, giftPercent: 5, limit: 1);
        var member = await Api.LogInMemberAsync();
        var mp = Api.Client(member.Token);
        var body = await (await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
        var payment = body.GetProperty("payment");
        Assert.Equal(Api.Weixin.Options.AppId, payment.GetProperty("appId").GetString());
        Assert.StartsWith("prepay_id=", payment.GetProperty("package").GetString());
        Assert.Equal("RSA", payment.GetProperty("signType").GetString());
        Assert.Equal("pending", body.GetProperty("recharge").GetProperty("status").GetString());
        Assert.Equal(500, body.GetProperty("recharge").GetProperty("gift").GetInt64());

        // Buying it again while the first purchase can still be paid answers that purchase (a closed payment sheet blocks nothing).
        var again = await (await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
        var outTradeNo = body.GetProperty("recharge").GetProperty("outTradeNo").GetString()!;
        Assert.Equal(outTradeNo, again.GetProperty("recharge").GetProperty("outTradeNo").GetString());
        Assert.Equal(payment.GetProperty("package").GetString(), again.GetProperty("payment").GetProperty("package").GetString());
        Assert.Equal(1, await Api.DbAsync(db => db.Recharges.CountAsync(r => r.MemberId == member.Id)));
        Api.Weixin.PayOrder(outTradeNo);
        Assert.Equal(SettleOutcome.Credited, await Api.SendAsync(new SettleRechargePayment(
            new PayOrderState(outTradeNo, "SUCCESS", "T" + outTradeNo, 10_000, DateTimeOffset.UtcNow, MatchesMerchant: true))));
        await AssertProblemAsync(await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id }), HttpStatusCode.Conflict, "recharge.limit_reached");
        await AssertProblemAsync(await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = Guid.NewGuid() }), HttpStatusCode.NotFound, "recharge_package.not_found");
        await AssertProblemAsync(await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = Guid.Empty }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = "nope" }), HttpStatusCode.BadRequest, "request.malformed");
        var ended = await PackageAsync(until: DateTimeOffset.UtcNow.AddSeconds(-1), from: DateTimeOffset.UtcNow.AddDays(-1));
        await AssertProblemAsync(await mp.PostAsJsonAsync("/api/mp/recharges", new { packageId = ended.Id }), HttpStatusCode.Conflict, "recharge_package.not_on_sale");
        Assert.Equal((10_000L, 500L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task Forged_stale_or_tampered_notifications_are_refused_and_credit_nothing()
    {
        var (member, outTradeNo, _) = await StartAsync(await PackageAsync());
        Api.Weixin.PayOrder(outTradeNo);
        var genuine = Api.Weixin.CreatePayNotification(outTradeNo);

        var tampered = genuine with { Body = genuine.Body.Replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ") };
        var refused = await Api.NotifyAsync(tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("\"code\":\"FAIL\"", await refused.Content.ReadAsStringAsync());
        var stale = Api.Weixin.SignPayNotification(genuine.Body, DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.NotifyAsync(stale)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.NotifyAsync(genuine.WithHeader("Wechatpay-Signature", Convert.ToBase64String(new byte[256])))).StatusCode);
        using (var garbage = new HttpRequestMessage(HttpMethod.Post, "/webhooks/wxpay/notify") { Content = new StringContent("not json") })
            Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Client().SendAsync(garbage)).StatusCode);
        Assert.Equal((0L, 0L), await Api.BalanceAsync(member.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(genuine)).StatusCode);
        Assert.Equal((50_000L, 5_000L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task The_settle_job_credits_a_paid_recharge_whose_notification_never_came_and_closes_expired_ones()
    {
        var package = await PackageAsync(20_000, 2_000);
        var (paidMember, paidNo, _) = await StartAsync(package);
        var (idleMember, idleNo, idleId) = await StartAsync(package);
        Api.Weixin.PayOrder(paidNo);
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Api.InScopeAsync(db => db.Recharges.Where(r => r.Id == idleId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, past)));

        var closesBefore = Api.Weixin.Calls(FakeWeixinApis.PayClose);
        await Api.SendAsync(new SettlePendingRecharges(TimeSpan.Zero));
        Assert.Equal((20_000L, 2_000L), await Api.BalanceAsync(paidMember.Id));
        var credit = await Api.DbAsync(db => db.WalletEntries.AsNoTracking().SingleAsync(e => e.MemberId == paidMember.Id));
        Assert.Equal((WalletEntryKind.Recharge, 20_000L, 2_000L, paidNo), (credit.Kind, credit.PrincipalDelta, credit.GiftDelta, credit.Reference));
        var idle = await Api.DbAsync(db => db.Recharges.AsNoTracking().SingleAsync(r => r.Id == idleId));
        Assert.Equal(RechargeStatus.Closed, idle.Status);
        Assert.Equal(closesBefore + 1, Api.Weixin.Calls(FakeWeixinApis.PayClose)); // the unpaid order was closed at WeChat Pay too

        await Api.SendAsync(new SettlePendingRecharges(TimeSpan.Zero));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(Api.Weixin.CreatePayNotification(paidNo))).StatusCode);
        Assert.Equal((20_000L, 2_000L), await Api.BalanceAsync(paidMember.Id));
        Assert.Equal((0L, 0L), await Api.BalanceAsync(idleMember.Id));
        Assert.Equal(1, await Api.EntryCountAsync(paidMember.Id));
        // A second run changes nothing: the idle order stays closed and uncredited.
        Assert.Equal(RechargeStatus.Closed, await Api.DbAsync(db => db.Recharges.Where(r => r.OutTradeNo == idleNo).Select(r => r.Status).SingleAsync()));
    }
}

public sealed class RechargeTestsOnSqlite(SqliteApi fixture) : RechargeTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class RechargeTestsOnMySql(MySqlApi fixture) : RechargeTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
