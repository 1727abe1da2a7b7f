using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Points;

/// <summary>
/// Points from sales documents, HQ adjustments and expiry, on a database of their own with a fake clock (the
/// settings are the brand's). Expected numbers come from the scenario; the invariants are checked after each.
/// </summary>
public abstract class PointsTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private DateTimeOffset Now => Api.Time.GetUtcNow();

    private async Task SettingsAsync(string expiry = "never", int? months = null, string refund = "debt", int window = 7) =>
        await Api.SendAsync(new UpdatePointsSettings(Enum.Parse<PointsExpiryPolicy>(expiry.Replace("_", ""), true), months, 100, true, false, window,
            Enum.Parse<PointsRefundPolicy>(refund, true)));

    private async Task<HttpStatusCode> AdjustAsync(Guid memberId, long points, string reason = "test")
    {
        try
        {
            await Api.SendAsync(new AdjustPoints(memberId, points, reason, Guid.NewGuid(), Guid.NewGuid().ToString()));
            return HttpStatusCode.OK;
        }
        catch (Guide.Domain.Common.DomainException e) when (e.Error.Code == "points.insufficient")
        {
            return HttpStatusCode.Conflict;
        }
    }

    private HttpClient Pos(Guide.Domain.Integration.IntegrationClientCredentials c) => Api.IntegrationClient(c, () => Api.Time.GetUtcNow());

    private static object Sale(string number, Guid memberId, DateTimeOffset time, long paid1, long paid2, params object[] payments) => new
    {
        documentNumber = number, kind = "sale", memberId, documentTime = time,
        lines = new object[]
        {
            new { lineNo = 1, sku = "SKU-TEE", product = "T恤", quantity = 3, unitPrice = paid1 / 3, paidAmount = paid1 },
            new { lineNo = 2, sku = "SKU-CAP", product = "帽子", quantity = 1, unitPrice = paid2, paidAmount = paid2 },
        },
        payments,
    };

    private static object Refund(string number, string original, DateTimeOffset time, int line, int quantity, long paid) => new
    {
        documentNumber = number, kind = "refund", originalDocumentNumber = original, documentTime = time,
        lines = new[] { new { lineNo = 1, originalLineNo = line, quantity, paidAmount = paid } },
        payments = new[] { new { method = "cash", amount = paid } },
    };

    private async Task<(long Available, long Frozen, long Debt)> PointsOfAsync(Guid memberId)
    {
        var view = await Api.SendAsync(new GetPoints(memberId));
        return (view.Available, view.Frozen, view.Debt);
    }

    /// <summary>balance = sum of entries = sum of lots' remaining - debt; every lot between 0 and what it brought.</summary>
    private Task AssertConsistentAsync(Guid memberId) => Api.InScopeAsync(async db =>
    {
        var account = await db.PointsAccounts.AsNoTracking().SingleAsync(a => a.MemberId == memberId);
        var entries = await db.PointsEntries.Where(e => e.MemberId == memberId).SumAsync(e => e.Delta);
        var lots = await db.PointsLots.AsNoTracking().Where(l => l.MemberId == memberId).ToListAsync();
        Assert.Equal(account.Balance, entries);
        Assert.Equal(account.Balance, lots.Sum(l => l.Remaining) - account.Debt);
        Assert.True(account.Debt >= 0);
        Assert.All(lots, l => Assert.InRange(l.Remaining, 0, l.Amount));
        var lines = await db.PointsEntryLines.Where(x => db.PointsEntries.Any(e => e.Id == x.EntryId && e.MemberId == memberId)).ToListAsync();
        foreach (var lot in lots) Assert.Equal(lot.Remaining, lines.Where(x => x.LotId == lot.Id).Sum(x => x.Delta));
    });

    [SkippableFact]
    public async Task A_sale_earns_frozen_points_a_refund_takes_its_share_back_and_debt_is_settled_by_the_next_sale()
    {
        await SettingsAsync(refund: "debt", window: 7);
        var member = await Api.LogInMemberAsync();
        var pos = Pos(await Api.CreateIntegrationClientAsync());
        var sale = ApiFixture.Unique("SO");
        // 320 yuan: 200 WeChat Pay + 100 principal earn, 20 gift does not: 300 points, frozen 7 days.
        var body = Sale(sale, member.Id, Now.AddMinutes(-1), 27000, 5000,
            new { method = "wechat_pay", amount = 20000 }, new { method = "wallet_principal", amount = 10000 }, new { method = "wallet_gift", amount = 2000 });
        (await pos.PostAsJsonAsync("/api/integration/documents", body)).EnsureSuccessStatusCode();
        (await pos.PostAsJsonAsync("/api/integration/documents", body)).EnsureSuccessStatusCode(); // a resend earns nothing more
        Assert.Equal((0, 300, 0), await PointsOfAsync(member.Id));
        await AssertConsistentAsync(member.Id);

        // Frozen points cannot be spent: refused, nothing written.
        Assert.Equal(HttpStatusCode.Conflict, await AdjustAsync(member.Id, -1));
        Assert.Equal(1, await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member.Id)));

        Api.Time.Advance(TimeSpan.FromDays(8));
        Assert.Equal((300, 0, 0), await PointsOfAsync(member.Id));
        Assert.Equal(HttpStatusCode.OK, await AdjustAsync(member.Id, -250));
        Assert.Equal((50, 0, 0), await PointsOfAsync(member.Id));

        // Refund 180 of line 1's 270 yuan. Line 1 earned 253 of the 300 (27000/32000, largest remainder to line 2),
        // so 168 points go back: 50 held, 118 owed.
        (await pos.PostAsJsonAsync("/api/integration/documents", Refund(ApiFixture.Unique("RF"), sale, Now, 1, 2, 18000))).EnsureSuccessStatusCode();
        Assert.Equal((0, 0, 118), await PointsOfAsync(member.Id));
        await AssertConsistentAsync(member.Id);

        // The next sale (100 yuan cash = 100 points) settles the debt first: 18 still owed.
        (await pos.PostAsJsonAsync("/api/integration/documents", Sale(ApiFixture.Unique("SO"), member.Id, Now, 6000, 4000, new { method = "cash", amount = 10000 })))
            .EnsureSuccessStatusCode();
        Assert.Equal((0, 0, 18), await PointsOfAsync(member.Id));
        await AssertConsistentAsync(member.Id);

        var entries = await Api.SendAsync(new ListPointsEntries(member.Id, 1, 20));
        Assert.Equal(4, entries.Total);
        Assert.Equal(PointsEntryKind.Purchase, entries.Items[0].Kind);
        Assert.Equal(PointsEntryKind.PurchaseReversal, entries.Items[1].Kind);
        Assert.Equal(-168, entries.Items[1].Delta);
    }

    [SkippableFact]
    public async Task Under_the_absorb_policy_a_refund_of_spent_points_is_absorbed_and_recorded()
    {
        await SettingsAsync(refund: "absorb", window: 0);
        var member = await Api.LogInMemberAsync();
        var pos = Pos(await Api.CreateIntegrationClientAsync());
        var sale = ApiFixture.Unique("SO");
        (await pos.PostAsJsonAsync("/api/integration/documents", Sale(sale, member.Id, Now.AddMinutes(-1), 6000, 4000, new { method = "cash", amount = 10000 })))
            .EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, await AdjustAsync(member.Id, -70));
        // Full refund of line 1 (60 yuan of 100 = 60 points): 30 held are taken, 30 absorbed, no debt.
        (await pos.PostAsJsonAsync("/api/integration/documents", Refund(ApiFixture.Unique("RF"), sale, Now, 1, 3, 6000))).EnsureSuccessStatusCode();
        Assert.Equal((0, 0, 0), await PointsOfAsync(member.Id));
        var reversal = await Api.DbAsync(db => db.PointsEntries.SingleAsync(e => e.MemberId == member.Id && e.Kind == PointsEntryKind.PurchaseReversal));
        Assert.Equal(-30, reversal.Delta);
        Assert.Equal(30, reversal.Absorbed);
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Yearly_clearing_dates_points_by_the_brand_year_of_the_document()
    {
        await SettingsAsync(expiry: "yearly_clearing", window: 0);
        var member = await Api.LogInMemberAsync();
        var pos = Pos(await Api.CreateIntegrationClientAsync());
        var shanghai = TimeSpan.FromHours(8);
        // 23:59 on 31 December in Shanghai is still 2025 (15:59 UTC); 00:01 on 1 January is 2026.
        (await pos.PostAsJsonAsync("/api/integration/documents", Sale(ApiFixture.Unique("SO"), member.Id, new DateTimeOffset(2025, 12, 31, 23, 59, 0, shanghai), 300, 0,
            new { method = "cash", amount = 300 }))).EnsureSuccessStatusCode();
        (await pos.PostAsJsonAsync("/api/integration/documents", Sale(ApiFixture.Unique("SO"), member.Id, new DateTimeOffset(2026, 1, 1, 0, 1, 0, shanghai), 600, 0,
            new { method = "cash", amount = 600 }))).EnsureSuccessStatusCode();
        var lots = await Api.DbAsync(db => db.PointsLots.AsNoTracking().Where(l => l.MemberId == member.Id).ToListAsync());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, shanghai), lots.Single(l => l.Amount == 3).ExpiresAt);
        Assert.Equal(new DateTimeOffset(2028, 1, 1, 0, 0, 0, shanghai), lots.Single(l => l.Amount == 6).ExpiresAt);
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task The_expiry_run_twice_and_concurrently_expires_each_due_lot_once()
    {
        await SettingsAsync(expiry: "rolling_months", months: 1, window: 0);
        var members = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var m = await Api.LogInMemberAsync();
            members.Add(m.Id);
            Assert.Equal(HttpStatusCode.OK, await AdjustAsync(m.Id, 100 + i));
        }
        Api.Time.Advance(TimeSpan.FromDays(32));
        // A second instance on the same database (another host, its own services) races the first one.
        await using var second = Api.Factory.WithWebHostBuilder(_ => { });
        async Task<string> On(IServiceProvider services)
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<PointsExpiryRun>().RunAsync(CancellationToken.None);
        }
        var before = await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.Kind == PointsEntryKind.Expiry));
        var outcomes = await Task.WhenAll(On(Api.Factory.Services), On(second.Services), On(Api.Factory.Services), On(second.Services));
        // What the runs say they expired is what was written: no lot counted (or expired) twice.
        var written = await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.Kind == PointsEntryKind.Expiry)) - before;
        Assert.True(written >= members.Count);
        Assert.Equal(written, outcomes.Sum(o => int.Parse(o.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.StartsWith("expired 0 lot(s)", await On(Api.Factory.Services)); // and once more: nothing left
        foreach (var id in members)
        {
            var expiries = await Api.DbAsync(db => db.PointsEntries.Where(e => e.MemberId == id && e.Kind == PointsEntryKind.Expiry).ToListAsync());
            Assert.Single(expiries);
            await AssertConsistentAsync(id);
            Assert.Equal(0, await Api.DbAsync(db => db.PointsAccounts.Where(a => a.MemberId == id).Select(a => a.Balance).SingleAsync()));
        }
    }


    [SkippableFact]
    public async Task Points_expiring_soon_are_reported_by_month_and_their_members_recorded_for_a_reminder()
    {
        await SettingsAsync(expiry: "rolling_months", months: 1, window: 0);
        var member = await Api.LogInMemberAsync();
        Assert.Equal(HttpStatusCode.OK, await AdjustAsync(member.Id, 120));
        var expires = Now.AddMonths(1);
        var report = await Api.SendAsync(new GetExpiringPoints(40, PointsExpiringGroupBy.Month));
        var month = TimeZoneInfo.ConvertTime(expires.AddTicks(-1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM");
        Assert.True(report.Rows.Single(r => r.Key == month).Points >= 120);
        var soon = await Api.SendAsync(new GetPoints(member.Id));
        Assert.Equal(expires <= Now.AddDays(30) ? 120 : 0, soon.ExpiringWithin30Days);

        // The reminder is an account subscribe message with HQ's points-expiring template (number: the points, date: the earliest expiry).
        var template = await Api.DbAsync(async db => await db.MessageTemplates.SingleOrDefaultAsync(t => t.Purpose == Guide.Domain.Messaging.MessagePurpose.PointsExpiring
            && t.Channel == Guide.Domain.Messaging.MessageChannel.Subscribe));
        if (template is null)
        {
            template = new Guide.Domain.Messaging.MessageTemplate("积分过期提醒", Guide.Domain.Messaging.MessageChannel.Subscribe, Guide.Domain.Messaging.MessageKind.Account,
                ApiFixture.Unique("tmpl"), ["number1", "date2", "thing3"], "pages/points/index", DateTimeOffset.UtcNow) { Purpose = Guide.Domain.Messaging.MessagePurpose.PointsExpiring };
            var added = template;
            await Api.InScopeAsync(async db => { db.MessageTemplates.Add(added); await db.SaveChangesAsync(); });
        }
        await Api.InScopeAsync(sp => sp.GetRequiredService<PointsExpiryReminderRun>().RunAsync(40, CancellationToken.None));
        await Api.InScopeAsync(sp => sp.GetRequiredService<PointsExpiryReminderRun>().RunAsync(40, CancellationToken.None)); // the same day again: nothing more
        var messages = await Api.DbAsync(db => db.OutboundMessages.Where(m => m.MemberId == member.Id).ToListAsync());
        var reminder = Assert.Single(messages);
        Assert.Equal((Guide.Domain.Messaging.MessageChannel.Subscribe, Guide.Domain.Messaging.MessageKind.Account, template.Id),
            (reminder.Channel, reminder.Kind, reminder.TemplateId));
        Assert.StartsWith($"points-expiring:{member.Id:N}:", reminder.SourceKey);
        var data = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(reminder.DataJson!)!;
        Assert.Equal("120", data["number1"]);
        Assert.Equal(TimeZoneInfo.ConvertTime(expires, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd"), data["date2"]);
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Racing_refunds_of_one_sale_take_back_exactly_what_its_line_earned()
    {
        await SettingsAsync(window: 0);
        var member = await Api.LogInMemberAsync();
        var pos = Pos(await Api.CreateIntegrationClientAsync());
        var sale = ApiFixture.Unique("SO");
        // 300 points as in the first scenario (the 20 yuan of gift do not earn): line 1 has 253 of them.
        (await pos.PostAsJsonAsync("/api/integration/documents", Sale(sale, member.Id, Now.AddMinutes(-1), 27000, 5000,
            new { method = "wechat_pay", amount = 20000 }, new { method = "wallet_principal", amount = 10000 }, new { method = "wallet_gift", amount = 2000 })))
            .EnsureSuccessStatusCode();
        // 10 refunds of one T-shirt (90 yuan) race for the 3 sold: 3 succeed and together take back line 1's 253 points (84 + 84 + 85).
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await pos.PostAsJsonAsync("/api/integration/documents", Refund($"{sale}-R{i}", sale, Now, 1, 1, 9000));
            return response.StatusCode;
        }));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        var reversals = await Api.DbAsync(db => db.PointsEntries.Where(e => e.MemberId == member.Id && e.Kind == PointsEntryKind.PurchaseReversal)
            .Select(e => e.Delta).ToListAsync());
        Assert.Equal([-85, -84, -84], reversals.Order());
        Assert.Equal((47, 0, 0), await PointsOfAsync(member.Id));
        await AssertConsistentAsync(member.Id);
    }
}

public sealed class PointsTestsOnSqlite(FakeClockSqliteApi fixture) : PointsTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class PointsTestsOnMySql(FakeClockMySqlApi fixture) : PointsTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;

/// <summary>The points routes over HTTP: declared problems, nothing written, audiences (on the shared databases: settings are only read).</summary>
public abstract class PointsHttpTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    [SkippableFact]
    public async Task Bad_input_is_a_problem_and_writes_nothing_and_shoppers_cannot_use_hq_routes()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var member = await Api.LogInMemberAsync();
        var url = $"/api/admin/members/{member.Id}/points/adjustments";
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { points = 5, reason = "x" }), HttpStatusCode.BadRequest, "idempotency.key_required");
        await AssertProblemAsync(await hq.PostWithKeyAsync(url, new { points = 5 }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostWithKeyAsync(url, new { points = 0, reason = "x" }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostWithKeyAsync($"/api/admin/members/{Guid.NewGuid()}/points/adjustments", new { points = 5, reason = "x" }),
            HttpStatusCode.NotFound, "member.not_found");
        await AssertProblemAsync(await hq.PutAsJsonAsync("/api/admin/points/settings", new
        {
            expiryPolicy = "rolling_months", pointsPer100Yuan = 100, walletPrincipalEarns = true, walletGiftEarns = false, returnWindowDays = 7, refundPolicy = "debt",
        }), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(0, await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member.Id)));
        Assert.Equal("never", (await (await hq.GetAsync("/api/admin/points/settings")).JsonAsync()).GetProperty("expiryPolicy").GetString());

        var key = Guid.NewGuid().ToString();
        var first = await (await hq.PostWithKeyAsync(url, new { points = 5, reason = "x" }, key)).JsonAsync();
        var again = await (await hq.PostWithKeyAsync(url, new { points = 5, reason = "x" }, key)).JsonAsync();
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("entryId").GetGuid(), again.GetProperty("entryId").GetGuid());
        await AssertProblemAsync(await hq.PostWithKeyAsync(url, new { points = 6, reason = "x" }, key), HttpStatusCode.Conflict, "idempotency.key_reused");
        Assert.Equal(5, (await (await Api.Client(member.Token).GetAsync("/api/mp/points")).JsonAsync()).GetProperty("available").GetInt64());

        var shopper = Api.Client(member.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shopper.GetAsync($"/api/admin/members/{member.Id}/points")).StatusCode);
        var other = await Api.LogInMemberAsync();
        Assert.Equal(0, (await (await Api.Client(other.Token).GetAsync("/api/mp/points")).JsonAsync()).GetProperty("available").GetInt64());

        var csv = await hq.GetAsync("/api/admin/points/expiring?withinDays=30&groupBy=store&format=csv");
        Assert.True(csv.StatusCode == HttpStatusCode.OK, await csv.Content.ReadAsStringAsync());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("key,label,members,points", (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        var json = await (await hq.GetAsync("/api/admin/points/expiring?groupBy=level")).JsonAsync();
        Assert.Equal(30, json.GetProperty("withinDays").GetInt32());
        await AssertProblemAsync(await hq.GetAsync("/api/admin/points/expiring?withinDays=0"), HttpStatusCode.BadRequest, "request.validation_failed");

        var report = await (await hq.GetAsync("/api/admin/reports/points-liability")).JsonAsync();
        Assert.True(report.GetProperty("outstanding").GetInt64() >= 5);
    }
}


public sealed class PointsHttpTestsOnSqlite(SqliteApi fixture) : PointsHttpTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class PointsHttpTestsOnMySql(MySqlApi fixture) : PointsHttpTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
