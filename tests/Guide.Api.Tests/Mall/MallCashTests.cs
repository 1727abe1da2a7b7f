using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Common;
using Guide.Domain.Mall;
using Guide.Domain.Points;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Mall;

/// <summary>
/// Points + cash redemptions over HTTP against the fake WeChat Pay on loopback: points and stock are held while the
/// cash part is unpaid, released for fulfilment once by a verified payment (notification or settle job), given back
/// with their original expiry when the order closes unpaid or the member cancels it, and never both.
/// </summary>
public abstract class MallCashTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const long PointsPrice = 100;
    private const long CashPrice = 990;

    private async Task<HttpClient> HqAsync() => Api.Client(await Api.AdminTokenAsync());

    private async Task<Guid> ItemAsync(long stock, string kind = "pickup", long cashPrice = CashPrice, int? total = null)
    {
        var response = await (await HqAsync()).PostAsJsonAsync("/api/admin/mall/items", new
        {
            name = "联名帆布袋 " + ApiFixture.Unique("i"), kind, pointsPrice = PointsPrice, cashPrice, stock, limitTotal = total, allowedLevels = Array.Empty<int>(),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(cashPrice, body.GetProperty("cashPrice").GetInt64());
        return body.GetProperty("id").GetGuid();
    }

    private async Task<ApiFixture.LoggedIn> MemberAsync(long points)
    {
        var member = await Api.LogInMemberAsync();
        await Api.SendAsync(new AdjustPoints(member.Id, points, "test", Guid.NewGuid(), Guid.NewGuid().ToString()));
        return member;
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient shopper, Guid itemId, string? requestId = null, int quantity = 1) =>
        shopper.PostAsJsonAsync("/api/mp/mall/redemptions", new { itemId, quantity, requestId = requestId ?? Guid.NewGuid().ToString() });

    private async Task<(Guid Id, string OutTradeNo, JsonElement Body)> StartAsync(ApiFixture.LoggedIn member, Guid itemId, string? requestId = null)
    {
        var response = await RedeemAsync(Api.Client(member.Token), itemId, requestId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetGuid();
        return (id, id.ToString("N"), body);
    }


    private Task<MallRedemption> RedemptionAsync(Guid id) => Api.DbAsync(db => db.MallRedemptions.AsNoTracking().SingleAsync(r => r.Id == id));

    private Task<long> StockAsync(Guid itemId) => Api.DbAsync(db => db.MallItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync());

    private Task<long> PointsAsync(Guid memberId) => Api.DbAsync(db => db.PointsAccounts.Where(a => a.MemberId == memberId).Select(a => a.Balance).SingleAsync());

    private Task ExpirePaymentAsync(Guid redemptionId)
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        return Api.InScopeAsync(db => db.MallRedemptions.Where(r => r.Id == redemptionId).ExecuteUpdateAsync(s => s.SetProperty(r => r.PaymentExpiresAt, past)));
    }

    /// <summary>Stock = its entries and never negative; each member's points = entries = lots' remainders - debt.</summary>
    private Task AssertConsistentAsync(Guid itemId, params Guid[] members) => Api.InScopeAsync(async db =>
    {
        var stock = await db.MallItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync();
        Assert.Equal(stock, await db.MallStockEntries.Where(e => e.ItemId == itemId).SumAsync(e => e.Delta));
        Assert.True(stock >= 0);
        foreach (var m in members)
        {
            var account = await db.PointsAccounts.AsNoTracking().SingleAsync(a => a.MemberId == m);
            Assert.Equal(account.Balance, await db.PointsEntries.Where(e => e.MemberId == m).SumAsync(e => e.Delta));
            Assert.Equal(account.Balance, await db.PointsLots.Where(l => l.MemberId == m).SumAsync(l => l.Remaining) - account.Debt);
        }
    });

    [SkippableFact]
    public async Task Points_and_stock_are_held_until_the_payment_is_verified_and_twenty_notifications_release_it_once()
    {
        var item = await ItemAsync(stock: 5);
        var member = await MemberAsync(500);
        var requestId = Guid.NewGuid().ToString();
        var (id, outTradeNo, body) = await StartAsync(member, item, requestId);

        Assert.Equal("awaiting_payment", body.GetProperty("status").GetString());
        Assert.Equal(CashPrice, body.GetProperty("cash").GetInt64());
        Assert.Equal(PointsPrice, body.GetProperty("points").GetInt64());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("pickupCode").ValueKind);
        var payment = body.GetProperty("payment");
        Assert.Equal(Api.Weixin.Options.AppId, payment.GetProperty("appId").GetString());
        Assert.StartsWith("prepay_id=", payment.GetProperty("package").GetString());
        Assert.Equal(400, await PointsAsync(member.Id));
        Assert.Equal(4, await StockAsync(item));
        Assert.Equal("NOTPAY", Api.Weixin.OrderState(outTradeNo));

        // A resend with the same requestId: the same redemption and order, nothing taken twice.
        var again = await (await RedeemAsync(Api.Client(member.Token), item, requestId)).JsonAsync();
        Assert.Equal(id, again.GetProperty("id").GetGuid());
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(payment.GetProperty("package").GetString(), again.GetProperty("payment").GetProperty("package").GetString());
        Assert.Equal(400, await PointsAsync(member.Id));

        Api.Weixin.PayOrder(outTradeNo);
        var notification = Api.Weixin.CreatePayNotification(outTradeNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Api.NotifyAsync(notification);
            return response.StatusCode;
        }));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.NoContent, s));

        var paid = await (await Api.Client(member.Token).GetAsync($"/api/mp/mall/redemptions/{id}")).JsonAsync();
        Assert.Equal("redeemed", paid.GetProperty("status").GetString());
        Assert.Matches("^[0-9]{12}$", paid.GetProperty("pickupCode").GetString());
        Assert.NotEqual(JsonValueKind.Null, paid.GetProperty("paidAt").ValueKind);
        Assert.Equal(400, await PointsAsync(member.Id));
        Assert.Equal(4, await StockAsync(item));
        var redemption = await RedemptionAsync(id);
        Assert.False(string.IsNullOrEmpty(redemption.TransactionId));
        Assert.Equal(1, await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member.Id && e.Kind == PointsEntryKind.MallRedemption)));

        // After payment a resend answers it as it is now, without payment parameters; a paid cash part is not cancelled here.
        var after = await (await RedeemAsync(Api.Client(member.Token), item, requestId)).JsonAsync();
        Assert.Equal("redeemed", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("payment").ValueKind);
        await AssertProblemAsync(await Api.Client(member.Token).PostAsync($"/api/mp/mall/redemptions/{id}/cancel", null), HttpStatusCode.Conflict, "mall.cash_paid");

        var stranger = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(stranger.Token).GetAsync($"/api/mp/mall/redemptions/{id}"), HttpStatusCode.NotFound, "mall.redemption_not_found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Client().GetAsync($"/api/mp/mall/redemptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Client(await Api.AdminTokenAsync()).GetAsync($"/api/mp/mall/redemptions/{id}")).StatusCode);
        await AssertConsistentAsync(item, member.Id);
    }

    [SkippableFact]
    public async Task Forged_and_mismatched_payments_release_nothing()
    {
        var item = await ItemAsync(stock: 3);
        var member = await MemberAsync(300);
        var (id, outTradeNo, _) = await StartAsync(member, item);
        Api.Weixin.PayOrder(outTradeNo);
        var genuine = Api.Weixin.CreatePayNotification(outTradeNo);

        var tampered = genuine with { Body = genuine.Body.Replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.NotifyAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.NotifyAsync(Api.Weixin.SignPayNotification(genuine.Body, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.Equal(MallRedemptionStatus.AwaitingPayment, (await RedemptionAsync(id)).Status);

        // Paid, but not the amount it was created with (or not for our merchant): never applied.
        Assert.Equal(SettleOutcome.Mismatch, await Api.SendAsync(new SettleMallPayment(
            new PayOrderState(outTradeNo, "SUCCESS", "T1", CashPrice - 1, DateTimeOffset.UtcNow, MatchesMerchant: true))));
        Assert.Equal(SettleOutcome.Mismatch, await Api.SendAsync(new SettleMallPayment(
            new PayOrderState(outTradeNo, "SUCCESS", "T1", CashPrice, DateTimeOffset.UtcNow, MatchesMerchant: false))));
        Assert.Equal(MallRedemptionStatus.AwaitingPayment, (await RedemptionAsync(id)).Status);
        Assert.Null((await RedemptionAsync(id)).PickupCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(genuine)).StatusCode);
        Assert.Equal(MallRedemptionStatus.Redeemed, (await RedemptionAsync(id)).Status);
        await AssertConsistentAsync(item, member.Id);
    }

    [SkippableFact]
    public async Task An_order_that_expires_unpaid_is_closed_and_gives_points_and_stock_back_with_their_original_expiry()
    {
        var item = await ItemAsync(stock: 2, total: 1);
        var member = await MemberAsync(250);
        var lotBefore = await Api.DbAsync(db => db.PointsLots.AsNoTracking().SingleAsync(l => l.MemberId == member.Id));
        var (idle, idleNo, _) = await StartAsync(member, item);
        Assert.Equal((150L, 1L), (await PointsAsync(member.Id), await StockAsync(item)));
        // Awaiting payment counts against the item's limit of 1 per member.
        await AssertProblemAsync(await RedeemAsync(Api.Client(member.Token), item), HttpStatusCode.Conflict, "mall.limit_reached");

        // Not expired yet: the job leaves it alone.
        await Api.SendAsync(new SettlePendingMallPayments(TimeSpan.Zero));
        Assert.Equal(MallRedemptionStatus.AwaitingPayment, (await RedemptionAsync(idle)).Status);

        await ExpirePaymentAsync(idle);
        var closesBefore = Api.Weixin.Calls(FakeWeixinApis.PayClose);
        await Api.SendAsync(new SettlePendingMallPayments(TimeSpan.Zero));
        var closed = await RedemptionAsync(idle);
        Assert.Equal(MallRedemptionStatus.Closed, closed.Status);
        Assert.NotNull(closed.CancelledAt);
        Assert.Equal("CLOSED", Api.Weixin.OrderState(idleNo));
        Assert.Equal(closesBefore + 1, Api.Weixin.Calls(FakeWeixinApis.PayClose));
        Assert.Equal((250L, 2L), (await PointsAsync(member.Id), await StockAsync(item)));
        var returned = await Api.DbAsync(db => db.PointsLots.AsNoTracking().SingleAsync(l => l.MemberId == member.Id && l.Source == PointsLotSource.MallReturn));
        Assert.Equal((100L, lotBefore.ExpiresAt), (returned.Remaining, returned.ExpiresAt));

        // A second run changes nothing; a payment arriving after the release is never applied (logged for HQ).
        await Api.SendAsync(new SettlePendingMallPayments(TimeSpan.Zero));
        Assert.Equal(SettleOutcome.PaidAfterRelease, await Api.SendAsync(new SettleMallPayment(
            new PayOrderState(idleNo, "SUCCESS", "T2", CashPrice, DateTimeOffset.UtcNow, MatchesMerchant: true))));
        Assert.Equal((250L, 2L), (await PointsAsync(member.Id), await StockAsync(item)));
        Assert.Equal(1, await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member.Id && e.Kind == PointsEntryKind.MallCancellation)));

        // The closed one no longer counts against the limit.
        var (_, _, next) = await StartAsync(member, item);
        Assert.Equal("awaiting_payment", next.GetProperty("status").GetString());
        await AssertConsistentAsync(item, member.Id);
    }

    [SkippableFact]
    public async Task The_settle_job_releases_a_paid_redemption_whose_notification_never_came()
    {
        var item = await ItemAsync(stock: 1);
        var member = await MemberAsync(100);
        var (id, outTradeNo, _) = await StartAsync(member, item);
        Api.Weixin.PayOrder(outTradeNo);
        await ExpirePaymentAsync(id); // paid in time, noticed late: still paid, never released
        await Api.SendAsync(new SettlePendingMallPayments(TimeSpan.Zero));
        var redemption = await RedemptionAsync(id);
        Assert.Equal(MallRedemptionStatus.Redeemed, redemption.Status);
        Assert.NotNull(redemption.PickupCode);
        Assert.Equal((0L, 0L), (await PointsAsync(member.Id), await StockAsync(item)));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(Api.Weixin.CreatePayNotification(outTradeNo))).StatusCode);
        Assert.Equal(redemption.PickupCode, (await RedemptionAsync(id)).PickupCode);
        await AssertConsistentAsync(item, member.Id);
    }

    [SkippableFact]
    public async Task The_member_cancels_an_unpaid_one_but_a_payment_that_came_first_stands()
    {
        var item = await ItemAsync(stock: 2);
        var member = await MemberAsync(300);
        var mp = Api.Client(member.Token);

        var (unpaid, unpaidNo, _) = await StartAsync(member, item);
        var cancelled = await (await mp.PostAsync($"/api/mp/mall/redemptions/{unpaid}/cancel", null)).JsonAsync();
        Assert.Equal("closed", cancelled.GetProperty("status").GetString());
        Assert.Equal("CLOSED", Api.Weixin.OrderState(unpaidNo));
        Assert.Equal((300L, 2L), (await PointsAsync(member.Id), await StockAsync(item)));
        await AssertProblemAsync(await mp.PostAsync($"/api/mp/mall/redemptions/{unpaid}/cancel", null), HttpStatusCode.Conflict, "mall.not_cancellable");

        // Paid at WeChat Pay before the cancel reached us (no notification yet): the payment stands, the cancel is refused.
        var (paid, paidNo, _) = await StartAsync(member, item);
        Api.Weixin.PayOrder(paidNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = i % 2 == 0
                ? await mp.PostAsync($"/api/mp/mall/redemptions/{paid}/cancel", null)
                : await Api.NotifyAsync(Api.Weixin.CreatePayNotification(paidNo));
            return response.StatusCode == HttpStatusCode.NoContent ? "204" : (await response.JsonAsync()).GetProperty("code").GetString();
        }));
        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.Equal("mall.cash_paid", a));
        Assert.All(answers.Where((_, i) => i % 2 == 1), a => Assert.Equal("204", a));
        Assert.Equal(MallRedemptionStatus.Redeemed, (await RedemptionAsync(paid)).Status);
        Assert.Equal((200L, 1L), (await PointsAsync(member.Id), await StockAsync(item)));
        await AssertConsistentAsync(item, member.Id);
    }

    [SkippableFact]
    public async Task A_points_and_cash_coupon_hands_out_its_code_only_when_paid()
    {
        var hq = await HqAsync();
        var coupon = await ItemAsync(stock: 0, kind: "coupon", cashPrice: 500);
        using (var import = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/mall/items/{coupon}/codes") { Content = new StringContent("code\nCASH-1\n", Encoding.UTF8, "text/csv") })
        {
            import.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.OK, (await hq.SendAsync(import)).StatusCode);
        }
        var member = await MemberAsync(100);
        var (id, outTradeNo, body) = await StartAsync(member, coupon);
        Assert.Empty(body.GetProperty("couponCodes").EnumerateArray());
        Assert.Equal(0, await StockAsync(coupon));
        var other = await MemberAsync(100);
        await AssertProblemAsync(await RedeemAsync(Api.Client(other.Token), coupon), HttpStatusCode.Conflict, "mall.sold_out");

        Api.Weixin.PayOrder(outTradeNo);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.NotifyAsync(Api.Weixin.CreatePayNotification(outTradeNo))).StatusCode);
        var paid = await (await Api.Client(member.Token).GetAsync($"/api/mp/mall/redemptions/{id}")).JsonAsync();
        Assert.Equal("code_issued", paid.GetProperty("status").GetString());
        Assert.Equal(["CASH-1"], paid.GetProperty("couponCodes").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(0, await Api.DbAsync(db => db.MallCouponCodes.CountAsync(c => c.ItemId == coupon && c.RedemptionId == null)));
        await AssertConsistentAsync(coupon, member.Id, other.Id);
    }

    [SkippableFact]
    public async Task Hq_cash_prices_are_validated()
    {
        var hq = await HqAsync();
        foreach (var bad in new[] { -1L, 10_000_001L })
            await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/mall/items", new { name = "x", kind = "shipped", pointsPrice = 1, cashPrice = bad, stock = 1 }),
                HttpStatusCode.BadRequest, "request.validation_failed");
        var item = await ItemAsync(stock: 1, kind: "shipped", cashPrice: 0);
        var member = await MemberAsync(100);
        var (_, _, body) = await StartAsync(member, item);
        Assert.Equal("redeemed", body.GetProperty("status").GetString()); // points only: no order, no payment
        Assert.Equal(JsonValueKind.Null, body.GetProperty("payment").ValueKind);
        Assert.Equal(0, body.GetProperty("cash").GetInt64());
    }
}

public sealed class MallCashTestsOnSqlite(SqliteApi fixture) : MallCashTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class MallCashTestsOnMySql(MySqlApi fixture) : MallCashTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
