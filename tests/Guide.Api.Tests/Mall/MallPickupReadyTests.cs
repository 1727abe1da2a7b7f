using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Messaging;
using Guide.Api.Tests.Support;
using Guide.Domain.Mall;
using Guide.Domain.Messaging;
using Guide.Domain.Organization;
using Guide.Domain.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Mall;

/// <summary>
/// The pickup-ready notice: a guide of the redemption's store (any store's for a member without one) puts the item aside, the
/// redemption stays redeemed with readyAt, and the member gets one PickupReady service message (source key pickup-ready:{id}),
/// sent by the drain through the fake WeChat whatever the fatigue caps say. The counter list shows the guide's own store only.
/// Members without a store are made by the list test alone (they are on every store's list), so its lists are exact.
/// </summary>
public abstract class MallPickupReadyTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Page = "pages/mall/redemption";
    private static readonly string[] Keys = ["thing1", "character_string2", "thing3", "time4"];

    private sealed record Counter(StoreView Store, ShoppingGuide Guide, HttpClient Client);

    private async Task<Counter> CounterAsync()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        return new Counter(store, guide, Api.Client((await Api.LogInGuideAsync(guide)).Token));
    }

    /// <summary>The PickupReady template (the previous one retired).</summary>
    private async Task<MessageTemplate> TemplateAsync()
    {
        var template = new MessageTemplate("取货通知", MessageChannel.Subscribe, MessageKind.Service, ApiFixture.Unique("tmpl"), Keys, Page, DateTimeOffset.UtcNow)
            { Purpose = MessagePurpose.PickupReady };
        await Api.InScopeAsync(async db =>
        {
            foreach (var old in await db.MessageTemplates.Where(t => t.Purpose == MessagePurpose.PickupReady).ToListAsync()) { old.Active = false; old.Purpose = null; }
            await db.SaveChangesAsync();
            db.MessageTemplates.Add(template);
            await db.SaveChangesAsync();
        });
        return template;
    }

    private async Task<Guid> ItemAsync(string kind = "pickup")
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var response = await hq.PostAsJsonAsync("/api/admin/mall/items", new
        {
            name = "保温杯 " + ApiFixture.Unique("i"), kind, pointsPrice = 10, stock = 100, allowedLevels = Array.Empty<int>(),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private sealed record Shopper(Guid Id, string OpenId, HttpClient Client);

    /// <summary>A member with points, a nickname and a phone, in <paramref name="counter"/>'s store (none: no store).</summary>
    private async Task<Shopper> ShopperAsync(Counter? counter)
    {
        var openId = ApiFixture.Unique("openid");
        var member = await Api.LogInMemberAsync(openId);
        await Api.InScopeAsync(async db =>
        {
            var m = await db.Members.SingleAsync(x => x.Id == member.Id);
            m.BindPhone("13812345678");
            m.UpdateProfile("小王 🎁", m.Gender, null);
            await db.SaveChangesAsync();
        });
        await Api.SendAsync(new AdjustPoints(member.Id, 1_000, "test", Guid.NewGuid(), Guid.NewGuid().ToString()));
        if (counter is not null) await Api.BindMemberAsync(member.Id, counter.Guide);
        return new Shopper(member.Id, openId, Api.Client(member.Token));
    }

    private static async Task<JsonElement> RedeemAsync(Shopper shopper, Guid itemId)
    {
        var response = await shopper.Client.PostAsJsonAsync("/api/mp/mall/redemptions", new { itemId, quantity = 1, requestId = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> ReadyAsync(HttpClient guide, Guid redemptionId) =>
        guide.PostAsync($"/api/guide/mall/pickups/{redemptionId}/ready", null);

    private Task<List<OutboundMessage>> MessagesAsync(Guid redemptionId) =>
        Api.DbAsync(db => db.OutboundMessages.AsNoTracking().Where(m => m.SourceKey == MallMessages.PickupReadyKey(redemptionId)).ToListAsync());

    private static async Task<List<Guid>> ListAsync(HttpClient guide, string query = "")
    {
        var response = await guide.GetAsync("/api/guide/mall/pickups" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    [SkippableFact]
    public async Task Ready_queues_one_service_message_and_marking_again_answers_the_same()
    {
        var template = await TemplateAsync();
        var counter = await CounterAsync();
        var shopper = await ShopperAsync(counter);
        var redemption = await RedeemAsync(shopper, await ItemAsync());
        var id = redemption.GetProperty("id").GetGuid();
        var code = redemption.GetProperty("pickupCode").GetString()!;
        Assert.Equal(JsonValueKind.Null, redemption.GetProperty("readyAt").ValueKind);

        var first = await ReadyAsync(counter.Client, id);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var ready = await first.JsonAsync();
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("138****5678", ready.GetProperty("maskedPhone").GetString());
        Assert.Equal("小王 🎁", ready.GetProperty("nickname").GetString());
        var readyAt = ready.GetProperty("readyAt").GetDateTimeOffset();

        // Again, twice at once: the same answer, no second message.
        foreach (var again in await Task.WhenAll(ReadyAsync(counter.Client, id), ReadyAsync(counter.Client, id)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(readyAt, (await again.JsonAsync()).GetProperty("readyAt").GetDateTimeOffset());
        }
        var message = Assert.Single(await MessagesAsync(id));
        Assert.Equal((shopper.Id, MessageChannel.Subscribe, MessageKind.Service, template.Id, Page),
            (message.MemberId, message.Channel, message.Kind, message.TemplateId, message.Page));
        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(message.DataJson!)!;
        Assert.Equal(redemption.GetProperty("itemName").GetString(), data["thing1"]);
        Assert.Equal(code, data["character_string2"]);
        Assert.Equal(counter.Store.Name, data["thing3"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", data["time4"]);

        // The member sees it ready, still redeemed; it is handed out as before, and then no longer marked.
        var mine = await (await shopper.Client.GetAsync($"/api/mp/mall/redemptions/{id}")).JsonAsync();
        Assert.Equal(("redeemed", readyAt), (mine.GetProperty("status").GetString(), mine.GetProperty("readyAt").GetDateTimeOffset()));
        var stored = await Api.DbAsync(db => db.MallRedemptions.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal((counter.Guide.Id, counter.Store.Id), (stored.ReadyByGuideId, stored.ReadyAtStoreId));
        Assert.Equal(HttpStatusCode.OK, (await counter.Client.PostAsJsonAsync("/api/guide/mall/pickups", new { code })).StatusCode);
        await AssertProblemAsync(await ReadyAsync(counter.Client, id), HttpStatusCode.Conflict, "mall.not_fulfillable");
        Assert.Single(await MessagesAsync(id));
    }

    /// <summary>A cap of 0 a day blocks every marketing message; the pickup notice is service: sent, through the fake WeChat, using the acceptance.</summary>
    [SkippableFact]
    public async Task The_drain_sends_the_notice_the_member_accepted_whatever_the_caps_say()
    {
        await Api.SetFatigueRulesAsync(new FatigueRules([new FatigueWindow(null, 0, 1, FatigueWindowKind.Calendar)], null, [], [], true));
        var template = await TemplateAsync();
        var counter = await CounterAsync();
        var shopper = await ShopperAsync(counter);
        Api.Weixin.GrantSubscription(shopper.OpenId, template.ExternalId);
        Api.Weixin.AddPage(Page);
        Assert.Equal(HttpStatusCode.OK, (await shopper.Client.PostAsJsonAsync("/api/mp/me/subscriptions/accepted",
            new { templateIds = new[] { template.ExternalId } })).StatusCode);
        var redemption = await RedeemAsync(shopper, await ItemAsync());
        var id = redemption.GetProperty("id").GetGuid();
        var marketing = ApiFixture.Unique("marketing");
        Assert.True(await Api.InScopeAsync(sp => sp.GetRequiredService<MessageGateway>().QueueAsync(new MessageRequest(shopper.Id, MessageChannel.Subscribe,
            MessageKind.Marketing, marketing, template.Id, new Dictionary<string, string> { ["thing1"] = "会员日" }, Priority: 9), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(counter.Client, id)).StatusCode);
        await Api.InScopeAsync(sp => sp.GetRequiredService<MessageDrainRun>().RunAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        var sent = Assert.Single(await MessagesAsync(id));
        Assert.True(sent.Status == MessageStatus.Sent, $"{sent.Status} {sent.Reason} {sent.Detail}");
        Assert.Contains(Api.Weixin.SentSubscribeMessages, m => m.ToUser == shopper.OpenId && m.TemplateId == template.ExternalId
            && m.Data["character_string2"] == redemption.GetProperty("pickupCode").GetString() && m.Data["thing3"] == counter.Store.Name);
        var capped = await Api.DbAsync(db => db.OutboundMessages.AsNoTracking().SingleAsync(m => m.SourceKey == marketing));
        Assert.Equal((MessageStatus.Blocked, MessageBlockReason.Cap), (capped.Status, capped.Reason));
        Assert.Equal(0, await Api.QuotaAsync(shopper.Id, template.ExternalId));
        await Api.SetFatigueRulesAsync(FatigueRules.Default);
    }

    [SkippableFact]
    public async Task Another_store_a_cancelled_one_an_unknown_id_and_other_audiences_are_refused_and_nothing_is_queued()
    {
        await TemplateAsync();
        var counter = await CounterAsync();
        var other = await CounterAsync();
        var shopper = await ShopperAsync(counter);
        var item = await ItemAsync();
        var id = (await RedeemAsync(shopper, item)).GetProperty("id").GetGuid();
        var cancelled = (await RedeemAsync(shopper, item)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await shopper.Client.PostAsync($"/api/mp/mall/redemptions/{cancelled}/cancel", null)).StatusCode);
        var parcel = (await RedeemAsync(shopper, await ItemAsync("shipped"))).GetProperty("id").GetGuid();
        var inactive = await Api.CreateGuideAsync(counter.Store.Id);
        var inactiveClient = Api.Client((await Api.LogInGuideAsync(inactive)).Token);
        await Api.InScopeAsync(async db =>
        {
            var g = await db.Guides.SingleAsync(x => x.Id == inactive.Id);
            g.Update(g.Name, g.StoreId, g.Role, g.ManagedAreas, g.Mobile, false);
            await db.SaveChangesAsync();
        });

        await AssertProblemAsync(await ReadyAsync(other.Client, id), HttpStatusCode.Forbidden, "mall.pickup_other_store");
        await AssertProblemAsync(await ReadyAsync(counter.Client, cancelled), HttpStatusCode.Conflict, "mall.not_fulfillable");
        await AssertProblemAsync(await ReadyAsync(counter.Client, Guid.NewGuid()), HttpStatusCode.NotFound, "mall.redemption_not_found");
        await AssertProblemAsync(await ReadyAsync(counter.Client, parcel), HttpStatusCode.NotFound, "mall.redemption_not_found");
        await AssertProblemAsync(await ReadyAsync(inactiveClient, id), HttpStatusCode.Forbidden, "guide.inactive");
        await AssertProblemAsync(await counter.Client.GetAsync("/api/guide/mall/pickups?status=done"), HttpStatusCode.BadRequest, "request.malformed");
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        foreach (var client in new[] { shopper.Client, hq })
        {
            await AssertProblemAsync(await ReadyAsync(client, id), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await client.GetAsync("/api/guide/mall/pickups"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        }

        foreach (var refused in new[] { id, cancelled, parcel }) Assert.Empty(await MessagesAsync(refused));
        Assert.Null(await Api.DbAsync(db => db.MallRedemptions.Where(r => r.Id == id).Select(r => r.ReadyAt).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(counter.Client, id)).StatusCode);
    }

    [SkippableFact]
    public async Task The_counter_list_shows_the_own_store_and_members_without_one_oldest_first()
    {
        var a = await CounterAsync();
        var b = await CounterAsync();
        var item = await ItemAsync();
        var mineFirst = (await RedeemAsync(await ShopperAsync(a), item)).GetProperty("id").GetGuid();
        var theirs = (await RedeemAsync(await ShopperAsync(b), item)).GetProperty("id").GetGuid();
        var anywhere = (await RedeemAsync(await ShopperAsync(null), item)).GetProperty("id").GetGuid();
        var mineLater = (await RedeemAsync(await ShopperAsync(a), item)).GetProperty("id").GetGuid();

        Assert.Equal([mineFirst, anywhere, mineLater], await ListAsync(a.Client, "?status=waiting"));
        Assert.Equal([theirs, anywhere], await ListAsync(b.Client));
        var page = await (await a.Client.GetAsync("/api/guide/mall/pickups?page=2&pageSize=1")).JsonAsync();
        Assert.Equal((2, 1, 3), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(anywhere, row.GetProperty("id").GetGuid());
        Assert.Equal(("138****5678", "waiting", 1), (row.GetProperty("maskedPhone").GetString(), row.GetProperty("status").GetString(),
            row.GetProperty("quantity").GetInt32()));
        Assert.StartsWith("保温杯 ", row.GetProperty("itemName").GetString());

        // B puts the storeless one aside: it waits at B now, on nobody's waiting list; A readies its first.
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(b.Client, anywhere)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(a.Client, anywhere)).StatusCode); // already ready: the same answer
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(a.Client, mineFirst)).StatusCode);
        Assert.Equal([mineLater], await ListAsync(a.Client, "?status=waiting"));
        Assert.Equal([mineFirst], await ListAsync(a.Client, "?status=ready"));
        Assert.Equal([mineFirst, mineLater], await ListAsync(a.Client));
        Assert.Equal([anywhere], await ListAsync(b.Client, "?status=ready"));
        Assert.Equal([theirs], await ListAsync(b.Client, "?status=waiting"));
        var stored = await Api.DbAsync(db => db.MallRedemptions.AsNoTracking().SingleAsync(r => r.Id == anywhere));
        Assert.Equal((b.Guide.Id, b.Store.Id), (stored.ReadyByGuideId, stored.ReadyAtStoreId));

        // Handed out: off the list.
        var code = await Api.DbAsync(db => db.MallRedemptions.Where(r => r.Id == mineFirst).Select(r => r.PickupCode).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await a.Client.PostAsJsonAsync("/api/guide/mall/pickups", new { code })).StatusCode);
        Assert.Empty(await ListAsync(a.Client, "?status=ready"));
    }
}

public sealed class MallPickupReadyTestsOnSqlite(SqliteApi fixture) : MallPickupReadyTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class MallPickupReadyTestsOnMySql(MySqlApi fixture) : MallPickupReadyTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
