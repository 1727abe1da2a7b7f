using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Integration;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Authorization;

/// <summary>
/// Who may charge what: a till charges only with the member's payment code, charging by member id is a right HQ
/// gives (the online mall), and HQ can disable a client or rotate its secret with effect at once on every
/// instance, whatever the instances cached.
/// </summary>
public abstract class IntegrationClientTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static string Doc() => ApiFixture.Unique("POS");

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private async Task<string> PaymentCodeAsync(ApiFixture.LoggedIn member) =>
        (await (await Api.Client(member.Token).GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString()!;

    private static HttpClient Signed(WebApplicationFactory<Program> host, IntegrationClientCredentials credentials) =>
        host.CreateDefaultClient(new SigningHandler(credentials.KeyId, credentials.Secret, () => DateTimeOffset.UtcNow));

    [SkippableFact]
    public async Task A_till_charges_only_with_a_payment_code_and_the_mall_may_charge_by_member_id()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000);
        var till = Api.IntegrationClient(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: false));

        var byId = await till.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id });
        await AssertProblemAsync(byId, HttpStatusCode.Forbidden, "integration.member_id_not_allowed");
        Assert.Equal((10_000L, 0L), await Api.BalanceAsync(member.Id));
        // Many small charges do not get around it either.
        foreach (var _ in Enumerable.Range(0, 3))
            await AssertProblemAsync(await till.ChargeAsync(new { documentNumber = Doc(), amount = 1, memberId = member.Id }), HttpStatusCode.Forbidden,
                "integration.member_id_not_allowed");

        Assert.Equal(HttpStatusCode.OK, (await till.ChargeAsync(new { documentNumber = Doc(), amount = 100, paymentCode = await PaymentCodeAsync(member) })).StatusCode);
        var mall = Api.IntegrationClient(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: true));
        Assert.Equal(HttpStatusCode.OK, (await mall.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal((9_800L, 0L), await Api.BalanceAsync(member.Id));
        Assert.Equal(3, await Api.EntryCountAsync(member.Id));
    }

    [SkippableFact]
    public async Task Hq_grants_and_withdraws_the_member_id_right_with_effect_on_the_next_request()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000);
        var credentials = await Api.CreateIntegrationClientAsync(mayChargeByMemberId: false);
        var client = Api.IntegrationClient(credentials);
        var hq = await HqAsync();

        var granted = await (await hq.PutAsJsonAsync($"/api/admin/integration-clients/{credentials.Id}", new { name = "网上商城", mayChargeByMemberId = true })).JsonAsync();
        Assert.True(granted.GetProperty("mayChargeByMemberId").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        (await hq.PutAsJsonAsync($"/api/admin/integration-clients/{credentials.Id}", new { name = "网上商城", mayChargeByMemberId = false })).EnsureSuccessStatusCode();
        await AssertProblemAsync(await client.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id }), HttpStatusCode.Forbidden,
            "integration.member_id_not_allowed");
        Assert.Equal((9_900L, 0L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task A_disabled_client_is_refused_at_once_on_every_instance_even_with_its_secret_cached()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000);
        var credentials = await Api.CreateIntegrationClientAsync();
        await using var second = Api.Factory.WithWebHostBuilder(_ => { }); // another instance on the same database
        var onFirst = Api.IntegrationClient(credentials);
        var onSecond = Signed(second, credentials);
        // Both instances have seen (and cached) the client.
        Assert.Equal(HttpStatusCode.OK, (await onFirst.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        await AssertProblemAsync(await onSecond.PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13800000000" }), HttpStatusCode.NotFound,
            "member.not_found");

        var hq = await HqAsync();
        var disabled = await (await hq.PostAsync($"/api/admin/integration-clients/{credentials.Id}/disable", null)).JsonAsync();
        Assert.False(disabled.GetProperty("enabled").GetBoolean());

        await AssertProblemAsync(await onFirst.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id }), HttpStatusCode.Unauthorized,
            "integration.client_disabled");
        await AssertProblemAsync(await onSecond.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id }), HttpStatusCode.Unauthorized,
            "integration.client_disabled");
        // Reads too: nothing a disabled client asks is answered.
        await AssertProblemAsync(await onSecond.PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13800000000" }), HttpStatusCode.Unauthorized,
            "integration.client_disabled");
        await AssertProblemAsync(await onSecond.PostAsJsonAsync("/api/integration/documents", new { }), HttpStatusCode.Unauthorized,
            "integration.client_disabled");
        Assert.Equal((9_800L, 0L), await Api.BalanceAsync(member.Id));

        (await hq.PostAsync($"/api/admin/integration-clients/{credentials.Id}/enable", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await onSecond.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
    }

    [SkippableFact]
    public async Task A_rotated_secret_replaces_the_old_one_at_once_on_every_instance()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000);
        var credentials = await Api.CreateIntegrationClientAsync();
        await using var second = Api.Factory.WithWebHostBuilder(_ => { });
        var oldOnFirst = Api.IntegrationClient(credentials);
        var oldOnSecond = Signed(second, credentials);
        Assert.Equal(HttpStatusCode.OK, (await oldOnFirst.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await oldOnSecond.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);

        var hq = await HqAsync();
        var rotated = await (await hq.PostAsync($"/api/admin/integration-clients/{credentials.Id}/secret", null)).JsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(credentials.Secret, newSecret);

        await AssertProblemAsync(await oldOnFirst.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id }), HttpStatusCode.Unauthorized,
            "integration.bad_signature");
        await AssertProblemAsync(await oldOnSecond.ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id }), HttpStatusCode.Unauthorized,
            "integration.bad_signature");
        var renewed = credentials with { Secret = newSecret };
        Assert.Equal(HttpStatusCode.OK, (await Api.IntegrationClient(renewed).ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Signed(second, renewed).ChargeAsync(new { documentNumber = Doc(), amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal((9_600L, 0L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task Client_administration_is_hq_only_and_validated()
    {
        var credentials = await Api.CreateIntegrationClientAsync();
        var member = await Api.LogInMemberAsync();
        foreach (var path in new[] { $"/api/admin/integration-clients/{credentials.Id}/disable", $"/api/admin/integration-clients/{credentials.Id}/secret" })
        {
            await AssertProblemAsync(await Api.Client().PostAsync(path, null), HttpStatusCode.Unauthorized, "auth.unauthenticated");
            await AssertProblemAsync(await Api.Client(member.Token).PostAsync(path, null), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await Api.IntegrationClient(credentials).PostAsync(path, null), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }
        var hq = await HqAsync();
        await AssertProblemAsync(await hq.PostAsync($"/api/admin/integration-clients/{Guid.NewGuid()}/disable", null), HttpStatusCode.NotFound, "integration.client_not_found");
        await AssertProblemAsync(await hq.PostAsync($"/api/admin/integration-clients/{Guid.NewGuid()}/secret", null), HttpStatusCode.NotFound, "integration.client_not_found");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/integration-clients/{credentials.Id}", new { name = "" }), HttpStatusCode.BadRequest,
            "request.validation_failed");
        Assert.True(await Api.DbAsync(db => db.IntegrationClients.Where(c => c.Id == credentials.Id).Select(c => c.Enabled).SingleAsync()));

        // Two HQ consoles creating the same key id at once: one wins, the other is told, nothing is a 500.
        var keyId = ApiFixture.Unique("pos");
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => hq.PostAsJsonAsync("/api/admin/integration-clients", new { keyId, name = "并发" })));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "integration.key_id_taken");
    }
}

public sealed class IntegrationClientTestsOnSqlite(SqliteApi fixture) : IntegrationClientTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class IntegrationClientTestsOnMySql(MySqlApi fixture) : IntegrationClientTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
