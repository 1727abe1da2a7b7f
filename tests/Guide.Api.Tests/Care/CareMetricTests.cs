using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Care;
using Guide.Domain.Organization;

namespace Guide.Api.Tests.Care;

/// <summary>
/// Care-task metrics (docs/decisions/0002, Metrics): the numbers equal counts of the task rows, computed here independently
/// (LINQ over the rows the test made); the effect window (closed at, closed at + N days]; a member once per group; CSV = JSON;
/// managers see their scope only. Each test uses its own year, so other tests' tasks are never in its period.
/// </summary>
public abstract class CareMetricTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static DateTimeOffset Brand(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromHours(8)).ToUniversalTime();

    private sealed record SeededSale(Guid MemberId, DateTimeOffset Time, long Paid, long Refunded);

    private sealed record World(Guid StoreA, Guid StoreB, Guid StoreC, string AreaX, string AreaZ, ShoppingGuide GuideA1, ShoppingGuide GuideA2,
        ShoppingGuide GuideC, Guid PlanP1, Guid PlanP2, IReadOnlyList<CareTask> Tasks, IReadOnlyList<SeededSale> Sales, Dictionary<Guid, string> AreaOf);

    private async Task<CarePlan> PlanAsync(string name)
    {
        var plan = new CarePlan(name, CarePlanOwner.Hq, null, DateTimeOffset.UtcNow)
        {
            TargetKind = CareTargetKind.BirthdayThisMonth, Schedule = CareSchedule.Monthly, StartsOn = new DateOnly(2000, 1, 1), MonthDay = 1,
            IssueTime = new TimeOnly(9, 0), DeadlineDays = 3, Script = "您好 {name}", Channel = CareChannel.WeComChat,
        };
        await Api.InScopeAsync(async db => { db.CarePlans.Add(plan); await db.SaveChangesAsync(); });
        return plan;
    }

    private static CareTask Task(CarePlan plan, Guid member, Guid? store, ShoppingGuide? guide, DateTimeOffset issuedAt, CareTaskStatus status,
        CareOutcome? outcome = null, DateTimeOffset? closedAt = null) =>
        new(plan.Id, member, ApiFixture.Unique("p"), guide?.Id, store, issuedAt, issuedAt.AddDays(3))
        {
            Status = status, Outcome = outcome, ClosedAt = closedAt ?? (status == CareTaskStatus.Pending ? null : issuedAt.AddHours(1)),
            CompletedChannel = outcome is null ? null : CareChannel.Phone,
        };

    private static object Sale(string number, Guid member, DateTimeOffset time, long paid) => new
    {
        documentNumber = number,
        kind = "sale",
        memberId = member,
        documentTime = time,
        lines = new object[] { new { lineNo = 1, sku = "SKU-CARE", product = "关怀商品", category = "服装", quantity = 1, unitPrice = paid, paidAmount = paid } },
        payments = new object[] { new { method = "wechat_pay", amount = paid } },
    };

    private static object Refund(string number, string original, DateTimeOffset time, long paid) => new
    {
        documentNumber = number,
        kind = "refund",
        originalDocumentNumber = original,
        documentTime = time,
        lines = new object[] { new { lineNo = 1, originalLineNo = 1, quantity = 1, paidAmount = paid } },
        payments = new object[] { new { method = "wechat_pay", amount = paid } },
    };

    /// <summary>
    /// Three stores (A and B in area X, C in area Z), two plans, four members; tasks of every status in March of
    /// <paramref name="year"/> (one on 1 March 00:00 brand time, inside; one on 28 February 23:59:59 and one on 1 April 00:00,
    /// outside), and sales around the effect windows.
    /// </summary>
    private async Task<World> SeedAsync(int year)
    {
        var areaX = ApiFixture.Unique("area-x");
        var areaZ = ApiFixture.Unique("area-z");
        var a = await Api.CreateStoreAsync(areaX);
        var b = await Api.CreateStoreAsync(areaX);
        var c = await Api.CreateStoreAsync(areaZ);
        var gA1 = await Api.CreateGuideAsync(a.Id);
        var gA2 = await Api.CreateGuideAsync(a.Id);
        var gC = await Api.CreateGuideAsync(c.Id);
        var p1 = await PlanAsync("生日关怀 " + ApiFixture.Unique("p1"));
        var p2 = await PlanAsync("沉睡唤醒 " + ApiFixture.Unique("p2"));
        var m1 = (await Api.LogInMemberAsync()).Id;
        var m2 = (await Api.LogInMemberAsync()).Id;
        var m3 = (await Api.LogInMemberAsync()).Id;
        var m4 = (await Api.LogInMemberAsync()).Id;

        var t1Closed = Brand(year, 3, 10, 12);
        var t4Closed = Brand(year, 3, 12, 9);
        var t2Closed = Brand(year, 3, 11, 12);
        var t8Closed = Brand(year, 3, 20, 15);
        var tasks = new List<CareTask>
        {
            Task(p1, m1, a.Id, gA1, Brand(year, 3, 10, 9), CareTaskStatus.Completed, CareOutcome.Reached, t1Closed),
            Task(p1, m2, a.Id, gA1, Brand(year, 3, 11, 9), CareTaskStatus.Completed, CareOutcome.Reached, t2Closed),
            Task(p1, m3, a.Id, gA2, Brand(year, 3, 11, 9), CareTaskStatus.Pending),
            // m1 reached a second time, by another plan and guide of the same store and area.
            Task(p2, m1, a.Id, gA2, Brand(year, 3, 12, 8), CareTaskStatus.Completed, CareOutcome.Reached, t4Closed),
            Task(p2, m4, b.Id, null, Brand(year, 3, 13, 9), CareTaskStatus.Abandoned),
            Task(p2, m4, c.Id, gC, Brand(year, 3, 14, 9), CareTaskStatus.Expired),
            Task(p1, m2, c.Id, gC, Brand(year, 3, 15, 9), CareTaskStatus.Completed, CareOutcome.Unreachable),
            Task(p1, m3, null, null, Brand(year, 3, 20, 9), CareTaskStatus.Completed, CareOutcome.Reached, t8Closed),
            Task(p2, m2, b.Id, null, Brand(year, 3, 1), CareTaskStatus.Pending),
            Task(p1, m4, b.Id, gA1, Brand(year, 3, 31, 23, 59, 59), CareTaskStatus.Completed, CareOutcome.Declined),
            // Outside [1 March, 31 March].
            Task(p1, m1, a.Id, gA1, Brand(year, 2, 28, 23, 59, 59), CareTaskStatus.Completed, CareOutcome.Reached, Brand(year, 3, 1, 8)),
            Task(p2, m3, c.Id, gC, Brand(year, 4, 1), CareTaskStatus.Pending),
        };
        await Api.InScopeAsync(async db => { db.CareTasks.AddRange(tasks); await db.SaveChangesAsync(); });

        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var sales = new List<SeededSale>();
        async Task SellAsync(Guid member, DateTimeOffset time, long paid, long refunded = 0)
        {
            var number = ApiFixture.Unique("CARE-SO");
            (await pos.PostAsJsonAsync("/api/integration/documents", Sale(number, member, time, paid))).EnsureSuccessStatusCode();
            if (refunded > 0)
                (await pos.PostAsJsonAsync("/api/integration/documents", Refund(ApiFixture.Unique("CARE-RF"), number, time.AddDays(20), refunded)))
                    .EnsureSuccessStatusCode();
            sales.Add(new SeededSale(member, time, paid, refunded));
        }
        await SellAsync(m1, t1Closed.AddDays(7), 10_000, refunded: 3_000);     // exactly at the end of task 1's window: counts (and task 4's)
        await SellAsync(m1, t1Closed.AddDays(7).AddSeconds(1), 20_000);      // one second late for task 1; inside task 4's window
        await SellAsync(m1, t1Closed.AddMinutes(-1), 50_000);                // before either task closed
        await SellAsync(m2, t2Closed, 40_000);                               // at the closing instant: not after it
        await SellAsync(m2, t2Closed.AddDays(7).AddSeconds(1), 60_000);      // too late
        await SellAsync(m3, t8Closed.AddHours(1), 8_000);                    // task 8 (no store, unassigned)
        await SellAsync(m4, Brand(year, 3, 31, 12), 70_000);                 // m4 was never reached

        var areaOf = new Dictionary<Guid, string> { [a.Id] = areaX, [b.Id] = areaX, [c.Id] = areaZ };
        return new World(a.Id, b.Id, c.Id, areaX, areaZ, gA1, gA2, gC, p1.Id, p2.Id, tasks, sales, areaOf);
    }

    private sealed record Expected(int Due, int Pending, int Completed, int Abandoned, int Expired, int Rate, int Members, long Amount);

    /// <summary>The metrics from the rows themselves, the definitions' words turned into LINQ (not the code under test).</summary>
    private static Dictionary<string, Expected> ExpectedOf(World w, DateOnly from, DateOnly to, string by, int effectDays, Func<CareTask, bool>? only = null)
    {
        var start = Brand(from.Year, from.Month, from.Day);
        var end = Brand(to.Year, to.Month, to.Day).AddDays(1);
        string Key(CareTask t) => by switch
        {
            "plan" => t.PlanId.ToString(),
            "store" => t.StoreId?.ToString() ?? "",
            "guide" => t.GuideId?.ToString() ?? "",
            _ => t.StoreId is { } s ? w.AreaOf[s] : "",
        };
        return w.Tasks.Where(t => t.IssuedAt >= start && t.IssuedAt < end && (only?.Invoke(t) ?? true)).GroupBy(Key).ToDictionary(g => g.Key, g =>
        {
            var bought = (from t in g
                          where t.Status == CareTaskStatus.Completed && t.Outcome == CareOutcome.Reached
                          from s in w.Sales
                          where s.MemberId == t.MemberId && s.Time > t.ClosedAt && s.Time <= t.ClosedAt!.Value.AddDays(effectDays)
                          select s).Distinct().ToList();
            var due = g.Count();
            var completed = g.Count(t => t.Status == CareTaskStatus.Completed);
            return new Expected(due, g.Count(t => t.Status == CareTaskStatus.Pending), completed, g.Count(t => t.Status == CareTaskStatus.Abandoned),
                g.Count(t => t.Status == CareTaskStatus.Expired), due == 0 ? 0 : (int)Math.Round(completed * 10_000m / due, MidpointRounding.AwayFromZero),
                bought.Select(s => s.MemberId).Distinct().Count(), bought.Sum(s => s.Paid - s.Refunded));
        });
    }

    private static string RowKey(JsonElement row, string by) => by == "area"
        ? row.GetProperty("area").GetString() ?? ""
        : row.GetProperty("id").ValueKind == JsonValueKind.Null ? "" : row.GetProperty("id").GetGuid().ToString();

    private static Expected Numbers(JsonElement n) => new(n.GetProperty("due").GetInt32(), n.GetProperty("pending").GetInt32(),
        n.GetProperty("completed").GetInt32(), n.GetProperty("abandoned").GetInt32(), n.GetProperty("expired").GetInt32(),
        n.GetProperty("completionRate").GetInt32(), n.GetProperty("reachedMembers").GetInt32(), n.GetProperty("amount").GetInt64());

    private static void AssertEqualsRows(Dictionary<string, Expected> expected, JsonElement report, string by)
    {
        var actual = report.GetProperty("rows").EnumerateArray().ToDictionary(r => RowKey(r, by), r => Numbers(r.GetProperty("numbers")));
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), actual.OrderBy(e => e.Key).ToList());
        var totals = Numbers(report.GetProperty("totals"));
        var due = expected.Values.Sum(e => e.Due);
        var completed = expected.Values.Sum(e => e.Completed);
        Assert.Equal(new Expected(due, expected.Values.Sum(e => e.Pending), completed, expected.Values.Sum(e => e.Abandoned),
            expected.Values.Sum(e => e.Expired), due == 0 ? 0 : (int)Math.Round(completed * 10_000m / due, MidpointRounding.AwayFromZero),
            expected.Values.Sum(e => e.Members), expected.Values.Sum(e => e.Amount)), totals);
    }

    [SkippableFact]
    public async Task Metrics_equal_the_counts_of_the_task_rows_for_every_grouping()
    {
        var w = await SeedAsync(2011);
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);
        foreach (var by in new[] { "plan", "area", "store", "guide" })
        {
            foreach (var effectDays in new[] { 7, 1, 90 })
            {
                var report = await ReadJsonAsync(await admin.GetAsync($"/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-31&by={by}&effectDays={effectDays}"));
                AssertEqualsRows(ExpectedOf(w, new(2011, 3, 1), new(2011, 3, 31), by, effectDays), report, by);
            }
        }
        // The default window is 7 days; filters narrow the tasks.
        var byGuide = await ReadJsonAsync(await admin.GetAsync("/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-31&by=guide"));
        AssertEqualsRows(ExpectedOf(w, new(2011, 3, 1), new(2011, 3, 31), "guide", 7), byGuide, "guide");
        var ofPlan = await ReadJsonAsync(await admin.GetAsync($"/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-31&by=store&planId={w.PlanP2}"));
        AssertEqualsRows(ExpectedOf(w, new(2011, 3, 1), new(2011, 3, 31), "store", 7, t => t.PlanId == w.PlanP2), ofPlan, "store");
        var ofStore = await ReadJsonAsync(await admin.GetAsync($"/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-31&by=guide&storeId={w.StoreA}"));
        AssertEqualsRows(ExpectedOf(w, new(2011, 3, 1), new(2011, 3, 31), "guide", 7, t => t.StoreId == w.StoreA), ofStore, "guide");
        var ofArea = await ReadJsonAsync(await admin.GetAsync($"/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-31&by=plan&area={w.AreaX}"));
        AssertEqualsRows(ExpectedOf(w, new(2011, 3, 1), new(2011, 3, 31), "plan", 7, t => t.StoreId is { } s && w.AreaOf[s] == w.AreaX), ofArea, "plan");
        // One day: the task issued on 1 March 00:00 only.
        var firstDay = await ReadJsonAsync(await admin.GetAsync("/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-01&by=plan"));
        Assert.Equal(1, firstDay.GetProperty("totals").GetProperty("due").GetInt32());

        // The scenario by hand, so that the LINQ above is checked too: store A's m1 is reached twice (tasks 1 and 4) and counted
        // once, with the sale at exactly closed at + 7 days (10000 - 3000 refunded) and the one a second later (task 4's window):
        // 27000; m2's sales at the closing instant and one second after its window do not count; m1's sale before closing does not.
        var byStore = await ReadJsonAsync(await admin.GetAsync("/api/admin/care-tasks/metrics?from=2011-03-01&to=2011-03-31&by=store"));
        var a = byStore.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").ValueKind != JsonValueKind.Null && r.GetProperty("id").GetGuid() == w.StoreA);
        Assert.Equal(new Expected(4, 1, 3, 0, 0, 7500, 1, 27_000), Numbers(a.GetProperty("numbers")));
        var guides = byGuide.GetProperty("rows").EnumerateArray().ToDictionary(r => RowKey(r, "guide"), r => Numbers(r.GetProperty("numbers")));
        Assert.Equal(new Expected(3, 0, 3, 0, 0, 10_000, 1, 7_000), guides[w.GuideA1.Id.ToString()]);      // task 1's window ends at the first sale
        Assert.Equal(new Expected(2, 1, 1, 0, 0, 5000, 1, 27_000), guides[w.GuideA2.Id.ToString()]);
        Assert.Equal(new Expected(3, 1, 1, 1, 0, 3333, 1, 8_000), guides[""]);                      // unassigned: tasks 5, 8, 9
        Assert.Equal(new Expected(2, 0, 1, 0, 1, 5000, 0, 0), guides[w.GuideC.Id.ToString()]);
        Assert.Equal(10, byGuide.GetProperty("totals").GetProperty("due").GetInt32());
        Assert.Equal(42_000, byGuide.GetProperty("totals").GetProperty("amount").GetInt64());
    }

    [SkippableFact]
    public async Task The_csv_has_the_json_numbers()
    {
        await SeedAsync(2013);
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);
        foreach (var by in new[] { "plan", "area", "store", "guide" })
        {
            var url = $"/api/admin/care-tasks/metrics?from=2013-03-01&to=2013-03-31&by={by}";
            var json = await ReadJsonAsync(await admin.GetAsync(url));
            var response = await admin.GetAsync(url + "&format=csv");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
            var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
            Assert.Equal(["分组ID", "区域", "编码", "名称", "下发任务数", "待完成", "已完成", "已放弃", "已过期", "完成率(基点)", "触达后购买会员数", "触达后购买金额(元)"], lines[0]);
            var rows = json.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(rows.Count + 2, lines.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var key = by == "area" ? lines[i + 1][1] : lines[i + 1][0];
                Assert.Equal(RowKey(rows[i], by), key);
                Assert.Equal(Numbers(rows[i].GetProperty("numbers")), FromCsv(lines[i + 1]));
            }
            Assert.Equal("合计", lines[^1][3]);
            Assert.Equal(Numbers(json.GetProperty("totals")), FromCsv(lines[^1]));
        }

        static Expected FromCsv(string[] f) => new(int.Parse(f[4], CultureInfo.InvariantCulture), int.Parse(f[5], CultureInfo.InvariantCulture),
            int.Parse(f[6], CultureInfo.InvariantCulture), int.Parse(f[7], CultureInfo.InvariantCulture), int.Parse(f[8], CultureInfo.InvariantCulture),
            int.Parse(f[9], CultureInfo.InvariantCulture), int.Parse(f[10], CultureInfo.InvariantCulture),
            (long)(decimal.Parse(f[11], CultureInfo.InvariantCulture) * 100));
    }

    [SkippableFact]
    public async Task Managers_see_the_stores_of_their_scope_only()
    {
        var w = await SeedAsync(2012);
        const string period = "from=2012-03-01&to=2012-03-31";
        var storeManager = await Api.CreateGuideAsync(w.StoreA, GuideRole.StoreManager);
        var sm = Api.Client((await Api.LogInGuideAsync(storeManager)).Token);
        var report = await ReadJsonAsync(await sm.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store"));
        AssertEqualsRows(ExpectedOf(w, new(2012, 3, 1), new(2012, 3, 31), "store", 7, t => t.StoreId == w.StoreA), report, "store");
        var byGuide = await ReadJsonAsync(await sm.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=guide&area={w.AreaX}"));
        AssertEqualsRows(ExpectedOf(w, new(2012, 3, 1), new(2012, 3, 31), "guide", 7, t => t.StoreId == w.StoreA), byGuide, "guide");
        await AssertProblemAsync(await sm.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store&storeId={w.StoreB}"), HttpStatusCode.Forbidden, "care_task.outside_scope");
        await AssertProblemAsync(await sm.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store&area={w.AreaZ}"), HttpStatusCode.Forbidden, "care_task.outside_scope");
        await AssertProblemAsync(await sm.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store&storeId={Guid.NewGuid()}"), HttpStatusCode.Forbidden, "care_task.outside_scope");

        // An area manager of X (working in C, of area Z): A, B and C.
        var areaManager = await Api.CreateGuideAsync(w.StoreC, GuideRole.AreaManager, [w.AreaX]);
        var am = Api.Client((await Api.LogInGuideAsync(areaManager)).Token);
        var byArea = await ReadJsonAsync(await am.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=area"));
        AssertEqualsRows(ExpectedOf(w, new(2012, 3, 1), new(2012, 3, 31), "area", 7, t => t.StoreId is not null), byArea, "area");
        var ofB = await ReadJsonAsync(await am.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=plan&storeId={w.StoreB}"));
        AssertEqualsRows(ExpectedOf(w, new(2012, 3, 1), new(2012, 3, 31), "plan", 7, t => t.StoreId == w.StoreB), ofB, "plan");
        var other = await Api.CreateStoreAsync();
        await AssertProblemAsync(await am.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store&storeId={other.Id}"), HttpStatusCode.Forbidden, "care_task.outside_scope");

        // A plain guide: refused by role (the token's); a manager made a plain guide since their token: by the database.
        var guide = Api.Client((await Api.LogInGuideAsync(w.GuideA1)).Token);
        await AssertProblemAsync(await guide.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store"), HttpStatusCode.Forbidden, "auth.forbidden");
        var demoted = await Api.CreateGuideAsync(w.StoreA, GuideRole.StoreManager);
        var demotedClient = Api.Client((await Api.LogInGuideAsync(demoted)).Token);
        await Api.InScopeAsync(async db =>
        {
            var g = await db.Guides.FindAsync(demoted.Id);
            g!.Update(g.Name, g.StoreId, GuideRole.Guide, [], null, true);
            await db.SaveChangesAsync();
        });
        await AssertProblemAsync(await demotedClient.GetAsync($"/api/guide/team/care-tasks/metrics?{period}&by=store"), HttpStatusCode.Forbidden, "guide.not_a_manager");
    }

    [SkippableFact]
    public async Task Only_hq_and_managers_read_the_metrics()
    {
        const string query = "?from=2014-03-01&to=2014-03-31&by=plan";
        var store = await Api.CreateStoreAsync();
        var manager = Api.Client((await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager))).Token);
        var guide = Api.Client((await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id))).Token);
        var member = Api.Client((await Api.LogInMemberAsync()).Token);
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);

        await AssertProblemAsync(await Api.Client().GetAsync("/api/admin/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await AssertProblemAsync(await Api.Client().GetAsync("/api/guide/team/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await AssertProblemAsync(await member.GetAsync("/api/admin/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await member.GetAsync("/api/guide/team/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await guide.GetAsync("/api/admin/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await manager.GetAsync("/api/admin/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await admin.GetAsync("/api/guide/team/care-tasks/metrics" + query), HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/care-tasks/metrics" + query)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/api/guide/team/care-tasks/metrics" + query)).StatusCode);
    }

    [SkippableTheory]
    [InlineData("from=2011-03-02&to=2011-03-01&by=plan")]                       // from after to
    [InlineData("from=2011-01-01&to=2012-01-02&by=plan")]                       // 367 days
    [InlineData("from=1999-12-31&to=2000-01-01&by=plan")]
    [InlineData("from=2999-12-31&to=3000-01-01&by=plan")]
    [InlineData("from=0001-01-01&to=0001-01-01&by=plan")]
    [InlineData("from=9999-12-31&to=9999-12-31&by=guide")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=plan&effectDays=0")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=plan&effectDays=91")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=plan&effectDays=-5")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=member")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=Plan")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=")]
    [InlineData("from=2011-03-01&to=2011-03-31")]
    [InlineData("to=2011-03-31&by=plan")]
    [InlineData("from=2011-03-01&by=plan")]
    public async Task Bad_input_is_a_validation_problem(string query)
    {
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);
        await AssertProblemAsync(await admin.GetAsync("/api/admin/care-tasks/metrics?" + query), HttpStatusCode.BadRequest, "request.validation_failed");
        var store = await Api.CreateStoreAsync();
        var manager = Api.Client((await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager))).Token);
        await AssertProblemAsync(await manager.GetAsync("/api/guide/team/care-tasks/metrics?" + query), HttpStatusCode.BadRequest, "request.validation_failed");
    }

    [SkippableTheory]
    [InlineData("from=2011-13-01&to=2011-03-31&by=plan")]
    [InlineData("from=junk&to=2011-03-31&by=plan")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=plan&effectDays=99999999999")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=plan&planId=nope")]
    [InlineData("from=2011-03-01&to=2011-03-31&by=plan&format=xml")]
    public async Task Unreadable_parameters_are_malformed(string query)
    {
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);
        await AssertProblemAsync(await admin.GetAsync("/api/admin/care-tasks/metrics?" + query), HttpStatusCode.BadRequest, "request.malformed");
    }
}

public sealed class CareMetricTestsOnSqlite(SqliteApi fixture) : CareMetricTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CareMetricTestsOnMySql(MySqlApi fixture) : CareMetricTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
