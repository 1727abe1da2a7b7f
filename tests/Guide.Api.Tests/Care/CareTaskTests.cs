using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Care;
using Guide.Domain.Common;
using Guide.Domain.Levels;
using Guide.Domain.Organization;
using Guide.Domain.Points;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Care;

/// <summary>
/// The guide workbench's care tasks: a guide's own list (urged first, then due soonest; the member's snippet; the script
/// filled in), completing and abandoning with every refusal (nothing written), a race of two completes, the managers' team
/// list and urging by scope, HQ's handover and a store's default guide, and who may call each route. Each test makes its own
/// stores, guides, plans and members.
/// </summary>
public abstract class CareTaskTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private sealed record Team(StoreView Store, ShoppingGuide Guide, ShoppingGuide Other, ShoppingGuide Manager);

    private async Task<Team> TeamAsync(string? area = null)
    {
        var store = await Api.CreateStoreAsync(area);
        return new Team(store, await Api.CreateGuideAsync(store.Id), await Api.CreateGuideAsync(store.Id),
            await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager));
    }

    private async Task<CarePlan> PlanAsync(string script = "您好 {name}")
    {
        var plan = new CarePlan("关怀 " + ApiFixture.Unique("p"), CarePlanOwner.Hq, null, DateTimeOffset.UtcNow)
        {
            TargetKind = CareTargetKind.BirthdayThisMonth, Schedule = CareSchedule.Once, StartsOn = new DateOnly(2026, 1, 1),
            IssueTime = new TimeOnly(9, 0), DeadlineDays = 3, Script = script, Channel = CareChannel.Phone,
        };
        await Api.InScopeAsync(async db => { db.CarePlans.Add(plan); await db.SaveChangesAsync(); });
        return plan;
    }

    private async Task<Guid> MemberAsync() => (await Api.LogInMemberAsync()).Id;

    private DateTimeOffset DayStart(int daysFromToday) => Api.InScopeAsync(sp =>
    {
        var clock = sp.GetRequiredService<BrandClock>();
        return Task.FromResult(CareTaskRules.BrandDayStart(clock, clock.Today.AddDays(daysFromToday)));
    }).GetAwaiter().GetResult();

    private async Task<CareTask> TaskAsync(CarePlan plan, Guid? guideId, Guid? storeId, DateTimeOffset dueAt, Guid? memberId = null,
        Action<CareTask>? shape = null)
    {
        var task = new CareTask(plan.Id, memberId ?? await MemberAsync(), ApiFixture.Unique("p"), guideId, storeId, dueAt.AddDays(-3), dueAt);
        shape?.Invoke(task);
        await Api.InScopeAsync(async db => { db.CareTasks.Add(task); await db.SaveChangesAsync(); });
        return task;
    }

    private Task<CareTask> ReadAsync(Guid id) => Api.DbAsync(db => db.CareTasks.AsNoTracking().SingleAsync(t => t.Id == id));

    private static async Task<List<Guid>> IdsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        return body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    private static object Complete(string outcome = "reached", string channel = "phone", string? note = "聊了十分钟") => new { outcome, channel, note };

    [SkippableFact]
    public async Task A_guide_sees_only_their_pending_tasks_urged_first_latest_urge_first_then_the_soonest_due()
    {
        var team = await TeamAsync();
        var plan = await PlanAsync();
        var now = DateTimeOffset.UtcNow;
        var dueIn3 = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(4));
        var dueIn1 = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
        var urgedEarlier = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(6), shape: t => { t.UrgedAt = now.AddHours(-2); t.UrgeCount = 1; });
        var urgedLater = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(7), shape: t => { t.UrgedAt = now.AddHours(-1); t.UrgeCount = 1; });
        var completed = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(1), shape: t => { t.Status = CareTaskStatus.Completed; t.Outcome = CareOutcome.Reached; });
        await TaskAsync(plan, team.Other.Id, team.Store.Id, DayStart(1));
        await TaskAsync(plan, null, team.Store.Id, DayStart(1));

        var client = Api.Client((await Api.LogInGuideAsync(team.Guide)).Token);
        Assert.Equal([urgedLater.Id, urgedEarlier.Id, dueIn1.Id, dueIn3.Id], await IdsAsync(await client.GetAsync("/api/guide/care-tasks")));
        // dueWithin=1: due by the end of tomorrow (DueAt at most the start of the day after tomorrow).
        Assert.Equal([dueIn1.Id], await IdsAsync(await client.GetAsync("/api/guide/care-tasks?dueWithin=1")));
        Assert.Equal([dueIn1.Id, dueIn3.Id], await IdsAsync(await client.GetAsync("/api/guide/care-tasks?dueWithin=3")));
        Assert.Equal([completed.Id], await IdsAsync(await client.GetAsync("/api/guide/care-tasks?status=completed")));
        Assert.Empty(await IdsAsync(await client.GetAsync($"/api/guide/care-tasks?planId={Guid.NewGuid()}")));
        var page = await (await client.GetAsync("/api/guide/care-tasks?page=2&pageSize=3")).JsonAsync();
        Assert.Equal(4, page.GetProperty("total").GetInt32());
        Assert.Equal([dueIn3.Id], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList());

        await AssertProblemAsync(await client.GetAsync("/api/guide/care-tasks?dueWithin=-1"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await client.GetAsync("/api/guide/care-tasks?dueWithin=99999"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await client.GetAsync("/api/guide/care-tasks?status=done"), HttpStatusCode.BadRequest, "request.malformed");
    }

    [SkippableFact]
    public async Task A_guide_deactivated_after_logging_in_no_longer_reads_their_list()
    {
        var team = await TeamAsync();
        var plan = await PlanAsync();
        await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
        var client = Api.Client((await Api.LogInGuideAsync(team.Guide)).Token);
        var otherClient = Api.Client((await Api.LogInGuideAsync(team.Other)).Token);
        Assert.Single(await IdsAsync(await client.GetAsync("/api/guide/care-tasks")));
        Assert.Empty(await IdsAsync(await otherClient.GetAsync("/api/guide/care-tasks")));

        await Api.InScopeAsync(async db =>
        {
            foreach (var id in new[] { team.Guide.Id, team.Other.Id })
            {
                var g = await db.Guides.FindAsync(id);
                g!.Update(g.Name, g.StoreId, g.Role, g.ManagedAreas, g.Mobile, active: false);
            }
            await db.SaveChangesAsync();
        });
        // Refused at once, with tasks and without, on any page.
        await AssertProblemAsync(await client.GetAsync("/api/guide/care-tasks"), HttpStatusCode.Forbidden, "guide.inactive");
        await AssertProblemAsync(await client.GetAsync("/api/guide/care-tasks?page=9"), HttpStatusCode.Forbidden, "guide.inactive");
        await AssertProblemAsync(await otherClient.GetAsync("/api/guide/care-tasks"), HttpStatusCode.Forbidden, "guide.inactive");
    }

    [SkippableFact]
    public async Task Each_task_carries_the_members_snippet_and_the_script_filled_in()
    {
        var team = await TeamAsync();
        var plan = await PlanAsync("{name}您好，{level}会员积分{points}，生日{birthday}快乐");
        var admin = await Api.LogInAdminAsync();
        var memberId = await MemberAsync();
        var rank = 90 + Random.Shared.Next(10);
        var levelName = "金卡" + rank;
        await Api.InScopeAsync(async db =>
        {
            if (!await db.MemberLevels.AnyAsync(l => l.Rank == rank))
                db.MemberLevels.Add(new MemberLevel(rank, levelName, MemberLevel.MaxThreshold, 1.5m, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        // A sale of 128.00 yuan in cash (100 points per 100 yuan by default: 128 points), then HQ adds 500 points and a wallet of 100 + 20 yuan.
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var earlier = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(8));
        var saleAt = new DateTimeOffset(2026, 11, 20, 15, 30, 0, TimeSpan.FromHours(8));
        foreach (var (at, amount) in new[] { (earlier, 5_000L), (saleAt, 12_800L) })
        {
            var sale = await pos.PostAsJsonAsync("/api/integration/documents", new
            {
                documentNumber = ApiFixture.Unique("S"), kind = "sale", storeCode = team.Store.Code, memberId, documentTime = at,
                lines = new object[] { new { lineNo = 1, sku = "SKU-A", product = "羊毛大衣", quantity = 1, unitPrice = amount, paidAmount = amount } },
                payments = new object[] { new { method = "cash", amount } },
            });
            Assert.True(sale.IsSuccessStatusCode, await sale.Content.ReadAsStringAsync());
        }
        await Api.SendAsync(new AdjustPoints(memberId, 500, "关怀测试", admin.Id, ApiFixture.Unique("k")));
        await Api.SendAsync(new AdjustWallet(memberId, 10_000, 2_000, "关怀测试", admin.Id, ApiFixture.Unique("k")));
        await Api.InScopeAsync(db => db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Phone, "13812345678").SetProperty(m => m.Nickname, "小王").SetProperty(m => m.Birthday, new DateOnly(1990, 3, 9))
            .SetProperty(m => m.Level, rank)));
        await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2), memberId);

        var body = await (await Api.Client((await Api.LogInGuideAsync(team.Guide)).Token).GetAsync("/api/guide/care-tasks")).JsonAsync();
        var item = body.GetProperty("items")[0];
        Assert.Equal(plan.Name, item.GetProperty("planName").GetString());
        Assert.Equal("phone", item.GetProperty("channel").GetString());
        Assert.Equal("pending", item.GetProperty("status").GetString());
        var member = item.GetProperty("member");
        Assert.Equal("138****5678", member.GetProperty("maskedPhone").GetString());
        Assert.Equal("小王", member.GetProperty("nickname").GetString());
        Assert.Equal(rank, member.GetProperty("levelRank").GetInt32());
        Assert.Equal(levelName, member.GetProperty("levelName").GetString());
        Assert.Equal(50 + 128 + 500, member.GetProperty("points").GetInt64());
        Assert.Equal(10_000, member.GetProperty("walletPrincipal").GetInt64());
        Assert.Equal(2_000, member.GetProperty("walletGift").GetInt64());
        Assert.Equal(saleAt, member.GetProperty("lastPurchaseAt").GetDateTimeOffset());
        Assert.Equal(12_800, member.GetProperty("lastPurchaseAmount").GetInt64());
        Assert.Equal("1990-03-09", member.GetProperty("birthday").GetString());
        Assert.Equal($"小王您好，{levelName}会员积分678，生日3月9日快乐", item.GetProperty("script").GetString());
        Assert.DoesNotContain("13812345678", body.GetRawText());
    }

    [SkippableFact]
    public async Task A_guide_completes_and_abandons_their_own_open_tasks_and_every_refusal_writes_nothing()
    {
        var team = await TeamAsync();
        var plan = await PlanAsync();
        var client = Api.Client((await Api.LogInGuideAsync(team.Guide)).Token);

        var task = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
        var done = await client.PostAsJsonAsync($"/api/guide/care-tasks/{task.Id}/complete", Complete("declined", "we_com_chat", " 不需要 "));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var row = await ReadAsync(task.Id);
        Assert.Equal((CareTaskStatus.Completed, CareOutcome.Declined, CareChannel.WeComChat, "不需要"), (row.Status, row.Outcome, row.CompletedChannel, row.Note));
        Assert.NotNull(row.ClosedAt);
        Assert.Equal("completed", (await done.JsonAsync()).GetProperty("status").GetString());
        // Completing twice, or abandoning a completed task: closed, and the row stays as it was.
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{task.Id}/complete", Complete()), HttpStatusCode.Conflict, "care_task.closed");
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{task.Id}/abandon", new { reason = "x" }), HttpStatusCode.Conflict, "care_task.closed");
        Assert.Equal((CareOutcome.Declined, "不需要", row.Version), ((await ReadAsync(task.Id)).Outcome, (await ReadAsync(task.Id)).Note, (await ReadAsync(task.Id)).Version));

        var abandoned = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/guide/care-tasks/{abandoned.Id}/abandon", new { reason = "顾客已搬家" })).StatusCode);
        row = await ReadAsync(abandoned.Id);
        Assert.Equal((CareTaskStatus.Abandoned, "顾客已搬家", (CareOutcome?)null), (row.Status, row.Note, row.Outcome));

        // Another guide's task, an unassigned one, an unknown one, one past its deadline (the expiry job has not run), one expired.
        var others = await TaskAsync(plan, team.Other.Id, team.Store.Id, DayStart(2));
        var nobodys = await TaskAsync(plan, null, team.Store.Id, DayStart(2));
        var late = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DateTimeOffset.UtcNow.AddMinutes(-1));
        var expired = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2), shape: t => t.Status = CareTaskStatus.Expired);
        foreach (var action in new[] { "complete", "abandon" })
        {
            object body = action == "complete" ? Complete() : new { reason = "没空" };
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{others.Id}/{action}", body), HttpStatusCode.Forbidden, "care_task.not_yours");
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{nobodys.Id}/{action}", body), HttpStatusCode.Forbidden, "care_task.not_yours");
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{Guid.NewGuid()}/{action}", body), HttpStatusCode.NotFound, "care_task.not_found");
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{late.Id}/{action}", body), HttpStatusCode.Conflict, "care_task.past_deadline");
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{expired.Id}/{action}", body), HttpStatusCode.Conflict, "care_task.closed");
        }
        foreach (var id in new[] { others.Id, nobodys.Id, late.Id })
        {
            var untouched = await ReadAsync(id);
            Assert.Equal((CareTaskStatus.Pending, (string?)null, (DateTimeOffset?)null, 0), (untouched.Status, untouched.Note, untouched.ClosedAt, untouched.Version));
        }

        var open = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
        foreach (var bad in new object[] { new { channel = "phone" }, new { outcome = "reached" }, Complete(note: new string('x', 501)) })
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{open.Id}/complete", bad), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{open.Id}/complete", new { outcome = "happy", channel = "phone" }),
            HttpStatusCode.BadRequest, "request.malformed");
        foreach (var bad in new object[] { new { reason = "" }, new { reason = "   " }, new { reason = new string('x', 501) } })
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/guide/care-tasks/{open.Id}/abandon", bad), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(CareTaskStatus.Pending, (await ReadAsync(open.Id)).Status);
    }

    [SkippableFact]
    public async Task Two_completes_racing_let_exactly_one_win()
    {
        var team = await TeamAsync();
        var plan = await PlanAsync();
        var token = (await Api.LogInGuideAsync(team.Guide)).Token;
        for (var round = 0; round < 5; round++)
        {
            var task = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
            var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
                Api.Client(token).PostAsJsonAsync($"/api/guide/care-tasks/{task.Id}/complete", Complete(i == 0 ? "reached" : "unreachable", note: $"n{i}"))));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(answers, a => a.StatusCode != HttpStatusCode.OK);
            await AssertProblemAsync(loser, HttpStatusCode.Conflict, "care_task.closed");
            var winner = await Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK).JsonAsync();
            var row = await ReadAsync(task.Id);
            Assert.Equal(winner.GetProperty("note").GetString(), row.Note);
            Assert.Equal(1, row.Version);
        }
    }

    [SkippableFact]
    public async Task Managers_see_and_urge_the_tasks_of_their_scope_only()
    {
        var area = ApiFixture.Unique("area");
        var team = await TeamAsync(area);
        var sister = await TeamAsync(area);
        var elsewhere = await TeamAsync();
        var areaManager = await Api.CreateGuideAsync(elsewhere.Store.Id, GuideRole.AreaManager, [area]);
        var plan = await PlanAsync();

        var mine = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(3));
        var unassigned = await TaskAsync(plan, null, team.Store.Id, DayStart(2));
        var closed = await TaskAsync(plan, team.Other.Id, team.Store.Id, DayStart(1), shape: t => t.Status = CareTaskStatus.Abandoned);
        var sisters = await TaskAsync(plan, sister.Guide.Id, sister.Store.Id, DayStart(1));
        var far = await TaskAsync(plan, elsewhere.Guide.Id, elsewhere.Store.Id, DayStart(1));

        var manager = Api.Client((await Api.LogInGuideAsync(team.Manager)).Token);
        Assert.Equal([unassigned.Id, mine.Id], await IdsAsync(await manager.GetAsync("/api/guide/team/care-tasks")));
        Assert.Equal([unassigned.Id], await IdsAsync(await manager.GetAsync("/api/guide/team/care-tasks?unassigned=true")));
        Assert.Equal([mine.Id], await IdsAsync(await manager.GetAsync($"/api/guide/team/care-tasks?guideId={team.Guide.Id}")));
        Assert.Equal([closed.Id], await IdsAsync(await manager.GetAsync("/api/guide/team/care-tasks?status=abandoned")));
        await AssertProblemAsync(await manager.GetAsync($"/api/guide/team/care-tasks?storeId={sister.Store.Id}"), HttpStatusCode.Forbidden, "care_task.outside_scope");

        var areaClient = Api.Client((await Api.LogInGuideAsync(areaManager)).Token);
        Assert.Equal([sisters.Id, far.Id, unassigned.Id, mine.Id], await IdsAsync(await areaClient.GetAsync("/api/guide/team/care-tasks?pageSize=100")));
        Assert.Equal([sisters.Id], await IdsAsync(await areaClient.GetAsync($"/api/guide/team/care-tasks?storeId={sister.Store.Id}")));

        var plain = Api.Client((await Api.LogInGuideAsync(team.Guide)).Token);
        await AssertProblemAsync(await plain.GetAsync("/api/guide/team/care-tasks"), HttpStatusCode.Forbidden, "guide.not_a_manager");
        await AssertProblemAsync(await plain.PostAsync($"/api/guide/care-tasks/{mine.Id}/urge", null), HttpStatusCode.Forbidden, "guide.not_a_manager");

        // Urging: the store manager urges a task of their store; it comes first in the guide's list.
        var urged = await manager.PostAsync($"/api/guide/care-tasks/{mine.Id}/urge", null);
        Assert.Equal(HttpStatusCode.OK, urged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await areaClient.PostAsync($"/api/guide/care-tasks/{mine.Id}/urge", null)).StatusCode);
        var row = await ReadAsync(mine.Id);
        Assert.Equal((2, areaManager.Id, CareTaskStatus.Pending), (row.UrgeCount, row.UrgedBy, row.Status));
        Assert.NotNull(row.UrgedAt);
        await AssertProblemAsync(await manager.PostAsync($"/api/guide/care-tasks/{sisters.Id}/urge", null), HttpStatusCode.Forbidden, "care_task.outside_scope");
        await AssertProblemAsync(await manager.PostAsync($"/api/guide/care-tasks/{closed.Id}/urge", null), HttpStatusCode.Conflict, "care_task.closed");
        await AssertProblemAsync(await manager.PostAsync($"/api/guide/care-tasks/{Guid.NewGuid()}/urge", null), HttpStatusCode.NotFound, "care_task.not_found");
        var sistersRow = await ReadAsync(sisters.Id);
        Assert.Equal((0, (DateTimeOffset?)null), (sistersRow.UrgeCount, sistersRow.UrgedAt));
        Assert.Equal(0, (await ReadAsync(closed.Id)).UrgeCount);
    }

    [SkippableFact]
    public async Task A_handover_moves_the_leaving_guides_members_and_pending_tasks_to_the_successor_and_records_it()
    {
        var team = await TeamAsync();
        var successorStore = await Api.CreateStoreAsync();
        var successor = await Api.CreateGuideAsync(successorStore.Id);
        var plan = await PlanAsync();
        var hq = await Api.LogInAdminAsync();
        var admin = Api.Client(hq.Token);
        var (first, second, notBound) = (await MemberAsync(), await MemberAsync(), await MemberAsync());
        await Api.BindMemberAsync(first, team.Guide);
        await Api.BindMemberAsync(second, team.Guide);
        await Api.BindMemberAsync(notBound, team.Other);
        var firstTask = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2), first);
        var secondTask = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2), second);
        var otherTask = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2), notBound);
        var done = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2), first, t => t.Status = CareTaskStatus.Completed);

        var response = await admin.PostAsJsonAsync($"/api/admin/guides/{team.Guide.Id}/handover", new { successorId = successor.Id });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((2, 3, $"hq:{hq.Id}"), (body.GetProperty("members").GetInt32(), body.GetProperty("tasks").GetInt32(), body.GetProperty("actor").GetString()));

        var members = await Api.DbAsync(db => db.Members.AsNoTracking().Where(m => m.Id == first || m.Id == second || m.Id == notBound).ToListAsync());
        Assert.All(members.Where(m => m.Id != notBound), m => Assert.Equal((successor.Id, (Guid?)successorStore.Id), (m.ExclusiveGuideId, m.StoreId)));
        Assert.Equal(team.Other.Id, members.Single(m => m.Id == notBound).ExclusiveGuideId);
        var changes = await Api.DbAsync(db => db.MemberGuideChanges.AsNoTracking().Where(c => c.FromGuideId == team.Guide.Id).ToListAsync());
        Assert.Equal([first, second], changes.Select(c => c.MemberId).Order());
        Assert.All(changes, c => Assert.Equal((successor.Id, successorStore.Id, Guide.Domain.Members.GuideBindingCause.Hq, $"hq:{hq.Id}"),
            (c.ToGuideId, c.ToStoreId, c.Cause, c.Actor)));
        foreach (var id in new[] { firstTask.Id, secondTask.Id })
            Assert.Equal((successor.Id, (Guid?)successorStore.Id), ((await ReadAsync(id)).GuideId, (await ReadAsync(id)).StoreId));
        Assert.Equal((successor.Id, (Guid?)team.Store.Id), ((await ReadAsync(otherTask.Id)).GuideId, (await ReadAsync(otherTask.Id)).StoreId));
        Assert.Equal(team.Guide.Id, (await ReadAsync(done.Id)).GuideId);
        var record = await Api.DbAsync(db => db.GuideHandovers.AsNoTracking().SingleAsync(h => h.FromGuideId == team.Guide.Id));
        Assert.Equal((successor.Id, 2, 3, $"hq:{hq.Id}"), (record.ToGuideId, record.Members, record.Tasks, record.Actor));
        // The successor now sees the tasks as their own.
        var successorList = await IdsAsync(await Api.Client((await Api.LogInGuideAsync(successor)).Token).GetAsync("/api/guide/care-tasks"));
        Assert.Equal(3, successorList.Count);

        // Refusals: to oneself, unknown guides, an inactive successor; nothing moves.
        var inactive = await Api.CreateGuideAsync(team.Store.Id, active: false);
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/admin/guides/{team.Other.Id}/handover", new { successorId = team.Other.Id }), HttpStatusCode.Conflict, "guide.handover_to_self");
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/admin/guides/{team.Other.Id}/handover", new { successorId = Guid.NewGuid() }), HttpStatusCode.NotFound, "guide.not_found");
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/admin/guides/{Guid.NewGuid()}/handover", new { successorId = successor.Id }), HttpStatusCode.NotFound, "guide.not_found");
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/admin/guides/{team.Other.Id}/handover", new { successorId = inactive.Id }), HttpStatusCode.Conflict, "guide.successor_inactive");
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/admin/guides/{team.Other.Id}/handover", new { }), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(team.Other.Id, await Api.DbAsync(db => db.Members.Where(m => m.Id == notBound).Select(m => m.ExclusiveGuideId).SingleAsync()));
        Assert.False(await Api.DbAsync(db => db.GuideHandovers.AnyAsync(h => h.FromGuideId == team.Other.Id)));
    }

    [SkippableFact]
    public async Task HQ_sets_a_stores_default_guide_only_to_an_active_guide_of_that_store()
    {
        var team = await TeamAsync();
        var elsewhere = await TeamAsync();
        var inactive = await Api.CreateGuideAsync(team.Store.Id, active: false);
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);
        Task<Guid?> DefaultAsync() => Api.DbAsync(db => db.Stores.Where(s => s.Id == team.Store.Id).Select(s => s.DefaultGuideId).SingleAsync());
        var url = $"/api/admin/stores/{team.Store.Id}/default-guide";

        var set = await admin.PutAsJsonAsync(url, new { guideId = team.Guide.Id });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(team.Guide.Id, (await set.JsonAsync()).GetProperty("defaultGuideId").GetGuid());
        Assert.Equal(team.Guide.Id, await DefaultAsync());
        await AssertProblemAsync(await admin.PutAsJsonAsync(url, new { guideId = elsewhere.Guide.Id }), HttpStatusCode.Conflict, "store.default_guide_not_in_store");
        await AssertProblemAsync(await admin.PutAsJsonAsync(url, new { guideId = inactive.Id }), HttpStatusCode.Conflict, "store.default_guide_not_in_store");
        await AssertProblemAsync(await admin.PutAsJsonAsync(url, new { guideId = Guid.NewGuid() }), HttpStatusCode.NotFound, "guide.not_found");
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/admin/stores/{Guid.NewGuid()}/default-guide", new { guideId = team.Guide.Id }), HttpStatusCode.NotFound, "store.not_found");
        Assert.Equal(team.Guide.Id, await DefaultAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(url, new { guideId = (Guid?)null })).StatusCode);
        Assert.Null(await DefaultAsync());
    }

    [SkippableFact]
    public async Task Every_route_refuses_other_audiences_and_anonymous_callers()
    {
        var team = await TeamAsync();
        var plan = await PlanAsync();
        var task = await TaskAsync(plan, team.Guide.Id, team.Store.Id, DayStart(2));
        var shopper = (await Api.LogInMemberAsync()).Token;
        var hq = (await Api.LogInAdminAsync()).Token;
        var guide = (await Api.LogInGuideAsync(team.Manager)).Token;
        var guideRoutes = new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/api/guide/care-tasks", null), (HttpMethod.Get, "/api/guide/team/care-tasks", null),
            (HttpMethod.Post, $"/api/guide/care-tasks/{task.Id}/complete", Complete()), (HttpMethod.Post, $"/api/guide/care-tasks/{task.Id}/abandon", new { reason = "x" }),
            (HttpMethod.Post, $"/api/guide/care-tasks/{task.Id}/urge", null),
        };
        var hqRoutes = new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Post, $"/api/admin/guides/{team.Guide.Id}/handover", new { successorId = team.Other.Id }),
            (HttpMethod.Put, $"/api/admin/stores/{team.Store.Id}/default-guide", new { guideId = team.Guide.Id }),
        };
        async Task<HttpResponseMessage> SendAsync(string? token, (HttpMethod Method, string Url, object? Body) route)
        {
            var client = token is null ? Api.Client() : Api.Client(token);
            var request = new HttpRequestMessage(route.Method, route.Url) { Content = route.Body is null ? null : JsonContent.Create(route.Body) };
            return await client.SendAsync(request);
        }
        foreach (var route in guideRoutes)
        {
            await AssertProblemAsync(await SendAsync(null, route), HttpStatusCode.Unauthorized, "auth.unauthenticated");
            await AssertProblemAsync(await SendAsync(shopper, route), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await SendAsync(hq, route), HttpStatusCode.Unauthorized, "auth.invalid_token");
        }
        foreach (var route in hqRoutes)
        {
            await AssertProblemAsync(await SendAsync(null, route), HttpStatusCode.Unauthorized, "auth.unauthenticated");
            await AssertProblemAsync(await SendAsync(shopper, route), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await SendAsync(guide, route), HttpStatusCode.Unauthorized, "auth.invalid_token");
        }
        var row = await ReadAsync(task.Id);
        Assert.Equal((CareTaskStatus.Pending, 0, team.Guide.Id), (row.Status, row.UrgeCount, row.GuideId));
        Assert.Null(await Api.DbAsync(db => db.Stores.Where(s => s.Id == team.Store.Id).Select(s => s.DefaultGuideId).SingleAsync()));
    }
}

public sealed class CareTaskTestsOnSqlite(SqliteApi fixture) : CareTaskTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CareTaskTestsOnMySql(MySqlApi fixture) : CareTaskTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
