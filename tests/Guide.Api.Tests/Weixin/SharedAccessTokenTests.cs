using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Weixin;

/// <summary>
/// WeChat access tokens live in the database (one row per account and secret kind), shared by every
/// instance, fetched by one refresher at a time and refreshed once when WeChat says they are stale.
/// </summary>
public abstract class SharedAccessTokenTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private async Task<HttpResponseMessage> BindPhoneAsync(string token, string phone) =>
        await Api.Client(token).PostAsJsonAsync("/api/mp/me/phone", new { code = Api.Weixin.IssuePhoneCode(phone) });

    [SkippableFact]
    public async Task Twenty_concurrent_calls_fetch_one_token_and_store_it_in_the_database()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Api.LogInMemberAsync()));
        var before = Api.Weixin.Calls(FakeWeixinApis.StableToken);
        var responses = await Task.WhenAll(members.Select((m, i) => BindPhoneAsync(m.Token, $"1390000{i:0000}")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.InRange(Api.Weixin.Calls(FakeWeixinApis.StableToken) - before, 0, 1);

        var rows = await Api.DbAsync(db => db.WeixinAccessTokens.AsNoTracking().ToListAsync());
        var mp = Assert.Single(rows, r => r.Key.StartsWith("mp:"));
        Assert.False(string.IsNullOrEmpty(mp.Value));
        Assert.True(mp.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [SkippableFact]
    public async Task A_token_wechat_calls_expired_is_refreshed_once_and_the_call_retried()
    {
        var member = await Api.LogInMemberAsync();
        (await BindPhoneAsync(member.Token, "13900001234")).EnsureSuccessStatusCode();
        var before = Api.Weixin.Calls(FakeWeixinApis.StableToken);

        Api.Weixin.ExpireAccessTokens(); // WeChat now answers 42001 for the token we hold
        var response = await BindPhoneAsync(member.Token, "13900004321");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, Api.Weixin.Calls(FakeWeixinApis.StableToken));
    }

    [SkippableFact]
    public async Task A_second_host_on_the_same_database_uses_the_token_the_first_stored()
    {
        var member = await Api.LogInMemberAsync();
        (await BindPhoneAsync(member.Token, "13900005555")).EnsureSuccessStatusCode();
        var before = Api.Weixin.Calls(FakeWeixinApis.StableToken);

        // Another instance of the chain: same database, same WeChat, its own process memory.
        await using var other = Api.Factory.WithWebHostBuilder(_ => { });
        var client = other.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", member.Token);
        var response = await client.PostAsJsonAsync("/api/mp/me/phone", new { code = Api.Weixin.IssuePhoneCode("13900006666") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, Api.Weixin.Calls(FakeWeixinApis.StableToken));
    }
}

public sealed class SharedAccessTokenTestsOnSqlite(SqliteApi fixture) : SharedAccessTokenTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class SharedAccessTokenTestsOnMySql(MySqlApi fixture) : SharedAccessTokenTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
