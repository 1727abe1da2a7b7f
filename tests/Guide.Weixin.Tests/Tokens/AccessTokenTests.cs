using Guide.Weixin.Fake;
using Guide.Weixin.Tokens;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Weixin.Tests.Tokens;

public sealed class AccessTokenTests
{
    [Fact]
    public async Task One_stable_token_call_serves_many_calls()
    {
        await using var h = await WeixinHarness.StartAsync();
        for (var i = 0; i < 5; i++)
            await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("1391234567" + i));

        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.StableToken));
        Assert.Equal(5, h.Fake.Calls(FakeWeixinApis.GetPhoneNumber));
    }

    [Fact]
    public async Task Concurrent_callers_do_not_stampede_the_token_endpoint()
    {
        await using var h = await WeixinHarness.StartAsync();
        var codes = Enumerable.Range(0, 20).Select(i => h.Fake.IssuePhoneCode($"139000000{i:00}")).ToList();

        await Task.WhenAll(codes.Select(c => h.MiniProgram.GetPhoneNumberAsync(c)));

        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.StableToken));
    }

    [Fact]
    public async Task Token_refused_with_40001_is_refreshed_once_and_the_call_retried()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001"));
        h.Fake.RevokeAccessTokens();

        var phone = await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000002"));

        Assert.Equal("13900000002", phone.PurePhoneNumber);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.StableToken));
    }

    [Fact]
    public async Task Token_still_current_at_stable_token_is_force_refreshed_after_40001()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001"));
        h.Fake.FailNext(FakeWeixinApis.GetPhoneNumber, 40001, "invalid credential");

        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000002"));

        // normal mode returned the refused token again, so the force mode was used
        Assert.Equal(3, h.Fake.Calls(FakeWeixinApis.StableToken));
        Assert.Equal(2, h.Fake.IssuedTokenCount);
    }

    [Fact]
    public async Task Expired_token_42001_is_refreshed()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001"));
        h.Fake.ExpireAccessTokens();

        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000002"));

        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.StableToken));
    }

    [Fact]
    public async Task Token_refused_twice_is_not_retried_forever()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.FailNext(FakeWeixinApis.GetPhoneNumber, 40001, "invalid credential");
        h.Fake.FailNext(FakeWeixinApis.GetPhoneNumber, 40001, "invalid credential");

        var e = await Assert.ThrowsAsync<WeixinApiException>(
            () => h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001")));

        Assert.Equal(40001, e.ErrorCode);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.GetPhoneNumber));
    }

    [Fact]
    public async Task Token_expiring_within_five_minutes_is_refreshed_before_use()
    {
        var store = new InMemoryAccessTokenStore();
        await using var h = await WeixinHarness.StartAsync(configureServices: s => s.AddSingleton<IAccessTokenStore>(store));
        await store.SaveAsync($"mp:{h.Fake.Options.AppId}",
            new StoredAccessToken("old-token", DateTimeOffset.UtcNow.AddMinutes(4)), default);

        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001"));

        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.StableToken));
        var saved = await store.FindAsync($"mp:{h.Fake.Options.AppId}", default);
        Assert.NotEqual("old-token", saved!.Value);
    }

    [Fact]
    public async Task A_registered_token_store_is_kept_and_shared()
    {
        var store = new InMemoryAccessTokenStore();
        await using var h = await WeixinHarness.StartAsync(configureServices: s => s.AddSingleton<IAccessTokenStore>(store));
        Assert.Same(store, h.Services.GetRequiredService<IAccessTokenStore>());

        await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001"));

        Assert.NotNull(await store.FindAsync($"mp:{h.Fake.Options.AppId}", default));
    }

    [Fact]
    public async Task Waits_for_the_other_instances_refresh_and_uses_its_token()
    {
        var store = new InMemoryAccessTokenStore();
        await using var h = await WeixinHarness.StartAsync(configureServices: s => s.AddSingleton<IAccessTokenStore>(store));
        var key = $"mp:{h.Fake.Options.AppId}";
        Assert.True(await store.TryAcquireRefreshLeaseAsync(key, "other-instance", TimeSpan.FromMinutes(1), default));

        var call = h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13900000001"));
        await Task.Delay(300);
        Assert.False(call.IsCompleted);

        // The other instance completes its refresh.
        var token = await FetchStableTokenDirectlyAsync(h.Fake);
        await store.SaveAsync(key, new StoredAccessToken(token, DateTimeOffset.UtcNow.AddHours(2)), default);
        await store.ReleaseRefreshLeaseAsync(key, "other-instance", default);

        await call;
        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.StableToken));
    }

    [Fact]
    public async Task Two_instances_sharing_a_store_fetch_one_token()
    {
        var store = new InMemoryAccessTokenStore();
        await using var a = await WeixinHarness.StartAsync(configureServices: s => s.AddSingleton<IAccessTokenStore>(store));
        await using var b = a.AnotherInstance(s => s.AddSingleton<IAccessTokenStore>(store));
        var codes = Enumerable.Range(0, 10).Select(i => a.Fake.IssuePhoneCode($"139000000{i:00}")).ToList();

        await Task.WhenAll(codes.Select((c, i) => (i % 2 == 0 ? a : b).MiniProgram.GetPhoneNumberAsync(c)));

        Assert.Equal(1, a.Fake.Calls(FakeWeixinApis.StableToken));
    }

    private static async Task<string> FetchStableTokenDirectlyAsync(FakeWeixinServer fake)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(fake.MiniProgramBaseUrl + "/cgi-bin/stable_token"),
            new { grant_type = "client_credential", appid = fake.Options.AppId, secret = fake.Options.AppSecret });
        var json = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        return json!["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task WeCom_keeps_one_token_per_secret()
    {
        await using var h = await WeixinHarness.StartAsync();
        var wecom = (Guide.Weixin.WeCom.WeComClient)h.WeCom;

        var agent = await wecom.GetAccessTokenAsync(Guide.Weixin.WeCom.WeComSecretKind.Agent);
        var contact = await wecom.GetAccessTokenAsync(Guide.Weixin.WeCom.WeComSecretKind.Contact);
        var agentAgain = await wecom.GetAccessTokenAsync(Guide.Weixin.WeCom.WeComSecretKind.Agent);

        Assert.NotEqual(agent, contact);
        Assert.Equal(agent, agentAgain);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.WeComGetToken));
    }
}
