using Guide.Weixin.Fake;

namespace Guide.Weixin.Tests.WeCom;

public sealed class WeComOAuthTests
{
    [Fact]
    public async Task Member_code_gives_the_userid()
    {
        await using var h = await WeixinHarness.StartAsync();
        var identity = await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComOAuthCode("guide-zhang"));

        Assert.True(identity.IsCorpMember);
        Assert.Equal("guide-zhang", identity.UserId);
        Assert.Null(identity.OpenId);
    }

    [Fact]
    public async Task Non_member_code_gives_openid_and_no_userid()
    {
        await using var h = await WeixinHarness.StartAsync();
        var identity = await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComExternalOAuthCode("o-outsider"));

        Assert.False(identity.IsCorpMember);
        Assert.Equal("o-outsider", identity.OpenId);
        Assert.NotNull(identity.ExternalUserId);
    }

    [Fact]
    public async Task Unknown_or_reused_code_fails_with_40029()
    {
        await using var h = await WeixinHarness.StartAsync();
        var code = h.Fake.IssueWeComOAuthCode("guide-li");
        await h.WeCom.GetUserInfoAsync(code);

        var reused = await Assert.ThrowsAsync<WeixinApiException>(() => h.WeCom.GetUserInfoAsync(code));
        var unknown = await Assert.ThrowsAsync<WeixinApiException>(() => h.WeCom.GetUserInfoAsync("nonsense"));

        Assert.Equal(40029, reused.ErrorCode);
        Assert.Equal(40029, unknown.ErrorCode);
    }

    [Fact]
    public async Task Token_is_cached_and_refreshed_after_expiry()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComOAuthCode("a"));
        await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComOAuthCode("b"));
        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.WeComGetToken));

        h.Fake.ExpireAccessTokens();
        await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComOAuthCode("c"));

        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.WeComGetToken));
    }

    [Fact]
    public async Task Busy_is_retried()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.FailNext(FakeWeixinApis.WeComGetUserInfo, -1, "system busy");

        var identity = await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComOAuthCode("guide-wang"));

        Assert.Equal("guide-wang", identity.UserId);
    }
}
