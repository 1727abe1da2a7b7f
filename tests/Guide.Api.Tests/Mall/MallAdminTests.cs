using System.Net;
using System.Net.Http.Json;
using System.Text;
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
/// HQ's side of the points mall over HTTP, on a database of its own with a fake clock: finding redemptions (filters,
/// brand days, paging, CSV), writing stock off (reason, Idempotency-Key, never below zero, not for coupon items, racing
/// redemptions), the stock ledger, and that only HQ may do any of it.
/// </summary>
public abstract class MallAdminTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private DateTimeOffset Now => Api.Time.GetUtcNow();

    private DateOnly BrandToday => Api.Factory.Services.GetRequiredService<BrandClock>().Today;

    private async Task<HttpClient> HqAsync() => Api.Client(await Api.AdminTokenAsync());

    private HttpClient Shopper(Guid memberId) => Api.Client(Api.MemberToken(memberId));

    private async Task<HttpClient> GuideAsync()
    {
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var issuer = new TokenIssuer(Api.Factory.Services.GetRequiredService<IOptions<AuthOptions>>(),
            new BrandClock(TimeProvider.System, Api.Factory.Services.GetRequiredService<BrandClock>().Zone));
        return Api.Client(issuer.ForGuide(new GuideSession(guide.Id, guide.WeComUserId, guide.Name, guide.Role, guide.StoreId)).AccessToken);
    }

    private async Task<Guid> ItemAsync(long stock, long price = 10, string kind = "pickup", string? name = null)
    {
        var response = await (await HqAsync()).PostAsJsonAsync("/api/admin/mall/items", new
        {
            name = name ?? "保温杯 " + ApiFixture.Unique("i"), kind, pointsPrice = price, stock, allowedLevels = Array.Empty<int>(),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Members created through the database, each credited by an HQ adjustment (one at a time on SQLite, which serializes writers anyway).</summary>
    private async Task<List<Guid>> MembersAsync(int count, long points)
    {
        var members = Enumerable.Range(0, count).Select(_ => new Member(ApiFixture.Unique("openid"), null, Now)).ToList();
        await Api.InScopeAsync(async db =>
        {
            db.Members.AddRange(members);
            await db.SaveChangesAsync();
        });
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = Api.Provider == "Sqlite" ? 1 : 8 }, async (m, _) =>
            await Api.SendAsync(new AdjustPoints(m.Id, points, "test", Guid.NewGuid(), Guid.NewGuid().ToString())));
        return members.Select(m => m.Id).ToList();
    }

    private static async Task<Guid> RedeemAsync(HttpClient shopper, Guid itemId, int quantity = 1)
    {
        var response = await shopper.PostAsJsonAsync("/api/mp/mall/redemptions", new { itemId, quantity, requestId = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> RemoveAsync(HttpClient hq, Guid itemId, long quantity, string? reason = "破损", string? key = null) =>
        hq.PostWithKeyAsync($"/api/admin/mall/items/{itemId}/stock-removals", new { quantity, reason }, key);

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

    private static async Task<List<Guid>> IdsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
    }

    private Task<long> StockAsync(Guid itemId) => Api.DbAsync(db => db.MallItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync());

    private Task<int> EntriesAsync(Guid itemId, MallStockEntryKind kind) => Api.DbAsync(db => db.MallStockEntries.CountAsync(e => e.ItemId == itemId && e.Kind == kind));

    /// <summary>The stock is the sum of its entries and never negative; what redemptions took is their quantities.</summary>
    private Task AssertStockIsItsLedgerAsync(Guid itemId) => Api.InScopeAsync(async db =>
    {
        var stock = await db.MallItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync();
        Assert.Equal(stock, await db.MallStockEntries.Where(e => e.ItemId == itemId).SumAsync(e => e.Delta));
        Assert.True(stock >= 0, $"stock {stock}");
        var redeemed = await db.MallRedemptions.Where(r => r.ItemId == itemId).SumAsync(r => (long?)r.Quantity) ?? 0;
        Assert.Equal(redeemed, -await db.MallStockEntries.Where(e => e.ItemId == itemId && e.Kind == MallStockEntryKind.Redemption).SumAsync(e => e.Delta));
    });

    [SkippableFact]
    public async Task Only_hq_may_list_redemptions_remove_stock_and_read_the_ledger()
    {
        var item = await ItemAsync(stock: 5);
        var member = (await MembersAsync(1, points: 100))[0];
        var redemption = await RedeemAsync(Shopper(member), item);
        var requests = new (string Name, Func<HttpClient, Task<HttpResponseMessage>> Send)[]
        {
            ("list", c => c.GetAsync($"/api/admin/mall/redemptions?itemId={item}")),
            ("list as csv", c => c.GetAsync($"/api/admin/mall/redemptions?itemId={item}&format=csv")),
            ("one", c => c.GetAsync($"/api/admin/mall/redemptions/{redemption}")),
            ("removal", c => RemoveAsync(c, item, 1)),
            ("ledger", c => c.GetAsync($"/api/admin/mall/items/{item}/stock-entries")),
        };
        var strangers = new[] { ("shopper", Shopper(member)), ("guide", await GuideAsync()), ("nobody", Api.Client()) };
        foreach (var (name, send) in requests)
        {
            foreach (var (who, client) in strangers)
            {
                var response = await send(client);
                Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{who} {name}: {(int)response.StatusCode}");
                Assert.StartsWith("auth.", await CodeOfAsync(response));
            }
            Assert.Equal(4, await StockAsync(item)); // no stranger removed anything
        }
        var hq = await HqAsync();
        foreach (var (name, send) in requests) Assert.True((await send(hq)).StatusCode == HttpStatusCode.OK, name);
        Assert.Equal(3, await StockAsync(item));
    }

    [SkippableFact]
    public async Task Hq_finds_redemptions_by_item_member_status_kind_and_brand_day_newest_first_in_pages()
    {
        var hq = await HqAsync();
        var parcel = await ItemAsync(stock: 20, kind: "shipped", name: "=HYPERLINK(\"x\") 电热毯");
        var mug = await ItemAsync(stock: 20);
        var members = await MembersAsync(2, points: 1000);
        var (a, b) = (Shopper(members[0]), Shopper(members[1]));

        Api.Time.Advance(TimeSpan.FromDays(1));
        var day1 = BrandToday;
        var r1 = await RedeemAsync(a, parcel);
        Api.Time.Advance(TimeSpan.FromMinutes(1));
        var r2 = await RedeemAsync(a, mug);
        Api.Time.Advance(TimeSpan.FromMinutes(1));
        var r3 = await RedeemAsync(b, parcel, 2);
        Api.Time.Advance(TimeSpan.FromDays(1));
        var day2 = BrandToday;
        var r4 = await RedeemAsync(b, parcel);
        Api.Time.Advance(TimeSpan.FromMinutes(1));
        var r5 = await RedeemAsync(a, parcel);
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsync($"/api/mp/mall/redemptions/{r5}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/admin/mall/redemptions/{r1}/shipment",
            new { carrier = "顺丰", trackingNumber = "SF1234567890" })).StatusCode);

        const string list = "/api/admin/mall/redemptions";
        Assert.Equal([r5, r4, r3, r1], await IdsAsync(await hq.GetAsync($"{list}?itemId={parcel}")));
        // What waits to be shipped: not the shipped one, not the cancelled one.
        Assert.Equal([r4, r3], await IdsAsync(await hq.GetAsync($"{list}?itemId={parcel}&status=redeemed&kind=shipped")));
        Assert.Equal([r5, r2, r1], await IdsAsync(await hq.GetAsync($"{list}?memberId={members[0]}")));
        Assert.Equal([r2], await IdsAsync(await hq.GetAsync($"{list}?memberId={members[0]}&kind=pickup")));
        Assert.Equal([r5], await IdsAsync(await hq.GetAsync($"{list}?memberId={members[0]}&status=cancelled")));
        Assert.Equal([r3, r1], await IdsAsync(await hq.GetAsync($"{list}?itemId={parcel}&from={day1:yyyy-MM-dd}&to={day1:yyyy-MM-dd}")));
        Assert.Equal([r5, r4], await IdsAsync(await hq.GetAsync($"{list}?itemId={parcel}&from={day2:yyyy-MM-dd}")));
        Assert.Equal([r3, r1], await IdsAsync(await hq.GetAsync($"{list}?itemId={parcel}&to={day1:yyyy-MM-dd}")));
        Assert.Empty(await IdsAsync(await hq.GetAsync($"{list}?itemId={parcel}&from={day2.AddDays(1):yyyy-MM-dd}")));

        var page = await (await hq.GetAsync($"{list}?itemId={parcel}&pageSize=3&page=2")).JsonAsync();
        Assert.Equal((4, 2, 3), (page.GetProperty("total").GetInt32(), page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
        Assert.Equal([r1], page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        var clamped = await (await hq.GetAsync($"{list}?itemId={parcel}&page=-5&pageSize=100000")).JsonAsync();
        Assert.Equal((1, 100, 4), (clamped.GetProperty("page").GetInt32(), clamped.GetProperty("pageSize").GetInt32(), clamped.GetProperty("items").GetArrayLength()));

        var shipped = await (await hq.GetAsync($"{list}/{r1}")).JsonAsync();
        Assert.Equal(("shipped", "顺丰", "SF1234567890", members[0]), (shipped.GetProperty("status").GetString(), shipped.GetProperty("carrier").GetString(),
            shipped.GetProperty("trackingNumber").GetString(), shipped.GetProperty("memberId").GetGuid()));
        var pickup = await (await hq.GetAsync($"{list}/{r2}")).JsonAsync();
        Assert.Equal(12, pickup.GetProperty("pickupCode").GetString()!.Length);
        Assert.Equal(JsonValueKind.Null, pickup.GetProperty("fulfilledByGuideId").ValueKind);
        await AssertProblemAsync(await hq.GetAsync($"{list}/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "mall.redemption_not_found");

        // Bad filters are the caller's problem, never a 500: unknown enum spellings, impossible and extreme dates, reversed ranges.
        foreach (var query in new[] { "status=bogus", "status=Redeemed", "kind=shipped%00", "kind=1", "from=2026-13-01", "to=yesterday", "itemId=abc",
                     "format=xlsx", "page=1e3" })
            await AssertProblemAsync(await hq.GetAsync($"{list}?{query}"), HttpStatusCode.BadRequest, "request.malformed");
        foreach (var query in new[] { "from=0001-01-01", "to=9999-12-31", "from=1999-12-31", $"from={day2:yyyy-MM-dd}&to={day1:yyyy-MM-dd}" })
            await AssertProblemAsync(await hq.GetAsync($"{list}?{query}"), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(HttpStatusCode.OK, (await hq.GetAsync($"{list}?from=2000-01-01&to=2999-12-31")).StatusCode);

        // The file HQ ships from: every match, with a BOM for Excel, the item name's formula escaped.
        var csv = await hq.GetAsync($"{list}?itemId={parcel}&status=redeemed&kind=shipped&format=csv&pageSize=1");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(",", MallRedemptionsCsv.Columns), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith(r4.ToString(), lines[1]);
        Assert.StartsWith(r3.ToString(), lines[2]);
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\") 电热毯\",2,20,", lines[2]);
    }

    [SkippableFact]
    public async Task A_removal_writes_units_off_with_its_reason_once_per_key_and_never_more_than_are_left()
    {
        var hq = await HqAsync();
        var item = await ItemAsync(stock: 10);
        var key = Guid.NewGuid().ToString();
        Api.Time.Advance(TimeSpan.FromMinutes(1)); // each entry at its own time, so the ledger's order is the story's

        var first = await (await RemoveAsync(hq, item, 3, "破损 😀", key)).JsonAsync();
        Assert.Equal((3L, 7L, "破损 😀", false), (first.GetProperty("quantity").GetInt64(), first.GetProperty("stock").GetInt64(),
            first.GetProperty("reason").GetString(), first.GetProperty("replayed").GetBoolean()));
        var again = await (await RemoveAsync(hq, item, 3, "破损 😀", key)).JsonAsync();
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("entryId").GetGuid(), again.GetProperty("entryId").GetGuid());
        await AssertProblemAsync(await RemoveAsync(hq, item, 4, "破损 😀", key), HttpStatusCode.Conflict, "idempotency.key_reused");
        await AssertProblemAsync(await RemoveAsync(hq, item, 3, "盘点差异", key), HttpStatusCode.Conflict, "idempotency.key_reused");
        Assert.Equal(7, await StockAsync(item));
        Assert.Equal(1, await EntriesAsync(item, MallStockEntryKind.Removal));

        // More than is left: refused with what is left, nothing written.
        Api.Time.Advance(TimeSpan.FromMinutes(1));
        var tooMany = await AssertProblemAsync(await RemoveAsync(hq, item, 8), HttpStatusCode.Conflict, "mall.stock_insufficient");
        Assert.Equal((7L, 8L), (tooMany.GetProperty("available").GetInt64(), tooMany.GetProperty("requested").GetInt64()));
        Assert.Equal(7, await StockAsync(item));
        Assert.Equal(1, await EntriesAsync(item, MallStockEntryKind.Removal));

        var member = (await MembersAsync(1, points: 100))[0];
        var redemption = await RedeemAsync(Shopper(member), item);
        Api.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await (await RemoveAsync(hq, item, 6, new string('盘', 200))).JsonAsync()).GetProperty("stock").GetInt64());
        await AssertProblemAsync(await RemoveAsync(hq, item, 1), HttpStatusCode.Conflict, "mall.stock_insufficient");

        // Each bad request is its problem and writes nothing.
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/mall/items/{item}/stock-removals", new { quantity = 1, reason = "x" }),
            HttpStatusCode.BadRequest, "idempotency.key_required");
        foreach (var (quantity, reason) in new (long, string?)[] { (1, null), (1, ""), (1, "   "), (1, new string('盘', 201)), (0, "x"), (-1, "x"), (1_000_001, "x") })
            await AssertProblemAsync(await RemoveAsync(hq, item, quantity, reason), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await RemoveAsync(hq, Guid.NewGuid(), 1), HttpStatusCode.NotFound, "mall.item_not_found");
        var coupon = await ItemAsync(stock: 0, kind: "coupon");
        await AssertProblemAsync(await RemoveAsync(hq, coupon, 1), HttpStatusCode.Conflict, "mall.stock_from_codes");
        Assert.Equal(0, await Api.DbAsync(db => db.MallStockEntries.CountAsync(e => e.ItemId == coupon && e.Kind == MallStockEntryKind.Removal)));
        Assert.Equal(2, await EntriesAsync(item, MallStockEntryKind.Removal));
        await AssertStockIsItsLedgerAsync(item);

        // The ledger, newest first: the second removal, the redemption, the first removal, the initial stock.
        var ledger = await (await hq.GetAsync($"/api/admin/mall/items/{item}/stock-entries")).JsonAsync();
        Assert.Equal(4, ledger.GetProperty("total").GetInt32());
        var entries = ledger.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["removal", "redemption", "removal", "initial"], entries.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([-6L, -1L, -3L, 10L], entries.Select(e => e.GetProperty("quantity").GetInt64()));
        Assert.Equal([new string('盘', 200), null, "破损 😀", null], entries.Select(e => e.GetProperty("reason").GetString()));
        Assert.Equal(redemption, entries[1].GetProperty("redemptionId").GetGuid());
        Assert.Equal(await StockAsync(item), entries.Sum(e => e.GetProperty("quantity").GetInt64()));
        var last = await (await hq.GetAsync($"/api/admin/mall/items/{item}/stock-entries?page=2&pageSize=3")).JsonAsync();
        Assert.Equal(["initial"], last.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/mall/items/{Guid.NewGuid()}/stock-entries"), HttpStatusCode.NotFound, "mall.item_not_found");
    }

    [SkippableFact]
    public async Task Twenty_racing_removals_of_one_from_ten_units_take_exactly_ten()
    {
        var hq = await HqAsync();
        var item = await ItemAsync(stock: 10);
        var codes = await ConcurrentlyAsync(20, 20, async _ =>
        {
            using var response = await RemoveAsync(hq, item, 1);
            return await CodeOfAsync(response);
        });
        Assert.Equal(10, codes.Count(c => c == "200"));
        Assert.All(codes.Where(c => c != "200"), c => Assert.Equal("mall.stock_insufficient", c));
        Assert.Equal(0, await StockAsync(item));
        Assert.Equal(10, await EntriesAsync(item, MallStockEntryKind.Removal));
        await AssertStockIsItsLedgerAsync(item);
    }

    [SkippableFact]
    public async Task Removals_racing_redemptions_for_the_last_units_never_take_the_stock_below_zero()
    {
        var hq = await HqAsync();
        var item = await ItemAsync(stock: 12, price: 10);
        var members = await MembersAsync(16, points: 100);
        var answers = await ConcurrentlyAsync(32, 32, async i =>
        {
            using var response = i % 2 == 0
                ? await RemoveAsync(hq, item, 1)
                : await Shopper(members[i / 2]).PostAsJsonAsync("/api/mp/mall/redemptions", new { itemId = item, quantity = 1, requestId = Guid.NewGuid().ToString() });
            return (Removal: i % 2 == 0, Code: await CodeOfAsync(response));
        });
        Assert.Equal(12, answers.Count(a => a.Code == "200"));
        Assert.All(answers.Where(a => a.Code != "200"), a => Assert.Equal(a.Removal ? "mall.stock_insufficient" : "mall.sold_out", a.Code));
        Assert.Equal(0, await StockAsync(item));
        Assert.Equal(answers.Count(a => a.Removal && a.Code == "200"), await EntriesAsync(item, MallStockEntryKind.Removal));
        Assert.Equal(answers.Count(a => !a.Removal && a.Code == "200"), await Api.DbAsync(db => db.MallRedemptions.CountAsync(r => r.ItemId == item)));
        // Nobody who lost the race was charged.
        var charged = await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.Kind == PointsEntryKind.MallRedemption && members.Contains(e.MemberId)));
        Assert.Equal(answers.Count(a => !a.Removal && a.Code == "200"), charged);
        await AssertStockIsItsLedgerAsync(item);
    }
}

public sealed class MallAdminTestsOnSqlite(FakeClockSqliteApi fixture) : MallAdminTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class MallAdminTestsOnMySql(FakeClockMySqlApi fixture) : MallAdminTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;
