using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Wallets;

/// <summary>The wallet as its member and HQ see it, and HQ adjustments.</summary>
public abstract class WalletTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    public static TheoryData<string, string> MemberRoutes => new()
    {
        { "GET", "/api/mp/wallet" }, { "GET", "/api/mp/wallet/entries" }, { "GET", "/api/mp/wallet/payment-code" }, { "POST", "/api/mp/wallet/confirmations" },
    };

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", $"/api/admin/members/{Guid.NewGuid()}/wallet" }, { "GET", $"/api/admin/members/{Guid.NewGuid()}/wallet/entries" },
        { "POST", $"/api/admin/members/{Guid.NewGuid()}/wallet/adjustments" }, { "GET", "/api/admin/wallet/settings" }, { "PUT", "/api/admin/wallet/settings" },
    };

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonContent.Create(new { amount = 1 }) };

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_a_token_every_wallet_route_is_401(string method, string path) =>
        await AssertProblemAsync(await Api.Client().SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    public async Task An_hq_token_opens_no_member_wallet_route(string method, string path)
    {
        var hq = await Api.LogInAdminAsync();
        await AssertProblemAsync(await Api.Client(hq.Token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableTheory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_member_token_opens_no_hq_wallet_route(string method, string path)
    {
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task A_new_member_has_an_empty_wallet_and_ledger()
    {
        var member = await Api.LogInMemberAsync();
        var mp = Api.Client(member.Token);
        var wallet = await (await mp.GetAsync("/api/mp/wallet")).JsonAsync();
        Assert.Equal(0, wallet.GetProperty("principal").GetInt64());
        Assert.Equal(0, wallet.GetProperty("gift").GetInt64());
        Assert.Equal(0, wallet.GetProperty("total").GetInt64());
        var entries = await (await mp.GetAsync("/api/mp/wallet/entries")).JsonAsync();
        Assert.Equal(0, entries.GetProperty("total").GetInt32());
    }

    [SkippableFact]
    public async Task An_hq_adjustment_credits_a_lot_and_is_an_entry_the_member_and_hq_read()
    {
        var member = await Api.LogInMemberAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var response = await hq.PostWithKeyAsync($"/api/admin/members/{member.Id}/wallet/adjustments", new { principal = 10000, gift = 500, reason = "开业补偿 🎁" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(10000, body.GetProperty("balance").GetProperty("principal").GetInt64());
        Assert.Equal(500, body.GetProperty("balance").GetProperty("gift").GetInt64());

        var mp = Api.Client(member.Token);
        var wallet = await (await mp.GetAsync("/api/mp/wallet")).JsonAsync();
        Assert.Equal(10500, wallet.GetProperty("total").GetInt64());
        var entries = await (await mp.GetAsync("/api/mp/wallet/entries?page=1&pageSize=10")).JsonAsync();
        var entry = Assert.Single(entries.GetProperty("items").EnumerateArray());
        Assert.Equal("adjustment", entry.GetProperty("kind").GetString());
        Assert.Equal(10000, entry.GetProperty("principalDelta").GetInt64());
        Assert.Equal(500, entry.GetProperty("giftAfter").GetInt64());

        var hqWallet = await (await hq.GetAsync($"/api/admin/members/{member.Id}/wallet")).JsonAsync();
        var lot = Assert.Single(hqWallet.GetProperty("lots").EnumerateArray());
        Assert.Equal(10000, lot.GetProperty("principalRemaining").GetInt64());
        var hqEntries = await (await hq.GetAsync($"/api/admin/members/{member.Id}/wallet/entries")).JsonAsync();
        Assert.Equal("开业补偿 🎁", hqEntries.GetProperty("items")[0].GetProperty("note").GetString());

        var debit = await hq.PostWithKeyAsync($"/api/admin/members/{member.Id}/wallet/adjustments", new { principal = -4000, gift = -500, reason = "误充冲正" });
        Assert.Equal(HttpStatusCode.OK, debit.StatusCode);
        Assert.Equal((6000L, 0L), await Api.BalanceAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Bad_adjustments_are_refused_and_write_nothing()
    {
        var member = await Api.LogInMemberAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        await Api.CreditAsync(member.Id, 1000, 100);
        var url = $"/api/admin/members/{member.Id}/wallet/adjustments";

        var noReason = await hq.PostWithKeyAsync(url, new { principal = 100, gift = 0, reason = " " });
        var body = await AssertProblemAsync(noReason, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(body.GetProperty("errors").TryGetProperty("reason", out _));
        await AssertProblemAsync(await hq.PostWithKeyAsync(url, new { principal = 0, gift = 0, reason = "nothing" }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostWithKeyAsync(url, new { principal = "lots", gift = 0, reason = "x" }), HttpStatusCode.BadRequest, "request.malformed");
        var below = await hq.PostWithKeyAsync(url, new { principal = -1001, gift = 0, reason = "too much" });
        await AssertProblemAsync(below, HttpStatusCode.Conflict, "wallet.insufficient_balance");
        var mixed = await hq.PostWithKeyAsync(url, new { principal = 5000, gift = -101, reason = "gift below zero" });
        await AssertProblemAsync(mixed, HttpStatusCode.Conflict, "wallet.insufficient_balance");
        await AssertProblemAsync(await hq.PostWithKeyAsync($"/api/admin/members/{Guid.NewGuid()}/wallet/adjustments", new { principal = 1, gift = 0, reason = "x" }),
            HttpStatusCode.NotFound, "member.not_found");
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/members/{Guid.NewGuid()}/wallet"), HttpStatusCode.NotFound, "member.not_found");

        Assert.Equal((1000L, 100L), await Api.BalanceAsync(member.Id));
        Assert.Equal(1, await Api.EntryCountAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task An_adjustment_needs_an_idempotency_key_and_a_retried_one_credits_once()
    {
        var member = await Api.LogInMemberAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var url = $"/api/admin/members/{member.Id}/wallet/adjustments";
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { principal = 100, gift = 0, reason = "no key" }), HttpStatusCode.BadRequest, "idempotency.key_required");

        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => hq.PostWithKeyAsync(url, new { principal = 1_000, gift = 100, reason = "补偿" }, key)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(a => a.JsonAsync()));
        Assert.Single(bodies.Select(b => b.GetProperty("entryId").GetGuid()).Distinct());
        Assert.Equal(9, bodies.Count(b => b.GetProperty("replayed").GetBoolean()));
        Assert.All(bodies, b => Assert.Equal(1_000, b.GetProperty("balance").GetProperty("principal").GetInt64()));
        await AssertProblemAsync(await hq.PostWithKeyAsync(url, new { principal = 2_000, gift = 100, reason = "补偿" }, key), HttpStatusCode.Conflict, "idempotency.key_reused");

        Assert.Equal((1_000L, 100L), await Api.BalanceAsync(member.Id));
        Assert.Equal(1, await Api.EntryCountAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task A_member_sees_only_their_own_wallet()
    {
        var alice = await Api.LogInMemberAsync();
        var bob = await Api.LogInMemberAsync();
        await Api.CreditAsync(alice.Id, 777);
        var bobWallet = await (await Api.Client(bob.Token).GetAsync("/api/mp/wallet")).JsonAsync();
        Assert.Equal(0, bobWallet.GetProperty("total").GetInt64());
        var bobEntries = await (await Api.Client(bob.Token).GetAsync("/api/mp/wallet/entries")).JsonAsync();
        Assert.Equal(0, bobEntries.GetProperty("total").GetInt32());
    }

    [SkippableFact]
    public async Task Hq_settings_are_validated()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        await AssertProblemAsync(await hq.PutAsJsonAsync("/api/admin/wallet/settings", new { splitPolicy = "random", passwordFreeLimit = 100 }),
            HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await hq.PutAsJsonAsync("/api/admin/wallet/settings", new { splitPolicy = "gift_first", passwordFreeLimit = -1 }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        var settings = await (await hq.GetAsync("/api/admin/wallet/settings")).JsonAsync();
        Assert.Equal("proportional", settings.GetProperty("splitPolicy").GetString());
        Assert.Equal(20000, settings.GetProperty("passwordFreeLimit").GetInt64());
    }
}

public sealed class WalletTestsOnSqlite(SqliteApi fixture) : WalletTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class WalletTestsOnMySql(MySqlApi fixture) : WalletTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
