using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Commissions;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Commissions;

/// <summary>
/// Commission entries posted from sales documents, dated by document time: the product rules' scenario (a sale on 28
/// January, January closed, a partial refund on 3 February), month boundaries in the brand's zone, the sale's rule for
/// its refunds, the payment switches, full refunds taking back exactly, and closing a month while documents arrive.
/// Every test uses its own year (rules and closed months are shared by the class's tests).
/// </summary>
public abstract class CommissionPostingTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private sealed record Shop(StoreView Store, ShoppingGuide Guide, HttpClient Pos);

    private async Task<Shop> ShopAsync()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        return new Shop(store, guide, Api.IntegrationClient(await Api.CreateIntegrationClientAsync()));
    }

    private async Task RuleAsync(CommissionScope scope, string? value, CommissionMethod method, long amount, DateOnly from, DateOnly? to) =>
        await Api.InScopeAsync(async db =>
        {
            db.CommissionRules.Add(new CommissionRule(scope, value, method, amount, from, to, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

    private static object Sale(Shop shop, string number, DateTimeOffset at, object[] lines, object[] payments, bool attributed = true) => new
    {
        documentNumber = number, kind = "sale", storeCode = shop.Store.Code, guide = attributed ? shop.Guide.WeComUserId : null, documentTime = at, lines, payments,
    };

    private static object Line(int no, string sku, int quantity, long paid, string product = "纯棉T恤", string category = "服装") =>
        new { lineNo = no, sku, product, category, quantity, unitPrice = (paid + quantity - 1) / quantity, paidAmount = paid };

    private static object Pay(string method, long amount) => new { method, amount };

    private static object Refund(string number, string original, DateTimeOffset at, params (int LineNo, int Quantity, long Paid)[] lines) => new
    {
        documentNumber = number, kind = "refund", originalDocumentNumber = original, documentTime = at,
        lines = lines.Select((l, i) => (object)new { lineNo = i + 1, originalLineNo = l.LineNo, quantity = l.Quantity, paidAmount = l.Paid }).ToArray(),
        payments = new object[] { Pay("wechat_pay", lines.Sum(l => l.Paid)) },
    };

    private static async Task PostAsync(HttpClient pos, object document)
    {
        var response = await pos.PostAsJsonAsync("/api/integration/documents", document);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<List<CommissionEntry>> EntriesAsync(Guid guideId) =>
        Api.DbAsync(async db => (await db.CommissionEntries.AsNoTracking().Where(e => e.GuideId == guideId).ToListAsync())
            .OrderBy(e => e.DocumentTime).ThenBy(e => e.LineNo).ToList());

    private async Task<HttpResponseMessage> PeriodAsync(HttpClient hq, string month, string action, string? reason) =>
        await hq.PostAsJsonAsync($"/api/admin/commission-periods/{month}/{action}", new { reason });

    [SkippableFact]
    public async Task A_refund_after_its_sales_month_closed_takes_commission_back_in_its_own_month()
    {
        var shop = await ShopAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 500, new DateOnly(2021, 1, 1), new DateOnly(2021, 12, 31));
        var number = ApiFixture.Unique("S");
        // 28 January: two lines, paid by WeChat Pay and wallet gift (both in the base by default): 5% of each line.
        await PostAsync(shop.Pos, Sale(shop, number, new DateTimeOffset(2021, 1, 28, 15, 0, 0, Shanghai),
            [Line(1, "SKU-A", 2, 20_000), Line(2, "SKU-B", 1, 10_000)], [Pay("wechat_pay", 20_000), Pay("wallet_gift", 10_000)]));
        Assert.Equal(HttpStatusCode.OK, (await PeriodAsync(hq, "2021-01", "close", "一月结账")).StatusCode);

        // 3 February: one of the two units of line 1 comes back.
        await PostAsync(shop.Pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2021, 2, 3, 10, 0, 0, Shanghai), (1, 1, 10_000)));

        var entries = await EntriesAsync(shop.Guide.Id);
        Assert.Equal([(CommissionEntryKind.Sale, 202101, 20_000L, 1_000L, 2), (CommissionEntryKind.Sale, 202101, 10_000L, 500L, 1),
                (CommissionEntryKind.Refund, 202102, -10_000L, -500L, -1)],
            entries.Select(e => (e.Kind, e.PostingMonth, e.CommissionableAmount, e.Commission, e.Quantity)));
        Assert.Equal(1_500, entries.Where(e => e.PostingMonth == 202101).Sum(e => e.Commission));
        Assert.Equal(-500, entries.Where(e => e.PostingMonth == 202102).Sum(e => e.Commission));
        Assert.Equal(entries[0].Id, entries[2].OriginalEntryId);

        // A late sale of January arrives now: it posts in February and keeps its January time.
        var late = ApiFixture.Unique("S");
        var lateTime = new DateTimeOffset(2021, 1, 30, 12, 0, 0, Shanghai);
        await PostAsync(shop.Pos, Sale(shop, late, lateTime, [Line(1, "SKU-C", 1, 4_000)], [Pay("cash", 4_000)]));
        var lateEntry = (await EntriesAsync(shop.Guide.Id)).Single(e => e.DocumentNumber == late);
        Assert.Equal((202102, lateTime, 200L), (lateEntry.PostingMonth, lateEntry.DocumentTime, lateEntry.Commission));
        // January is unchanged.
        Assert.Equal(1_500, (await EntriesAsync(shop.Guide.Id)).Where(e => e.PostingMonth == 202101).Sum(e => e.Commission));
    }

    [SkippableFact]
    public async Task The_month_is_the_brands_a_sale_at_23_59_59_on_31_january_shanghai_time_is_januarys()
    {
        var shop = await ShopAsync();
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 1_000, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31));
        await PostAsync(shop.Pos, Sale(shop, ApiFixture.Unique("S"), new DateTimeOffset(2022, 1, 31, 15, 59, 59, TimeSpan.Zero),
            [Line(1, "SKU-A", 1, 1_000)], [Pay("cash", 1_000)]));
        await PostAsync(shop.Pos, Sale(shop, ApiFixture.Unique("S"), new DateTimeOffset(2022, 1, 31, 16, 0, 0, TimeSpan.Zero),
            [Line(1, "SKU-A", 1, 2_000)], [Pay("cash", 2_000)]));
        Assert.Equal([(202201, 100L), (202202, 200L)], (await EntriesAsync(shop.Guide.Id)).Select(e => (e.PostingMonth, e.Commission)));
    }

    [SkippableFact]
    public async Task The_most_specific_rule_wins_and_a_refund_keeps_its_sales_rule_when_the_rule_changed_since()
    {
        var shop = await ShopAsync();
        var sku = ApiFixture.Unique("SKU");
        var product = ApiFixture.Unique("商品");
        var category = ApiFixture.Unique("品类");
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 100, new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31));
        await RuleAsync(CommissionScope.Category, category, CommissionMethod.Rate, 200, new DateOnly(2023, 1, 1), null);
        await RuleAsync(CommissionScope.Product, product, CommissionMethod.FixedPerUnit, 300, new DateOnly(2023, 1, 1), null);
        await RuleAsync(CommissionScope.Sku, sku, CommissionMethod.Rate, 800, new DateOnly(2023, 1, 1), new DateOnly(2023, 3, 10));
        await RuleAsync(CommissionScope.Sku, sku, CommissionMethod.Rate, 2_000, new DateOnly(2023, 3, 11), null);
        var number = ApiFixture.Unique("S");
        await PostAsync(shop.Pos, Sale(shop, number, new DateTimeOffset(2023, 3, 10, 20, 0, 0, Shanghai),
        [
            Line(1, sku, 2, 10_000, product, category), // SKU rule of 10 March: 8%
            Line(2, ApiFixture.Unique("SKU"), 3, 6_000, product, category), // product rule: 3.00 a unit
            Line(3, ApiFixture.Unique("SKU"), 1, 5_000, ApiFixture.Unique("商品"), category), // category: 2%
            Line(4, ApiFixture.Unique("SKU"), 1, 5_000, ApiFixture.Unique("商品"), ApiFixture.Unique("品类")), // default: 1%
        ], [Pay("cash", 26_000)]));
        Assert.Equal([800L, 900L, 100L, 50L], (await EntriesAsync(shop.Guide.Id)).Select(e => e.Commission));

        // 12 March the SKU's rule is 20%; the refund of one unit still takes back at the sale's 8%.
        await PostAsync(shop.Pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2023, 3, 12, 9, 0, 0, Shanghai), (1, 1, 5_000), (2, 1, 2_000)));
        var refunds = (await EntriesAsync(shop.Guide.Id)).Where(e => e.Kind == CommissionEntryKind.Refund).ToList();
        Assert.Equal([(-5_000L, -400L, 800L), (-2_000L, -300L, 300L)], refunds.Select(e => (e.CommissionableAmount, e.Commission, e.RuleValue!.Value)));
    }

    [SkippableFact]
    public async Task Refunds_in_parts_take_back_exactly_what_the_line_earned()
    {
        var shop = await ShopAsync();
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 333, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        var number = ApiFixture.Unique("S");
        await PostAsync(shop.Pos, Sale(shop, number, new DateTimeOffset(2024, 5, 1, 12, 0, 0, Shanghai), [Line(1, "SKU-A", 3, 10_001)], [Pay("cash", 10_001)]));
        // 3.33% of 100.01 yuan: 333.03 fen, rounded down to 333.
        Assert.Equal(333, Assert.Single(await EntriesAsync(shop.Guide.Id)).Commission);
        foreach (var (day, paid) in new[] { (2, 3_334L), (3, 3_334L), (4, 3_333L) })
            await PostAsync(shop.Pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2024, 5, day, 12, 0, 0, Shanghai), (1, 1, paid)));
        var entries = await EntriesAsync(shop.Guide.Id);
        Assert.Equal(4, entries.Count);
        Assert.Equal(0, entries.Sum(e => e.Commission));
        Assert.Equal(0, entries.Sum(e => e.CommissionableAmount));
        Assert.Equal(0, entries.Sum(e => e.Quantity));
    }

    [SkippableFact]
    public async Task The_wallet_gift_switch_takes_the_gift_part_out_of_the_base_apportioned_to_the_lines()
    {
        var shop = await ShopAsync();
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 1_000, new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31));
        await SettingsAsync(walletGift: false);
        try
        {
            await PostAsync(shop.Pos, Sale(shop, ApiFixture.Unique("S"), new DateTimeOffset(2020, 6, 1, 12, 0, 0, Shanghai),
                [Line(1, "SKU-A", 1, 20_000), Line(2, "SKU-B", 1, 10_000)], [Pay("wechat_pay", 20_000), Pay("wallet_gift", 10_000)]));
            // 200.00 of the 300.00 counts: 133.33 on line 1, the remainder 66.67 on the last line; 10% of each, rounded down.
            Assert.Equal([(13_333L, 1_333L), (6_667L, 666L)], (await EntriesAsync(shop.Guide.Id)).Select(e => (e.CommissionableAmount, e.Commission)));
        }
        finally
        {
            await SettingsAsync(walletGift: true);
        }
    }

    private Task SettingsAsync(bool walletGift) => Api.InScopeAsync(async db =>
    {
        var settings = await db.CommissionSettings.SingleAsync();
        settings.Change(true, true, walletGift, false, false, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    });

    [SkippableFact]
    public async Task An_unattributed_sale_and_its_refund_create_no_entry()
    {
        var shop = await ShopAsync();
        var number = ApiFixture.Unique("S");
        await PostAsync(shop.Pos, Sale(shop, number, DateTimeOffset.UtcNow.AddHours(-1), [Line(1, "SKU-A", 1, 1_000)], [Pay("cash", 1_000)], attributed: false));
        await PostAsync(shop.Pos, Refund(ApiFixture.Unique("R"), number, DateTimeOffset.UtcNow, (1, 1, 1_000)));
        Assert.Equal(0, await Api.DbAsync(db => db.CommissionEntries.CountAsync(e => e.DocumentNumber == number || e.StoreId == shop.Store.Id)));
    }

    [SkippableFact]
    public async Task A_refund_racing_its_sales_ingestion_posts_once_after_the_sale()
    {
        // The POS sends a sale and its refund at once. The refund waits on the sale's row (its lock) or, when it came
        // first, waits for the sale (202 waitingForSale) and is posted by the sale's request: either way it posts once,
        // after the sale, and no refund is left waiting once both answers are in.
        var shop = await ShopAsync();
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 1_000, new DateOnly(2017, 1, 1), new DateOnly(2017, 12, 31));
        var at = new DateTimeOffset(2017, 9, 1, 12, 0, 0, Shanghai);
        var waitedFirst = 0;
        var numbers = new List<string>();
        for (var round = 0; round < 8; round++)
        {
            var number = ApiFixture.Unique("S");
            numbers.Add(number);
            var refund = Refund(ApiFixture.Unique("R"), number, at.AddHours(1), (1, 1, 2_000));
            var sale = shop.Pos.PostAsJsonAsync("/api/integration/documents", Sale(shop, number, at, [Line(1, "SKU-A", 2, 4_000)], [Pay("cash", 4_000)]));
            var first = shop.Pos.PostAsJsonAsync("/api/integration/documents", refund);
            Assert.True((await sale).IsSuccessStatusCode);
            var answer = await first;
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, await answer.Content.ReadAsStringAsync());
            if (answer.StatusCode == HttpStatusCode.Accepted) waitedFirst++;
            // A resend of the refund changes nothing and answers the posted refund.
            var resent = await shop.Pos.PostAsJsonAsync("/api/integration/documents", refund);
            Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
            Assert.Equal("recorded", (await resent.JsonAsync()).GetProperty("status").GetString());
        }
        var entries = await EntriesAsync(shop.Guide.Id);
        Assert.Equal(16, entries.Count);
        Assert.Equal(8 * (400 - 200), entries.Sum(e => e.Commission));
        Assert.All(entries.Where(e => e.Kind == CommissionEntryKind.Refund), r => Assert.Equal(-200, r.Commission));
        Assert.Equal(0, await Api.DbAsync(db => db.WaitingRefunds.CountAsync(w => numbers.Contains(w.OriginalDocumentNumber)
                                                                                  && w.Status == Guide.Domain.Documents.WaitingRefundStatus.Waiting)));
        Assert.InRange(waitedFirst, 0, 8);
    }

    [SkippableFact]
    public async Task A_refund_that_comes_before_its_sale_waits_and_posts_in_its_own_month_when_the_sale_arrives()
    {
        var shop = await ShopAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        await RuleAsync(CommissionScope.Default, null, CommissionMethod.Rate, 1_000, new DateOnly(2016, 1, 1), new DateOnly(2016, 12, 31));
        var number = ApiFixture.Unique("S");
        // The POS syncs out of order: the refund of 5 April (1 of 2 units, 3,000 of 6,000 fen) comes before the sale of 30 March.
        var refund = Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2016, 4, 5, 10, 0, 0, Shanghai), (1, 1, 3_000));
        var waiting = await shop.Pos.PostAsJsonAsync("/api/integration/documents", refund);
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        var parked = await waiting.JsonAsync();
        Assert.Equal("waiting_for_sale", parked.GetProperty("status").GetString());
        Assert.Empty(await EntriesAsync(shop.Guide.Id));
        // A resend while it waits answers the same.
        Assert.Equal(HttpStatusCode.Accepted, (await shop.Pos.PostAsJsonAsync("/api/integration/documents", refund)).StatusCode);

        // March is closed before the sale arrives: the sale posts in April (first open month), the refund in April too.
        Assert.Equal(HttpStatusCode.OK, (await PeriodAsync(hq, "2016-03", "close", "month end")).StatusCode);
        await PostAsync(shop.Pos, Sale(shop, number, new DateTimeOffset(2016, 3, 30, 18, 0, 0, Shanghai), [Line(1, "SKU-A", 2, 6_000)], [Pay("cash", 6_000)]));
        Assert.Equal(
            [(CommissionEntryKind.Sale, 201604, 6_000L, 600L, 2), (CommissionEntryKind.Refund, 201604, -3_000L, -300L, -1)],
            (await EntriesAsync(shop.Guide.Id)).Select(e => (e.Kind, e.PostingMonth, e.CommissionableAmount, e.Commission, e.Quantity)));
        var posted = await Api.DbAsync(db => db.SalesDocuments.AsNoTracking().SingleAsync(d => d.DocumentNumber == refund.GetType().GetProperty("documentNumber")!.GetValue(refund)!.ToString()));
        Assert.Equal(parked.GetProperty("id").GetGuid(), posted.Id); // the id answered while waiting is the refund document's
        var resent = await (await shop.Pos.PostAsJsonAsync("/api/integration/documents", refund)).JsonAsync();
        Assert.Equal("recorded", resent.GetProperty("status").GetString());
        Assert.True(resent.GetProperty("replayed").GetBoolean());
        Assert.Equal("SKU-A", resent.GetProperty("lines")[0].GetProperty("sku").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PeriodAsync(hq, "2016-03", "reopen", "test over")).StatusCode);
    }

    [SkippableFact]
    public async Task Closing_a_month_while_documents_arrive_lets_nothing_land_in_it_after_the_close()
    {
        var shop = await ShopAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var at = new DateTimeOffset(2019, 7, 15, 12, 0, 0, Shanghai);
        var numbers = Enumerable.Range(0, 24).Select(_ => ApiFixture.Unique("S")).ToList();
        var posts = numbers.Select(async (n, i) =>
        {
            await Task.Delay(i * 5);
            await PostAsync(shop.Pos, Sale(shop, n, at, [Line(1, "SKU-A", 1, 1_000), Line(2, "SKU-B", 1, 500)], [Pay("cash", 1_500)]));
        }).ToList();
        await Task.Delay(40);
        Assert.Equal(HttpStatusCode.OK, (await PeriodAsync(hq, "2019-07", "close", "月结")).StatusCode);
        var julyAtClose = await Api.DbAsync(db => db.CommissionEntries.CountAsync(e => e.StoreId == shop.Store.Id && e.PostingMonth == 201907));
        await Task.WhenAll(posts);

        var entries = await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().Where(e => e.StoreId == shop.Store.Id).ToListAsync());
        Assert.Equal(48, entries.Count);
        Assert.Equal(julyAtClose, entries.Count(e => e.PostingMonth == 201907));
        Assert.Equal(48 - julyAtClose, entries.Count(e => e.PostingMonth == 201908));
        // A document is never split across months.
        Assert.All(entries.GroupBy(e => e.DocumentId), d => Assert.Single(d.Select(e => e.PostingMonth).Distinct()));
    }

    [SkippableFact]
    public async Task Closing_and_reopening_are_recorded_and_refused_when_they_make_no_sense()
    {
        var admin = await Api.LogInAdminAsync();
        var hq = Api.Client(admin.Token);
        await AssertProblemAsync(await PeriodAsync(hq, "2018-03", "reopen", "why not"), HttpStatusCode.Conflict, "commission_period.not_closed");
        await AssertProblemAsync(await PeriodAsync(hq, "2018-03", "close", " "), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await PeriodAsync(hq, "2018-13", "close", "bad"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await PeriodAsync(hq, "1999-12", "close", "bad"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await PeriodAsync(hq, "2999-12", "close", "future"), HttpStatusCode.Conflict, "commission_period.not_begun");
        Assert.Equal(HttpStatusCode.OK, (await PeriodAsync(hq, "2018-03", "close", "三月结账")).StatusCode);
        await AssertProblemAsync(await PeriodAsync(hq, "2018-03", "close", "again"), HttpStatusCode.Conflict, "commission_period.already_closed");
        await AssertProblemAsync(await PeriodAsync(hq, "2018-03", "reopen", null), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(HttpStatusCode.OK, (await PeriodAsync(hq, "2018-03", "reopen", "补录单据")).StatusCode);

        var view = await (await hq.GetAsync("/api/admin/commission-periods/2018-03")).JsonAsync();
        Assert.False(view.GetProperty("closed").GetBoolean());
        var changes = view.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("action").GetString(), c.GetProperty("reason").GetString(),
            c.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("close", "三月结账", $"hq:{admin.Id}"), ("reopen", "补录单据", $"hq:{admin.Id}")], changes);

        var member = await Api.LogInMemberAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Client(member.Token).PostAsJsonAsync("/api/admin/commission-periods/2018-04/close", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Client().GetAsync("/api/admin/commission-periods/2018-04")).StatusCode);
        Assert.Equal(0, await Api.DbAsync(db => db.CommissionPeriods.CountAsync(p => p.Month == 201804 || p.Month == 201813 || p.Month == 299912)));
    }
}

public sealed class CommissionPostingTestsOnSqlite(SqliteApi fixture) : CommissionPostingTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CommissionPostingTestsOnMySql(MySqlApi fixture) : CommissionPostingTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
