using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Auth;
using Guide.Api.Tests.Support;
using Guide.Domain.Common;
using Guide.Domain.Mall;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.Domain.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Guide.Api.Tests.Mall;

/// <summary>
/// The points mall over HTTP, on a database of its own with a fake clock (the points settings are the brand's):
/// flash redemptions that never oversell nor charge without an item, limits under a member's own race, cancel
/// returning points with their original expiry and the stock, bad input writing nothing, and who may do what.
/// </summary>
public abstract class MallTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private DateTimeOffset Now => Api.Time.GetUtcNow();

    private async Task<HttpClient> HqAsync() => Api.Client(await Api.AdminTokenAsync());

    private HttpClient Shopper(Guid memberId) => Api.Client(Api.MemberToken(memberId));

    private HttpClient GuideClient(ShoppingGuide guide)
    {
        var issuer = new TokenIssuer(Api.Factory.Services.GetRequiredService<IOptions<AuthOptions>>(),
            new BrandClock(TimeProvider.System, Api.Factory.Services.GetRequiredService<BrandClock>().Zone));
        return Api.Client(issuer.ForGuide(new GuideSession(guide.Id, guide.WeComUserId, guide.Name, guide.Role, guide.StoreId)).AccessToken);
    }

    private async Task<Guid> ItemAsync(long stock, long price = 10, int? perDay = null, int? total = null, int[]? levels = null, string kind = "pickup",
        DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var hq = await HqAsync();
        var response = await hq.PostAsJsonAsync("/api/admin/mall/items", new
        {
            name = "保温杯 " + ApiFixture.Unique("i"), kind, pointsPrice = price, stock, limitPerDay = perDay, limitTotal = total, allowedLevels = levels ?? [],
            onSaleFrom = from, onSaleUntil = until,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Members created in bulk through the database (no log-in round trips), each credited by an HQ adjustment.</summary>
    private async Task<List<Guid>> MembersAsync(int count, long points)
    {
        var members = Enumerable.Range(0, count).Select(_ => new Member(ApiFixture.Unique("openid"), null, Now)).ToList();
        await Api.InScopeAsync(async db =>
        {
            db.Members.AddRange(members);
            await db.SaveChangesAsync();
        });
        // SQLite serializes writers anyway; in parallel there, one of 500 credits once failed with 'cannot start a transaction
        // within a transaction' (seen once; left for the kernel's owner, see the report of the points-mall branch).
        if (points > 0)
            await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = Api.Provider == "Sqlite" ? 1 : 8 }, async (m, _) =>
                await Api.SendAsync(new AdjustPoints(m.Id, points, "test", Guid.NewGuid(), Guid.NewGuid().ToString())));
        return members.Select(m => m.Id).ToList();
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient shopper, Guid itemId, int quantity = 1, string? requestId = null) =>
        shopper.PostAsJsonAsync("/api/mp/mall/redemptions", new { itemId, quantity, requestId = requestId ?? Guid.NewGuid().ToString() });

    /// <summary>Runs <paramref name="count"/> requests with at most <paramref name="parallel"/> in flight, all released together.</summary>
    private static async Task<T[]> ConcurrentlyAsync<T>(int count, int parallel, Func<int, Task<T>> request)
    {
        using var gate = new SemaphoreSlim(0);
        using var slots = new SemaphoreSlim(parallel);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            await slots.WaitAsync();
            try { return await request(i); }
            finally { slots.Release(); }
        }).ToList();
        gate.Release(count);
        return await Task.WhenAll(tasks);
    }

    private static async Task<string> CodeOfAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? (await response.JsonAsync()).GetProperty("code").GetString()!
            : ((int)response.StatusCode).ToString();

    private Task<long> StockAsync(Guid itemId) => Api.DbAsync(db => db.MallItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync());

    private Task<long> BalanceAsync(Guid memberId) =>
        Api.DbAsync(async db => await db.PointsAccounts.Where(a => a.MemberId == memberId).Select(a => (long?)a.Balance).SingleOrDefaultAsync() ?? 0);

    /// <summary>Stock = sum of its entries, never negative; redemptions not cancelled = units taken; every redemption charged once, nobody without one.</summary>
    private Task AssertMallConsistentAsync(Guid itemId) => Api.InScopeAsync(async db =>
    {
        var item = await db.MallItems.AsNoTracking().SingleAsync(i => i.Id == itemId);
        var entries = await db.MallStockEntries.Where(e => e.ItemId == itemId).SumAsync(e => e.Delta);
        Assert.Equal(item.Stock, entries);
        Assert.True(item.Stock >= 0);
        var redemptions = await db.MallRedemptions.AsNoTracking().Where(r => r.ItemId == itemId).ToListAsync();
        var taken = -await db.MallStockEntries.Where(e => e.ItemId == itemId && e.Delta < 0).SumAsync(e => e.Delta);
        Assert.Equal(redemptions.Sum(r => (long)r.Quantity), taken);
        var entryIds = redemptions.Select(r => r.PointsEntryId).ToList();
        var charges = await db.PointsEntries.AsNoTracking().Where(e => entryIds.Contains(e.Id)).ToListAsync();
        Assert.Equal(redemptions.Count, charges.Count);
        foreach (var r in redemptions) Assert.Equal(-r.Points, charges.Single(c => c.Id == r.PointsEntryId).Delta);
        var members = redemptions.Select(r => r.MemberId).Distinct().ToList();
        foreach (var m in members)
        {
            var account = await db.PointsAccounts.AsNoTracking().SingleAsync(a => a.MemberId == m);
            Assert.Equal(account.Balance, await db.PointsEntries.Where(e => e.MemberId == m).SumAsync(e => e.Delta));
            Assert.Equal(account.Balance, await db.PointsLots.Where(l => l.MemberId == m).SumAsync(l => l.Remaining) - account.Debt);
        }
    });

    [SkippableFact]
    public async Task Five_hundred_members_racing_for_fifty_units_get_exactly_fifty_and_nobody_is_charged_without_an_item()
    {
        var item = await ItemAsync(stock: 50, price: 10, total: 1);
        var members = await MembersAsync(500, points: 100);
        var clients = members.Select(Shopper).ToList();

        var answers = await ConcurrentlyAsync(500, 32, async i =>
        {
            using var response = await RedeemAsync(clients[i], item);
            return (Member: members[i], Code: await CodeOfAsync(response));
        });

        Assert.Equal(50, answers.Count(a => a.Code == "200"));
        Assert.All(answers.Where(a => a.Code != "200"), a => Assert.Equal("mall.sold_out", a.Code));
        Assert.Equal(0, await StockAsync(item));
        var winners = answers.Where(a => a.Code == "200").Select(a => a.Member).ToHashSet();
        var redeemed = await Api.DbAsync(db => db.MallRedemptions.Where(r => r.ItemId == item).Select(r => r.MemberId).ToListAsync());
        Assert.Equal(50, redeemed.Count);
        Assert.True(winners.SetEquals(redeemed));
        var charged = await Api.DbAsync(db => db.PointsEntries.Where(e => e.Kind == PointsEntryKind.MallRedemption && members.Contains(e.MemberId))
            .Select(e => e.MemberId).ToListAsync());
        Assert.Equal(50, charged.Count);
        Assert.True(winners.SetEquals(charged));
        foreach (var m in members.Take(40)) Assert.Equal(winners.Contains(m) ? 90 : 100, await BalanceAsync(m));
        await AssertMallConsistentAsync(item);
    }

    [SkippableFact]
    public async Task One_member_racing_twenty_redemptions_with_a_limit_of_two_gets_two()
    {
        var item = await ItemAsync(stock: 100, price: 10, total: 2);
        var member = (await MembersAsync(1, points: 1000))[0];
        var shopper = Shopper(member);

        var codes = await ConcurrentlyAsync(20, 20, async _ =>
        {
            using var response = await RedeemAsync(shopper, item);
            return await CodeOfAsync(response);
        });

        Assert.Equal(2, codes.Count(c => c == "200"));
        Assert.All(codes.Where(c => c != "200"), c => Assert.Equal("mall.limit_reached", c));
        Assert.Equal(98, await StockAsync(item));
        Assert.Equal(980, await BalanceAsync(member));
        await AssertMallConsistentAsync(item);
    }

    [SkippableFact]
    public async Task A_resend_answers_the_first_redemption_and_another_body_with_the_same_request_id_is_refused()
    {
        var item = await ItemAsync(stock: 5, price: 10);
        var member = (await MembersAsync(1, points: 100))[0];
        var shopper = Shopper(member);
        var requestId = Guid.NewGuid().ToString();
        var codes = await ConcurrentlyAsync(10, 10, async _ =>
        {
            using var response = await RedeemAsync(shopper, item, 1, requestId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("id").GetGuid();
        });
        Assert.Single(codes.Distinct());
        await AssertProblemAsync(await RedeemAsync(shopper, item, 2, requestId), HttpStatusCode.Conflict, "mall.request_reused");
        Assert.Equal(4, await StockAsync(item));
        Assert.Equal(90, await BalanceAsync(member));
        await AssertMallConsistentAsync(item);
    }

    [SkippableFact]
    public async Task Cancel_returns_the_points_as_lots_with_their_original_expiry_and_the_stock()
    {
        await Api.SendAsync(new UpdatePointsSettings(PointsExpiryPolicy.RollingMonths, 6, 100, true, false, 0, PointsRefundPolicy.Debt));
        var member = (await MembersAsync(1, points: 30))[0];
        Api.Time.Advance(TimeSpan.FromDays(40));
        await Api.SendAsync(new AdjustPoints(member, 50, "later lot", Guid.NewGuid(), Guid.NewGuid().ToString()));
        var expiries = await Api.DbAsync(db => db.PointsLots.Where(l => l.MemberId == member).OrderBy(l => l.ExpiresAt).Select(l => l.ExpiresAt).ToListAsync());
        Assert.Equal(2, expiries.Distinct().Count());

        var item = await ItemAsync(stock: 3, price: 20);
        var shopper = Shopper(member);
        var redeemed = await (await RedeemAsync(shopper, item, 2)).JsonAsync(); // 40 points: 30 from the first lot, 10 from the second
        Assert.Equal(40, await BalanceAsync(member));
        Assert.Equal(1, await StockAsync(item));

        var id = redeemed.GetProperty("id").GetGuid();
        var cancelled = await shopper.PostAsync($"/api/mp/mall/redemptions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.JsonAsync()).GetProperty("status").GetString());
        var again = await shopper.PostAsync($"/api/mp/mall/redemptions/{id}/cancel", null);
        Assert.True((await again.JsonAsync()).GetProperty("replayed").GetBoolean());

        Assert.Equal(80, await BalanceAsync(member));
        Assert.Equal(3, await StockAsync(item));
        var returned = await Api.DbAsync(db => db.PointsLots.Where(l => l.MemberId == member && l.Source == PointsLotSource.MallReturn)
            .OrderBy(l => l.ExpiresAt).ToListAsync());
        Assert.Equal([30L, 10L], returned.Select(l => l.Amount));
        Assert.Equal(expiries, returned.Select(l => l.ExpiresAt));
        await AssertMallConsistentAsync(item);
        await AssertProblemAsync(await shopper.PostAsync($"/api/mp/mall/redemptions/{Guid.NewGuid()}/cancel", null), HttpStatusCode.NotFound,
            "mall.redemption_not_found");
    }

    [SkippableFact]
    public async Task Each_bad_redemption_is_its_problem_and_writes_nothing()
    {
        var hq = await HqAsync();
        var member = (await MembersAsync(1, points: 100))[0];
        var shopper = Shopper(member);
        var cheap = await ItemAsync(stock: 10, price: 10, perDay: 1);
        var archived = await ItemAsync(stock: 10, price: 10);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/admin/mall/items/{archived}/archive", null)).StatusCode);
        var later = await ItemAsync(stock: 10, price: 10, from: Now.AddDays(1));
        var over = await ItemAsync(stock: 10, price: 10, until: Now.AddMinutes(-1));
        var gold = await ItemAsync(stock: 10, price: 10, levels: [3, 4]);
        var dear = await ItemAsync(stock: 10, price: 1000);
        var scarce = await ItemAsync(stock: 1, price: 10);

        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(shopper, cheap)).StatusCode);
        var entriesBefore = await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member));
        await AssertProblemAsync(await RedeemAsync(shopper, Guid.NewGuid()), HttpStatusCode.NotFound, "mall.item_not_found");
        await AssertProblemAsync(await RedeemAsync(shopper, archived), HttpStatusCode.NotFound, "mall.item_not_found");
        await AssertProblemAsync(await RedeemAsync(shopper, later), HttpStatusCode.Conflict, "mall.not_on_sale");
        await AssertProblemAsync(await RedeemAsync(shopper, over), HttpStatusCode.Conflict, "mall.not_on_sale");
        await AssertProblemAsync(await RedeemAsync(shopper, gold), HttpStatusCode.Forbidden, "mall.level_not_allowed");
        await AssertProblemAsync(await RedeemAsync(shopper, cheap), HttpStatusCode.Conflict, "mall.limit_reached");
        await AssertProblemAsync(await RedeemAsync(shopper, dear), HttpStatusCode.Conflict, "points.insufficient");
        await AssertProblemAsync(await RedeemAsync(shopper, scarce, 2), HttpStatusCode.Conflict, "mall.sold_out");
        await AssertProblemAsync(await RedeemAsync(shopper, scarce, 0), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await RedeemAsync(shopper, scarce, 1, ""), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(entriesBefore, await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member)));
        Assert.Equal(1, await Api.DbAsync(db => db.MallRedemptions.CountAsync(r => r.MemberId == member)));
        foreach (var (item, stock) in new[] { (later, 10L), (gold, 10L), (dear, 10L), (scarce, 1L) }) Assert.Equal(stock, await StockAsync(item));

        // The daily limit counts brand days: tomorrow (Shanghai) the member may again.
        Api.Time.Advance(TimeSpan.FromHours(13));
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(shopper, cheap)).StatusCode);

        var catalog = await (await shopper.GetAsync("/api/mp/mall/items")).JsonAsync();
        string? ReasonOf(Guid id) => catalog.EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id).GetProperty("reason") is
            { ValueKind: JsonValueKind.String } r ? r.GetString() : null;
        Assert.DoesNotContain(catalog.EnumerateArray(), i => i.GetProperty("id").GetGuid() == archived);
        Assert.Equal("limit_reached", ReasonOf(cheap));
        Assert.Equal("level_not_allowed", ReasonOf(gold));
        Assert.Equal("not_enough_points", ReasonOf(dear));
        Assert.Null(ReasonOf(scarce));
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/mall/items", new { name = "", kind = "pickup", pointsPrice = 0, stock = -1 }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/mall/items/{scarce}/restocks", new { quantity = 5 }), HttpStatusCode.BadRequest,
            "idempotency.key_required");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(6, (await (await hq.PostWithKeyAsync($"/api/admin/mall/items/{scarce}/restocks", new { quantity = 5 }, key)).JsonAsync())
            .GetProperty("stock").GetInt64());
        Assert.True((await (await hq.PostWithKeyAsync($"/api/admin/mall/items/{scarce}/restocks", new { quantity = 5 }, key)).JsonAsync())
            .GetProperty("replayed").GetBoolean());
        Assert.Equal(6, await StockAsync(scarce));
        await AssertMallConsistentAsync(scarce);
    }

    [SkippableFact]
    public async Task A_guide_of_the_members_store_hands_out_a_pickup_and_others_are_refused()
    {
        var store = await Api.CreateStoreAsync();
        var otherStore = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var stranger = await Api.CreateGuideAsync(otherStore.Id);
        var members = await MembersAsync(2, points: 100);
        await Api.BindMemberAsync(members[0], guide);
        var item = await ItemAsync(stock: 10, price: 10);
        var shipped = await ItemAsync(stock: 10, price: 10, kind: "shipped");

        var redemption = await (await RedeemAsync(Shopper(members[0]), item)).JsonAsync();
        var code = redemption.GetProperty("pickupCode").GetString()!;
        Assert.Equal(store.Id, redemption.GetProperty("storeId").GetGuid());
        var id = redemption.GetProperty("id").GetGuid();

        // Another member cannot see nor cancel it.
        await AssertProblemAsync(await Shopper(members[1]).PostAsync($"/api/mp/mall/redemptions/{id}/cancel", null), HttpStatusCode.NotFound,
            "mall.redemption_not_found");
        Assert.Equal(0, (await (await Shopper(members[1]).GetAsync("/api/mp/mall/redemptions")).JsonAsync()).GetProperty("total").GetInt32());

        await AssertProblemAsync(await GuideClient(stranger).PostAsJsonAsync("/api/guide/mall/pickups", new { code }), HttpStatusCode.Forbidden,
            "mall.pickup_other_store");
        await AssertProblemAsync(await GuideClient(guide).PostAsJsonAsync("/api/guide/mall/pickups", new { code = "000000000000" }), HttpStatusCode.NotFound,
            "mall.pickup_code_invalid");
        Assert.Equal("redeemed", (await Api.DbAsync(db => db.MallRedemptions.SingleAsync(r => r.Id == id))).Status.ToString().ToLowerInvariant());
        var picked = await GuideClient(guide).PostAsJsonAsync("/api/guide/mall/pickups", new { code });
        Assert.Equal(HttpStatusCode.OK, picked.StatusCode);
        await AssertProblemAsync(await GuideClient(guide).PostAsJsonAsync("/api/guide/mall/pickups", new { code }), HttpStatusCode.Conflict, "mall.not_fulfillable");
        await AssertProblemAsync(await Shopper(members[0]).PostAsync($"/api/mp/mall/redemptions/{id}/cancel", null), HttpStatusCode.Conflict, "mall.not_cancellable");

        // A member without a store picks up anywhere; a shipped item is shipped by HQ, once.
        var anywhere = await (await RedeemAsync(Shopper(members[1]), item)).JsonAsync();
        Assert.Equal(JsonValueKind.Null, anywhere.GetProperty("storeId").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await GuideClient(stranger).PostAsJsonAsync("/api/guide/mall/pickups",
            new { code = anywhere.GetProperty("pickupCode").GetString() })).StatusCode);
        var parcel = await (await RedeemAsync(Shopper(members[1]), shipped)).JsonAsync();
        var hq = await HqAsync();
        var url = $"/api/admin/mall/redemptions/{parcel.GetProperty("id").GetGuid()}/shipment";
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync(url, new { carrier = "顺丰", trackingNumber = "SF1234567890" })).StatusCode);
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { carrier = "顺丰", trackingNumber = "SF1234567890" }), HttpStatusCode.Conflict, "mall.not_fulfillable");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shopper(members[0]).GetAsync("/api/admin/mall/items")).StatusCode);
    }
    private static async Task<HttpResponseMessage> ImportCodesAsync(HttpClient hq, Guid itemId, string csv, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/mall/items/{itemId}/codes") { Content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv") };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await hq.SendAsync(request);
    }

    [SkippableFact]
    public async Task A_coupon_item_hands_out_one_code_per_unit_from_its_imported_pool_and_its_stock_is_the_unused_codes()
    {
        var hq = await HqAsync();
        var coupon = await ItemAsync(stock: 0, price: 10, kind: "coupon");
        var pickup = await ItemAsync(stock: 1, price: 10);
        var bad = await ImportCodesAsync(hq, coupon, "code\nA-1\nA-2\nA-1\n\u00e9\u00e9\n");
        var problem = await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "mall.codes_invalid");
        Assert.Equal([4, 5], problem.GetProperty("lineErrors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
        await AssertProblemAsync(await ImportCodesAsync(hq, pickup, "code\nX\n"), HttpStatusCode.BadRequest, "mall.codes_invalid");
        await AssertProblemAsync(await ImportCodesAsync(hq, coupon, "coupon\nX\n"), HttpStatusCode.BadRequest, "mall.codes_invalid");
        Assert.Equal(0, await StockAsync(coupon));
        Assert.Equal(0, await Api.DbAsync(db => db.MallCouponCodes.CountAsync(c => c.ItemId == coupon)));

        var key = Guid.NewGuid().ToString();
        var imported = await (await ImportCodesAsync(hq, coupon, "code\nA-1\nA-2\nA-3\n", key)).JsonAsync();
        Assert.Equal(3, imported.GetProperty("stock").GetInt64());
        Assert.True((await (await ImportCodesAsync(hq, coupon, "code\nA-1\nA-2\nA-3\n", key)).JsonAsync()).GetProperty("replayed").GetBoolean());
        var dup = await AssertProblemAsync(await ImportCodesAsync(hq, coupon, "code\nB-1\nA-2\n"), HttpStatusCode.BadRequest, "mall.codes_invalid");
        Assert.Equal(3, dup.GetProperty("lineErrors")[0].GetProperty("line").GetInt32());
        await AssertProblemAsync(await hq.PostWithKeyAsync($"/api/admin/mall/items/{coupon}/restocks", new { quantity = 5 }), HttpStatusCode.Conflict,
            "mall.stock_from_codes");

        var members = await MembersAsync(3, points: 100);
        var codes = await ConcurrentlyAsync(3, 3, async i =>
        {
            using var response = await RedeemAsync(Shopper(members[i]), coupon, i == 0 ? 2 : 1);
            return (await CodeOfAsync(response), response.StatusCode == HttpStatusCode.OK
                ? (await response.JsonAsync()).GetProperty("couponCodes").EnumerateArray().Select(c => c.GetString()!).ToList() : []);
        });
        var handed = codes.SelectMany(c => c.Item2).ToList();
        Assert.Equal(handed.Count, handed.Distinct().Count());
        Assert.Equal(3 - handed.Count, await StockAsync(coupon));
        Assert.Equal(3 - handed.Count, await Api.DbAsync(db => db.MallCouponCodes.CountAsync(c => c.ItemId == coupon && c.RedemptionId == null)));
        Assert.All(codes.Where(c => c.Item1 != "200"), c => Assert.Equal("mall.sold_out", c.Item1));
        var issued = await Api.DbAsync(db => db.MallRedemptions.FirstAsync(r => r.ItemId == coupon));
        Assert.Equal(MallRedemptionStatus.CodeIssued, issued.Status);
        await AssertProblemAsync(await Shopper(issued.MemberId).PostAsync($"/api/mp/mall/redemptions/{issued.Id}/cancel", null), HttpStatusCode.Conflict,
            "mall.not_cancellable");
        await AssertMallConsistentAsync(coupon);
    }
}

public sealed class MallTestsOnSqlite(FakeClockSqliteApi fixture) : MallTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class MallTestsOnMySql(FakeClockMySqlApi fixture) : MallTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;
