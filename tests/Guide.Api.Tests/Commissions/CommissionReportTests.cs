using System.Net;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Commissions;
using Guide.Domain.Organization;

namespace Guide.Api.Tests.Commissions;

/// <summary>
/// The commission reports over HTTP: HQ's detail table (filters, paging, totals over every match, the CSV file) and its summary per
/// guide and store, the guide workbench's lines by role, and bad input. Entries are written straight into the ledger; every test
/// makes its own stores and guides (one database per class) and reads through them, and checks the totals against sums it computes
/// from what it wrote.
/// </summary>
public abstract class CommissionReportTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Entries = "/api/admin/commissions/entries";
    private const string Summary = "/api/admin/commissions/summary";
    private const string Mine = "/api/guide/commissions";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private async Task<HttpClient> AsGuideAsync(ShoppingGuide guide) => Api.Client((await Api.LogInGuideAsync(guide)).Token);

    /// <summary>
    /// An entry as the posting writes it: a sale (rate 500 bp unless given), a refund (negative quantity, amount and commission, of
    /// <paramref name="original"/>), or an adjustment (no line, no rule, a reason).
    /// </summary>
    private async Task<CommissionEntry> EntryAsync(CommissionEntryKind kind, ShoppingGuide guide, Guid storeId, int postingMonth, DateTimeOffset documentTime,
        long amount, long commission, int quantity = 1, string? product = "T恤", string? sku = "SKU-1", CommissionMethod? method = CommissionMethod.Rate,
        long? ruleValue = 500, CommissionEntry? original = null, string? reason = null)
    {
        var adjustment = kind == CommissionEntryKind.Adjustment;
        var entry = new CommissionEntry(kind, ApiFixture.Unique("src"), guide.Id, storeId, adjustment ? null : Guid.NewGuid(),
            adjustment ? null : ApiFixture.Unique("D"), documentTime, postingMonth, adjustment ? null : 1, adjustment ? null : sku, adjustment ? null : product,
            adjustment ? null : "上衣", quantity, amount, adjustment ? null : Guid.NewGuid(), adjustment ? null : method, adjustment ? null : ruleValue,
            commission, original?.Id, reason, DateTimeOffset.UtcNow);
        await Api.InScopeAsync(async db => { db.CommissionEntries.Add(entry); await db.SaveChangesAsync(); });
        return entry;
    }

    private static DateTimeOffset At(int year, int month, int day, int hour = 12, int minute = 0) => new(year, month, day, hour, minute, 0, Shanghai);

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static List<Guid> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    private static void AssertTotals(JsonElement totals, IEnumerable<CommissionEntry> lines)
    {
        var all = lines.ToList();
        long Sum(CommissionEntryKind? kind, Func<CommissionEntry, long> of) => all.Where(e => kind is null || e.Kind == kind).Sum(of);
        Assert.Equal(Sum(CommissionEntryKind.Sale, e => e.CommissionableAmount), totals.GetProperty("salesAmount").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Sale, e => e.Commission), totals.GetProperty("salesCommission").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Refund, e => e.CommissionableAmount), totals.GetProperty("refundAmount").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Refund, e => e.Commission), totals.GetProperty("refundCommission").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Adjustment, e => e.CommissionableAmount), totals.GetProperty("adjustmentAmount").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Adjustment, e => e.Commission), totals.GetProperty("adjustmentCommission").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Reattribution, e => e.CommissionableAmount), totals.GetProperty("reattributionAmount").GetInt64());
        Assert.Equal(Sum(CommissionEntryKind.Reattribution, e => e.Commission), totals.GetProperty("reattributionCommission").GetInt64());
        Assert.Equal(Sum(null, e => e.CommissionableAmount), totals.GetProperty("netAmount").GetInt64());
        Assert.Equal(Sum(null, e => e.Commission), totals.GetProperty("netCommission").GetInt64());
    }

    [SkippableFact]
    public async Task Hq_detail_table_filters_pages_by_document_time_and_its_totals_are_the_sums_of_every_matching_line()
    {
        var hq = await HqAsync();
        var area = ApiFixture.Unique("华东");
        var east = await Api.CreateStoreAsync(area);
        var eastToo = await Api.CreateStoreAsync(area);
        var west = await Api.CreateStoreAsync();
        var ann = await Api.CreateGuideAsync(east.Id);
        var bo = await Api.CreateGuideAsync(eastToo.Id);
        var cy = await Api.CreateGuideAsync(west.Id);

        // Inserted out of time order: the table orders by document time, not by insertion.
        var late = await EntryAsync(CommissionEntryKind.Sale, ann, east.Id, 202603, At(2026, 3, 20), 19_900, 995, product: "连衣裙 夏季");
        var early = await EntryAsync(CommissionEntryKind.Sale, ann, east.Id, 202603, At(2026, 3, 2), 12_345, 617, quantity: 2);
        var refund = await EntryAsync(CommissionEntryKind.Refund, ann, east.Id, 202603, At(2026, 3, 25), -6_000, -300, quantity: -1, original: early);
        var bos = await EntryAsync(CommissionEntryKind.Sale, bo, eastToo.Id, 202603, At(2026, 3, 10), 8_000, 240, product: "牛仔裤", method: CommissionMethod.FixedPerUnit,
            ruleValue: 240);
        var adjustment = await EntryAsync(CommissionEntryKind.Adjustment, bo, eastToo.Id, 202603, At(2026, 3, 31, 23, 59), 0, 1_000, quantity: 0, reason: "补发三月提成");
        var cys = await EntryAsync(CommissionEntryKind.Sale, cy, west.Id, 202603, At(2026, 3, 15), 5_000, 250);
        await EntryAsync(CommissionEntryKind.Sale, ann, east.Id, 202604, At(2026, 4, 1, 0, 0), 7_000, 350); // another month
        var areaLines = new[] { early, bos, late, refund, adjustment };

        var byArea = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-03&area={Uri.EscapeDataString(area)}&pageSize=100"));
        Assert.Equal(areaLines.Select(e => e.Id), Ids(byArea));
        Assert.Equal(5, byArea.GetProperty("total").GetInt32());
        AssertTotals(byArea.GetProperty("totals"), areaLines);

        // One row, every column.
        var row = byArea.GetProperty("items")[0];
        Assert.Equal(ann.Id, row.GetProperty("guideId").GetGuid());
        Assert.Equal(ann.Name, row.GetProperty("guideName").GetString());
        Assert.Equal(east.Id, row.GetProperty("storeId").GetGuid());
        Assert.Equal(east.Name, row.GetProperty("storeName").GetString());
        Assert.Equal(early.DocumentNumber, row.GetProperty("documentNumber").GetString());
        Assert.Equal("sale", row.GetProperty("kind").GetString());
        Assert.Equal(early.DocumentTime, row.GetProperty("documentTime").GetDateTimeOffset());
        Assert.Equal("2026-03", row.GetProperty("postingMonth").GetString());
        Assert.Equal(1, row.GetProperty("lineNo").GetInt32());
        Assert.Equal("SKU-1", row.GetProperty("sku").GetString());
        Assert.Equal("T恤", row.GetProperty("product").GetString());
        Assert.Equal("上衣", row.GetProperty("category").GetString());
        Assert.Equal(2, row.GetProperty("quantity").GetInt32());
        Assert.Equal(12_345, row.GetProperty("commissionableAmount").GetInt64());
        Assert.Equal("rate", row.GetProperty("method").GetString());
        Assert.Equal(500, row.GetProperty("ruleValue").GetInt64());
        Assert.Equal(617, row.GetProperty("commission").GetInt64());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("reason").ValueKind);
        var adjusted = byArea.GetProperty("items")[4];
        Assert.Equal(("adjustment", "补发三月提成", JsonValueKind.Null), (adjusted.GetProperty("kind").GetString(), adjusted.GetProperty("reason").GetString(),
            adjusted.GetProperty("method").ValueKind));
        Assert.Equal("fixed_per_unit", byArea.GetProperty("items")[1].GetProperty("method").GetString());

        // Pages: the page holds its lines, the totals stay those of every match.
        var second = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-03&area={Uri.EscapeDataString(area)}&page=2&pageSize=2"));
        Assert.Equal([late.Id, refund.Id], Ids(second));
        Assert.Equal((2, 2, 5), (second.GetProperty("page").GetInt32(), second.GetProperty("pageSize").GetInt32(), second.GetProperty("total").GetInt32()));
        AssertTotals(second.GetProperty("totals"), areaLines);

        async Task<JsonElement> FilterAsync(string query) => await OkAsync(await hq.GetAsync($"{Entries}?month=2026-03&{query}&pageSize=100"));
        var annLines = await FilterAsync($"storeId={east.Id}");
        Assert.Equal([early.Id, late.Id, refund.Id], Ids(annLines));
        AssertTotals(annLines.GetProperty("totals"), [early, late, refund]);
        Assert.Equal([bos.Id, adjustment.Id], Ids(await FilterAsync($"guideId={bo.Id}")));
        Assert.Equal([cys.Id], Ids(await FilterAsync($"guideId={cy.Id}")));
        Assert.Empty(Ids(await FilterAsync($"guideId={cy.Id}&storeId={east.Id}")));
        var refunds = await FilterAsync($"storeId={east.Id}&kind=refund");
        Assert.Equal([refund.Id], Ids(refunds));
        AssertTotals(refunds.GetProperty("totals"), [refund]);
        Assert.Equal([adjustment.Id], Ids(await FilterAsync($"area={Uri.EscapeDataString(area)}&kind=adjustment")));
        // product: the name contains it.
        Assert.Equal([late.Id], Ids(await FilterAsync($"area={Uri.EscapeDataString(area)}&product={Uri.EscapeDataString("连衣裙")}")));
        Assert.Equal([bos.Id], Ids(await FilterAsync($"area={Uri.EscapeDataString(area)}&product={Uri.EscapeDataString("牛仔裤")}")));
        var april = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-04&storeId={east.Id}"));
        Assert.Single(Ids(april));

        var nothing = await FilterAsync($"area={Uri.EscapeDataString(ApiFixture.Unique("nowhere"))}");
        Assert.Equal(0, nothing.GetProperty("total").GetInt32());
        AssertTotals(nothing.GetProperty("totals"), []);
    }

    [SkippableFact]
    public async Task Csv_holds_every_matching_line_of_the_json_with_a_bom_a_chinese_header_and_yuan_exact_to_the_fen()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var sale = await EntryAsync(CommissionEntryKind.Sale, guide, store.Id, 202605, At(2026, 5, 3, 9, 30), 1_234, 61, product: "=HYPERLINK(\"x\")");
        var refund = await EntryAsync(CommissionEntryKind.Refund, guide, store.Id, 202605, At(2026, 5, 4), -1_000, -50, quantity: -1, original: sale);
        var fixedRule = await EntryAsync(CommissionEntryKind.Sale, guide, store.Id, 202605, At(2026, 5, 5), 99_999_999, 300, quantity: 3,
            method: CommissionMethod.FixedPerUnit, ruleValue: 100, product: "外套, 长款");
        var adjustment = await EntryAsync(CommissionEntryKind.Adjustment, guide, store.Id, 202605, At(2026, 5, 31), 0, -7, quantity: 0, reason: "扣回 多计");

        var json = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-05&storeId={store.Id}&pageSize=100"));
        var response = await hq.GetAsync($"{Entries}?month=2026-05&storeId={store.Id}&format=csv&pageSize=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("commission-entries-2026-05.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("明细ID,导购ID,导购,门店ID,门店,单据号,类型,单据发生时间,入账月份,行号,SKU,商品,品类,数量,提成基数(元),提成方式,比例(基点)/每件(元),提成(元),原因,操作人ID",
            lines[0]);

        // Every line of the JSON (all of them: pageSize does not apply to the file), in its order.
        Assert.Equal(4, lines.Length - 1);
        Assert.Equal(Ids(json), lines[1..].Select(l => Guid.Parse(l[..36])));
        Assert.Equal(
            $"{sale.Id},{guide.Id},{guide.Name},{store.Id},{store.Name},{sale.DocumentNumber},sale,2026-05-03T09:30:00+08:00,2026-05,1,SKU-1,"
            + "\"'=HYPERLINK(\"\"x\"\")\",上衣,1,12.34,rate,500,0.61,,", lines[1]);
        Assert.Equal(
            $"{refund.Id},{guide.Id},{guide.Name},{store.Id},{store.Name},{refund.DocumentNumber},refund,2026-05-04T12:00:00+08:00,2026-05,1,SKU-1,"
            + "T恤,上衣,-1,-10.00,rate,500,-0.50,,", lines[2]);
        Assert.Equal(
            $"{fixedRule.Id},{guide.Id},{guide.Name},{store.Id},{store.Name},{fixedRule.DocumentNumber},sale,2026-05-05T12:00:00+08:00,2026-05,1,SKU-1,"
            + "\"外套, 长款\",上衣,3,999999.99,fixed_per_unit,1.00,3.00,,", lines[3]);
        Assert.Equal($"{adjustment.Id},{guide.Id},{guide.Name},{store.Id},{store.Name},,adjustment,2026-05-31T12:00:00+08:00,2026-05,,,,,0,0.00,,,-0.07,扣回 多计,",
            lines[4]);

        // The file's amounts sum, in fen, to the JSON's totals.
        var totals = json.GetProperty("totals");
        Assert.Equal(61 - 50 + 300 - 7, totals.GetProperty("netCommission").GetInt64());
        Assert.Equal(1_234 - 1_000 + 99_999_999, totals.GetProperty("netAmount").GetInt64());

        // No line: the header alone.
        var empty = await hq.GetAsync($"{Entries}?month=2026-06&storeId={store.Id}&format=csv");
        var emptyText = Encoding.UTF8.GetString((await empty.Content.ReadAsByteArrayAsync())[3..]);
        Assert.Equal(lines[0] + "\r\n", emptyText);
    }

    [SkippableFact]
    public async Task A_file_larger_than_the_writers_buffer_streams_every_line_and_its_amounts_sum_to_the_totals()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        // ~3,000 lines of ~300 bytes: many times the writer's 64 KiB buffer, so it is written out (asynchronously) as it fills.
        var lines = Enumerable.Range(0, 3_000).Select(i => new CommissionEntry(i % 7 == 0 ? CommissionEntryKind.Refund : CommissionEntryKind.Sale,
            ApiFixture.Unique("bulk"), guide.Id, store.Id, Guid.NewGuid(), $"BULK-{i:D5}", At(2026, 6, 1).AddMinutes(i), 202606, 1, "SKU-B", "卫衣 加绒款",
            "上衣", i % 7 == 0 ? -1 : 1, (i % 7 == 0 ? -1 : 1) * (1_000 + i), Guid.NewGuid(), CommissionMethod.Rate, 300, (i % 7 == 0 ? -1 : 1) * (30 + i % 13), null, null,
            DateTimeOffset.UtcNow)).ToList();
        await Api.InScopeAsync(async db => { db.CommissionEntries.AddRange(lines); await db.SaveChangesAsync(); });

        var response = await hq.GetAsync($"{Entries}?month=2026-06&storeId={store.Id}&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 4 * 65_536, $"only {bytes.Length} bytes");
        var rows = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..].Select(l => l.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(0, 3_000).Select(i => $"BULK-{i:D5}"), rows.Select(r => r[5]));
        // Yuan back to fen, as decimal text: exact.
        static long Fen(string yuan) => (long)(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture) * 100);
        Assert.Equal(lines.Sum(e => e.CommissionableAmount), rows.Sum(r => Fen(r[14])));
        Assert.Equal(lines.Sum(e => e.Commission), rows.Sum(r => Fen(r[17])));
        var json = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-06&storeId={store.Id}"));
        Assert.Equal(3_000, json.GetProperty("total").GetInt32());
        AssertTotals(json.GetProperty("totals"), lines);
    }

    [SkippableFact]
    public async Task Summary_per_guide_and_store_is_the_sum_of_their_lines_and_the_grand_totals_the_sum_of_the_rows()
    {
        var hq = await HqAsync();
        var area = ApiFixture.Unique("华南");
        var first = await Api.CreateStoreAsync(area);
        var second = await Api.CreateStoreAsync(area);
        var ann = await Api.CreateGuideAsync(first.Id);
        var bo = await Api.CreateGuideAsync(second.Id);
        var lines = new List<CommissionEntry>
        {
            await EntryAsync(CommissionEntryKind.Sale, ann, first.Id, 202607, At(2026, 7, 1), 10_000, 500),
            await EntryAsync(CommissionEntryKind.Sale, ann, first.Id, 202607, At(2026, 7, 2), 3_333, 166),
            await EntryAsync(CommissionEntryKind.Refund, ann, first.Id, 202607, At(2026, 7, 3), -3_333, -166, quantity: -1),
            await EntryAsync(CommissionEntryKind.Adjustment, ann, first.Id, 202607, At(2026, 7, 4), 0, 88, quantity: 0, reason: "调整"),
            // Ann sold in the second store too (she helped out there): her own row of that store.
            await EntryAsync(CommissionEntryKind.Sale, ann, second.Id, 202607, At(2026, 7, 5), 2_000, 100),
            await EntryAsync(CommissionEntryKind.Sale, bo, second.Id, 202607, At(2026, 7, 6), 4_500, 225),
            await EntryAsync(CommissionEntryKind.Refund, bo, second.Id, 202607, At(2026, 7, 7), -4_500, -225, quantity: -1),
        };
        await EntryAsync(CommissionEntryKind.Sale, bo, second.Id, 202608, At(2026, 8, 1), 9_900, 495); // August's

        var summary = await OkAsync(await hq.GetAsync($"{Summary}?month=2026-07&area={Uri.EscapeDataString(area)}"));
        Assert.Equal("2026-07", summary.GetProperty("month").GetString());
        var rows = summary.GetProperty("rows").EnumerateArray().ToList();
        var expected = lines.GroupBy(e => (e.GuideId, e.StoreId)).ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var group in expected)
        {
            var row = rows.Single(r => r.GetProperty("guideId").GetGuid() == group.Key.GuideId && r.GetProperty("storeId").GetGuid() == group.Key.StoreId);
            AssertTotals(row.GetProperty("totals"), group);
            Assert.Equal(group.Key.GuideId == ann.Id ? ann.Name : bo.Name, row.GetProperty("guideName").GetString());
            Assert.Equal(group.Key.StoreId == first.Id ? first.Name : second.Name, row.GetProperty("storeName").GetString());
        }
        AssertTotals(summary.GetProperty("totals"), lines);

        // The same lines as the detail table: its totals are the summary's.
        var details = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-07&area={Uri.EscapeDataString(area)}&pageSize=1"));
        Assert.Equal(summary.GetProperty("totals").GetRawText(), details.GetProperty("totals").GetRawText());

        var one = await OkAsync(await hq.GetAsync($"{Summary}?month=2026-07&storeId={first.Id}"));
        var only = Assert.Single(one.GetProperty("rows").EnumerateArray());
        Assert.Equal(ann.Id, only.GetProperty("guideId").GetGuid());
        AssertTotals(one.GetProperty("totals"), lines.Where(e => e.StoreId == first.Id));

        var august = await OkAsync(await hq.GetAsync($"{Summary}?month=2026-08&storeId={second.Id}"));
        Assert.Equal(9_900, august.GetProperty("totals").GetProperty("salesAmount").GetInt64());
        var none = await OkAsync(await hq.GetAsync($"{Summary}?month=2026-09&area={Uri.EscapeDataString(area)}"));
        Assert.Empty(none.GetProperty("rows").EnumerateArray());
        AssertTotals(none.GetProperty("totals"), []);
    }

    [SkippableFact]
    public async Task A_january_sale_posted_in_february_counts_in_february_and_keeps_its_january_document_time()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        // January was closed when it arrived: posted in February, dated by its own time (January 31st, brand time).
        var late = await EntryAsync(CommissionEntryKind.Sale, guide, store.Id, 202602, At(2026, 1, 31, 23, 30), 5_000, 250);
        var january = await EntryAsync(CommissionEntryKind.Sale, guide, store.Id, 202601, At(2026, 1, 15), 1_000, 50);

        var february = await OkAsync(await hq.GetAsync($"{Entries}?month=2026-02&storeId={store.Id}"));
        Assert.Equal([late.Id], Ids(february));
        var row = february.GetProperty("items")[0];
        Assert.Equal("2026-02", row.GetProperty("postingMonth").GetString());
        Assert.Equal(At(2026, 1, 31, 23, 30), row.GetProperty("documentTime").GetDateTimeOffset());
        Assert.Equal([january.Id], Ids(await OkAsync(await hq.GetAsync($"{Entries}?month=2026-01&storeId={store.Id}"))));

        var summary = await OkAsync(await hq.GetAsync($"{Summary}?month=2026-02&storeId={store.Id}"));
        AssertTotals(summary.GetProperty("totals"), [late]);
        var mine = await OkAsync(await (await AsGuideAsync(guide)).GetAsync($"{Mine}?month=2026-02"));
        Assert.Equal([late.Id], Ids(mine));
        AssertTotals(mine.GetProperty("totals"), [late]);
    }

    [SkippableFact]
    public async Task A_guide_sees_their_own_lines_a_store_manager_their_store_an_area_manager_their_areas_and_no_one_another_stores_guide()
    {
        var area = ApiFixture.Unique("华北");
        var store = await Api.CreateStoreAsync(area);
        var neighbour = await Api.CreateStoreAsync(area);
        var elsewhere = await Api.CreateStoreAsync();
        var ann = await Api.CreateGuideAsync(store.Id);
        var bo = await Api.CreateGuideAsync(store.Id);
        var manager = await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager);
        var cy = await Api.CreateGuideAsync(neighbour.Id);
        var dan = await Api.CreateGuideAsync(elsewhere.Id);
        var areaManager = await Api.CreateGuideAsync(elsewhere.Id, GuideRole.AreaManager, [area]);
        var anns = new[]
        {
            await EntryAsync(CommissionEntryKind.Sale, ann, store.Id, 202610, At(2026, 10, 1), 10_000, 500),
            await EntryAsync(CommissionEntryKind.Sale, ann, store.Id, 202610, At(2026, 10, 2), 2_000, 100),
            await EntryAsync(CommissionEntryKind.Refund, ann, store.Id, 202610, At(2026, 10, 3), -2_000, -100, quantity: -1),
        };
        var bos = await EntryAsync(CommissionEntryKind.Sale, bo, store.Id, 202610, At(2026, 10, 4), 3_000, 150);
        var managers = await EntryAsync(CommissionEntryKind.Adjustment, manager, store.Id, 202610, At(2026, 10, 5), 0, 2_000, quantity: 0, reason: "店长奖励");
        var cys = await EntryAsync(CommissionEntryKind.Sale, cy, neighbour.Id, 202610, At(2026, 10, 6), 4_000, 200);
        var dans = await EntryAsync(CommissionEntryKind.Sale, dan, elsewhere.Id, 202610, At(2026, 10, 7), 5_000, 250);
        var storeLines = anns.Append(bos).Append(managers).ToList();

        // A guide: their own lines, paged, with the totals of all of them.
        var asAnn = await AsGuideAsync(ann);
        var own = await OkAsync(await asAnn.GetAsync($"{Mine}?month=2026-10&pageSize=2"));
        Assert.Equal(anns.Take(2).Select(e => e.Id), Ids(own));
        Assert.Equal(3, own.GetProperty("total").GetInt32());
        Assert.Equal(ann.Id, own.GetProperty("guideId").GetGuid());
        Assert.Equal("2026-10", own.GetProperty("month").GetString());
        AssertTotals(own.GetProperty("totals"), anns);
        var lastPage = await OkAsync(await asAnn.GetAsync($"{Mine}?month=2026-10&pageSize=2&page=2"));
        Assert.Equal([anns[2].Id], Ids(lastPage));
        Assert.Equal("refund", lastPage.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.Equal(anns.Select(e => e.Id), Ids(await OkAsync(await asAnn.GetAsync($"{Mine}?month=2026-10&guideId={ann.Id}"))));
        Assert.Empty(Ids(await OkAsync(await asAnn.GetAsync($"{Mine}?month=2026-11"))));
        // ... and nobody else's, not even a colleague's of the same store.
        await AssertProblemAsync(await asAnn.GetAsync($"{Mine}?month=2026-10&guideId={bo.Id}"), HttpStatusCode.Forbidden, "commission.not_your_guide");

        // A store manager: every line of the store, or one guide of it; not a guide of the neighbour store.
        var asManager = await AsGuideAsync(manager);
        var whole = await OkAsync(await asManager.GetAsync($"{Mine}?month=2026-10&pageSize=100"));
        Assert.Equal(storeLines.Select(e => e.Id), Ids(whole));
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("guideId").ValueKind);
        AssertTotals(whole.GetProperty("totals"), storeLines);
        var bosOnly = await OkAsync(await asManager.GetAsync($"{Mine}?month=2026-10&guideId={bo.Id}"));
        Assert.Equal([bos.Id], Ids(bosOnly));
        AssertTotals(bosOnly.GetProperty("totals"), [bos]);
        Assert.Equal([managers.Id], Ids(await OkAsync(await asManager.GetAsync($"{Mine}?month=2026-10&guideId={manager.Id}"))));
        await AssertProblemAsync(await asManager.GetAsync($"{Mine}?month=2026-10&guideId={cy.Id}"), HttpStatusCode.Forbidden, "commission.not_your_guide");
        await AssertProblemAsync(await asManager.GetAsync($"{Mine}?month=2026-10&guideId={Guid.NewGuid()}"), HttpStatusCode.Forbidden,
            "commission.not_your_guide");

        // An area manager: the stores of their areas (and their own); a guide of a store outside them is not theirs.
        var asAreaManager = await AsGuideAsync(areaManager);
        var areaLines = storeLines.Append(cys).Append(dans).OrderBy(e => e.DocumentTime).ToList();
        var all = await OkAsync(await asAreaManager.GetAsync($"{Mine}?month=2026-10&pageSize=100"));
        Assert.Equal(areaLines.Select(e => e.Id), Ids(all));
        AssertTotals(all.GetProperty("totals"), areaLines);
        Assert.Equal([cys.Id], Ids(await OkAsync(await asAreaManager.GetAsync($"{Mine}?month=2026-10&guideId={cy.Id}"))));
        Assert.Equal(anns.Select(e => e.Id), Ids(await OkAsync(await asAreaManager.GetAsync($"{Mine}?month=2026-10&guideId={ann.Id}"))));
        var outsider = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        await AssertProblemAsync(await asAreaManager.GetAsync($"{Mine}?month=2026-10&guideId={outsider.Id}"), HttpStatusCode.Forbidden,
            "commission.not_your_guide");

        // Other audiences: a member's token is not a guide's; no token at all.
        var member = await Api.LogInMemberAsync();
        var asMember = Api.Client(member.Token);
        await AssertProblemAsync(await asMember.GetAsync($"{Mine}?month=2026-10"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await Api.Client().GetAsync($"{Mine}?month=2026-10"), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await AssertProblemAsync(await asMember.GetAsync($"{Entries}?month=2026-10"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await asAnn.GetAsync($"{Entries}?month=2026-10"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await asAnn.GetAsync($"{Summary}?month=2026-10"), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task Bad_months_kinds_and_ids_are_400_never_500()
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var asGuide = await AsGuideAsync(guide);
        var badMonths = new[]
        {
            "", "2026-13", "2026-00", "2026-1", "2026-001", "202603", "2026/03", "26-03", "0001-01", "9999-12", "1999-12", "3000-01", "２０２６-０３",
            "2026-03-01", "abcd-ef", "-2026-03", "2026-3 ", "%00",
        };
        foreach (var month in badMonths)
        {
            var query = month.Length == 0 ? "" : "month=" + Uri.EscapeDataString(month);
            await AssertProblemAsync(await hq.GetAsync($"{Entries}?{query}"), HttpStatusCode.BadRequest, "request.validation_failed");
            await AssertProblemAsync(await hq.GetAsync($"{Entries}?{query}&format=csv"), HttpStatusCode.BadRequest, "request.validation_failed");
            await AssertProblemAsync(await hq.GetAsync($"{Summary}?{query}"), HttpStatusCode.BadRequest, "request.validation_failed");
            await AssertProblemAsync(await asGuide.GetAsync($"{Mine}?{query}"), HttpStatusCode.BadRequest, "request.validation_failed");
        }
        foreach (var month in new[] { "2000-01", "2999-12" })
        {
            await OkAsync(await hq.GetAsync($"{Entries}?month={month}&storeId={guide.StoreId}"));
            await OkAsync(await hq.GetAsync($"{Summary}?month={month}&storeId={guide.StoreId}"));
            await OkAsync(await asGuide.GetAsync($"{Mine}?month={month}"));
        }
        foreach (var bad in new[] { "kind=bogus", "kind=Sale", "kind=SALE", "storeId=not-a-guid", "guideId=123", "format=xlsx", "page=99999999999" })
            await AssertProblemAsync(await hq.GetAsync($"{Entries}?month=2026-03&{bad}"), HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await hq.GetAsync($"{Summary}?month=2026-03&storeId=x"), HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await asGuide.GetAsync($"{Mine}?month=2026-03&guideId=x"), HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await hq.GetAsync($"{Entries}?month=2026-03&area={new string('a', 65)}"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync($"{Entries}?month=2026-03&product={new string('p', 129)}"), HttpStatusCode.BadRequest,
            "request.validation_failed");
    }
}

public sealed class CommissionReportTestsOnSqlite(SqliteApi fixture) : CommissionReportTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CommissionReportTestsOnMySql(MySqlApi fixture) : CommissionReportTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
