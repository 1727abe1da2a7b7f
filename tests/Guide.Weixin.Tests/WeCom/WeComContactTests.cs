using Guide.Weixin.Fake;
using Guide.Weixin.WeCom;

namespace Guide.Weixin.Tests.WeCom;

public sealed class WeComContactTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    [Fact]
    public async Task External_contact_comes_with_its_guides_and_state()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.AddExternalContact(new FakeExternalContact("wm-1", "王女士", Type: 1, Gender: 2, UnionId: "union-1")
        {
            FollowUsers = [new FakeFollowUser("guide-zhang", Now, State: "store-3", Remark: "VIP")],
        });

        var contact = await h.WeCom.GetExternalContactAsync("wm-1");

        Assert.Equal(("王女士", 1, 2, "union-1"), (contact.Name, contact.Type, contact.Gender, contact.UnionId));
        var follow = Assert.Single(contact.FollowUsers);
        Assert.Equal(("guide-zhang", "store-3", "VIP", Now), (follow.UserId, follow.State, follow.Remark, follow.CreateTime));
    }

    [Fact]
    public async Task Contact_calls_use_the_contact_secrets_token()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.AddExternalContact(new FakeExternalContact("wm-1", "A"));

        await h.WeCom.GetUserInfoAsync(h.Fake.IssueWeComOAuthCode("guide"));
        await h.WeCom.GetExternalContactAsync("wm-1");
        await h.WeCom.GetExternalContactAsync("wm-1");

        // one token for the agent secret, one for the contact secret; the fake refuses crossed tokens
        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.WeComGetToken));
    }

    [Fact]
    public async Task Unknown_external_contact_is_an_error_with_its_code()
    {
        await using var h = await WeixinHarness.StartAsync();
        var e = await Assert.ThrowsAsync<WeixinApiException>(() => h.WeCom.GetExternalContactAsync("wm-nobody"));
        Assert.Equal(84061, e.ErrorCode);
    }

    [Fact]
    public async Task Group_chat_lists_members_with_their_type()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.AddGroupChat(new FakeGroupChat("wr-1", "门店福利群", "guide-zhang")
        {
            Members =
            [
                new FakeGroupMember("guide-zhang", 1, Now),
                new FakeGroupMember("wm-1", 2, Now, JoinScene: 3, UnionId: "union-1", InvitorUserId: "guide-zhang", State: "qr-9"),
            ],
        });

        var group = await h.WeCom.GetGroupChatAsync("wr-1");

        Assert.Equal(("门店福利群", "guide-zhang"), (group.Name, group.Owner));
        Assert.Equal(2, group.Members.Count);
        var customer = Assert.Single(group.Members, m => m.IsExternal);
        Assert.Equal(("wm-1", 3, "guide-zhang", "qr-9", "union-1"),
            (customer.UserId, customer.JoinScene, customer.InvitorUserId, customer.State, customer.UnionId));
    }

    [Fact]
    public async Task Moments_page_by_cursor()
    {
        await using var h = await WeixinHarness.StartAsync();
        for (var i = 0; i < 3; i++)
            h.Fake.AddMoment(new FakeMoment($"mom-{i}", "guide-zhang", Now.AddHours(-i - 1), $"新品 {i}"));
        var query = new WeComMomentQuery(Now.AddDays(-1), Now, Limit: 2);

        var first = await h.WeCom.GetMomentListAsync(query);
        var second = await h.WeCom.GetMomentListAsync(query with { Cursor = first.NextCursor });

        Assert.Equal(2, first.Moments.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Single(second.Moments);
        Assert.Null(second.NextCursor);
        Assert.Equal(3, first.Moments.Concat(second.Moments).Select(m => m.MomentId).Distinct().Count());
    }

    [Fact]
    public async Task Moment_queries_beyond_the_limits_fail_before_a_call()
    {
        await using var h = await WeixinHarness.StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => h.WeCom.GetMomentListAsync(new WeComMomentQuery(Now.AddDays(-31), Now)));
        await Assert.ThrowsAsync<ArgumentException>(() => h.WeCom.GetMomentListAsync(new WeComMomentQuery(Now.AddDays(-1), Now, Limit: 21)));
        Assert.Equal(0, h.Fake.Calls(FakeWeixinApis.MomentList));
    }

    [Fact]
    public async Task Moment_comments_and_likes_tell_customers_from_colleagues()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.AddMoment(new FakeMoment("mom-1", "guide-zhang", Now)
        {
            Comments = [new FakeMomentInteraction("wm-1", null, Now)],
            Likes = [new FakeMomentInteraction("wm-2", null, Now), new FakeMomentInteraction(null, "guide-li", Now)],
        });

        var interactions = await h.WeCom.GetMomentCommentsAsync("mom-1", "guide-zhang");

        Assert.Equal("wm-1", Assert.Single(interactions.Comments).ExternalUserId);
        Assert.Equal(2, interactions.Likes.Count);
        Assert.Contains(interactions.Likes, l => l.UserId == "guide-li" && l.ExternalUserId is null);
    }

    [Fact]
    public async Task Contact_token_expiry_is_refreshed_and_busy_retried()
    {
        await using var h = await WeixinHarness.StartAsync();
        h.Fake.AddGroupChat(new FakeGroupChat("wr-1", "群", "guide"));
        await h.WeCom.GetGroupChatAsync("wr-1");
        h.Fake.ExpireAccessTokens();
        h.Fake.FailNext(FakeWeixinApis.GroupChatGet, -1, "system busy");

        await h.WeCom.GetGroupChatAsync("wr-1");

        Assert.Equal(2, h.Fake.Calls(FakeWeixinApis.WeComGetToken));
    }

    [Fact]
    public void Js_sdk_signature_reproduces_the_documented_example()
    {
        // WeCom doc 96909 (JS-SDK 签名算法), example values.
        var signature = WeComJsSdk.Sign(
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value#fragment");
        Assert.Equal("0f9de62fce790f9a083d5c99e95740ceb90c27ed", signature);
    }

    [Fact]
    public async Task Config_and_agent_config_signatures_use_cached_tickets()
    {
        await using var h = await WeixinHarness.StartAsync();
        const string page = "https://guide.example.com/sidebar?x=1#/customer";

        var config = await h.WeCom.CreateConfigSignatureAsync(page);
        var agent = await h.WeCom.CreateAgentConfigSignatureAsync(page);
        await h.WeCom.CreateAgentConfigSignatureAsync(page);

        Assert.Equal(WeComJsSdk.Sign(h.Fake.IssuedTicket("corp")!, config.NonceStr, config.Timestamp, page), config.Signature);
        Assert.Equal(WeComJsSdk.Sign(h.Fake.IssuedTicket("agent")!, agent.NonceStr, agent.Timestamp, page), agent.Signature);
        Assert.Equal(h.Fake.Options.AgentId, agent.AgentId);
        Assert.Equal(h.Fake.Options.CorpId, config.CorpId);
        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.AgentJsapiTicket));
        Assert.Equal(1, h.Fake.Calls(FakeWeixinApis.CorpJsapiTicket));
    }
}
