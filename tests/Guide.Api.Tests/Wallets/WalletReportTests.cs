using System.Net;
using Guide.Api.Tests.Support;

namespace Guide.Api.Tests.Wallets;

/// <summary>HQ's liability report adds up with the wallets and the ledger.</summary>
public abstract class WalletReportTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    [SkippableFact]
    public async Task The_liability_report_states_what_is_outstanding_and_the_day_s_movements_by_store()
    {
        var store = await Api.CreateStoreAsync();
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000, 1_000);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        (await pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("POS"), amount = 2_200, memberId = member.Id, storeCode = store.Code })).EnsureSuccessStatusCode();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);

        var report = await (await hq.GetAsync("/api/admin/reports/wallet-liability")).JsonAsync();
        var outstanding = report.GetProperty("outstanding");
        var (principal, gift) = await Api.DbAsync(async db => (db.Wallets.Sum(w => w.Principal), db.Wallets.Sum(w => w.Gift)));
        Assert.Equal(principal, outstanding.GetProperty("principal").GetInt64());
        Assert.Equal(gift, outstanding.GetProperty("gift").GetInt64());
        var spent = Assert.Single(report.GetProperty("days").EnumerateArray(), d => d.GetProperty("storeCode").GetString() == store.Code);
        Assert.Equal("charge", spent.GetProperty("kind").GetString());
        Assert.Equal(-2_000, spent.GetProperty("principal").GetInt64());
        Assert.Equal(-200, spent.GetProperty("gift").GetInt64());

        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=2026-03-01&to=2026-01-01"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=2026-01-01&to=2026-12-01"), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.GetAsync("/api/admin/reports/wallet-liability?from=yesterday"), HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await Api.Client(member.Token).GetAsync("/api/admin/reports/wallet-liability"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await Api.Client().GetAsync("/api/admin/reports/wallet-liability"), HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }
}

public sealed class WalletReportTestsOnSqlite(SqliteApi fixture) : WalletReportTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class WalletReportTestsOnMySql(MySqlApi fixture) : WalletReportTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
