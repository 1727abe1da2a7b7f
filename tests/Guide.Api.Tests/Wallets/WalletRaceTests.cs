using System.Net;
using Guide.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Wallets;

/// <summary>
/// Concurrent HTTP requests through the whole pipeline (signature, nonce, mediator, transaction) against one
/// wallet: the ledger never over-spends, never double-applies, and always adds up.
/// </summary>
public abstract class WalletRaceTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> request)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await start.WaitAsync();
            return await request(i);
        }).ToList();
        start.Release(count);
        return await Task.WhenAll(tasks);
    }

    [SkippableFact]
    public async Task Two_hundred_concurrent_charges_of_one_yuan_against_a_hundred_yuan_wallet_give_exactly_a_hundred_successes()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 8000, 2000);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var prefix = ApiFixture.Unique("RACE");

        var statuses = await AllAtOnceAsync(200, async i =>
        {
            using var response = await pos.ChargeAsync(new { documentNumber = $"{prefix}-{i}", amount = 100, memberId = member.Id });
            if (response.StatusCode == HttpStatusCode.Conflict)
                Assert.Contains("wallet.insufficient_balance", await response.Content.ReadAsStringAsync());
            return response.StatusCode;
        });

        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal((0L, 0L), await Api.BalanceAsync(member.Id));
        Assert.Equal(100, await Api.DbAsync(db => db.WalletCharges.CountAsync(c => c.MemberId == member.Id)));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task The_same_charge_sent_twenty_times_at_once_debits_once()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var doc = ApiFixture.Unique("DUP");

        var answers = await AllAtOnceAsync(20, async _ =>
        {
            using var response = await pos.ChargeAsync(new { documentNumber = doc, amount = 1234, memberId = member.Id });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            return (Id: body.GetProperty("chargeId").GetGuid(), Replayed: body.GetProperty("replayed").GetBoolean());
        });

        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Single(answers, a => !a.Replayed);
        Assert.Equal((10_000L - 1234, 0L), await Api.BalanceAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task One_payment_code_used_by_ten_tills_at_once_pays_once()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000);
        var code = (await (await Api.Client(member.Token).GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString();
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var prefix = ApiFixture.Unique("CODE");

        var statuses = await AllAtOnceAsync(10, async i =>
        {
            using var response = await pos.ChargeAsync(new { documentNumber = $"{prefix}-{i}", amount = 100, paymentCode = code });
            return response.StatusCode;
        });

        Assert.Single(statuses, s => s == HttpStatusCode.OK);
        Assert.Equal(9, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal((9_900L, 0L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task Charges_and_their_refunds_racing_leave_a_consistent_ledger()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 5_000, 1_000);
        await Api.CreditAsync(member.Id, 3_000, 500);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var prefix = ApiFixture.Unique("CR");

        // Each pair: a charge of 300 and, at the same moment, its refund of 120 (retried while the charge is not in yet).
        var results = await AllAtOnceAsync(40, async i =>
        {
            var doc = $"{prefix}-{i / 2}";
            if (i % 2 == 0)
            {
                using var charge = await pos.ChargeAsync(new { documentNumber = doc, amount = 300, memberId = member.Id });
                Assert.Equal(HttpStatusCode.OK, charge.StatusCode);
                return 0L;
            }
            for (var attempt = 0; ; attempt++)
            {
                using var refund = await pos.RefundAsync(new { refundNumber = doc + "-R", documentNumber = doc, amount = 120 });
                if (refund.StatusCode == HttpStatusCode.OK) return 120L;
                Assert.Equal(HttpStatusCode.NotFound, refund.StatusCode);
                Assert.True(attempt < 200, "the charge never arrived");
                await Task.Delay(5);
            }
        });

        Assert.Equal(20 * 120, results.Sum());
        var (principal, gift) = await Api.BalanceAsync(member.Id);
        Assert.Equal(9_500 - 20 * 300 + 20 * 120, principal + gift);
        await Api.AssertWalletConsistentAsync(member.Id);
    }
}

public sealed class WalletRaceTestsOnSqlite(SqliteApi fixture) : WalletRaceTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class WalletRaceTestsOnMySql(MySqlApi fixture) : WalletRaceTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
