using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Members;
using Guide.Domain.Messaging;
using Guide.Domain.Organization;
using Guide.Domain.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// Campaigns (issue 20, part 4): audience filters, the estimate against what the send and the drain then do, priority under a
/// cap of 1 a day, a send that stopped halfway and resumed, sending twice, empty audiences, unknown templates, bad lists. The
/// host's clock is fake (noon in Shanghai, outside the default quiet hours) and the database is the class's own: every test
/// has its own store and members, every campaign filters on them.
/// </summary>
public abstract class CampaignTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private const string Url = "/api/admin/campaigns";

    private DateTimeOffset Now => Api.Time.GetUtcNow();

    private async Task<HttpClient> HqAsync() => Api.Client(await Api.AdminTokenAsync());

    private async Task<Guid> MemberAsync(Guid storeId, bool phone = true, int level = 0, DateOnly? birthday = null, ShoppingGuide? guide = null)
    {
        var member = new Member(ApiFixture.Unique("camp-openid"), null, Now.AddYears(-1));
        member.UpdateProfile("会员", Gender.Unknown, birthday);
        if (phone) member.BindPhone(NextPhone());
        if (guide is not null) member.BindExclusiveGuide(guide);
        await Api.InScopeAsync(async db =>
        {
            db.Members.Add(member);
            await db.SaveChangesAsync();
            await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.StoreId, storeId).SetProperty(m => m.Level, level));
        });
        return member.Id;
    }

    private static string NextPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task TouchAsync(Guid memberId, DateTimeOffset at, MessageChannel channel = MessageChannel.Sms) =>
        Api.InScopeAsync(async db =>
        {
            db.Touches.Add(new Touch(memberId, channel, Guid.NewGuid(), null, at, DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime)));
            await db.SaveChangesAsync();
        });

    private Task UnsubscribeAsync(Guid memberId, MessageChannel channel) =>
        Api.InScopeAsync(async db =>
        {
            var consent = new MemberMessageConsent(memberId, Now);
            if (channel == MessageChannel.Sms) consent.SmsMarketing = false;
            if (channel == MessageChannel.WeCom) consent.WeComMarketing = false;
            if (channel == MessageChannel.Subscribe) consent.SubscribeMarketing = false;
            db.MemberMessageConsents.Add(consent);
            await db.SaveChangesAsync();
        });

    private static object Sms(object audience, int priority = 0, string name = "春季上新") =>
        new { name, audience, channel = "sms", text = "春季新品到店，回T退订", priority };

    private async Task<Guid> CreateAsync(HttpClient hq, object body)
    {
        var response = await hq.PostAsJsonAsync(Url, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> SendAsync(HttpClient hq, Guid id)
    {
        var response = await hq.PostAsync($"{Url}/{id}/send", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private async Task<JsonElement> EstimateAsync(HttpClient hq, Guid id)
    {
        var response = await hq.PostAsync($"{Url}/{id}/estimate", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private Task<List<OutboundMessage>> MessagesAsync(Guid campaignId) =>
        Api.DbAsync(db => db.OutboundMessages.AsNoTracking().Where(m => m.CampaignId == campaignId).ToListAsync());

    private async Task<HashSet<Guid>> QueuedMembersAsync(HttpClient hq, object audience)
    {
        var id = await CreateAsync(hq, Sms(audience));
        var response = await hq.PostAsync($"{Url}/{id}/send", null);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity) return [];
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await MessagesAsync(id)).Select(m => m.MemberId).ToHashSet();
    }

    private Task<string> DrainAsync() =>
        Api.InScopeAsync(sp => sp.GetRequiredService<MessageDrainRun>().RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None));

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [SkippableFact]
    public async Task Audience_filters_select_exactly_their_members()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var other = await Api.CreateStoreAsync();
        // The guide is another store's: a sale in this store binds nobody to them.
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var gold = await MemberAsync(store.Id, level: 2);
        var silver = await MemberAsync(store.Id, level: 1, birthday: new DateOnly(1990, 5, 31));
        var guided = await MemberAsync(store.Id, guide: guide, birthday: new DateOnly(1988, 6, 1));
        var buyer = await MemberAsync(store.Id);
        var oldBuyer = await MemberAsync(store.Id);
        var rich = await MemberAsync(store.Id);
        var elsewhere = await MemberAsync(other.Id, level: 2);

        // Points balances: rich 50,000, gold 10,000, the buyers what their sale earned (a few), the others none (0).
        await Api.InScopeAsync(async db =>
        {
            db.PointsAccounts.AddRange(new PointsAccount(rich, Now), new PointsAccount(gold, Now));
            await db.SaveChangesAsync();
            await db.PointsAccounts.Where(a => a.MemberId == rich).ExecuteUpdateAsync(u => u.SetProperty(a => a.Balance, 50_000L));
            await db.PointsAccounts.Where(a => a.MemberId == gold).ExecuteUpdateAsync(u => u.SetProperty(a => a.Balance, 10_000L));
        });
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync(), () => Api.Time.GetUtcNow());
        await SaleAsync(pos, buyer, ApiFixture.Unique("S"), Now.AddDays(-3));
        await SaleAsync(pos, oldBuyer, ApiFixture.Unique("S"), Now.AddDays(-60));

        var stores = new[] { store.Id };
        Assert.Equal([gold, silver, guided, buyer, oldBuyer, rich], (await QueuedMembersAsync(hq, new { storeIds = stores })).Order());
        Assert.Equal([gold, elsewhere], (await QueuedMembersAsync(hq, new { storeIds = new[] { store.Id, other.Id }, levels = new[] { 2 } })).Order());
        Assert.Equal([silver, gold], (await QueuedMembersAsync(hq, new { storeIds = stores, levels = new[] { 1, 2 } })).OrderBy(x => x == gold));
        Assert.Equal([guided], await QueuedMembersAsync(hq, new { guideIds = new[] { guide.Id } }));
        Assert.Equal([silver], await QueuedMembersAsync(hq, new { storeIds = stores, birthdayMonth = 5 }));
        Assert.Equal([buyer], await QueuedMembersAsync(hq, new { storeIds = stores, lastPurchase = new { withinDays = 30 } }));
        Assert.Equal([buyer, oldBuyer], (await QueuedMembersAsync(hq, new { storeIds = stores, lastPurchase = new { withinDays = 90 } })).OrderBy(x => x == oldBuyer));
        Assert.Equal(new[] { gold, silver, guided, oldBuyer, rich }.Order(),
            (await QueuedMembersAsync(hq, new { storeIds = stores, lastPurchase = new { notWithinDays = 30 } })).Order());
        Assert.Equal([rich], await QueuedMembersAsync(hq, new { storeIds = stores, pointsMin = 20_000 }));
        Assert.Equal([gold], await QueuedMembersAsync(hq, new { storeIds = stores, pointsMin = 5_000, pointsMax = 20_000 }));
        Assert.Equal(new[] { silver, guided }.Order(), (await QueuedMembersAsync(hq, new { storeIds = stores, pointsMax = 0 })).Order());
        Assert.Equal(new[] { silver, guided, buyer, oldBuyer }.Order(), (await QueuedMembersAsync(hq, new { storeIds = stores, pointsMax = 4_999 })).Order());
        Assert.Empty(await QueuedMembersAsync(hq, new { storeIds = stores, levels = new[] { 9 } }));

        // An imported list: by phone, intersected with the other conditions.
        var phones = await Api.DbAsync(db => db.Members.Where(m => m.Id == silver || m.Id == elsewhere).Select(m => m.Phone!).ToListAsync());
        var listed = await CreateAsync(hq, Sms(new { importedList = true }));
        var imported = await hq.PostAsync($"{Url}/{listed}/members", Csv("phone\r\n" + string.Join("\r\n", phones) + "\r\n"));
        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        Assert.Equal(2, (await imported.JsonAsync()).GetProperty("importedMembers").GetInt32());
        await SendAsync(hq, listed);
        Assert.Equal(new[] { silver, elsewhere }.Order(), (await MessagesAsync(listed)).Select(m => m.MemberId).Order());
    }

    private static async Task SaleAsync(HttpClient pos, Guid memberId, string number, DateTimeOffset at)
    {
        var response = await pos.PostAsJsonAsync("/api/integration/documents", new
        {
            documentNumber = number, kind = "sale", memberId, documentTime = at,
            lines = new object[] { new { lineNo = 1, sku = "SKU-CAMP", product = "活动测试", quantity = 1, unitPrice = 1000, paidAmount = 1000 } },
            payments = new object[] { new { method = "cash", amount = 1000 } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, int> Excluded(JsonElement channel) =>
        channel.GetProperty("excluded").EnumerateArray().ToDictionary(
            e => e.GetProperty("reason").GetString() + (e.GetProperty("window").ValueKind == JsonValueKind.String ? ":" + e.GetProperty("window").GetString() : ""),
            e => e.GetProperty("members").GetInt32());

    private static JsonElement Channel(JsonElement estimate, string channel) =>
        estimate.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == channel);

    [SkippableFact]
    public async Task The_estimate_is_what_the_send_and_the_drain_then_do()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var ok1 = await MemberAsync(store.Id, guide: guide);
        var ok2 = await MemberAsync(store.Id);
        var noPhone = await MemberAsync(store.Id, phone: false, guide: guide);
        var unsubscribed = await MemberAsync(store.Id, guide: guide);
        await UnsubscribeAsync(unsubscribed, MessageChannel.Sms);
        var touchedToday = await MemberAsync(store.Id);
        await TouchAsync(touchedToday, Now.AddHours(-1), MessageChannel.WeCom);
        var weekFull = await MemberAsync(store.Id);
        foreach (var d in new[] { 2, 3, 5 }) await TouchAsync(weekFull, Now.AddDays(-d));
        var olderTouches = await MemberAsync(store.Id); // 3 touches 8-10 days ago: outside the week, inside the month (8 allowed)
        foreach (var d in new[] { 8, 9, 10 }) await TouchAsync(olderTouches, Now.AddDays(-d));

        var id = await CreateAsync(hq, Sms(new { storeIds = new[] { store.Id } }));
        var estimate = await EstimateAsync(hq, id);
        Assert.Equal(7, estimate.GetProperty("audience").GetInt32());
        Assert.Equal(3, estimate.GetProperty("reachable").GetInt32());
        var sms = Channel(estimate, "sms");
        Assert.Equal(3, sms.GetProperty("reachable").GetInt32());
        Assert.Equal(new Dictionary<string, int>
        {
            ["no_phone"] = 1, ["unsubscribed"] = 1, ["cap:all channels: 1 in 1 calendar day(s)"] = 1, ["cap:all channels: 3 in 7 rolling day(s)"] = 1,
        }, Excluded(sms));
        // WeCom: only the guided members have a guide (one of them unsubscribed from SMS only).
        var wecom = Channel(estimate, "we_com");
        Assert.Equal(3, wecom.GetProperty("reachable").GetInt32());
        Assert.Equal(4, Excluded(wecom)["no_guide"]);
        // Subscribe: nobody accepted a subscription.
        Assert.Equal(0, Channel(estimate, "subscribe").GetProperty("reachable").GetInt32());
        Assert.Empty(await MessagesAsync(id)); // the estimate wrote nothing

        var sent = await SendAsync(hq, id);
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(7, sent.GetProperty("queuedCount").GetInt32());
        await DrainAsync();
        var results = (await (await hq.GetAsync($"{Url}/{id}")).JsonAsync()).GetProperty("results");
        Assert.Equal(3, results.GetProperty("sent").GetInt32());
        Assert.Equal(4, results.GetProperty("blocked").GetInt32());
        var blocked = results.GetProperty("blockedBy").EnumerateArray().ToDictionary(
            e => e.GetProperty("reason").GetString() + (e.GetProperty("window").ValueKind == JsonValueKind.String ? ":" + e.GetProperty("window").GetString() : ""),
            e => e.GetProperty("messages").GetInt32());
        Assert.Equal(Excluded(sms), blocked);
        var messages = await MessagesAsync(id);
        Assert.Equal(new[] { ok1, ok2, olderTouches }.Order(), messages.Where(m => m.Status == MessageStatus.Sent).Select(m => m.MemberId).Order());
        Assert.All(messages, m => Assert.Equal($"campaign:{id}:{m.MemberId}", m.SourceKey));
    }

    [SkippableFact]
    public async Task The_higher_priority_campaign_wins_a_cap_of_one_a_day()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var members = new List<Guid>();
        for (var i = 0; i < 3; i++) members.Add(await MemberAsync(store.Id));
        var audience = new { storeIds = new[] { store.Id } };
        var low = await CreateAsync(hq, Sms(audience, priority: 1, name: "低优先级"));
        var high = await CreateAsync(hq, Sms(audience, priority: 5, name: "高优先级"));
        await SendAsync(hq, low);
        await SendAsync(hq, high);
        await DrainAsync();
        var highMessages = await MessagesAsync(high);
        var lowMessages = await MessagesAsync(low);
        Assert.All(highMessages, m => Assert.Equal(MessageStatus.Sent, m.Status));
        Assert.All(lowMessages, m =>
        {
            Assert.Equal(MessageStatus.Blocked, m.Status);
            Assert.Equal(MessageBlockReason.Cap, m.Reason);
            Assert.Equal("all channels: 1 in 1 calendar day(s)", m.Detail);
        });
        Assert.Equal(members.Order(), highMessages.Select(m => m.MemberId).Order());
        Assert.Equal(3, lowMessages.Count);
    }

    [SkippableFact]
    public async Task A_send_that_stopped_halfway_resumes_and_queues_each_member_once()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var members = new List<Guid>();
        for (var i = 0; i < 5; i++) members.Add(await MemberAsync(store.Id));
        var id = await CreateAsync(hq, Sms(new { storeIds = new[] { store.Id } }));

        // The send started (as POST send does) and its process died after one batch of 2.
        await Api.InScopeAsync(db => db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CampaignStatus.Sending)
            .SetProperty(c => c.SendStartedAt, Now).SetProperty(c => c.ProgressAt, Now).SetProperty(c => c.AudienceCount, 5)));
        var done = await Api.InScopeAsync(sp => sp.GetRequiredService<CampaignMaterializer>().RunAsync(id, 1, CancellationToken.None, batchSize: 2));
        Assert.False(done);
        Assert.Equal(2, (await MessagesAsync(id)).Count);
        var halfway = await Api.DbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(CampaignStatus.Sending, halfway.Status);
        Assert.Equal(2, halfway.QueuedCount);

        // A second send is refused while it is sending; the job resumes it (nothing resumes a send still making progress).
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/send", null), HttpStatusCode.Conflict, "campaign.already_sent");
        Assert.Equal("resumed 0 campaign(s)", await Api.InScopeAsync(sp => sp.GetRequiredService<ResumeCampaignsRun>().RunAsync(CancellationToken.None)));
        Assert.Equal("resumed 1 campaign(s)", await Api.InScopeAsync(sp => sp.GetRequiredService<ResumeCampaignsRun>().RunAsync(TimeSpan.Zero, CancellationToken.None)));
        var messages = await MessagesAsync(id);
        Assert.Equal(members.Order(), messages.Select(m => m.MemberId).Order());
        var sent = await Api.DbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(CampaignStatus.Sent, sent.Status);
        Assert.Equal(5, sent.QueuedCount);

        // Even with its progress lost, a re-run queues nobody twice (the source key is unique).
        await Api.InScopeAsync(db => db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CampaignStatus.Sending)
            .SetProperty(c => c.LastMemberId, (Guid?)null)));
        await Api.InScopeAsync(sp => sp.GetRequiredService<ResumeCampaignsRun>().RunAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(5, (await MessagesAsync(id)).Count);
        Assert.Equal(5, (await Api.DbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id))).QueuedCount);
    }

    [SkippableFact]
    public async Task Sending_twice_is_a_conflict_even_at_once()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        for (var i = 0; i < 3; i++) await MemberAsync(store.Id);
        var id = await CreateAsync(hq, Sms(new { storeIds = new[] { store.Id } }));
        var both = await Task.WhenAll(hq.PostAsync($"{Url}/{id}/send", null), hq.PostAsync($"{Url}/{id}/send", null));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        await AssertProblemAsync(both.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "campaign.already_sent");
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/send", null), HttpStatusCode.Conflict, "campaign.already_sent");
        Assert.Equal(3, (await MessagesAsync(id)).Count);
    }

    [SkippableFact]
    public async Task An_empty_audience_is_refused_and_nothing_is_written()
    {
        var hq = await HqAsync();
        var empty = await Api.CreateStoreAsync();
        var id = await CreateAsync(hq, Sms(new { storeIds = new[] { empty.Id } }));
        var estimate = await EstimateAsync(hq, id);
        Assert.Equal(0, estimate.GetProperty("audience").GetInt32());
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/send", null), HttpStatusCode.UnprocessableEntity, "campaign.empty_audience");
        var campaign = await Api.DbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(CampaignStatus.Draft, campaign.Status);
        Assert.Empty(await MessagesAsync(id));
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{Guid.NewGuid()}/send", null), HttpStatusCode.NotFound, "campaign.not_found");
        await AssertProblemAsync(await hq.GetAsync($"{Url}/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "campaign.not_found");
    }

    private Task<string> OpenIdAsync(Guid memberId) => Api.DbAsync(db => db.Members.Where(m => m.Id == memberId).Select(m => m.OpenId).SingleAsync());

    private Task AcceptedAsync(Guid memberId, string weixinTemplateId) =>
        Api.InScopeAsync(async db =>
        {
            db.SubscribeQuotas.Add(new SubscribeQuota(memberId, weixinTemplateId, Now) { Remaining = 1 });
            await db.SaveChangesAsync();
        });

    private static Dictionary<string, int> BlockedBy(JsonElement results) =>
        results.GetProperty("blockedBy").EnumerateArray().ToDictionary(e => e.GetProperty("reason").GetString()!, e => e.GetProperty("messages").GetInt32());

    /// <summary>
    /// A subscribe campaign end to end, through the fake WeChat: the member who accepted the template (here and at WeChat) gets it and
    /// uses the acceptance; one who never accepted is blocked without a call; one whose acceptance WeChat no longer has (43101) is
    /// blocked and their count set to 0; one who unsubscribed from marketing in the mini program is blocked before anything is used.
    /// </summary>
    [SkippableFact]
    public async Task A_subscribe_campaign_reaches_exactly_the_members_who_accepted_its_template()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var template = new MessageTemplate(ApiFixture.Unique("tpl"), MessageChannel.Subscribe, MessageKind.Marketing, ApiFixture.Unique("wx"), ["thing1"], null, Now);
        await Api.InScopeAsync(async db => { db.MessageTemplates.Add(template); await db.SaveChangesAsync(); });
        var accepted = await MemberAsync(store.Id);
        var never = await MemberAsync(store.Id);
        var goneAtWeixin = await MemberAsync(store.Id);
        var unsubscribed = await MemberAsync(store.Id);
        await AcceptedAsync(accepted, template.ExternalId);
        Api.Weixin.GrantSubscription(await OpenIdAsync(accepted), template.ExternalId);
        await AcceptedAsync(goneAtWeixin, template.ExternalId); // ours says 1, WeChat says none
        await AcceptedAsync(unsubscribed, template.ExternalId);
        Api.Weixin.GrantSubscription(await OpenIdAsync(unsubscribed), template.ExternalId);
        await UnsubscribeAsync(unsubscribed, MessageChannel.Subscribe);

        var id = await CreateAsync(hq, new { name = "订阅上新", audience = new { storeIds = new[] { store.Id } }, channel = "subscribe", templateId = template.Id,
            data = new Dictionary<string, string> { ["thing1"] = "春季上新" } });
        var estimate = Channel(await EstimateAsync(hq, id), "subscribe");
        Assert.Equal(2, estimate.GetProperty("reachable").GetInt32()); // what WeChat still holds is not known before sending
        Assert.Equal(new Dictionary<string, int> { ["no_subscribe_quota"] = 1, ["unsubscribed"] = 1 }, Excluded(estimate));

        await SendAsync(hq, id);
        await DrainAsync();
        var results = (await (await hq.GetAsync($"{Url}/{id}")).JsonAsync()).GetProperty("results");
        Assert.Equal(1, results.GetProperty("sent").GetInt32());
        Assert.Equal(3, results.GetProperty("blocked").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["no_subscribe_quota"] = 2, ["unsubscribed"] = 1 }, BlockedBy(results));
        var messages = (await MessagesAsync(id)).ToDictionary(m => m.MemberId);
        Assert.Equal(MessageStatus.Sent, messages[accepted].Status);
        Assert.Equal(MessageBlockReason.Unsubscribed, messages[unsubscribed].Reason);
        var delivered = Assert.Single(Api.Weixin.SentSubscribeMessages, m => m.TemplateId == template.ExternalId);
        Assert.Equal((await OpenIdAsync(accepted), "春季上新"), (delivered.ToUser, delivered.Data["thing1"]));
        var remaining = await Api.DbAsync(db => db.SubscribeQuotas.Where(q => q.WeixinTemplateId == template.ExternalId)
            .ToDictionaryAsync(q => q.MemberId, q => q.Remaining));
        Assert.Equal(new Dictionary<Guid, int> { [accepted] = 0, [goneAtWeixin] = 0, [unsubscribed] = 1 }, remaining);
    }

    /// <summary>
    /// A WeCom campaign end to end: the member whose exclusive guide is active waits on that guide's workbench until the guide sends
    /// it; a member without a guide, or whose guide left, is blocked (no guide). The guide's send is what counts as sent.
    /// </summary>
    [SkippableFact]
    public async Task A_wecom_campaign_waits_on_each_members_guide_and_counts_what_the_guide_sent()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var left = await Api.CreateGuideAsync(store.Id);
        var guided = await MemberAsync(store.Id, guide: guide);
        var orphaned = await MemberAsync(store.Id, guide: left);
        var unguided = await MemberAsync(store.Id);
        await Api.InScopeAsync(db => db.Guides.Where(g => g.Id == left.Id).ExecuteUpdateAsync(u => u.SetProperty(g => g.Active, false)));

        var id = await CreateAsync(hq, new { name = "导购邀约", audience = new { storeIds = new[] { store.Id } }, channel = "we_com", text = "周末到店有礼" });
        var estimate = Channel(await EstimateAsync(hq, id), "we_com");
        Assert.Equal(1, estimate.GetProperty("reachable").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["no_guide"] = 2 }, Excluded(estimate));

        await SendAsync(hq, id);
        await DrainAsync();
        var results = (await (await hq.GetAsync($"{Url}/{id}")).JsonAsync()).GetProperty("results");
        Assert.Equal((1, 0, 2), (results.GetProperty("awaitingGuide").GetInt32(), results.GetProperty("sent").GetInt32(), results.GetProperty("blocked").GetInt32()));
        var client = Api.Client(Api.GuideToken(guide));
        var list = await client.GetAsync("/api/guide/messages");
        Assert.True(list.StatusCode == HttpStatusCode.OK, await list.Content.ReadAsStringAsync());
        var item = Assert.Single((await list.JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal((guided, "周末到店有礼"), (item.GetProperty("member").GetProperty("id").GetGuid(), item.GetProperty("text").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/guide/messages/{item.GetProperty("id").GetGuid()}/sent", null)).StatusCode);
        results = (await (await hq.GetAsync($"{Url}/{id}")).JsonAsync()).GetProperty("results");
        Assert.Equal((0, 1, 2), (results.GetProperty("awaitingGuide").GetInt32(), results.GetProperty("sent").GetInt32(), results.GetProperty("blocked").GetInt32()));
        var messages = (await MessagesAsync(id)).ToDictionary(m => m.MemberId);
        Assert.Equal(guide.Id, messages[guided].GuideId);
        Assert.All(new[] { orphaned, unguided }, m => Assert.Equal(MessageBlockReason.NoGuide, messages[m].Reason));
    }

    [SkippableFact]
    public async Task Unknown_inactive_or_other_channel_templates_and_bad_terms_are_refused()
    {
        var hq = await HqAsync();
        var subscribe = new MessageTemplate(ApiFixture.Unique("tpl"), MessageChannel.Subscribe, MessageKind.Marketing, ApiFixture.Unique("wx"), ["thing1"], "pages/index", Now);
        var inactive = new MessageTemplate(ApiFixture.Unique("tpl"), MessageChannel.Sms, MessageKind.Marketing, ApiFixture.Unique("SMS"), ["name"], null, Now) { Active = false };
        await Api.InScopeAsync(async db => { db.MessageTemplates.AddRange(subscribe, inactive); await db.SaveChangesAsync(); });
        var before = await Api.DbAsync(db => db.Campaigns.CountAsync());
        var audience = new { };
        foreach (var (channel, template) in new[] { ("sms", Guid.NewGuid()), ("sms", subscribe.Id), ("sms", inactive.Id), ("subscribe", Guid.NewGuid()) })
            await AssertProblemAsync(await hq.PostAsJsonAsync(Url, new { name = "x", audience, channel, templateId = template }), HttpStatusCode.BadRequest,
                "message.unknown_template");
        foreach (var body in new object[]
                 {
                     new { name = "", audience, channel = "sms", text = "t" },
                     new { name = "x", channel = "sms", text = "t" },
                     new { name = "x", audience, channel = "we_com" },
                     new { name = "x", audience, channel = "subscribe" },
                     new { name = "x", audience = new { birthdayMonth = 13 }, channel = "sms", text = "t" },
                     new { name = "x", audience = new { lastPurchase = new { withinDays = 3, notWithinDays = 5 } }, channel = "sms", text = "t" },
                     new { name = "x", audience = new { pointsMin = 10, pointsMax = 5 }, channel = "sms", text = "t" },
                     new { name = "x", audience, channel = "sms", text = "t", priority = 5000 },
                 })
            await AssertProblemAsync(await hq.PostAsJsonAsync(Url, body), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(before, await Api.DbAsync(db => db.Campaigns.CountAsync()));

        // A subscribe campaign with its template: created.
        await CreateAsync(hq, new { name = "订阅", audience, channel = "subscribe", templateId = subscribe.Id, data = new Dictionary<string, string> { ["thing1"] = "上新" } });
    }

    [SkippableFact]
    public async Task Bad_list_lines_are_reported_by_line_number_and_nothing_is_saved()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var member = await MemberAsync(store.Id);
        var phone = await Api.DbAsync(db => db.Members.Where(m => m.Id == member).Select(m => m.Phone!).SingleAsync());
        var id = await CreateAsync(hq, Sms(new { importedList = true }));
        var problem = await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/members", Csv($"phone,name\n{phone},张三\n12345,李四\n\n{phone},王五\n13000000000,赵六\n")),
            HttpStatusCode.BadRequest, "campaign.bad_list");
        var lines = problem.GetProperty("lineErrors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()).ToList();
        Assert.Equal([3, 5, 6], lines);
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/members", Csv($"member_id\n{Guid.NewGuid()}\nnot-an-id\n")), HttpStatusCode.BadRequest, "campaign.bad_list");
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/members", Csv("name\n张三\n")), HttpStatusCode.BadRequest, "campaign.bad_list");
        Assert.Equal(0, await Api.DbAsync(db => db.CampaignMembers.CountAsync(m => m.CampaignId == id)));
        // The list is empty, so is the audience.
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/send", null), HttpStatusCode.UnprocessableEntity, "campaign.empty_audience");

        // A good file (member ids), then the campaign sent: its list no longer changes.
        var ok = await hq.PostAsync($"{Url}/{id}/members", Csv($"member_id\n{member}\n"));
        Assert.True(ok.StatusCode == HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        await SendAsync(hq, id);
        await AssertProblemAsync(await hq.PostAsync($"{Url}/{id}/members", Csv($"member_id\n{member}\n")), HttpStatusCode.Conflict, "campaign.already_sent");
        // The class's tests share one database and one fixed clock (every campaign created at the same instant): a page of 100 holds them all.
        var list = await (await hq.GetAsync($"{Url}?pageSize=100")).JsonAsync();
        Assert.True(list.GetProperty("total").GetInt32() <= 100);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
    }
}

public sealed class CampaignTestsOnSqlite(FakeClockSqliteApi fixture) : CampaignTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class CampaignTestsOnMySql(FakeClockMySqlApi fixture) : CampaignTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;

/// <summary>The campaign routes are HQ's: a guide is forbidden, a shopper's or nobody's token is refused, and nothing is written.</summary>
public abstract class CampaignAuthorizationTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    [SkippableFact]
    public async Task Only_hq_reaches_the_campaign_routes()
    {
        var store = await Api.CreateStoreAsync();
        var guide = Api.Client((await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id))).Token);
        var shopper = Api.Client((await Api.LogInMemberAsync()).Token);
        var anonymous = Api.Client();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var created = await hq.PostAsJsonAsync("/api/admin/campaigns", new { name = "x", audience = new { storeIds = new[] { store.Id } }, channel = "sms", text = "t" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var before = await Api.DbAsync(db => db.Campaigns.CountAsync());
        var routes = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Get, "/api/admin/campaigns"), (HttpMethod.Post, "/api/admin/campaigns"), (HttpMethod.Get, $"/api/admin/campaigns/{id}"),
            (HttpMethod.Post, $"/api/admin/campaigns/{id}/members"), (HttpMethod.Post, $"/api/admin/campaigns/{id}/estimate"),
            (HttpMethod.Post, $"/api/admin/campaigns/{id}/send"),
        };
        foreach (var (method, url) in routes)
        {
            HttpRequestMessage Request() => new(method, url)
            {
                Content = method == HttpMethod.Post ? JsonContent.Create(new { name = "x", audience = new { }, channel = "sms", text = "t" }) : null,
            };
            await AssertProblemAsync(await guide.SendAsync(Request()), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await shopper.SendAsync(Request()), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await anonymous.SendAsync(Request()), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }
        Assert.Equal(before, await Api.DbAsync(db => db.Campaigns.CountAsync()));
        Assert.Equal("draft", (await (await hq.GetAsync($"/api/admin/campaigns/{id}")).JsonAsync()).GetProperty("status").GetString());
    }
}

public sealed class CampaignAuthorizationTestsOnSqlite(SqliteApi fixture) : CampaignAuthorizationTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CampaignAuthorizationTestsOnMySql(MySqlApi fixture) : CampaignAuthorizationTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
