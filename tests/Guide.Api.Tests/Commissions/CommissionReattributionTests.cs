using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Commissions;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Commissions;

/// <summary>
/// HQ's re-attribution of a sale's commission over HTTP: per line, minus for the guide who holds it and plus for the new guide, in
/// the first open month, the sale's closed month untouched; later refunds take back from whoever holds the line then; the
/// Idempotency-Key applies it once; refusals write nothing; only HQ may call it. Sales are dated in 2020 (this class's rules).
/// </summary>
public abstract class CommissionReattributionTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Reattributions = "/api/admin/commissions/reattributions";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly TimeZoneInfo ShanghaiZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private sealed record Shop(StoreView Store, ShoppingGuide Guide);

    private async Task<Shop> ShopAsync()
    {
        var store = await Api.CreateStoreAsync();
        return new Shop(store, await Api.CreateGuideAsync(store.Id));
    }

    private async Task<HttpClient> PosAsync() => Api.IntegrationClient(await Api.CreateIntegrationClientAsync());

    private async Task DefaultRuleOf2020Async() => await Api.InScopeAsync(async db =>
    {
        if (await db.CommissionRules.AnyAsync(r => r.Scope == CommissionScope.Default && r.EffectiveFrom == new DateOnly(2020, 1, 1))) return;
        db.CommissionRules.Add(new CommissionRule(CommissionScope.Default, null, CommissionMethod.Rate, 500, new DateOnly(2020, 1, 1),
            new DateOnly(2020, 12, 31), DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    });

    private static int BrandMonth(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, ShanghaiZone);
        return local.Year * 100 + local.Month;
    }

    private static string Text(int month) => $"{month / 100:D4}-{month % 100:D2}";

    /// <summary>28 January-like scenario in 2020: a sale of two lines (20 000 and 10 000 fen, 5 %) attributed to the shop's guide (or to nobody).</summary>
    private static object Sale(Shop shop, string number, DateTimeOffset at, bool attributed = true) => new
    {
        documentNumber = number, kind = "sale", storeCode = shop.Store.Code, guide = attributed ? shop.Guide.WeComUserId : null, documentTime = at,
        lines = new object[]
        {
            new { lineNo = 1, sku = "SKU-A", product = "羊毛大衣", category = "服装", quantity = 2, unitPrice = 10_000, paidAmount = 20_000 },
            new { lineNo = 2, sku = "SKU-B", product = "围巾", category = "配饰", quantity = 2, unitPrice = 5_000, paidAmount = 10_000 },
        },
        payments = new object[] { new { method = "wechat_pay", amount = 30_000 } },
    };

    private static object Refund(string number, string original, DateTimeOffset at, int lineNo, int quantity, long paid) => new
    {
        documentNumber = number, kind = "refund", originalDocumentNumber = original, documentTime = at,
        lines = new object[] { new { lineNo = 1, originalLineNo = lineNo, quantity, paidAmount = paid } },
        payments = new object[] { new { method = "wechat_pay", amount = paid } },
    };

    private static async Task<Guid> PostAsync(HttpClient pos, object document)
    {
        var response = await pos.PostAsJsonAsync("/api/integration/documents", document);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private Task<List<CommissionEntry>> EntriesOfAsync(Guid documentId) =>
        Api.DbAsync(async db => (await db.CommissionEntries.AsNoTracking().Where(e => e.DocumentId == documentId).ToListAsync())
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.LineNo).ThenBy(e => e.SourceKey).ToList());

    private Task<List<CommissionEntry>> EntriesOfGuideAsync(Guid guideId) =>
        Api.DbAsync(async db => (await db.CommissionEntries.AsNoTracking().Where(e => e.GuideId == guideId).ToListAsync())
            .OrderBy(e => e.PostingMonth).ThenBy(e => e.DocumentTime).ThenBy(e => e.LineNo).ToList());

    private Task<int> EntryRowsAsync() => Api.DbAsync(db => db.CommissionEntries.CountAsync());

    private static (long Net, long Commission, long MovedAmount, long MovedCommission) Row(JsonElement summary, Guid guideId)
    {
        var totals = summary.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("guideId").GetGuid() == guideId).GetProperty("totals");
        return (totals.GetProperty("netAmount").GetInt64(), totals.GetProperty("netCommission").GetInt64(), totals.GetProperty("reattributionAmount").GetInt64(),
            totals.GetProperty("reattributionCommission").GetInt64());
    }

    [SkippableFact]
    public async Task A_sale_moves_to_another_guide_in_the_open_month_its_closed_month_untouched_and_later_refunds_take_back_from_the_holder()
    {
        var now = DateTimeOffset.UtcNow;
        var open = BrandMonth(now);
        Skip.If(BrandMonth(now.AddMinutes(2)) != open, "The brand's month turns over right now.");
        await DefaultRuleOf2020Async();
        var hq = await Api.LogInAdminAsync();
        var console = Api.Client(hq.Token);
        var pos = await PosAsync();
        var a = await ShopAsync();
        var b = await ShopAsync();
        var number = ApiFixture.Unique("S");
        // March 2020: A sells two lines (commission 1 000 + 500), one unit of line 2 comes back for 4 000 (takes back 200), March closes.
        var saleId = await PostAsync(pos, Sale(a, number, new DateTimeOffset(2020, 3, 15, 14, 0, 0, Shanghai)));
        await PostAsync(pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2020, 3, 20, 10, 0, 0, Shanghai), 2, 1, 4_000));
        Assert.Equal(HttpStatusCode.OK, (await console.PostAsJsonAsync("/api/admin/commission-periods/2020-03/close", new { reason = "三月结账" })).StatusCode);
        var march = await OkAsync(await console.GetAsync($"/api/admin/commissions/summary?month=2020-03&storeId={a.Store.Id}"));

        var key = Guid.NewGuid().ToString();
        var moved = await CreatedAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = saleId, guideId = b.Guide.Id, reason = "  导购离职，转给接手导购  " }, key));
        Assert.Equal((a.Guide.Id, b.Guide.Id, b.Store.Id, open, hq.Id), (moved.GetProperty("fromGuideId").GetGuid(), moved.GetProperty("toGuideId").GetGuid(),
            moved.GetProperty("toStoreId").GetGuid(), moved.GetProperty("postingMonth").GetInt32(), moved.GetProperty("actorId").GetGuid()));
        Assert.Equal("导购离职，转给接手导购", moved.GetProperty("reason").GetString());
        Assert.False(moved.GetProperty("replayed").GetBoolean());
        // Line 1: 2 units, 20 000, 1 000; line 2: 2 - 1 units, 10 000 - 4 000, 500 - 200.
        Assert.Equal([(1, 2, 20_000L, 1_000L), (2, 1, 6_000L, 300L)], moved.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("lineNo").GetInt32(),
            l.GetProperty("quantity").GetInt32(), l.GetProperty("commissionableAmount").GetInt64(), l.GetProperty("commission").GetInt64())));

        var entries = await EntriesOfAsync(saleId);
        var sales = entries.Where(e => e.Kind == CommissionEntryKind.Sale).OrderBy(e => e.LineNo).ToList();
        var moves = entries.Where(e => e.Kind == CommissionEntryKind.Reattribution).OrderBy(e => e.LineNo).ThenBy(e => e.Commission).ToList();
        Assert.Equal(
            [
                (a.Guide.Id, a.Store.Id, 1, -2, -20_000L, -1_000L), (b.Guide.Id, b.Store.Id, 1, 2, 20_000L, 1_000L),
                (a.Guide.Id, a.Store.Id, 2, -1, -6_000L, -300L), (b.Guide.Id, b.Store.Id, 2, 1, 6_000L, 300L),
            ],
            moves.Select(e => (e.GuideId, e.StoreId, e.LineNo!.Value, e.Quantity, e.CommissionableAmount, e.Commission)));
        Assert.All(moves, e => Assert.Equal((open, number, "导购离职，转给接手导购", (Guid?)hq.Id), (e.PostingMonth, e.DocumentNumber, e.Reason, e.ActorId)));
        Assert.All(moves, e => Assert.Equal(sales[e.LineNo!.Value - 1].Id, e.OriginalEntryId));
        Assert.All(moves, e => Assert.Equal(open, BrandMonth(e.DocumentTime)));
        Assert.All(sales, e => Assert.Null(e.ActorId));

        // March is what it was: A's 1 500 less 200; nothing moved there.
        var marchAfter = await OkAsync(await console.GetAsync($"/api/admin/commissions/summary?month=2020-03&storeId={a.Store.Id}"));
        Assert.Equal(march.GetRawText(), marchAfter.GetRawText());
        Assert.Equal((30_000L - 4_000, 1_500L - 200, 0L, 0L), Row(marchAfter, a.Guide.Id));
        // The open month: A gives 26 000 / 1 300, B gets them; the totals are the details' sums.
        var fromA = await OkAsync(await console.GetAsync($"/api/admin/commissions/summary?month={Text(open)}&storeId={a.Store.Id}"));
        var toB = await OkAsync(await console.GetAsync($"/api/admin/commissions/summary?month={Text(open)}&storeId={b.Store.Id}"));
        Assert.Equal((-26_000L, -1_300L, -26_000L, -1_300L), Row(fromA, a.Guide.Id));
        Assert.Equal((26_000L, 1_300L, 26_000L, 1_300L), Row(toB, b.Guide.Id));
        var detail = await OkAsync(await console.GetAsync($"/api/admin/commissions/entries?month={Text(open)}&storeId={b.Store.Id}&kind=reattribution"));
        var items = detail.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(("reattribution", hq.Id), (i.GetProperty("kind").GetString(), i.GetProperty("actorId").GetGuid())));
        Assert.Equal(items.Sum(i => i.GetProperty("commission").GetInt64()), toB.GetProperty("totals").GetProperty("netCommission").GetInt64());
        Assert.Equal(items.Sum(i => i.GetProperty("commissionableAmount").GetInt64()), detail.GetProperty("totals").GetProperty("reattributionAmount").GetInt64());

        // 2 April 2020 (posts in April: March is closed): one unit of line 1 back, 10 000 of 20 000: B gives back 500, A nothing.
        var refundId = await PostAsync(pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2020, 4, 2, 11, 0, 0, Shanghai), 1, 1, 10_000));
        var refund = Assert.Single(await EntriesOfAsync(refundId));
        Assert.Equal((b.Guide.Id, b.Store.Id, 202004, -1, -10_000L, -500L, sales[0].Id),
            (refund.GuideId, refund.StoreId, refund.PostingMonth, refund.Quantity, refund.CommissionableAmount, refund.Commission, refund.OriginalEntryId));
        Assert.DoesNotContain(await EntriesOfGuideAsync(a.Guide.Id), e => e.PostingMonth == 202004);

        // Back to A: B holds line 1's 1 unit, 10 000, 500 and line 2's 1, 6 000, 300; a refund of the last unit of line 1 then takes from A.
        var back = await CreatedAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = saleId, guideId = a.Guide.Id, reason = "误转，改回" }));
        Assert.Equal([(1, 1, 10_000L, 500L), (2, 1, 6_000L, 300L)], back.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("lineNo").GetInt32(),
            l.GetProperty("quantity").GetInt32(), l.GetProperty("commissionableAmount").GetInt64(), l.GetProperty("commission").GetInt64())));
        var lastId = await PostAsync(pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2020, 4, 5, 11, 0, 0, Shanghai), 1, 1, 10_000));
        var last = Assert.Single(await EntriesOfAsync(lastId));
        Assert.Equal((a.Guide.Id, a.Store.Id, -10_000L, -500L), (last.GuideId, last.StoreId, last.CommissionableAmount, last.Commission));

        // Over every month: B holds nothing of the sale, A what is left of it (line 2's unit: 6 000, 300).
        Assert.Equal((0L, 0L), Sum(await EntriesOfGuideAsync(b.Guide.Id)));
        Assert.Equal((6_000L, 300L), Sum(await EntriesOfGuideAsync(a.Guide.Id)));
        static (long, long) Sum(List<CommissionEntry> all) => (all.Sum(e => e.CommissionableAmount), all.Sum(e => e.Commission));
    }

    [SkippableFact]
    public async Task The_same_key_and_body_answer_the_first_move_and_another_body_is_refused()
    {
        await DefaultRuleOf2020Async();
        var console = Api.Client((await Api.LogInAdminAsync()).Token);
        var pos = await PosAsync();
        var (a, b, c) = (await ShopAsync(), await ShopAsync(), await ShopAsync());
        var saleId = await PostAsync(pos, Sale(a, ApiFixture.Unique("S"), new DateTimeOffset(2020, 6, 1, 12, 0, 0, Shanghai)));
        var key = Guid.NewGuid().ToString();
        var body = new { documentId = saleId, guideId = b.Guide.Id, reason = "客户指定导购" };

        var first = await CreatedAsync(await console.PostWithKeyAsync(Reattributions, body, key));
        var again = await CreatedAsync(await console.PostWithKeyAsync(Reattributions, body, key));
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("lines").GetRawText(), again.GetProperty("lines").GetRawText());
        Assert.Equal(first.GetProperty("documentTime").GetDateTimeOffset(), again.GetProperty("documentTime").GetDateTimeOffset());

        foreach (var changed in new object[]
        {
            new { documentId = saleId, guideId = c.Guide.Id, reason = "客户指定导购" },
            new { documentId = saleId, guideId = b.Guide.Id, reason = "另一个原因" },
        })
            await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, changed, key), HttpStatusCode.Conflict, "idempotency.key_reused");
        Assert.Equal(4, (await EntriesOfAsync(saleId)).Count(e => e.Kind == CommissionEntryKind.Reattribution));
        Assert.Empty(await EntriesOfGuideAsync(c.Guide.Id));
    }

    [SkippableFact]
    public async Task Each_refusal_has_its_code_and_writes_nothing()
    {
        await DefaultRuleOf2020Async();
        var console = Api.Client((await Api.LogInAdminAsync()).Token);
        var pos = await PosAsync();
        var (a, b) = (await ShopAsync(), await ShopAsync());
        var number = ApiFixture.Unique("S");
        var saleId = await PostAsync(pos, Sale(a, number, new DateTimeOffset(2020, 7, 1, 12, 0, 0, Shanghai)));
        var refundId = await PostAsync(pos, Refund(ApiFixture.Unique("R"), number, new DateTimeOffset(2020, 7, 2, 12, 0, 0, Shanghai), 1, 1, 10_000));
        var unattributed = await PostAsync(pos, Sale(a, ApiFixture.Unique("S"), new DateTimeOffset(2020, 7, 3, 12, 0, 0, Shanghai), attributed: false));
        var before = await EntryRowsAsync();

        await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = Guid.NewGuid(), guideId = b.Guide.Id, reason = "无此单" }),
            HttpStatusCode.NotFound, "document.not_found");
        await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = refundId, guideId = b.Guide.Id, reason = "退货单" }),
            HttpStatusCode.Conflict, "commission.document_is_refund");
        await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = unattributed, guideId = b.Guide.Id, reason = "补归属" }),
            HttpStatusCode.Conflict, "commission.document_unattributed");
        await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = saleId, guideId = a.Guide.Id, reason = "转给自己" }),
            HttpStatusCode.Conflict, "commission.already_attributed");
        await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, new { documentId = saleId, guideId = Guid.NewGuid(), reason = "无此导购" }),
            HttpStatusCode.NotFound, "guide.not_found");
        foreach (var (body, field) in new (object, string)[]
        {
            (new { documentId = saleId, guideId = b.Guide.Id }, "reason"),
            (new { documentId = saleId, guideId = b.Guide.Id, reason = "   " }, "reason"),
            (new { documentId = saleId, guideId = b.Guide.Id, reason = new string('因', 201) }, "reason"),
            (new { guideId = b.Guide.Id, reason = "原因" }, "documentId"),
            (new { documentId = saleId, reason = "原因" }, "guideId"),
        })
        {
            var problem = await AssertProblemAsync(await console.PostWithKeyAsync(Reattributions, body), HttpStatusCode.BadRequest, "request.validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        }
        var noKey = new HttpRequestMessage(HttpMethod.Post, Reattributions)
        {
            Content = new StringContent($$"""{"documentId":"{{saleId}}","guideId":"{{b.Guide.Id}}","reason":"原因"}""", Encoding.UTF8, "application/json"),
        };
        await AssertProblemAsync(await console.SendAsync(noKey), HttpStatusCode.BadRequest, "idempotency.key_required");
        Assert.Equal(before, await EntryRowsAsync());
    }

    [SkippableFact]
    public async Task Only_hq_reattributes_and_adjustments_record_their_admin()
    {
        await DefaultRuleOf2020Async();
        var pos = await PosAsync();
        var (a, b) = (await ShopAsync(), await ShopAsync());
        var saleId = await PostAsync(pos, Sale(a, ApiFixture.Unique("S"), new DateTimeOffset(2020, 8, 1, 12, 0, 0, Shanghai)));
        var member = await Api.LogInMemberAsync();
        var guide = await Api.LogInGuideAsync(b.Guide);
        var before = await EntryRowsAsync();
        var body = new { documentId = saleId, guideId = b.Guide.Id, reason = "自己转给自己" };
        await AssertProblemAsync(await Api.Client().PostWithKeyAsync(Reattributions, body), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        foreach (var token in new[] { member.Token, guide.Token })
            await AssertProblemAsync(await Api.Client(token).PostWithKeyAsync(Reattributions, body), HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.Equal(before, await EntryRowsAsync());

        var hq = await Api.LogInAdminAsync();
        var adjustment = await CreatedAsync(await Api.Client(hq.Token).PostWithKeyAsync("/api/admin/commissions/adjustments",
            new { guideId = b.Guide.Id, amount = 100, reason = "补录" }));
        var id = adjustment.GetProperty("entryId").GetGuid();
        Assert.Equal(hq.Id, (await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().SingleAsync(e => e.Id == id))).ActorId);
    }
}

public sealed class CommissionReattributionTestsOnSqlite(SqliteApi fixture) : CommissionReattributionTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CommissionReattributionTestsOnMySql(MySqlApi fixture) : CommissionReattributionTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
