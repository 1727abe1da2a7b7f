using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Care;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Care;

/// <summary>
/// Care task generation and expiry (issue 19, parts 2 and 5). The database is shared by the class: each test has its
/// own stores (every plan filters on them) and its own brand years, and every plan ends within them, so one test's
/// runs cannot issue another's plans.
/// </summary>
public abstract class CareGenerationTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static DateTimeOffset Brand(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, Shanghai);

    private async Task<CarePlan> PlanAsync(CareTargetKind kind, CareSchedule schedule, DateOnly startsOn, DateOnly endsOn, IEnumerable<Guid> stores,
        int? days = null, long? amount = null, int? count = null, int? monthDay = null, IEnumerable<int>? levels = null, int deadlineDays = 3,
        bool paused = false, bool deleted = false)
    {
        var created = Brand(startsOn.Year, startsOn.Month, startsOn.Day).AddDays(-5);
        var plan = new CarePlan(ApiFixture.Unique("plan"), CarePlanOwner.Hq, null, created)
        {
            TargetKind = kind, TargetDays = days, TargetAmount = amount, TargetCount = count, Schedule = schedule, StartsOn = startsOn, EndsOn = endsOn,
            MonthDay = monthDay, IssueTime = new TimeOnly(7, 0), DeadlineDays = deadlineDays, Script = "您好 {name}", Channel = CareChannel.WeComChat,
            Paused = paused, DeletedAt = deleted ? created : null,
        };
        plan.Filter(levels ?? [], stores);
        await Api.InScopeAsync(async db => { db.CarePlans.Add(plan); await db.SaveChangesAsync(); });
        return plan;
    }

    private async Task<Guid> MemberAsync(Guid? storeId, DateOnly? birthday = null, DateTimeOffset? registeredAt = null, ShoppingGuide? guide = null,
        bool consent = true, int level = 0)
    {
        var member = new Member(ApiFixture.Unique("care-openid"), null, registeredAt ?? Brand(2010, 1, 1));
        member.UpdateProfile("会员", Gender.Unknown, birthday);
        member.GuideContactConsent = consent;
        if (guide is not null) member.BindExclusiveGuide(guide);
        await Api.InScopeAsync(async db =>
        {
            db.Members.Add(member);
            await db.SaveChangesAsync();
            if (guide is null && storeId is { } s) await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.StoreId, s));
            if (level != 0) await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Level, level));
        });
        return member.Id;
    }

    private Task<string> GenerateAsync(DateTimeOffset now) =>
        Api.InScopeAsync(sp => sp.GetRequiredService<CareGenerationRun>().RunAsync(now.ToUniversalTime(), CancellationToken.None));

    private Task<List<CareTask>> TasksAsync(CarePlan plan) =>
        Api.DbAsync(db => db.CareTasks.AsNoTracking().Where(t => t.PlanId == plan.Id).ToListAsync());

    private async Task<HashSet<Guid>> MembersOfAsync(CarePlan plan) => (await TasksAsync(plan)).Select(t => t.MemberId).ToHashSet();

    private async Task SaleAsync(HttpClient pos, Guid memberId, string number, DateTimeOffset at, long paid)
    {
        var response = await pos.PostAsJsonAsync("/api/integration/documents", new
        {
            documentNumber = number, kind = "sale", memberId, documentTime = at,
            lines = new object[] { new { lineNo = 1, sku = "SKU-CARE", product = "关怀测试", quantity = 1, unitPrice = paid, paidAmount = paid } },
            payments = new object[] { new { method = "cash", amount = paid } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task RefundAsync(HttpClient pos, string number, string original, DateTimeOffset at, long paid)
    {
        var response = await pos.PostAsJsonAsync("/api/integration/documents", new
        {
            documentNumber = number, kind = "refund", originalDocumentNumber = original, documentTime = at,
            lines = new object[] { new { lineNo = 1, originalLineNo = 1, quantity = 1, paidAmount = paid } },
            payments = new object[] { new { method = "cash", amount = paid } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Birthday_this_month_is_the_brand_months_and_issued_at_the_issue_time()
    {
        var store = await Api.CreateStoreAsync();
        var march1 = await MemberAsync(store.Id, new DateOnly(1990, 3, 1));
        var march31 = await MemberAsync(store.Id, new DateOnly(1985, 3, 31));
        await MemberAsync(store.Id, new DateOnly(1990, 2, 28));
        await MemberAsync(store.Id, new DateOnly(1990, 4, 1));
        await MemberAsync(store.Id);
        var plan = await PlanAsync(CareTargetKind.BirthdayThisMonth, CareSchedule.Monthly, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), [store.Id], monthDay: 1);

        // 1 March 00:30 in Shanghai is still 28 February in UTC: March's day, but before the 07:00 issue time.
        await GenerateAsync(new DateTimeOffset(2025, 2, 28, 16, 30, 0, TimeSpan.Zero));
        Assert.Empty(await TasksAsync(plan));

        await GenerateAsync(new DateTimeOffset(2025, 2, 28, 23, 30, 0, TimeSpan.Zero)); // 07:30 brand time
        var tasks = await TasksAsync(plan);
        Assert.Equal([march1, march31], tasks.Select(t => t.MemberId).Order());
        Assert.All(tasks, t =>
        {
            Assert.Equal("2025-03", t.Period);
            Assert.Equal(CareTaskStatus.Pending, t.Status);
            Assert.Equal(Brand(2025, 3, 1, 7), t.IssuedAt);
            Assert.Equal(Brand(2025, 3, 5), t.DueAt); // 3 days: due through 4 March
            Assert.Equal(store.Id, t.StoreId);
        });

        // Idempotent: again, and later in the month, nothing new.
        await GenerateAsync(new DateTimeOffset(2025, 2, 28, 23, 35, 0, TimeSpan.Zero));
        await GenerateAsync(Brand(2025, 3, 2, 12));
        Assert.Equal(2, (await TasksAsync(plan)).Count);
        Assert.Equal("2025-03", await Api.DbAsync(db => db.CarePlans.Where(p => p.Id == plan.Id).Select(p => p.LastIssuedPeriod).SingleAsync()));
    }

    [SkippableFact]
    public async Task Birthday_within_days_crosses_the_year_end_and_29_february_is_28_february_in_other_years()
    {
        var store = await Api.CreateStoreAsync();
        var dec25 = await MemberAsync(store.Id, new DateOnly(1990, 12, 25));
        var jan4 = await MemberAsync(store.Id, new DateOnly(1991, 1, 4));
        await MemberAsync(store.Id, new DateOnly(1991, 1, 5));
        await MemberAsync(store.Id, new DateOnly(1990, 12, 24));
        var yearEnd = await PlanAsync(CareTargetKind.BirthdayWithinDays, CareSchedule.Once, new DateOnly(2022, 12, 25), new DateOnly(2022, 12, 25), [store.Id], days: 10);
        await GenerateAsync(Brand(2022, 12, 25, 8));
        Assert.Equal([dec25, jan4], (await MembersOfAsync(yearEnd)).Order());

        var leapStore = await Api.CreateStoreAsync();
        var feb29 = await MemberAsync(leapStore.Id, new DateOnly(1992, 2, 29));
        var feb28 = await MemberAsync(leapStore.Id, new DateOnly(1993, 2, 28));
        await MemberAsync(leapStore.Id, new DateOnly(1993, 3, 1));
        var nonLeap = await PlanAsync(CareTargetKind.BirthdayWithinDays, CareSchedule.Once, new DateOnly(2023, 2, 28), new DateOnly(2023, 2, 28), [leapStore.Id], days: 0);
        await GenerateAsync(Brand(2023, 2, 28, 7, 1));
        Assert.Equal(new[] { feb29, feb28 }.Order(), (await MembersOfAsync(nonLeap)).Order());

        var leap = await PlanAsync(CareTargetKind.BirthdayWithinDays, CareSchedule.Once, new DateOnly(2024, 2, 28), new DateOnly(2024, 2, 28), [leapStore.Id], days: 0);
        await GenerateAsync(Brand(2024, 2, 28, 7, 1));
        Assert.Equal([feb28], await MembersOfAsync(leap)); // 2024 has a 29 February: that birthday waits for it
    }

    [SkippableFact]
    public async Task Monthly_on_the_31st_issues_on_the_last_day_of_shorter_months()
    {
        var store = await Api.CreateStoreAsync();
        var member = await MemberAsync(store.Id);
        var plan = await PlanAsync(CareTargetKind.ImportedList, CareSchedule.Monthly, new DateOnly(2019, 2, 1), new DateOnly(2019, 4, 30), [store.Id], monthDay: 31, deadlineDays: 1);
        await Api.InScopeAsync(async db => { db.CarePlanListMembers.Add(new CarePlanListMember(plan.Id, member, 2)); await db.SaveChangesAsync(); });

        foreach (var (day, issued) in new[] { (Brand(2019, 2, 27, 8), 0), (Brand(2019, 2, 28, 8), 1), (Brand(2019, 3, 30, 8), 1), (Brand(2019, 3, 31, 8), 2),
                     (Brand(2019, 4, 29, 8), 2), (Brand(2019, 4, 30, 8), 3) })
        {
            await GenerateAsync(day);
            Assert.Equal(issued, (await TasksAsync(plan)).Count);
        }
        var tasks = await TasksAsync(plan);
        Assert.Equal(["2019-02", "2019-03", "2019-04"], tasks.Select(t => t.Period).Order());
        Assert.Equal(Brand(2019, 2, 28, 7), tasks.Single(t => t.Period == "2019-02").IssuedAt);
        Assert.Equal(Brand(2019, 5, 2), tasks.Single(t => t.Period == "2019-04").DueAt);
    }

    [SkippableFact]
    public async Task No_purchase_for_days_counts_whole_brand_days_and_members_who_never_bought_from_registration()
    {
        var store = await Api.CreateStoreAsync();
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        // 30 days on 30 June: the window is 1 June 00:00 to the issue time (brand time).
        var boughtMay31 = await MemberAsync(store.Id, registeredAt: Brand(2021, 1, 1));
        await SaleAsync(pos, boughtMay31, ApiFixture.Unique("NP"), Brand(2021, 5, 31, 23, 30), 1000);
        var boughtJune1 = await MemberAsync(store.Id, registeredAt: Brand(2021, 1, 1));
        await SaleAsync(pos, boughtJune1, ApiFixture.Unique("NP"), Brand(2021, 6, 1, 0, 10), 1000); // still 31 May in UTC
        var never = await MemberAsync(store.Id, registeredAt: Brand(2021, 1, 1));
        await MemberAsync(store.Id, registeredAt: Brand(2021, 6, 5)); // registered within the window
        var plan = await PlanAsync(CareTargetKind.NoPurchaseForDays, CareSchedule.Once, new DateOnly(2021, 6, 30), new DateOnly(2021, 6, 30), [store.Id], days: 30);

        await GenerateAsync(Brand(2021, 6, 30, 9));
        Assert.Equal(new[] { boughtMay31, never }.Order(), (await MembersOfAsync(plan)).Order());
    }

    [SkippableFact]
    public async Task Purchase_targets_read_the_documents_and_a_refund_can_drop_a_member_below_the_amount()
    {
        var store = await Api.CreateStoreAsync();
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var a = await MemberAsync(store.Id);
        await SaleAsync(pos, a, ApiFixture.Unique("SP"), Brand(2021, 9, 10, 15), 12000);
        var b = await MemberAsync(store.Id);
        var bSale = ApiFixture.Unique("SP");
        await SaleAsync(pos, b, bSale, Brand(2021, 9, 10, 16), 12000);
        await RefundAsync(pos, ApiFixture.Unique("RF"), bSale, Brand(2021, 9, 12, 10), 3000);
        var c = await MemberAsync(store.Id);
        await SaleAsync(pos, c, ApiFixture.Unique("SP"), Brand(2021, 9, 10, 9), 9000);
        await SaleAsync(pos, c, ApiFixture.Unique("SP"), Brand(2021, 9, 15, 9), 1000);
        var d = await MemberAsync(store.Id);
        await SaleAsync(pos, d, ApiFixture.Unique("SP"), Brand(2021, 8, 31, 23, 59), 15000); // the day before the window
        var day = new DateOnly(2021, 9, 30);
        var spent = await PlanAsync(CareTargetKind.SpentAtLeast, CareSchedule.Once, day, day, [store.Id], days: 30, amount: 10000);
        var twice = await PlanAsync(CareTargetKind.PurchasesAtLeast, CareSchedule.Once, day, day, [store.Id], days: 30, count: 2);
        var after20 = await PlanAsync(CareTargetKind.DaysAfterPurchase, CareSchedule.Once, day, day, [store.Id], days: 20);

        await GenerateAsync(Brand(2021, 9, 30, 7, 5));
        Assert.Equal(new[] { a, c }.Order(), (await MembersOfAsync(spent)).Order()); // b: 12,000 - 3,000 refunded; d: outside
        Assert.Equal([c], await MembersOfAsync(twice));
        Assert.Equal(new[] { a, b, c }.Order(), (await MembersOfAsync(after20)).Order()); // 10 September = 30 September - 20
    }

    [SkippableFact]
    public async Task Assignment_falls_back_from_the_exclusive_guide_to_the_stores_default_to_nobody_and_consent_and_levels_filter()
    {
        var store = await Api.CreateStoreAsync();
        var other = await Api.CreateStoreAsync();
        var exclusive = await Api.CreateGuideAsync(store.Id);
        var left = await Api.CreateGuideAsync(store.Id, active: false);
        var fallback = await Api.CreateGuideAsync(store.Id);
        var leftOther = await Api.CreateGuideAsync(other.Id, active: false);
        var defaultLeft = await Api.CreateGuideAsync(other.Id, active: false);
        await Api.InScopeAsync(async db =>
        {
            (await db.Stores.FindAsync(store.Id))!.DefaultGuideId = fallback.Id;
            (await db.Stores.FindAsync(other.Id))!.DefaultGuideId = defaultLeft.Id;
            await db.SaveChangesAsync();
        });
        var may = new DateOnly(1990, 5, 20);
        var withGuide = await MemberAsync(null, may, guide: exclusive);
        var guideLeft = await MemberAsync(null, may, guide: left);
        var nobody = await MemberAsync(null, may, guide: leftOther);
        var inStore = await MemberAsync(store.Id, may, level: 1);
        await MemberAsync(store.Id, may, consent: false);
        await MemberAsync(store.Id, may, level: 3);
        var day = new DateOnly(2018, 5, 10);
        var plan = await PlanAsync(CareTargetKind.BirthdayThisMonth, CareSchedule.Once, day, day, [store.Id, other.Id], levels: [0, 1]);
        var paused = await PlanAsync(CareTargetKind.BirthdayThisMonth, CareSchedule.Once, day, day, [store.Id, other.Id], paused: true);
        var deleted = await PlanAsync(CareTargetKind.BirthdayThisMonth, CareSchedule.Once, day, day, [store.Id, other.Id], deleted: true);

        await GenerateAsync(Brand(2018, 5, 10, 12));
        var tasks = (await TasksAsync(plan)).ToDictionary(t => t.MemberId);
        Assert.Equal(new[] { withGuide, guideLeft, nobody, inStore }.Order(), tasks.Keys.Order());
        Assert.Equal((exclusive.Id, store.Id), (tasks[withGuide].GuideId!.Value, tasks[withGuide].StoreId!.Value));
        Assert.Equal((fallback.Id, store.Id), (tasks[guideLeft].GuideId!.Value, tasks[guideLeft].StoreId!.Value));
        Assert.Null(tasks[nobody].GuideId);
        Assert.Equal(other.Id, tasks[nobody].StoreId);
        Assert.Equal(fallback.Id, tasks[inStore].GuideId);
        Assert.Empty(await TasksAsync(paused));
        Assert.Empty(await TasksAsync(deleted));
    }

    [SkippableFact]
    public async Task Membership_anniversary_is_the_brand_date_of_registration()
    {
        var store = await Api.CreateStoreAsync();
        var leapDay = await MemberAsync(store.Id, registeredAt: Brand(2012, 2, 29, 10));
        var lastYear = await MemberAsync(store.Id, registeredAt: Brand(2014, 2, 28, 0, 30)); // 27 February in UTC
        await MemberAsync(store.Id, registeredAt: Brand(2014, 3, 1, 0, 30));                 // 28 February in UTC
        await MemberAsync(store.Id, registeredAt: Brand(2015, 2, 28, 1));                    // not a year yet
        var day = new DateOnly(2015, 2, 28);
        var plan = await PlanAsync(CareTargetKind.MembershipAnniversary, CareSchedule.Once, day, day, [store.Id]);
        await GenerateAsync(Brand(2015, 2, 28, 20));
        Assert.Equal(new[] { leapDay, lastYear }.Order(), (await MembersOfAsync(plan)).Order());
    }

    [SkippableFact]
    public async Task Two_hosts_generating_at_once_create_each_task_once()
    {
        var store = await Api.CreateStoreAsync();
        for (var i = 0; i < 40; i++) await MemberAsync(store.Id, new DateOnly(1990, 7, 1 + i % 28));
        var plan = await PlanAsync(CareTargetKind.BirthdayThisMonth, CareSchedule.Daily, new DateOnly(2017, 7, 1), new DateOnly(2017, 7, 3), [store.Id]);

        var now = Brand(2017, 7, 3, 8); // three daily periods (1 to 3 July) still within their deadline
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => GenerateAsync(now))));
        var tasks = await TasksAsync(plan);
        Assert.Equal(3 * 40, tasks.Count);
        Assert.Equal(3 * 40, tasks.Select(t => (t.MemberId, t.Period)).Distinct().Count());
        await GenerateAsync(now);
        Assert.Equal(3 * 40, (await TasksAsync(plan)).Count);
    }

    [SkippableFact]
    public async Task Expiry_marks_exactly_the_overdue_pending_tasks()
    {
        var store = await Api.CreateStoreAsync();
        var plan = await PlanAsync(CareTargetKind.ImportedList, CareSchedule.Once, new DateOnly(2016, 5, 1), new DateOnly(2016, 5, 1), [store.Id]);
        var now = new DateTimeOffset(2016, 5, 10, 4, 0, 0, TimeSpan.Zero);
        CareTask Task(DateTimeOffset due, CareTaskStatus status, Guid member) =>
            new(plan.Id, member, CarePeriods.OncePeriod, null, store.Id, Brand(2016, 5, 1, 7), due) { Status = status };
        var overdue = Task(now, CareTaskStatus.Pending, await MemberAsync(store.Id));
        var notYet = Task(now.AddTicks(10), CareTaskStatus.Pending, await MemberAsync(store.Id));
        var completed = Task(now.AddDays(-1), CareTaskStatus.Completed, await MemberAsync(store.Id));
        await Api.InScopeAsync(async db => { db.CareTasks.AddRange(overdue, notYet, completed); await db.SaveChangesAsync(); });

        await Api.InScopeAsync(sp => sp.GetRequiredService<CareExpiryRun>().RunAsync(now, CancellationToken.None));
        var tasks = (await TasksAsync(plan)).ToDictionary(t => t.Id);
        Assert.Equal((CareTaskStatus.Expired, 1, (DateTimeOffset?)now), (tasks[overdue.Id].Status, tasks[overdue.Id].Version, tasks[overdue.Id].ClosedAt));
        Assert.Equal((CareTaskStatus.Pending, 0, (DateTimeOffset?)null), (tasks[notYet.Id].Status, tasks[notYet.Id].Version, tasks[notYet.Id].ClosedAt));
        Assert.Equal((CareTaskStatus.Completed, 0), (tasks[completed.Id].Status, tasks[completed.Id].Version));
    }
}

public sealed class CareGenerationTestsOnSqlite(SqliteApi fixture) : CareGenerationTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CareGenerationTestsOnMySql(MySqlApi fixture) : CareGenerationTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
