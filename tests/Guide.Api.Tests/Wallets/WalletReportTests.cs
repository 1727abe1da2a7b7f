using System.Net;
using System.Text.Json;
using Guide.Api.Tests.Support;

namespace Guide.Api.Tests.Wallets;

/// <summary>
/// HQ's liability report against numbers worked out by hand from the scenario, not recomputed from the
/// database. The fixture's database belongs to this class alone (outstanding sums every wallet in it) and its
/// host runs on a fake clock, so that entries land at chosen times either side of midnight in Shanghai (its
/// tokens come from <see cref="RealClockTokens"/>: JwtBearer checks lifetimes on the system clock).
/// </summary>
public abstract class WalletReportTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static async Task<JsonElement> ReportAsync(HttpClient hq, string query = "")
    {
        var response = await hq.GetAsync("/api/admin/reports/wallet-liability" + (query.Length > 0 ? "?" + query : ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Each row as "date store kind entries principal gift" (store "-" when there is none).</summary>
    private static string[] Rows(JsonElement report) =>
        report.GetProperty("days").EnumerateArray().Select(d =>
            $"{d.GetProperty("date").GetString()} {d.GetProperty("storeCode").GetString() ?? "-"} {d.GetProperty("kind").GetString()} " +
            $"{d.GetProperty("entries").GetInt32()} {d.GetProperty("principal").GetInt64()} {d.GetProperty("gift").GetInt64()}").ToArray();

    [SkippableFact]
    public async Task Outstanding_is_what_was_credited_minus_what_was_spent_and_movements_fall_on_shanghai_days()
    {
        var api = Api;
        var clock = api.Time;
        var store = await api.CreateStoreAsync();
        var member = await api.LogInMemberAsync();
        var pos = api.IntegrationClient(await api.CreateIntegrationClientAsync(), () => clock.GetUtcNow());

        // 23:59 on 14 March in Shanghai (15:59 UTC): HQ credits 100.00 principal and 10.00 gift.
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 14, 23, 59, 0, Shanghai));
        await api.CreditAsync(member.Id, 10_000, 1_000);

        // 00:01 on 15 March in Shanghai (16:01 UTC: still 14 March in UTC), the till charges 22.00 at the store.
        // Proportional split: gift 2200 * 1000 / 11000 = 200, principal 2200 - 200 = 2000.
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 15, 0, 1, 0, Shanghai));
        var charge = await pos.ChargeAsync(new { documentNumber = "POS-0315-0001", amount = 2_200, memberId = member.Id, storeCode = store.Code });
        Assert.Equal(HttpStatusCode.OK, charge.StatusCode);

        var hq = api.Client(await api.AdminTokenAsync());
        var both = await ReportAsync(hq, "from=2026-03-14&to=2026-03-15");
        var outstanding = both.GetProperty("outstanding");
        Assert.Equal(8_000, outstanding.GetProperty("principal").GetInt64());   // 10000 - 2000
        Assert.Equal(800, outstanding.GetProperty("gift").GetInt64());          // 1000 - 200
        Assert.Equal(1, outstanding.GetProperty("wallets").GetInt32());
        Assert.Equal("2026-03-14", both.GetProperty("from").GetString());
        Assert.Equal("2026-03-15", both.GetProperty("to").GetString());
        Assert.Equal(["2026-03-14 - adjustment 1 10000 1000", $"2026-03-15 {store.Code} charge 1 -2000 -200"], Rows(both));

        // One brand day at a time: the two entries, two minutes apart, are on different days.
        Assert.Equal(["2026-03-14 - adjustment 1 10000 1000"], Rows(await ReportAsync(hq, "from=2026-03-14&to=2026-03-14")));
        Assert.Equal([$"2026-03-15 {store.Code} charge 1 -2000 -200"], Rows(await ReportAsync(hq, "from=2026-03-15&to=2026-03-15")));
        Assert.Empty(Rows(await ReportAsync(hq, "from=2026-03-13&to=2026-03-13")));

        // No dates: today in Shanghai, which the clock says is 15 March (while UTC still says 14 March).
        var today = await ReportAsync(hq);
        Assert.Equal("2026-03-15", today.GetProperty("from").GetString());
        Assert.Equal([$"2026-03-15 {store.Code} charge 1 -2000 -200"], Rows(today));
    }

    [SkippableFact]
    public async Task Bad_ranges_and_other_audiences_are_refused()
    {
        var hq = Api.Client(await Api.AdminTokenAsync());
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=2026-03-01&to=2026-01-01"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=2026-01-01&to=2026-12-01"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?to=9999-12-31"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=0001-01-01&to=0001-01-01"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=yesterday"), HttpStatusCode.BadRequest, "request.malformed");
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(Api.MemberToken(member.Id)).GetAsync("/api/admin/reports/wallet-liability"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await Api.Client().GetAsync("/api/admin/reports/wallet-liability"), HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }
}

public sealed class WalletReportTestsOnSqlite(FakeClockSqliteApi fixture) : WalletReportTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class WalletReportTestsOnMySql(FakeClockMySqlApi fixture) : WalletReportTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;
