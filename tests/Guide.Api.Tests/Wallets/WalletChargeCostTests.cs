using System.Diagnostics;
using System.Net;
using Guide.Api.Tests.Support;

namespace Guide.Api.Tests.Wallets;

/// <summary>
/// What one charge costs the database (issue 14 asked for at most 5 round trips and one commit): 3 round trips
/// (the lock-and-load batch, which starts the transaction, the write batch, COMMIT) on one pooled connection.
/// Counted from MySqlConnector's own tracing (an Activity per command executed, per commit, per connection
/// opened), filtered to this fixture's database. MySqlConnector's own BeginTransaction (the policy's fallback)
/// emits no activity, only its Commit does: a Commit activity adds that BEGIN's round trip to the count.
/// </summary>
public sealed class WalletChargeCostTests(MySqlApi fixture) : ApiTest<MySqlApi>(fixture), IClassFixture<MySqlApi>
{
    [SkippableFact]
    public async Task A_charge_takes_one_connection_one_commit_and_three_round_trips()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000, 1_000);
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        // Warm: the client is cached, the settings are read, the first charge opened the wallet's pages.
        Assert.Equal(HttpStatusCode.OK, (await pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("W"), amount = 1, memberId = member.Id })).StatusCode);

        var byMemberId = await CountAsync(() => pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("POS"), amount = 100, memberId = member.Id }));
        Assert.Equal(1, byMemberId.Commits);
        Assert.Equal(1, byMemberId.Opens);
        Assert.True(byMemberId.RoundTrips == 3, $"{byMemberId.RoundTrips} round trips: {string.Join(" | ", byMemberId.Statements)}");

        var code = (await (await Api.Client(member.Token).GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString()!;
        var byCode = await CountAsync(() => pos.ChargeAsync(new { documentNumber = ApiFixture.Unique("POS"), amount = 100, paymentCode = code }));
        Assert.Equal(1, byCode.Commits);
        Assert.Equal(1, byCode.Opens);
        Assert.True(byCode.RoundTrips == 3, $"{byCode.RoundTrips} round trips: {string.Join(" | ", byCode.Statements)}");
        // 10000/1000, then 1 fen (gift 1·1000/11000 = 0.09 → 0), 100 (100·1000/10999 = 9.09 → 9), 100 (100·991/10899 = 9.09 → 9).
        Assert.Equal((9_817L, 982L), await BalanceAfterAsync(member.Id));
    }

    private async Task<(long Principal, long Gift)> BalanceAfterAsync(Guid memberId)
    {
        await Api.AssertWalletConsistentAsync(memberId);
        return await Api.BalanceAsync(memberId);
    }

    private sealed record Cost(int Executes, int CommitCalls, int Opens, IReadOnlyList<string> Statements)
    {
        /// <summary>COMMIT sent as a statement or through MySqlConnector's Commit.</summary>
        public int Commits => CommitCalls + Statements.Count(s => s == "Execute: COMMIT");

        /// <summary>Commands and commits each one round trip, plus MySqlConnector's BEGIN when its Commit was used.</summary>
        public int RoundTrips => Executes + CommitCalls + (CommitCalls > 0 ? 1 : 0);
    }

    private async Task<Cost> CountAsync(Func<Task<HttpResponseMessage>> request)
    {
        var database = new MySqlConnector.MySqlConnectionStringBuilder(Api.ConnectionString).Database;
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "MySqlConnector",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.name") as string != database) return;
                lock (seen) seen.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var response = await request();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (seen)
        {
            return new Cost(seen.Count(a => a.OperationName == "Execute"), seen.Count(a => a.OperationName == "Commit"),
                seen.Count(a => a.OperationName == "Open"),
                seen.Select(a => a.OperationName + ": " + (a.GetTagItem("db.statement") as string ?? "")[..Math.Min(60, (a.GetTagItem("db.statement") as string ?? "").Length)]).ToList());
        }
    }
}
