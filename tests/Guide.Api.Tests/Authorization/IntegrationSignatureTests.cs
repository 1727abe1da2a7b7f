using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;

namespace Guide.Api.Tests.Authorization;

/// <summary>POS / ERP requests are HMAC-signed; stale, forged, replayed and unknown-client requests fail.</summary>
public abstract class IntegrationSignatureTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private async Task<string> MemberWithPhoneAsync(string phone)
    {
        var member = await Api.LogInMemberAsync();
        (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/me/phone", new { code = Api.Weixin.IssuePhoneCode(phone) })).EnsureSuccessStatusCode();
        return member.Id.ToString();
    }

    [SkippableFact]
    public async Task A_signed_request_finds_the_member_by_phone()
    {
        var memberId = await MemberWithPhoneAsync("13700001111");
        var credentials = await Api.CreateIntegrationClientAsync();
        var response = await Api.IntegrationClient(credentials).PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13700001111" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(memberId, (await ReadJsonAsync(response)).GetProperty("id").GetString());

        var unknown = await Api.IntegrationClient(credentials).PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13700009999" });
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "member.not_found");
        var invalid = await Api.IntegrationClient(credentials).PostAsJsonAsync("/api/integration/members/lookup", new { phone = "12" });
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "request.validation_failed");
    }

    [SkippableFact]
    public async Task An_unsigned_request_is_401()
    {
        var response = await Api.Client().PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13700001111" });
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "integration.missing_signature");
    }

    [SkippableFact]
    public async Task A_bearer_token_of_any_human_audience_is_not_an_integration_credential()
    {
        var admin = await Api.LogInAdminAsync();
        var response = await Api.Client(admin.Token).PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13700001111" });
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "integration.missing_signature");
    }

    [SkippableFact]
    public async Task A_timestamp_more_than_five_minutes_off_is_401()
    {
        var credentials = await Api.CreateIntegrationClientAsync();
        foreach (var offset in new[] { TimeSpan.FromMinutes(-6), TimeSpan.FromMinutes(6) })
        {
            var client = Api.IntegrationClient(credentials, () => DateTimeOffset.UtcNow + offset);
            var response = await client.PostAsJsonAsync("/api/integration/members/lookup", new { phone = "13700001111" });
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "integration.stale_timestamp");
        }
    }

    [SkippableFact]
    public async Task A_tampered_body_or_a_wrong_secret_or_an_unknown_key_is_401()
    {
        var credentials = await Api.CreateIntegrationClientAsync();
        var tampered = new HttpRequestMessage(HttpMethod.Post, "/api/integration/members/lookup") { Content = JsonContent.Create(new { phone = "13700002222" }) };
        SigningHandler.Sign(tampered, credentials.KeyId, credentials.Secret, DateTimeOffset.UtcNow, body: """{"phone":"13700001111"}"""u8.ToArray());
        await AssertProblemAsync(await Api.Client().SendAsync(tampered), HttpStatusCode.Unauthorized, "integration.bad_signature");

        var wrongSecret = Api.IntegrationClient(credentials with { Secret = Convert.ToBase64String(new byte[32]) });
        await AssertProblemAsync(await wrongSecret.PostAsJsonAsync("/api/integration/members/lookup", new { phone = "1" }), HttpStatusCode.Unauthorized, "integration.bad_signature");

        var unknownKey = Api.IntegrationClient(credentials with { KeyId = "no-such-client" });
        await AssertProblemAsync(await unknownKey.PostAsJsonAsync("/api/integration/members/lookup", new { phone = "1" }), HttpStatusCode.Unauthorized, "integration.unknown_client");
    }

    [SkippableFact]
    public async Task A_replayed_request_is_401_even_when_ten_copies_race()
    {
        await MemberWithPhoneAsync("13700003333");
        var credentials = await Api.CreateIntegrationClientAsync();
        var nonce = "replay-" + Guid.NewGuid().ToString("N")[..12];
        var at = DateTimeOffset.UtcNow;
        HttpRequestMessage Copy()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/integration/members/lookup") { Content = JsonContent.Create(new { phone = "13700003333" }) };
            SigningHandler.Sign(request, credentials.KeyId, credentials.Secret, at, nonce);
            return request;
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Api.Client().SendAsync(Copy())));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var replay in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "integration.nonce_reused");
    }
}

public sealed class IntegrationSignatureTestsOnSqlite(SqliteApi fixture) : IntegrationSignatureTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class IntegrationSignatureTestsOnMySql(MySqlApi fixture) : IntegrationSignatureTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
