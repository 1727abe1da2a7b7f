using Guide.Weixin.Fake;

namespace Guide.Weixin.Tests.MiniProgram;

public sealed class MiniProgramClientTests
{
    [Fact]
    public async Task Login_code_exchanges_for_openid_unionid_and_session_key()
    {
        await using var h = await WeixinHarness.StartAsync();
        var code = h.Fake.IssueLoginCode("openid-1", "unionid-1");

        var session = await h.MiniProgram.Code2SessionAsync(code);

        Assert.Equal("openid-1", session.OpenId);
        Assert.Equal("unionid-1", session.UnionId);
        Assert.False(string.IsNullOrEmpty(session.SessionKey));
    }

    [Fact]
    public async Task Login_without_open_platform_binding_has_no_unionid()
    {
        await using var h = await WeixinHarness.StartAsync();
        var session = await h.MiniProgram.Code2SessionAsync(h.Fake.IssueLoginCode("openid-2"));
        Assert.Null(session.UnionId);
    }

    [Fact]
    public async Task Unknown_login_code_fails_with_40029()
    {
        await using var h = await WeixinHarness.StartAsync();
        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.Code2SessionAsync("nonsense"));
        Assert.Equal(40029, e.ErrorCode);
        Assert.Equal("jscode2session", e.Api);
    }

    [Fact]
    public async Task Login_code_used_twice_fails_with_40163()
    {
        await using var h = await WeixinHarness.StartAsync();
        var code = h.Fake.IssueLoginCode("openid-3");
        await h.MiniProgram.Code2SessionAsync(code);

        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.Code2SessionAsync(code));
        Assert.Equal(40163, e.ErrorCode);
    }

    [Fact]
    public async Task System_busy_login_is_retried()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.FailNext(FakeWeixinApis.Code2Session, -1, "system error");

        var session = await h.MiniProgram.Code2SessionAsync(h.Fake.IssueLoginCode("openid-4"));

        Assert.Equal("openid-4", session.OpenId);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.Code2Session));
    }

    [Fact]
    public async Task System_busy_beyond_the_retry_budget_surfaces()
    {
        await using var h = await WeixinHarness.StartAsync();
        for (var i = 0; i < 3; i++) h.Fake.FailNext(FakeWeixinApis.Code2Session, -1, "system error");

        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.Code2SessionAsync("x"));

        Assert.Equal(-1, e.ErrorCode);
        Assert.Equal(3, h.Fake.Calls(FakeWeixinApis.Code2Session));
    }

    [Fact]
    public async Task Daily_quota_is_not_retried()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.FailNext(FakeWeixinApis.Code2Session, 45009, "reach max api daily quota limit");

        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.Code2SessionAsync("x"));

        Assert.Equal(45009, e.ErrorCode);
        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.Code2Session));
    }

    [Fact]
    public async Task Phone_code_gives_the_number()
    {
        await using var h = await WeixinHarness.StartAsync();
        var phone = await h.MiniProgram.GetPhoneNumberAsync(h.Fake.IssuePhoneCode("13912345678"));

        Assert.Equal("13912345678", phone.PurePhoneNumber);
        Assert.Equal("86", phone.CountryCode);
    }

    [Fact]
    public async Task Phone_number_with_another_apps_watermark_is_rejected()
    {
        await using var h = await WeixinHarness.StartAsync();
        var code = h.Fake.IssuePhoneCode("13912345678", watermarkAppId: "wxsomebodyelse");

        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.GetPhoneNumberAsync(code));

        Assert.Equal(WeixinApiException.InvalidResponseCode, e.ErrorCode);
        Assert.Contains("watermark", e.ErrorMessage);
    }

    [Fact]
    public async Task Unknown_phone_code_fails_with_40029()
    {
        await using var h = await WeixinHarness.StartAsync();
        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.GetPhoneNumberAsync("nonsense"));
        Assert.Equal(40029, e.ErrorCode);
    }

    [Fact]
    public async Task Lenient_fake_maps_any_code_to_a_simulated_identity()
    {
        await using var h = await WeixinHarness.StartAsync(new FakeWeixinOptions { Lenient = true });

        var first = await h.MiniProgram.Code2SessionAsync("alice");
        var again = await h.MiniProgram.Code2SessionAsync("alice");
        var phone = await h.MiniProgram.GetPhoneNumberAsync("13700001111");
        var fallback = await h.MiniProgram.GetPhoneNumberAsync("whatever");
        var guide = await h.WeCom.GetUserInfoAsync("guide-7");

        Assert.Equal("sim-openid-alice", first.OpenId);
        Assert.Equal("sim-openid-alice", again.OpenId);
        Assert.Equal("13700001111", phone.PurePhoneNumber);
        Assert.Equal("13800000000", fallback.PurePhoneNumber);
        Assert.Equal("guide-7", guide.UserId);
        // The simulator's way to try the error paths: a code starting "invalid" is refused like an unknown one.
        Assert.Equal(40029, (await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.Code2SessionAsync("invalid-1"))).ErrorCode);
        Assert.Equal(40029, (await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.GetPhoneNumberAsync("invalid-2"))).ErrorCode);
    }
}
