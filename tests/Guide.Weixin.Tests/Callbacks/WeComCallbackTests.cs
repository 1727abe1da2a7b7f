using System.Net;
using Guide.Weixin.Callbacks;
using Microsoft.AspNetCore.Http;

namespace Guide.Weixin.Tests.Callbacks;

public sealed class WeComCallbackTests
{
    private static WeComCallbackEvent Read(WeixinHarness h, Fake.FakeWeComCallback c) =>
        h.WeComCallbacks.ReadEvent(c.MsgSignature, c.Timestamp, c.Nonce, c.Body);

    [Fact]
    public async Task Added_customer_event_is_parsed_with_its_state()
    {
        await using var h = await WeixinHarness.StartAsync();
        var xml = h.Fake.WeComExternalContactEventXml("add_external_contact", "guide-zhang", "wm-customer-1", state: "store-12", welcomeCode: "WELCOME");

        var e = Assert.IsType<ExternalContactChanged>(Read(h, h.Fake.CreateWeComCallback(xml)));

        Assert.Equal(ExternalContactChange.Added, e.ChangeType);
        Assert.Equal("guide-zhang", e.UserId);
        Assert.Equal("wm-customer-1", e.ExternalUserId);
        Assert.Equal("store-12", e.State);
        Assert.Equal("WELCOME", e.WelcomeCode);
        Assert.Equal(h.Fake.Options.CorpId, e.ToUserName);
    }

    [Theory]
    [InlineData("edit_external_contact", ExternalContactChange.Edited)]
    [InlineData("add_half_external_contact", ExternalContactChange.HalfAdded)]
    [InlineData("del_external_contact", ExternalContactChange.DeletedByGuide)]
    [InlineData("del_follow_user", ExternalContactChange.DeletedByCustomer)]
    [InlineData("transfer_fail", ExternalContactChange.TransferFailed)]
    public async Task Every_contact_change_type_is_typed(string changeType, ExternalContactChange expected)
    {
        await using var h = await WeixinHarness.StartAsync();
        var xml = h.Fake.WeComExternalContactEventXml(changeType, "guide-li", "wm-customer-2");

        var e = Assert.IsType<ExternalContactChanged>(Read(h, h.Fake.CreateWeComCallback(xml)));

        Assert.Equal(expected, e.ChangeType);
        Assert.Null(e.State);
    }

    [Fact]
    public async Task Group_events_are_parsed_with_members()
    {
        await using var h = await WeixinHarness.StartAsync();
        var created = Read(h, h.Fake.CreateWeComCallback(h.Fake.WeComExternalChatEventXml("create", "wr-chat-1")));
        var joined = Read(h, h.Fake.CreateWeComCallback(h.Fake.WeComExternalChatEventXml(
            "update", "wr-chat-1", "add_member", joinScene: 3, members: ["wm-a", "wm-b"])));
        var left = Read(h, h.Fake.CreateWeComCallback(h.Fake.WeComExternalChatEventXml(
            "update", "wr-chat-1", "del_member", quitScene: 0, members: ["wm-a"])));
        var dismissed = Read(h, h.Fake.CreateWeComCallback(h.Fake.WeComExternalChatEventXml("dismiss", "wr-chat-1")));

        Assert.Equal(ExternalChatChange.Created, Assert.IsType<ExternalChatChanged>(created).ChangeType);
        var j = Assert.IsType<ExternalChatChanged>(joined);
        Assert.Equal(("add_member", 3, 2), (j.UpdateDetail, j.JoinScene, j.MemChangeCount));
        Assert.Equal(["wm-a", "wm-b"], j.MemChangeList);
        var l = Assert.IsType<ExternalChatChanged>(left);
        Assert.Equal(("del_member", 0), (l.UpdateDetail, l.QuitScene));
        Assert.Equal(ExternalChatChange.Dismissed, Assert.IsType<ExternalChatChanged>(dismissed).ChangeType);
    }

    [Fact]
    public void Older_comma_separated_member_list_is_understood()
    {
        var xml = "<xml><ToUserName>ww1</ToUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType>"
                  + "<Event>change_external_chat</Event><ChatId>wr1</ChatId><ChangeType>update</ChangeType>"
                  + "<UpdateDetail>add_member</UpdateDetail><MemChangeList><![CDATA[a,b]]></MemChangeList></xml>";
        var e = Assert.IsType<ExternalChatChanged>(WeComCallbackEventParser.Parse(xml));
        Assert.Equal(["a", "b"], e.MemChangeList);
    }

    [Fact]
    public async Task Redelivered_event_has_the_same_deduplication_key()
    {
        await using var h = await WeixinHarness.StartAsync();
        var xml = h.Fake.WeComExternalContactEventXml("del_follow_user", "guide-li", "wm-3", createTime: DateTimeOffset.UtcNow);

        var first = Read(h, h.Fake.CreateWeComCallback(xml));
        var again = Read(h, h.Fake.CreateWeComCallback(xml));

        Assert.Equal(first.DeduplicationKey, again.DeduplicationKey);
    }

    [Fact]
    public async Task Forged_tampered_and_stale_callbacks_are_rejected()
    {
        await using var h = await WeixinHarness.StartAsync();
        var xml = h.Fake.WeComExternalContactEventXml("add_external_contact", "guide-li", "wm-4");
        var genuine = h.Fake.CreateWeComCallback(xml);

        var forged = genuine with { MsgSignature = new string('0', 40) };
        var tampered = genuine with { Body = genuine.Body.Replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[A") };
        var replayed = h.Fake.CreateWeComCallback(xml, DateTimeOffset.UtcNow.AddMinutes(-10));

        Assert.Equal("msg_signature does not match", Assert.Throws<WeixinCallbackException>(() => Read(h, forged)).Reason);
        Assert.Equal("msg_signature does not match", Assert.Throws<WeixinCallbackException>(() => Read(h, tampered)).Reason);
        Assert.Contains("timestamp", Assert.Throws<WeixinCallbackException>(() => Read(h, replayed)).Reason);
    }

    [Fact]
    public async Task Callback_for_another_corp_is_rejected()
    {
        await using var h = await WeixinHarness.StartAsync(extraConfiguration: [new("Weixin:WeCom:CorpId", "wwanothercorp")]);
        var callback = h.Fake.CreateWeComCallback(h.Fake.WeComExternalContactEventXml("add_external_contact", "g", "wm"));

        Assert.Equal("receive id does not match", Assert.Throws<WeixinCallbackException>(() => Read(h, callback)).Reason);
    }

    [Fact]
    public async Task Url_check_and_events_work_over_http()
    {
        await using var h = await WeixinHarness.StartAsync();
        var received = new List<WeComCallbackEvent>();
        await using var receiver = await LoopbackReceiver.StartAsync(async ctx =>
        {
            var q = ctx.Request.Query;
            try
            {
                if (HttpMethods.IsGet(ctx.Request.Method))
                {
                    await ctx.Response.WriteAsync(h.WeComCallbacks.VerifyUrl(q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"]));
                    return;
                }
                var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
                var e = h.WeComCallbacks.ReadEvent(q["msg_signature"], q["timestamp"], q["nonce"], body);
                lock (received) received.Add(e);
                await ctx.Response.WriteAsync("success");
            }
            catch (WeixinCallbackException)
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
        });

        Assert.True(await h.Fake.VerifyWeComCallbackUrlAsync(receiver.Url));
        var answers = await h.Fake.SendWeComCallbackAsync(receiver.Url,
            h.Fake.WeComExternalContactEventXml("add_external_contact", "guide-wang", "wm-5", state: "qr-7"), copies: 2);
        var forged = h.Fake.CreateWeComCallback(h.Fake.WeComExternalContactEventXml("add_external_contact", "x", "y")) with { Nonce = "1" };
        var forgedAnswer = await h.Fake.PostWeComCallbackAsync(receiver.Url, forged);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].DeduplicationKey, received[1].DeduplicationKey);
        Assert.Equal("qr-7", Assert.IsType<ExternalContactChanged>(received[0]).State);
        Assert.Equal(HttpStatusCode.Forbidden, forgedAnswer);
    }
}
