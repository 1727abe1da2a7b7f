using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Common;
using Guide.Domain.Levels;
using Microsoft.EntityFrameworkCore;
using static Guide.Api.Tests.Levels.LevelScenario;

namespace Guide.Api.Tests.Levels;

/// <summary>
/// Every member's level re-evaluated when HQ changes the rules (thresholds, levels, the basis), and under trailing
/// 12 months when time alone moves purchases out of the window: by the re-evaluation job, in pages, resumable, and
/// recording each change once. The fixture's database belongs to this class and its fake clock only moves forward;
/// each test starts from the scenario's levels on lifetime basis, settled by the job.
/// </summary>
public abstract class MemberLevelReevaluationTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private async Task<HttpClient> ScenarioAsync()
    {
        var hq = await Api.HqAsync();
        var existing = await Api.DbAsync(db => db.MemberLevels.Where(l => l.Rank <= 3).ToDictionaryAsync(l => l.Rank, l => l.Threshold));
        foreach (var (rank, name, threshold, multiplier) in ScenarioLevels)
        {
            if (!existing.TryGetValue(rank, out var current))
                Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/admin/member-levels",
                    new { rank, name, threshold, pointsMultiplier = multiplier })).StatusCode);
            else if (current != threshold) await Api.SetThresholdAsync(hq, rank, threshold);
        }
        await hq.SetBasisAsync("lifetime");
        await Api.ReevaluateLevelsAsync(); // members of earlier tests follow the reset rules
        return hq;
    }

    private Task<int> RulesVersionAsync() =>
        Api.DbAsync(db => db.MemberLevelSettings.Select(s => s.RulesVersion).SingleAsync());

    private DateOnly BrandToday => new BrandClock(Api.Time, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Today;

    private async Task<Guid> MemberWithSaleAsync(HttpClient pos, long paid, DateTimeOffset at, List<string>? sales = null)
    {
        var member = await Api.LogInMemberAsync();
        var number = ApiFixture.Unique("SO");
        await pos.PostAsync(Sale(number, member.Id, paid, at));
        sales?.Add(number);
        return member.Id;
    }

    [SkippableFact]
    public async Task Raising_a_threshold_drops_members_below_it_and_lowering_it_raises_them_once_the_job_ran()
    {
        var hq = await ScenarioAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var now = Api.Time.GetUtcNow();
        var sales = new List<string>();
        var a = await MemberWithSaleAsync(pos, 600_000, now.AddMinutes(-10), sales);   // ¥6,000: 金卡
        var b = await MemberWithSaleAsync(pos, 400_000, now.AddMinutes(-10), sales);   // ¥4,000: 银卡

        await Api.SetThresholdAsync(hq, 2, 800_000);                                    // 金卡 from ¥8,000
        var raised = await RulesVersionAsync();
        Assert.Equal(2, await Api.RankAsync(a));                                        // HQ's answer does not wait for every member
        Assert.True((await hq.ReevaluationStatusAsync()).GetProperty("pending").GetBoolean());
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(1, await Api.RankAsync(a));
        Assert.Equal(1, await Api.RankAsync(b));
        var status = await hq.ReevaluationStatusAsync();
        Assert.False(status.GetProperty("pending").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, status.GetProperty("doneAt").ValueKind);
        Assert.Equal(await Api.DbAsync(db => db.Members.CountAsync()), status.GetProperty("members").GetInt32());

        await Api.SetThresholdAsync(hq, 2, 300_000);                                    // 金卡 from ¥3,000
        var lowered = await RulesVersionAsync();
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(2, await Api.RankAsync(a));
        Assert.Equal(2, await Api.RankAsync(b));

        Assert.Equal([$"0>2 document {sales[0]}", $"2>1 hq_change rules v{raised}", $"1>2 hq_change rules v{lowered}"], await hq.ChangesAsync(a));
        Assert.Equal([$"0>1 document {sales[1]}", $"1>2 hq_change rules v{lowered}"], await hq.ChangesAsync(b));

        // Nothing due: the job does nothing. A whole second pass over the same rules (a second instance, a cursor
        // lost in a crash) finds every level right and records nothing.
        Assert.Equal("no re-evaluation due", await Api.ReevaluateLevelsAsync());
        await Api.DbAsync(db => db.MemberLevelSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.RulesVersion, x => x.RulesVersion + 1)));
        Assert.EndsWith(", 0 level(s) changed", await Api.ReevaluateLevelsAsync());
        Assert.Equal(3, (await hq.ChangesAsync(a)).Length);
        Assert.Equal(2, (await hq.ChangesAsync(b)).Length);
    }

    [SkippableFact]
    public async Task A_name_or_multiplier_change_decides_no_level_and_starts_no_pass()
    {
        var hq = await ScenarioAsync();
        var before = await RulesVersionAsync();
        var id = await Api.DbAsync(db => db.MemberLevels.Where(l => l.Rank == 2).Select(l => l.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/admin/member-levels/{id}",
            new { rank = 2, name = "金卡", threshold = Gold, pointsMultiplier = "1.3" })).StatusCode);
        await hq.SetBasisAsync("lifetime"); // the basis it has
        Assert.Equal(before, await RulesVersionAsync());
        Assert.False((await hq.ReevaluationStatusAsync()).GetProperty("pending").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/admin/member-levels/{id}",
            new { rank = 2, name = "金卡", threshold = Gold, pointsMultiplier = "1.2" })).StatusCode);
    }

    [SkippableFact]
    public async Task A_new_level_raises_the_members_reaching_it_and_archiving_it_lowers_them_again()
    {
        var hq = await ScenarioAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var sales = new List<string>();
        var member = await MemberWithSaleAsync(pos, 3_000_000, Api.Time.GetUtcNow().AddMinutes(-5), sales);   // ¥30,000: 钻石卡
        Assert.Equal(3, await Api.RankAsync(member));

        var created = await hq.PostAsJsonAsync("/api/admin/member-levels", new { rank = 4, name = "黑金卡", threshold = 3_000_000, pointsMultiplier = "2.0" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var added = await RulesVersionAsync();
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(4, await Api.RankAsync(member));

        // Held, so archived (not deleted): no longer reached by threshold, its holders fall to what they reach.
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await hq.DeleteAsync($"/api/admin/member-levels/{id}")).StatusCode);
        var archived = await RulesVersionAsync();
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(3, await Api.RankAsync(member));
        Assert.Equal([$"0>3 document {sales[0]}", $"3>4 hq_change rules v{added}", $"4>3 hq_change rules v{archived}"], await hq.ChangesAsync(member));
    }

    [SkippableFact]
    public async Task Switching_to_trailing_twelve_months_drops_a_member_whose_purchases_are_older()
    {
        var hq = await ScenarioAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var now = Api.Time.GetUtcNow();
        var sales = new List<string>();
        var old = await MemberWithSaleAsync(pos, 600_000, now.AddMonths(-13), sales);      // ¥6,000 thirteen months ago: 金卡 for life
        var recent = await MemberWithSaleAsync(pos, 600_000, now.AddMonths(-1), sales);    // ¥6,000 last month: 金卡 either way
        Assert.Equal(2, await Api.RankAsync(old));

        await hq.SetBasisAsync("trailing_12_months");
        var switched = await RulesVersionAsync();
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(0, await Api.RankAsync(old));
        Assert.Equal(2, await Api.RankAsync(recent));
        Assert.Equal([$"0>2 document {sales[0]}", $"2>0 hq_change rules v{switched}"], await hq.ChangesAsync(old));
        Assert.Equal([$"0>2 document {sales[1]}"], await hq.ChangesAsync(recent));
    }

    [SkippableFact]
    public async Task Under_trailing_twelve_months_time_alone_drops_members_by_the_daily_pass()
    {
        var hq = await ScenarioAsync();
        await hq.SetBasisAsync("trailing_12_months");
        await Api.ReevaluateLevelsAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var start = Api.Time.GetUtcNow();
        var sales = new List<string>();
        var gone = await MemberWithSaleAsync(pos, 600_000, start.AddMinutes(-5), sales);   // ¥6,000 today: 金卡
        var kept = await MemberWithSaleAsync(pos, 600_000, start.AddMinutes(-5), sales);   // the same, and ¥1,200 seven months on
        Assert.Equal(2, await Api.RankAsync(gone));

        Api.Time.SetUtcNow(start.AddMonths(7));
        var later = ApiFixture.Unique("SO");
        await pos.PostAsync(Sale(later, kept, 120_000, Api.Time.GetUtcNow().AddMinutes(-5)));
        Assert.EndsWith(", 0 level(s) changed", await Api.ReevaluateLevelsAsync());         // a new day: the pass runs, everything is still inside

        // Thirteen months on, the first sales have left the window: 金卡 lapses for one, 银卡 remains for the other.
        Api.Time.SetUtcNow(start.AddMonths(13));
        var window = $"window {BrandToday:yyyy-MM-dd}";
        Assert.Equal(2, await Api.RankAsync(gone));                                         // nothing arrived: only the job lowers it
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(0, await Api.RankAsync(gone));
        Assert.Equal(1, await Api.RankAsync(kept));
        Assert.Equal([$"0>2 document {sales[0]}", $"2>0 trailing_window {window}"], await hq.ChangesAsync(gone));
        Assert.Equal([$"0>2 document {sales[1]}", $"2>1 trailing_window {window}"], await hq.ChangesAsync(kept));

        // Once per brand day; the next day's pass records nothing new.
        Assert.Equal("no re-evaluation due", await Api.ReevaluateLevelsAsync());
        Api.Time.SetUtcNow(start.AddMonths(13).AddDays(1));
        Assert.EndsWith(", 0 level(s) changed", await Api.ReevaluateLevelsAsync());
        Assert.Equal(2, (await hq.ChangesAsync(gone)).Length);
        Assert.Equal(2, (await hq.ChangesAsync(kept)).Length);
    }

    [SkippableFact]
    public async Task Under_lifetime_nothing_drops_by_time_alone()
    {
        await ScenarioAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var member = await MemberWithSaleAsync(pos, 600_000, Api.Time.GetUtcNow().AddMinutes(-5));
        Api.Time.SetUtcNow(Api.Time.GetUtcNow().AddMonths(13));
        Assert.Equal("no re-evaluation due", await Api.ReevaluateLevelsAsync());
        await Api.SendAsync(new ExpireLevelGrants());
        Assert.Equal(2, await Api.RankAsync(member));
    }

    [SkippableFact]
    public async Task A_level_granted_by_a_recharge_package_still_holds_after_a_rules_change()
    {
        var hq = await ScenarioAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var sales = new List<string>();
        var granted = await MemberWithSaleAsync(pos, 600_000, Api.Time.GetUtcNow().AddMinutes(-5), sales);   // 金卡 by threshold
        var (_, diamond) = await Api.PaidRechargeAsync(granted, level: 3, months: 12);                      // 钻石卡 for 12 months
        var both = (await Api.LogInMemberAsync()).Id;
        var (_, silver) = await Api.PaidRechargeAsync(both, level: 1, months: null);                        // 银卡 for good
        var sale = ApiFixture.Unique("SO");
        await pos.PostAsync(Sale(sale, both, 600_000, Api.Time.GetUtcNow().AddMinutes(-1)));                // and 金卡 by threshold
        Assert.Equal(3, await Api.RankAsync(granted));
        Assert.Equal(2, await Api.RankAsync(both));

        await Api.SetThresholdAsync(hq, 2, 800_000);   // 金卡 from ¥8,000: neither reaches it by threshold now
        var raised = await RulesVersionAsync();
        await Api.ReevaluateLevelsAsync();
        Assert.Equal(3, await Api.RankAsync(granted)); // the grant is higher than any threshold
        Assert.Equal(1, await Api.RankAsync(both));    // max(threshold: 银卡, grant: 银卡), not none
        Assert.Equal([$"0>2 document {sales[0]}", $"2>3 recharge {diamond}"], await hq.ChangesAsync(granted));
        Assert.Equal([$"0>1 recharge {silver}", $"1>2 document {sale}", $"2>1 hq_change rules v{raised}"], await hq.ChangesAsync(both));
    }

    [SkippableFact]
    public async Task A_pass_interrupted_between_pages_goes_on_from_its_cursor_and_two_runners_record_each_change_once()
    {
        var hq = await ScenarioAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var members = new List<Guid>();
        for (var i = 0; i < 12; i++) members.Add(await MemberWithSaleAsync(pos, 600_000, Api.Time.GetUtcNow().AddMinutes(-5)));

        await Api.SetThresholdAsync(hq, 2, 800_000);
        var raised = await RulesVersionAsync();
        // One page of three, then the process "dies": the position is in the database.
        var first = await Api.SendAsync(new ReevaluateMemberLevelsPage(3));
        Assert.False(first.Done);
        Assert.Equal(3, first.Members);
        var state = await Api.DbAsync(db => db.MemberLevelSettings.AsNoTracking().SingleAsync());
        Assert.True(state.ReevaluationRunning);
        Assert.Equal(3, state.ReevaluatedMembers);
        Assert.NotNull(state.ReevaluationCursor);
        Assert.True((await hq.ReevaluationStatusAsync()).GetProperty("pending").GetBoolean());

        // Two runners (two instances) finish it between them, page by page.
        await Task.WhenAll(Api.InScopeAsync(sp => sp.GetRequiredService<MemberLevelReevaluationRun>().RunAsync(2, default)),
            Api.InScopeAsync(sp => sp.GetRequiredService<MemberLevelReevaluationRun>().RunAsync(2, default)));
        var total = await Api.DbAsync(db => db.Members.CountAsync());
        Assert.Equal(total, await Api.DbAsync(db => db.MemberLevelSettings.Select(s => s.ReevaluatedMembers).SingleAsync()));
        foreach (var member in members) Assert.Equal(1, await Api.RankAsync(member));
        var recorded = await Api.DbAsync(db => db.MemberLevelChanges.Where(c => members.Contains(c.MemberId) && c.Cause == LevelChangeCause.HqChange)
            .Select(c => new { c.MemberId, c.Reference }).ToListAsync());
        Assert.Equal(members.Order(), recorded.Select(c => c.MemberId).Order());
        Assert.All(recorded, c => Assert.Equal($"rules v{raised}", c.Reference));
    }
}

public sealed class MemberLevelReevaluationTestsOnSqlite(FakeClockSqliteApi fixture)
    : MemberLevelReevaluationTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class MemberLevelReevaluationTestsOnMySql(FakeClockMySqlApi fixture)
    : MemberLevelReevaluationTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;
