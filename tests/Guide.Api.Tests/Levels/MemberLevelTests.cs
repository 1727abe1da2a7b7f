using Guide.Domain.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Levels;
using Microsoft.EntityFrameworkCore;
using static Guide.Api.Tests.Levels.LevelScenario;

namespace Guide.Api.Tests.Levels;

/// <summary>
/// Member levels end to end: thresholds on paid amounts net of refunds, the trailing-12-months window in brand
/// time, recharge-package grants that hold and expire, the highest of both, and every change with its cause.
/// The fixture's database belongs to this class (levels and the basis are brand-wide) and runs on a fake clock
/// that only moves forward, so each test works relative to "now".
/// Levels of the scenario (<see cref="LevelScenario"/>): 银卡 rank 1 from ¥1,000 (x1.0), 金卡 rank 2 from ¥5,000 (x1.2), 钻石 rank 3 from ¥20,000 (x1.5).
/// </summary>
public abstract class MemberLevelTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private async Task<HttpClient> ScenarioAsync()
    {
        var hq = await Api.HqAsync();
        if (!await Api.DbAsync(db => db.MemberLevels.AnyAsync(l => l.Rank == 1)))
        {
            foreach (var (rank, name, threshold, multiplier) in ScenarioLevels)
                Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/admin/member-levels",
                    new { rank, name, threshold, pointsMultiplier = multiplier })).StatusCode);
        }
        await hq.SetBasisAsync("lifetime");
        return hq;
    }

    private async Task<JsonElement> MyLevelAsync(Guid memberId)
    {
        var response = await Api.Client(Api.MemberToken(memberId)).GetAsync("/api/mp/me/level");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [SkippableFact]
    public async Task Purchase_points_are_multiplied_by_the_level_held_when_the_sale_arrives()
    {
        var hq = await ScenarioAsync();
        // 1 point per yuan paid, not frozen, never expiring: the numbers below are the level's doing alone.
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/admin/points/settings", new
        {
            expiryPolicy = "never", rollingMonths = (int?)null, pointsPer100Yuan = 100, walletPrincipalEarns = true, walletGiftEarns = false,
            returnWindowDays = 0, refundPolicy = "debt",
        })).StatusCode);
        var member = await Api.LogInMemberAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var now = Api.Time.GetUtcNow();

        await pos.PostAsync(Sale(ApiFixture.Unique("SO"), member.Id, 500_000, now.AddMinutes(-20)));  // ¥5,000 at no level (x1.0): 5,000 points, then 金卡
        Assert.Equal(2, await Api.RankAsync(member.Id));
        await pos.PostAsync(Sale(ApiFixture.Unique("SO"), member.Id, 10_000, now.AddMinutes(-10)));   // ¥100 as 金卡 (x1.2): 120 points

        var points = await (await Api.Client(Api.MemberToken(member.Id)).GetAsync("/api/mp/points")).JsonAsync();
        Assert.Equal(5_000 + 120, points.GetProperty("available").GetInt64());
    }

    [SkippableFact]
    public async Task A_sale_crossing_a_threshold_raises_the_level_and_a_refund_below_it_lowers_it()
    {
        var hq = await ScenarioAsync();
        var member = await Api.LogInMemberAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var now = Api.Time.GetUtcNow();
        var (a, b, r) = (ApiFixture.Unique("SO"), ApiFixture.Unique("SO"), ApiFixture.Unique("RF"));

        await pos.PostAsync(Sale(a, member.Id, 120_000, now.AddMinutes(-30)));   // ¥1,200: 银卡
        Assert.Equal(1, await Api.RankAsync(member.Id));
        await pos.PostAsync(Sale(b, member.Id, 400_000, now.AddMinutes(-20)));   // ¥5,200: 金卡
        Assert.Equal(2, await Api.RankAsync(member.Id));
        Assert.Equal(1.2m, await Api.InScopeAsync(sp => sp.GetRequiredService<IPointsMultiplier>().ForMemberAsync(member.Id, default)));
        await pos.PostAsync(Refund(r, b, 30_000, now.AddMinutes(-10)));          // ¥4,900: back to 银卡
        Assert.Equal(1, await Api.RankAsync(member.Id));
        await pos.PostAsync(Sale(a, member.Id, 120_000, now.AddMinutes(-30)));   // a resend changes nothing

        var level = await MyLevelAsync(member.Id);
        Assert.Equal(1, level.GetProperty("rank").GetInt32());
        Assert.Equal("银卡", level.GetProperty("name").GetString());
        Assert.Equal("1.0", level.GetProperty("pointsMultiplier").GetString());
        Assert.Equal("threshold", level.GetProperty("source").GetString());
        Assert.Equal("lifetime", level.GetProperty("basis").GetString());
        Assert.Equal(490_000, level.GetProperty("paidAmount").GetInt64());
        Assert.Equal("金卡", level.GetProperty("nextLevelName").GetString());
        Assert.Equal(10_000, level.GetProperty("amountToNextLevel").GetInt64());
        Assert.Equal([$"0>1 document {a}", $"1>2 document {b}", $"2>1 document {r}"], await hq.ChangesAsync(member.Id));
    }

    [SkippableFact]
    public async Task A_member_without_a_level_has_multiplier_one_and_sees_the_first_level_ahead()
    {
        await ScenarioAsync();
        var member = await Api.LogInMemberAsync();
        Assert.Equal(1.0m, await Api.InScopeAsync(sp => sp.GetRequiredService<IPointsMultiplier>().ForMemberAsync(member.Id, default)));
        var level = await MyLevelAsync(member.Id);
        Assert.Equal(0, level.GetProperty("rank").GetInt32());
        Assert.Equal("none", level.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, level.GetProperty("name").ValueKind);
        Assert.Equal("银卡", level.GetProperty("nextLevelName").GetString());
        Assert.Equal(Silver, level.GetProperty("amountToNextLevel").GetInt64());
    }

    [SkippableFact]
    public async Task Trailing_twelve_months_start_at_brand_midnight_a_year_ago()
    {
        var hq = await ScenarioAsync();
        await hq.SetBasisAsync("trailing_12_months");
        try
        {
            var member = await Api.LogInMemberAsync();
            var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
            var clock = new Guide.Domain.Common.BrandClock(Api.Time, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
            // E.g. today 2026-03-14 in Shanghai: the window opens 2025-03-14 00:00 +08:00 (2025-03-13 16:00 UTC).
            var opens = MemberLevels.TrailingWindowStart(clock);
            Assert.Equal(TimeSpan.Zero, clock.ToBrandTime(opens).TimeOfDay);
            Assert.Equal(clock.Today.AddMonths(-12), DateOnly.FromDateTime(clock.ToBrandTime(opens).DateTime));

            var old = ApiFixture.Unique("SO");
            await pos.PostAsync(Sale(old, member.Id, 450_000, opens.AddSeconds(-1)));     // 23:59:59 the day before: outside
            await pos.PostAsync(Sale(ApiFixture.Unique("SO"), member.Id, 100_000, opens)); // 00:00:00: inside
            Assert.Equal(1, await Api.RankAsync(member.Id));                                    // lifetime would be ¥5,500: 金卡
            var level = await MyLevelAsync(member.Id);
            Assert.Equal(100_000, level.GetProperty("paidAmount").GetInt64());
            Assert.Equal("trailing_12_months", level.GetProperty("basis").GetString());

            // A refund of the sale outside the window counts against that sale: nothing inside changes.
            await pos.PostAsync(Refund(ApiFixture.Unique("RF"), old, 450_000, Api.Time.GetUtcNow()));
            Assert.Equal(1, await Api.RankAsync(member.Id));
            Assert.Equal(100_000, (await MyLevelAsync(member.Id)).GetProperty("paidAmount").GetInt64());
        }
        finally
        {
            await hq.SetBasisAsync("lifetime");
        }
    }

    [SkippableFact]
    public async Task A_grant_holds_for_the_packages_validity_the_highest_level_wins_and_the_expiry_job_lowers_it_once()
    {
        var hq = await ScenarioAsync();
        var member = await Api.LogInMemberAsync();
        var forGood = await Api.LogInMemberAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var sale = ApiFixture.Unique("SO");
        await pos.PostAsync(Sale(sale, member.Id, 520_000, Api.Time.GetUtcNow().AddMinutes(-5)));   // 金卡 by threshold
        Assert.Equal(2, await Api.RankAsync(member.Id));

        var paidAt = Api.Time.GetUtcNow();
        var (_, twelveMonths) = await Api.PaidRechargeAsync(member.Id, level: 3, months: 12);              // 钻石卡 for 12 months
        var (_, always) = await Api.PaidRechargeAsync(forGood.Id, level: 1, months: null);                // 银卡 for good
        Assert.Equal(3, await Api.RankAsync(member.Id));
        Assert.Equal(1.5m, await Api.InScopeAsync(sp => sp.GetRequiredService<IPointsMultiplier>().ForMemberAsync(member.Id, default)));
        var level = await MyLevelAsync(member.Id);
        Assert.Equal("grant", level.GetProperty("source").GetString());
        Assert.Equal("钻石卡", level.GetProperty("name").GetString());
        Assert.Equal(paidAt.AddMonths(12), level.GetProperty("grantValidUntil").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, level.GetProperty("nextLevelName").ValueKind);
        var forGoodLevel = await MyLevelAsync(forGood.Id);
        Assert.Equal("grant", forGoodLevel.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, forGoodLevel.GetProperty("grantValidUntil").ValueKind);

        // A day before the end the grant still holds; the job changes nothing.
        Api.Time.SetUtcNow(paidAt.AddMonths(12).AddDays(-1));
        await Api.SendAsync(new ExpireLevelGrants());
        Assert.Equal(3, await Api.RankAsync(member.Id));

        // Past its end: the member falls back to what the threshold gives; the for-good grant stays.
        Api.Time.SetUtcNow(paidAt.AddMonths(12).AddMinutes(1));
        await Api.SendAsync(new ExpireLevelGrants());
        await Api.SendAsync(new ExpireLevelGrants()); // a second run (another instance, a retry) changes nothing
        Assert.Equal(2, await Api.RankAsync(member.Id));
        Assert.Equal(1, await Api.RankAsync(forGood.Id));
        Assert.Equal("threshold", (await MyLevelAsync(member.Id)).GetProperty("source").GetString());
        Assert.Equal([$"0>2 document {sale}", $"2>3 recharge {twelveMonths}", $"3>2 grant_expiry {twelveMonths}"], await hq.ChangesAsync(member.Id));
        Assert.Equal([$"0>1 recharge {always}"], await hq.ChangesAsync(forGood.Id));
    }

    [SkippableFact]
    public async Task Concurrent_documents_of_one_member_leave_the_level_their_sum_gives_with_each_crossing_recorded_once()
    {
        var hq = await ScenarioAsync();
        var member = await Api.LogInMemberAsync();
        var pos = Api.Pos(await Api.CreateIntegrationClientAsync());
        var at = Api.Time.GetUtcNow().AddMinutes(-1);
        // 24 sales of ¥250 racing: ¥6,000 in all, 金卡; each threshold crossed exactly once, whatever the order.
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
            (await pos.PostAsJsonAsync("/api/integration/documents", Sale(ApiFixture.Unique("SO"), member.Id, 25_000, at))).StatusCode));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, await Api.RankAsync(member.Id));
        var changes = await Api.DbAsync(db => db.MemberLevelChanges.Where(c => c.MemberId == member.Id)
            .Select(c => new { c.FromRank, c.ToRank }).ToListAsync());
        Assert.Equal(["0>1", "1>2"], changes.Select(c => $"{c.FromRank}>{c.ToRank}").Order().ToArray());
        Assert.Equal(600_000, (await MyLevelAsync(member.Id)).GetProperty("paidAmount").GetInt64());
    }
}

public sealed class MemberLevelTestsOnSqlite(FakeClockSqliteApi fixture) : MemberLevelTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class MemberLevelTestsOnMySql(FakeClockMySqlApi fixture) : MemberLevelTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;
