using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Common;
using Guide.Domain.Integration;
using Guide.Domain.Levels;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Levels;

/// <summary>
/// Test data of the level suites: the scenario's levels (银卡 rank 1 from ¥1,000 x1.0, 金卡 rank 2 from ¥5,000 x1.2,
/// 钻石卡 rank 3 from ¥20,000 x1.5), documents as a POS sends them, paid recharges, and a member's recorded changes.
/// </summary>
public static class LevelScenario
{
    public const long Silver = 100_000, Gold = 500_000, Diamond = 2_000_000;

    public static readonly (int Rank, string Name, long Threshold, string Multiplier)[] ScenarioLevels =
        [(1, "银卡", Silver, "1.0"), (2, "金卡", Gold, "1.2"), (3, "钻石卡", Diamond, "1.5")];

    public static async Task<HttpClient> HqAsync(this ApiFixture api) => api.Client(await api.AdminTokenAsync());

    public static async Task SetBasisAsync(this HttpClient hq, string basis) =>
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/admin/member-levels/settings", new { basis })).StatusCode);

    /// <summary>Sets a level of the scenario (by rank) to <paramref name="threshold"/>, keeping its name and multiplier.</summary>
    public static async Task SetThresholdAsync(this ApiFixture api, HttpClient hq, int rank, long threshold)
    {
        var id = await api.DbAsync(db => db.MemberLevels.Where(l => l.Rank == rank).Select(l => l.Id).SingleAsync());
        var (_, name, _, multiplier) = ScenarioLevels.Single(l => l.Rank == rank);
        var response = await hq.PutAsJsonAsync($"/api/admin/member-levels/{id}", new { rank, name, threshold, pointsMultiplier = multiplier });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static HttpClient Pos<TFixture>(this TFixture api, IntegrationClientCredentials credentials) where TFixture : ApiFixture, IFakeClockFixture =>
        api.IntegrationClient(credentials, () => api.Time.GetUtcNow());

    public static object Sale(string number, Guid memberId, long paid, DateTimeOffset at) => new
    {
        documentNumber = number, kind = "sale", memberId, documentTime = at,
        lines = new object[] { new { lineNo = 1, sku = "SKU-COAT", product = "羊毛大衣", quantity = 1, unitPrice = paid, paidAmount = paid } },
        payments = new object[] { new { method = "wechat_pay", amount = paid } },
    };

    public static object Refund(string number, string original, long paid, DateTimeOffset at) => new
    {
        documentNumber = number, kind = "refund", originalDocumentNumber = original, documentTime = at,
        lines = new object[] { new { lineNo = 1, originalLineNo = 1, quantity = 1, paidAmount = paid } },
        payments = new object[] { new { method = "wechat_pay", amount = paid } },
    };

    public static async Task PostAsync(this HttpClient pos, object document)
    {
        var response = await pos.PostAsJsonAsync("/api/integration/documents", document);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static Task<int> RankAsync(this ApiFixture api, Guid memberId) =>
        api.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.Level).SingleAsync());

    /// <summary>The member's changes, oldest first, as "from>to cause reference".</summary>
    public static async Task<string[]> ChangesAsync(this HttpClient hq, Guid memberId)
    {
        var response = await hq.GetAsync($"/api/admin/members/{memberId}/level-changes?pageSize=100");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("items").EnumerateArray().Reverse()
            .Select(c => $"{c.GetProperty("fromRank").GetInt32()}>{c.GetProperty("toRank").GetInt32()} {c.GetProperty("cause").GetString()} {c.GetProperty("reference").GetString()}")
            .ToArray();
    }

    /// <summary>A recharge of a package granting <paramref name="level"/> for <paramref name="months"/> (null: for good), paid now.</summary>
    public static async Task<(Guid RechargeId, string OutTradeNo)> PaidRechargeAsync<TFixture>(this TFixture api, Guid memberId, int level, int? months)
        where TFixture : ApiFixture, IFakeClockFixture
    {
        var package = await api.SendAsync(new SaveRechargePackage(null, "储值即会员", 100_000, 10_000, null, level, null, null, null, months));
        // Recorded as the mini program's purchase would (the prepay call is WeChat Pay's business, tested with recharges), then paid.
        var recharge = await api.DbAsync(async db =>
        {
            var r = new Recharge(memberId, await db.RechargePackages.SingleAsync(p => p.Id == package.Id), api.Time.GetUtcNow());
            db.Recharges.Add(r);
            await db.SaveChangesAsync();
            return r;
        });
        var outTradeNo = recharge.OutTradeNo;
        Assert.Equal(SettleOutcome.Credited, await api.SendAsync(new SettleRechargePayment(
            new PayOrderState(outTradeNo, "SUCCESS", "4200" + outTradeNo[..20], 100_000, api.Time.GetUtcNow(), MatchesMerchant: true))));
        return (recharge.Id, outTradeNo);
    }

    /// <summary>The re-evaluation job's run (what <c>ReevaluateMemberLevelsJob</c> does every minute); returns its outcome.</summary>
    public static Task<string> ReevaluateLevelsAsync(this ApiFixture api) =>
        api.InScopeAsync(sp => sp.GetRequiredService<MemberLevelReevaluationRun>().RunAsync(default));

    public static async Task<JsonElement> ReevaluationStatusAsync(this HttpClient hq)
    {
        var response = await hq.GetAsync("/api/admin/member-levels/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("reevaluation");
    }
}
