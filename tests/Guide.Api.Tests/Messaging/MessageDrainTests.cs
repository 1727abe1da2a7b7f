using Guide.Api.Tests.Support;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Messaging;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// The drain (<see cref="MessageDrainRun"/>) over real members, templates, consent rows and quotas, with the host's clock fixed
/// (<see cref="IFakeClockFixture"/>: noon in Shanghai unless a test moves it on). Each test sets the fatigue rules it needs and
/// uses members of its own; messages of other tests in the outbox are drained too, so the assertions read the test's own rows.
/// </summary>
public abstract class MessageDrainTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private static readonly FatigueRules OneADay = new([new FatigueWindow(null, 1, 1, FatigueWindowKind.Calendar)], null, [], [], false);

    [SkippableFact]
    public async Task A_cap_of_one_a_day_blocks_the_second_marketing_message_and_names_the_window()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        var first = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Marketing, priority: 2);
        var second = await QueueAsync(member.Id, MessageChannel.Subscribe, MessageKind.Marketing, priority: 1);

        await DrainAsync();

        Assert.Equal(MessageStatus.Sent, (await MessageAsync(first)).Status);
        var blocked = await MessageAsync(second);
        Assert.Equal(MessageStatus.Blocked, blocked.Status);
        Assert.Equal(MessageBlockReason.Cap, blocked.Reason);
        Assert.Equal("all channels: 1 in 1 calendar day(s)", blocked.Detail);
        Assert.Equal(1, await TouchCountAsync(member.Id));
    }

    [SkippableFact]
    public async Task Service_messages_are_never_capped_nor_counted()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        var marketing = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Marketing, priority: 3);
        await DrainAsync();
        var services = new[] { await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Service), await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Service) };

        await DrainAsync();

        Assert.Equal(MessageStatus.Sent, (await MessageAsync(marketing)).Status);
        foreach (var key in services) Assert.Equal(MessageStatus.Sent, (await MessageAsync(key)).Status);
        Assert.Equal(1, await TouchCountAsync(member.Id));
    }

    [SkippableFact]
    public async Task Account_messages_are_capped_only_when_hq_says_so()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Marketing);
        await DrainAsync();
        var uncapped = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Account);
        await DrainAsync();
        Assert.Equal(MessageStatus.Sent, (await MessageAsync(uncapped)).Status);
        Assert.Equal(1, await TouchCountAsync(member.Id));

        await Api.SetFatigueRulesAsync(OneADay with { CapAccountMessages = true });
        var capped = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Account);
        var fresh = await Api.CreateMessagingMemberAsync(phone: true);
        var counted = await QueueAsync(fresh.Id, MessageChannel.Sms, MessageKind.Account);
        await DrainAsync();

        var blocked = await MessageAsync(capped);
        Assert.Equal(MessageStatus.Blocked, blocked.Status);
        Assert.Equal(MessageBlockReason.Cap, blocked.Reason);
        Assert.Equal(MessageStatus.Sent, (await MessageAsync(counted)).Status);
        Assert.Equal(1, await TouchCountAsync(fresh.Id));
    }

    [SkippableFact]
    public async Task An_unsubscribed_member_gets_service_messages_but_no_marketing_on_that_channel()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        await Api.InScopeAsync(async db =>
        {
            db.MemberMessageConsents.Add(new MemberMessageConsent(member.Id, Api.Time.GetUtcNow()) { SmsMarketing = false });
            await db.SaveChangesAsync();
        });
        var marketing = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Marketing, priority: 2);
        var service = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Service, priority: 1);

        await DrainAsync();

        var blocked = await MessageAsync(marketing);
        Assert.Equal(MessageStatus.Blocked, blocked.Status);
        Assert.Equal(MessageBlockReason.Unsubscribed, blocked.Reason);
        Assert.Equal(MessageStatus.Sent, (await MessageAsync(service)).Status);
        Assert.Equal(0, await TouchCountAsync(member.Id));
    }

    [SkippableFact]
    public async Task Quiet_hours_postpone_a_marketing_message_until_they_end_then_it_is_sent()
    {
        var zone = await Api.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<BrandClock>().Zone));
        var local = TimeZoneInfo.ConvertTime(Api.Time.GetUtcNow(), zone);
        var end = local.AddHours(1);
        await Api.SetFatigueRulesAsync(OneADay with { QuietHours = new QuietHours(local.AddHours(-1).ToString("HH:mm"), end.ToString("HH:mm"), QuietAction.Postpone) });
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        var marketing = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Marketing);
        var service = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Service);

        await DrainAsync();

        var held = await MessageAsync(marketing);
        Assert.Equal(MessageStatus.Queued, held.Status);
        // Quiet hours end on a whole minute (HH:mm): other tests may have moved the clock by seconds.
        Assert.Equal(FatigueGate.StartOf(DateOnly.FromDateTime(end.DateTime), new TimeOnly(end.Hour, end.Minute), zone), held.NotBefore);
        Assert.StartsWith("postponed: quiet hours", held.Detail);
        Assert.Null(held.LeaseOwner);
        Assert.Equal(MessageStatus.Sent, (await MessageAsync(service)).Status); // quiet hours hold capped messages only
        Assert.Equal(0, await TouchCountAsync(member.Id));

        await DrainAsync(); // not due yet
        Assert.Equal(MessageStatus.Queued, (await MessageAsync(marketing)).Status);

        Api.Time.SetUtcNow(held.NotBefore);
        await DrainAsync();
        Assert.Equal(MessageStatus.Sent, (await MessageAsync(marketing)).Status);
        Assert.Equal(1, await TouchCountAsync(member.Id));
    }

    [SkippableFact]
    public async Task Sms_goes_through_the_logging_provider_and_needs_a_phone()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var withPhone = await Api.CreateMessagingMemberAsync(phone: true);
        var withoutPhone = await Api.CreateMessagingMemberAsync(phone: false);
        var sent = await QueueAsync(withPhone.Id, MessageChannel.Sms, MessageKind.Service);
        var noPhone = await QueueAsync(withoutPhone.Id, MessageChannel.Sms, MessageKind.Marketing);

        await DrainAsync();

        var s = await MessageAsync(sent);
        Assert.Equal(MessageStatus.Sent, s.Status);
        Assert.NotNull(s.SentAt);
        Assert.Equal(1, s.Attempts);
        var blocked = await MessageAsync(noPhone);
        Assert.Equal(MessageStatus.Blocked, blocked.Status);
        Assert.Equal(MessageBlockReason.NoPhone, blocked.Reason);
        Assert.Equal(0, await TouchCountAsync(withoutPhone.Id));
    }

    [SkippableFact]
    public async Task WeCom_messages_wait_for_the_members_guide_and_need_one()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var guided = await Api.CreateMessagingMemberAsync(guide: guide);
        var unguided = await Api.CreateMessagingMemberAsync();
        var awaiting = await QueueAsync(guided.Id, MessageChannel.WeCom, MessageKind.Marketing);
        var noGuide = await QueueAsync(unguided.Id, MessageChannel.WeCom, MessageKind.Marketing);

        await DrainAsync();

        var a = await MessageAsync(awaiting);
        Assert.Equal(MessageStatus.AwaitingGuide, a.Status);
        Assert.Equal(guide.Id, a.GuideId);
        Assert.Null(a.LeaseOwner);
        Assert.Equal(1, await TouchCountAsync(guided.Id));
        var b = await MessageAsync(noGuide);
        Assert.Equal(MessageStatus.Blocked, b.Status);
        Assert.Equal(MessageBlockReason.NoGuide, b.Reason);
        Assert.Null(b.GuideId);
    }

    [SkippableFact]
    public async Task A_subscribe_message_without_an_accepted_subscription_is_blocked_without_calling_wechat()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var template = await Api.CreateSubscribeTemplateAsync();
        var member = await Api.CreateMessagingMemberAsync();
        Api.Weixin.GrantSubscription(member.OpenId, template.ExternalId); // WeChat would accept: we must not even ask
        var key = await QueueAsync(member.Id, MessageChannel.Subscribe, MessageKind.Service, template.Id);

        await DrainAsync();

        var m = await MessageAsync(key);
        Assert.Equal(MessageStatus.Blocked, m.Status);
        Assert.Equal(MessageBlockReason.NoSubscribeQuota, m.Reason);
        Assert.DoesNotContain(Api.Weixin.SentSubscribeMessages, s => s.ToUser == member.OpenId);
    }

    [SkippableFact]
    public async Task A_subscribe_message_with_an_accepted_subscription_is_sent_and_uses_it()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var template = await Api.CreateSubscribeTemplateAsync();
        var member = await Api.CreateMessagingMemberAsync();
        Api.Weixin.GrantSubscription(member.OpenId, template.ExternalId);
        await Api.SetQuotaAsync(member.Id, template.ExternalId, 2);
        var key = await QueueAsync(member.Id, MessageChannel.Subscribe, MessageKind.Marketing, template.Id);

        await DrainAsync();

        Assert.Equal(MessageStatus.Sent, (await MessageAsync(key)).Status);
        Assert.Equal(1, await Api.QuotaAsync(member.Id, template.ExternalId));
        var sent = Assert.Single(Api.Weixin.SentSubscribeMessages, s => s.ToUser == member.OpenId);
        Assert.Equal(template.ExternalId, sent.TemplateId);
        Assert.Equal("你好", sent.Data["thing1"]);
        Assert.Equal(1, await TouchCountAsync(member.Id));
    }

    [SkippableFact]
    public async Task WeChat_answering_43101_blocks_the_message_and_empties_the_quota()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var template = await Api.CreateSubscribeTemplateAsync();
        var member = await Api.CreateMessagingMemberAsync();
        Api.Weixin.GrantSubscription(member.OpenId, template.ExternalId, 0); // the template exists; the member accepted none
        await Api.SetQuotaAsync(member.Id, template.ExternalId, 3);
        var key = await QueueAsync(member.Id, MessageChannel.Subscribe, MessageKind.Marketing, template.Id);

        await DrainAsync();

        var m = await MessageAsync(key);
        Assert.Equal(MessageStatus.Blocked, m.Status);
        Assert.Equal(MessageBlockReason.NoSubscribeQuota, m.Reason);
        Assert.StartsWith("43101", m.Detail);
        Assert.Equal(0, await Api.QuotaAsync(member.Id, template.ExternalId));
        Assert.Equal(0, await TouchCountAsync(member.Id)); // nothing was delivered: the touch does not count
    }

    [SkippableFact]
    public async Task A_transient_failure_gives_the_touch_and_the_subscription_back_and_retries_after_the_backoff()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var template = await Api.CreateSubscribeTemplateAsync();
        var member = await Api.CreateMessagingMemberAsync();
        Api.Weixin.GrantSubscription(member.OpenId, template.ExternalId);
        await Api.SetQuotaAsync(member.Id, template.ExternalId, 1);
        var key = await QueueAsync(member.Id, MessageChannel.Subscribe, MessageKind.Marketing, template.Id);
        Api.Weixin.FailNext(Guide.Weixin.Fake.FakeWeixinApis.SubscribeSend, 45009, "reach max api daily quota limit");
        var now = Api.Time.GetUtcNow();

        await DrainAsync();

        var retry = await MessageAsync(key);
        Assert.Equal(MessageStatus.Queued, retry.Status);
        Assert.Equal(1, retry.Attempts);
        Assert.Equal(now + MessageDrainRun.Backoff(1), retry.NotBefore);
        Assert.StartsWith("45009", retry.Detail);
        Assert.Equal(1, await Api.QuotaAsync(member.Id, template.ExternalId));
        Assert.Equal(0, await TouchCountAsync(member.Id));

        Api.Time.Advance(MessageDrainRun.Backoff(1));
        await DrainAsync();

        Assert.Equal(MessageStatus.Sent, (await MessageAsync(key)).Status);
        Assert.Equal(0, await Api.QuotaAsync(member.Id, template.ExternalId));
        Assert.Equal(1, await TouchCountAsync(member.Id));
        Assert.Single(Api.Weixin.SentSubscribeMessages, s => s.ToUser == member.OpenId);
    }

    [SkippableFact]
    public async Task Queuing_the_same_source_key_twice_queues_one_message()
    {
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        var key = ApiFixture.Unique("fact");
        var request = new MessageRequest(member.Id, MessageChannel.Sms, MessageKind.Service, key, Text: "一次");

        Assert.True(await Api.InScopeAsync(sp => sp.GetRequiredService<MessageGateway>().QueueAsync(request, CancellationToken.None)));
        Assert.False(await Api.InScopeAsync(sp => sp.GetRequiredService<MessageGateway>().QueueAsync(request with { Text = "两次" }, CancellationToken.None)));

        var rows = await Api.DbAsync(db => db.OutboundMessages.AsNoTracking().Where(m => m.SourceKey == key).ToListAsync());
        Assert.Equal("一次", Assert.Single(rows).Text);
    }

    [SkippableFact]
    public async Task A_message_interrupted_while_sending_is_failed_and_never_sent()
    {
        await Api.SetFatigueRulesAsync(OneADay);
        var template = await Api.CreateSubscribeTemplateAsync();
        var member = await Api.CreateMessagingMemberAsync();
        Api.Weixin.GrantSubscription(member.OpenId, template.ExternalId, 5);
        await Api.SetQuotaAsync(member.Id, template.ExternalId, 5);
        var key = await QueueAsync(member.Id, MessageChannel.Subscribe, MessageKind.Service, template.Id);
        // An instance passed the gate, marked it sending and died: its lease ran out a minute ago.
        var now = Api.Time.GetUtcNow();
        await Api.InScopeAsync(async db =>
        {
            var m = await db.OutboundMessages.SingleAsync(x => x.SourceKey == key);
            m.Status = MessageStatus.Sending;
            m.LeaseOwner = "dead-instance";
            m.LeaseUntil = now.AddMinutes(-1);
            m.GatedAt = now.AddMinutes(-6);
            await db.SaveChangesAsync();
        });

        await DrainAsync();
        await DrainAsync();

        var failed = await MessageAsync(key);
        Assert.Equal(MessageStatus.Failed, failed.Status);
        Assert.StartsWith("interrupted while sending", failed.Detail);
        Assert.Null(failed.LeaseOwner);
        Assert.Null(failed.SentAt);
        Assert.DoesNotContain(Api.Weixin.SentSubscribeMessages, s => s.ToUser == member.OpenId);
    }

    [SkippableFact]
    public async Task A_message_whose_lease_is_still_running_is_left_to_its_instance()
    {
        var member = await Api.CreateMessagingMemberAsync(phone: true);
        var key = await QueueAsync(member.Id, MessageChannel.Sms, MessageKind.Service);
        var now = Api.Time.GetUtcNow();
        await Api.InScopeAsync(async db =>
        {
            var m = await db.OutboundMessages.SingleAsync(x => x.SourceKey == key);
            m.Status = MessageStatus.Sending;
            m.LeaseOwner = "live-instance";
            m.LeaseUntil = now.AddMinutes(4);
            await db.SaveChangesAsync();
        });

        await DrainAsync();

        var m = await MessageAsync(key);
        Assert.Equal(MessageStatus.Sending, m.Status);
        Assert.Equal("live-instance", m.LeaseOwner);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------------

    private async Task<string> QueueAsync(Guid memberId, MessageChannel channel, MessageKind kind, Guid? templateId = null, int priority = 0)
    {
        var key = ApiFixture.Unique("test");
        var data = templateId is null ? null : new Dictionary<string, string> { ["thing1"] = "你好" };
        var request = new MessageRequest(memberId, channel, kind, key, templateId, data, Text: templateId is null ? "您好，本周会员日" : null, Priority: priority);
        Assert.True(await Api.InScopeAsync(sp => sp.GetRequiredService<MessageGateway>().QueueAsync(request, CancellationToken.None)));
        return key;
    }

    private Task<string> DrainAsync() =>
        Api.InScopeAsync(sp => sp.GetRequiredService<MessageDrainRun>().RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None));

    private Task<OutboundMessage> MessageAsync(string sourceKey) =>
        Api.DbAsync(db => db.OutboundMessages.AsNoTracking().SingleAsync(m => m.SourceKey == sourceKey));

    private Task<int> TouchCountAsync(Guid memberId) => Api.DbAsync(db => db.Touches.CountAsync(t => t.MemberId == memberId));
}

public sealed class MessageDrainTestsOnSqlite(FakeClockSqliteApi fixture) : MessageDrainTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class MessageDrainTestsOnMySql(FakeClockMySqlApi fixture) : MessageDrainTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;

/// <summary>Test data for the message gateway: members, templates, quotas and the fatigue rules, written straight to the database.</summary>
public static class MessagingBuilders
{
    public sealed record MessagingMember(Guid Id, string OpenId);

    public static async Task<MessagingMember> CreateMessagingMemberAsync(this ApiFixture api, bool phone = false, ShoppingGuide? guide = null)
    {
        var member = new Member(ApiFixture.Unique("openid"), null, DateTimeOffset.UtcNow);
        if (phone) member.BindPhone("138" + Random.Shared.Next(10_000_000, 99_999_999));
        if (guide is not null) member.BindExclusiveGuide(guide);
        await api.InScopeAsync(async db => { db.Members.Add(member); await db.SaveChangesAsync(); });
        return new MessagingMember(member.Id, member.OpenId);
    }

    public static async Task<MessageTemplate> CreateSubscribeTemplateAsync(this ApiFixture api)
    {
        var template = new MessageTemplate(ApiFixture.Unique("tpl"), MessageChannel.Subscribe, MessageKind.Service, ApiFixture.Unique("wx-tpl"), ["thing1"],
            "pages/index/index", DateTimeOffset.UtcNow);
        await api.InScopeAsync(async db => { db.MessageTemplates.Add(template); await db.SaveChangesAsync(); });
        return template;
    }

    public static Task SetQuotaAsync(this ApiFixture api, Guid memberId, string weixinTemplateId, int remaining) =>
        api.InScopeAsync(async db =>
        {
            db.SubscribeQuotas.Add(new SubscribeQuota(memberId, weixinTemplateId, DateTimeOffset.UtcNow) { Remaining = remaining });
            await db.SaveChangesAsync();
        });

    public static Task<int> QuotaAsync(this ApiFixture api, Guid memberId, string weixinTemplateId) =>
        api.DbAsync(db => db.SubscribeQuotas.Where(q => q.MemberId == memberId && q.WeixinTemplateId == weixinTemplateId).Select(q => q.Remaining).SingleAsync());

    /// <summary>Replaces the stored fatigue rules (as HQ's PUT would, without the HTTP round).</summary>
    public static Task SetFatigueRulesAsync(this ApiFixture api, FatigueRules rules) =>
        api.InScopeAsync(async (GuideDbContext db) =>
        {
            var row = await db.FatigueSettings.SingleAsync(s => s.Id == FatigueSettings.SingletonId);
            row.Json = rules.ToJson();
            row.Version++;
            await db.SaveChangesAsync();
        });
}
