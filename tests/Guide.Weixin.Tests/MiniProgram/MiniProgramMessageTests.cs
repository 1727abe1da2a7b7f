using Guide.Weixin.Fake;
using Guide.Weixin.MiniProgram;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Weixin.Tests.MiniProgram;

public sealed class MiniProgramMessageTests
{
    private static SubscribeMessage Message(string openId = "o-1", string template = "tmpl-care") =>
        new(openId, template, new Dictionary<string, string> { ["thing1"] = "护理提醒", ["time2"] = "2026-03-01 10:00" },
            Page: "pages/care/index?id=7");

    [Fact]
    public async Task Accepted_subscription_allows_exactly_one_message()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.GrantSubscription("o-1", "tmpl-care");

        await h.MiniProgram.SendSubscribeMessageAsync(Message());
        var second = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.SendSubscribeMessageAsync(Message()));

        var sent = Assert.Single(h.Fake.SentSubscribeMessages);
        Assert.Equal("护理提醒", sent.Data["thing1"]);
        Assert.Equal("pages/care/index?id=7", sent.Page);
        Assert.Equal(43101, second.ErrorCode);
    }

    [Fact]
    public async Task Bad_template_and_bad_data_have_their_codes()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.GrantSubscription("o-1", "tmpl-care");

        var template = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.SendSubscribeMessageAsync(Message(template: "nope")));
        var data = await Assert.ThrowsAsync<WeixinApiException>(() => h.MiniProgram.SendSubscribeMessageAsync(
            Message() with { Data = new Dictionary<string, string> { ["thing1"] = new string('长', 21) } }));

        Assert.Equal(40037, template.ErrorCode);
        Assert.Equal(47003, data.ErrorCode);
    }

    [Fact]
    public async Task Wxa_code_is_an_image()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.AddPage("pages/invite/index");

        var image = await h.MiniProgram.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("g=42&s=7", "pages/invite/index"));

        Assert.Equal("image/png", image.ContentType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.Content[..4]);
        Assert.Equal("g=42&s=7", Assert.Single(h.Fake.GeneratedWxaCodeScenes));
    }

    [Fact]
    public async Task Wxa_code_json_answer_is_an_error()
    {
        await using var h = await WeixinHarness.StartAsync();

        var e = await Assert.ThrowsAsync<WeixinApiException>(() =>
            h.MiniProgram.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("g=1", "pages/unpublished/index")));

        Assert.Equal(41030, e.ErrorCode);
    }

    [Fact]
    public async Task Wxa_code_rate_limit_is_retried_and_token_refused_is_refreshed()
    {
        await using var h = await WeixinHarness.StartAsync();
        await h.MiniProgram.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("a"));
        h.Fake.RevokeAccessTokens();
        h.Fake.FailNext(FakeWeixinApis.GetWxaCodeUnlimit, 45011, "api minute-quota reach limit");

        var image = await h.MiniProgram.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("b"));

        Assert.NotEmpty(image.Content);
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.StableToken));
    }

    [Fact]
    public async Task Scene_longer_than_32_characters_fails_before_a_call()
    {
        await using var h = await WeixinHarness.StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => h.MiniProgram.GetUnlimitedWxaCodeAsync(new WxaCodeRequest(new string('x', 33))));
        Assert.Equal(0, h.Fake.Calls(FakeWeixinApis.GetWxaCodeUnlimit));
    }

    [Fact]
    public async Task Push_url_check_from_the_fake_verifies()
    {
        await using var h = await WeixinHarness.StartAsync();
        var push = h.Services.GetRequiredService<MiniProgramPush>();
        var (signature, timestamp, nonce, _) = h.Fake.CreatePushUrlCheck();

        Assert.True(push.IsValidUrlCheck(signature, timestamp, nonce));
        Assert.False(push.IsValidUrlCheck(signature, timestamp, nonce + "0"));
    }
}
