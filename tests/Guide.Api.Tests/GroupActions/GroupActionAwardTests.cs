using System.Net;
using System.Text;
using Guide.Api.Tests.Support;
using Guide.Domain.GroupActions;
using Guide.Domain.Members;
using Guide.Domain.Points;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.GroupActions;

/// <summary>
/// Points for WeCom group actions, played from signed callbacks through the WeCom run: each action awarded once
/// ever, caps that hold when awards race, group membership reconciled from groupchat/get whatever the callbacks did,
/// pending actions awarded at the member's first log-in, taking back within the rule's days, and the friend-add's
/// guide code binding the member. The rules are set per test (one live rule per kind, shared by the class's tests).
/// </summary>
public abstract class GroupActionAwardTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Url = "/webhooks/wecom";

    private async Task SetRuleAsync(GroupActionKind kind, long points, int? dailyCap = null, int? lifetimeCap = null, int? validityDays = null,
        bool paused = false, int? takeBackWithinDays = null) =>
        await Api.InScopeAsync(async db =>
        {
            foreach (var live in await db.GroupActionRules.Where(r => r.LiveKind == kind).ToListAsync()) live.Delete(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            db.GroupActionRules.Add(new GroupActionRule(kind, kind + " rule", points, validityDays, dailyCap, lifetimeCap, paused, takeBackWithinDays,
                DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

    private Task<string> RunAsync() => Api.InScopeAsync(sp => sp.GetRequiredService<GroupActionRun>().RunAsync(CancellationToken.None));

    private async Task PostAsync(string xml, DateTimeOffset? at = null)
    {
        var callback = Api.Weixin.CreateWeComCallback(xml);
        using var content = new StringContent(callback.Body, Encoding.UTF8, "text/xml");
        var response = await Api.Client().PostAsync(callback.PathAndQuery(Url), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string ContactXml(string changeType, string guide, string customer, string? state = null, DateTimeOffset? at = null) =>
        Api.Weixin.WeComExternalContactEventXml(changeType, guide, customer, state, createTime: at);

    /// <summary>WeCom's times are whole seconds.</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private Task<long> BalanceAsync(Guid memberId) =>
        Api.DbAsync(async db => await db.PointsAccounts.Where(a => a.MemberId == memberId).Select(a => (long?)a.Balance).SingleOrDefaultAsync() ?? 0);

    private Task<List<PointsEntry>> EntriesAsync(Guid memberId) =>
        Api.DbAsync(async db => (await db.PointsEntries.AsNoTracking().Where(e => e.MemberId == memberId).ToListAsync())
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Delta < 0).ToList());

    private Task<List<GroupAction>> ActionsOfAsync(string externalUserId) =>
        Api.DbAsync(async db => (await db.GroupActions.AsNoTracking().Where(a => a.ExternalUserId == externalUserId).ToListAsync())
            .OrderBy(a => a.OccurredAt).ToList());

    /// <summary>A customer WeCom knows by <paramref name="unionId"/>, and (optionally) the member who logged in with it.</summary>
    private async Task<(string ExternalUserId, string UnionId, ApiFixture.LoggedIn? Member)> CustomerAsync(bool loggedIn = true)
    {
        var (external, union) = (ApiFixture.Unique("wm"), ApiFixture.Unique("union"));
        Api.Weixin.AddExternalContact(new FakeExternalContact(external, "顾客", UnionId: union));
        return (external, union, loggedIn ? await Api.LogInMemberAsync(unionId: union) : null);
    }

    [SkippableFact]
    public async Task A_friend_added_ten_times_over_and_re_added_earns_once()
    {
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 50);
        var guide = ApiFixture.Unique("guide");
        var (customer, _, member) = await CustomerAsync();
        var added = DateTimeOffset.UtcNow.AddMinutes(-5);
        var callback = Api.Weixin.CreateWeComCallback(ContactXml("add_external_contact", guide, customer, at: added));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var content = new StringContent(callback.Body, Encoding.UTF8, "text/xml");
            Assert.Equal(HttpStatusCode.OK, (await Api.Client().PostAsync(callback.PathAndQuery(Url), content)).StatusCode);
        }));
        await RunAsync();
        await RunAsync();
        Assert.Equal(50, await BalanceAsync(member!.Id));

        // Deleted and added again (new events, later times): the friendship is the same action, nothing new.
        await PostAsync(ContactXml("del_follow_user", guide, customer, at: added.AddMinutes(1)));
        await PostAsync(ContactXml("add_external_contact", guide, customer, at: added.AddMinutes(2)));
        await RunAsync();

        var action = Assert.Single(await ActionsOfAsync(customer));
        Assert.Equal(GroupActionStatus.Awarded, action.Status);
        Assert.Equal(member.Id, action.MemberId);
        var entry = Assert.Single(await EntriesAsync(member.Id));
        Assert.Equal(PointsEntryKind.GroupAction, entry.Kind);
        Assert.Equal(50, entry.Delta);
        Assert.Equal(50, await BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task Customers_whose_ids_differ_only_in_case_are_two_customers()
    {
        // WeChat's ids are case-sensitive: on MySQL the default collation would make these one key, one event, one award.
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 8);
        var guide = ApiFixture.Unique("guide");
        var stem = "wmCaSe" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var (upper, lower) = (stem, stem.ToLowerInvariant());
        var (upperUnion, lowerUnion) = ("oU" + stem, "oU" + stem.ToLowerInvariant());
        Api.Weixin.AddExternalContact(new FakeExternalContact(upper, "大写", UnionId: upperUnion));
        Api.Weixin.AddExternalContact(new FakeExternalContact(lower, "小写", UnionId: lowerUnion));
        var upperMember = await Api.LogInMemberAsync(unionId: upperUnion);
        var lowerMember = await Api.LogInMemberAsync(unionId: lowerUnion);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        await PostAsync(ContactXml("add_external_contact", guide, upper, at: at));
        await PostAsync(ContactXml("add_external_contact", guide, lower, at: at));
        await RunAsync();

        Assert.Equal(2, await Api.DbAsync(db => db.WeComEvents.CountAsync(e => e.UserId == guide)));
        Assert.Equal(8, await BalanceAsync(upperMember.Id));
        Assert.Equal(8, await BalanceAsync(lowerMember.Id));
    }

    [SkippableFact]
    public async Task Fifty_likes_awarded_at_once_with_a_daily_cap_of_three_award_three()
    {
        await SetRuleAsync(GroupActionKind.LikeMoment, 10, dailyCap: 3, lifetimeCap: 4);
        var (customer, union, member) = await CustomerAsync();
        var guide = ApiFixture.Unique("guide");
        // Noon in the brand's zone (UTC+8), so every like of the first batch is in one brand day.
        var day = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(-3), TimeSpan.Zero).AddHours(4);
        var ids = await Api.InScopeAsync(async sp =>
        {
            var log = sp.GetRequiredService<GroupActionLog>();
            var recorded = new List<Guid>();
            for (var i = 0; i < 52; i++)
            {
                // Fifty on the first day, two on the next.
                var at = i < 50 ? day.AddSeconds(i) : day.AddDays(1).AddSeconds(i);
                recorded.Add((await log.RecordAsync(GroupActionKind.LikeMoment, customer, ApiFixture.Unique("moment"), guide, at, null, union, default))!.Id);
            }
            await sp.GetRequiredService<Guide.Domain.Persistence.GuideDbContext>().SaveChangesAsync();
            return recorded;
        });

        var statuses = await Task.WhenAll(ids.Take(50).Select(id => Api.SendAsync(new AwardGroupAction(id))));
        Assert.Equal(3, statuses.Count(s => s == GroupActionStatus.Awarded));
        Assert.Equal(47, statuses.Count(s => s == GroupActionStatus.NotAwarded));
        Assert.Equal(30, await BalanceAsync(member!.Id));

        // The next day has its own daily cap, but the lifetime cap of four leaves room for one.
        await RunAsync();
        Assert.Equal(40, await BalanceAsync(member.Id));
        var actions = await ActionsOfAsync(customer);
        Assert.Equal(4, actions.Count(a => a.Status == GroupActionStatus.Awarded));
        Assert.Equal(47, actions.Count(a => a.Outcome == GroupActionOutcome.DailyCap));
        Assert.Equal(1, actions.Count(a => a.Outcome == GroupActionOutcome.LifetimeCap));
        Assert.Equal(4, (await EntriesAsync(member.Id)).Count(e => e.Kind == PointsEntryKind.GroupAction));
    }

    [SkippableFact]
    public async Task Group_membership_is_reconciled_whatever_order_the_callbacks_came_in_or_if_they_never_came()
    {
        await SetRuleAsync(GroupActionKind.JoinCustomerGroup, 20);
        var owner = ApiFixture.Unique("owner");
        var chat = ApiFixture.Unique("wr");
        var (c1, u1, m1) = await CustomerAsync();
        var (c2, u2, m2) = await CustomerAsync();
        var (c3, _, m3) = await CustomerAsync();
        var t0 = WholeSeconds(DateTimeOffset.UtcNow.AddHours(-2));
        FakeGroupMember Guide() => new(owner, 1, t0);
        FakeGroupMember Customer(string id, string union, DateTimeOffset at) => new(id, 2, at, UnionId: union);

        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "会员群", owner) { Members = [Guide(), Customer(c1, u1, t0.AddMinutes(1)), Customer(c2, u2, t0.AddMinutes(2))] });
        // The update arrives first and the create after it: the order does not matter, the group's list does.
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("update", chat, "add_member", joinScene: 1, members: [c2], createTime: t0.AddMinutes(2)));
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("create", chat, createTime: t0));
        await RunAsync();

        async Task<Dictionary<string, bool>> MembersAsync() => await Api.DbAsync(db => db.WeComGroupMembers.AsNoTracking()
            .Where(m => m.ChatId == chat).ToDictionaryAsync(m => m.UserId, m => m.LeftAt == null));
        Assert.Equal(new Dictionary<string, bool> { [owner] = true, [c1] = true, [c2] = true }, await MembersAsync());
        Assert.Equal(owner, await Api.DbAsync(db => db.WeComCustomerGroups.Where(g => g.ChatId == chat).Select(g => g.OwnerUserId).SingleAsync()));
        Assert.Equal(20, await BalanceAsync(m1!.Id));
        Assert.Equal(20, await BalanceAsync(m2!.Id));

        // c1 leaves and c3 joins; WeCom's callbacks for both are lost, only a later change of the group's name arrives.
        var c3Joined = t0.AddMinutes(30);
        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "会员群", owner) { Members = [Guide(), Customer(c2, u2, t0.AddMinutes(2)), new(c3, 2, c3Joined)] });
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("update", chat, "change_name", createTime: t0.AddMinutes(40)));
        await RunAsync();
        Assert.Equal(new Dictionary<string, bool> { [owner] = true, [c1] = false, [c2] = true, [c3] = true }, await MembersAsync());
        var join = Assert.Single(await ActionsOfAsync(c3));
        Assert.Equal(c3Joined, join.OccurredAt);
        Assert.Equal(owner, join.GuideUserId);
        // c3's unionid was not in the member list: looked up with externalcontact/get, then awarded.
        Assert.Equal(20, await BalanceAsync(m3!.Id));
        // No take-back in this rule: c1 keeps the points.
        Assert.Equal(20, await BalanceAsync(m1.Id));

        // No callback at all: the periodic reconciliation (a group not reconciled for six hours) finds c1 back.
        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "会员群", owner)
        {
            Members = [Guide(), Customer(c1, u1, t0.AddMinutes(50)), Customer(c2, u2, t0.AddMinutes(2)), new(c3, 2, c3Joined)],
        });
        await RunAsync();
        Assert.False((await MembersAsync())[c1]);
        var longAgo = DateTimeOffset.UtcNow.AddHours(-7);
        await Api.InScopeAsync(db => db.WeComCustomerGroups.Where(g => g.ChatId == chat).ExecuteUpdateAsync(s => s.SetProperty(g => g.ReconciledAt, longAgo)));
        await RunAsync();
        Assert.True((await MembersAsync())[c1]);
        // Re-joining earns nothing new.
        Assert.Single(await ActionsOfAsync(c1));
        Assert.Equal(20, await BalanceAsync(m1.Id));
    }

    [SkippableFact]
    public async Task Shuffled_duplicated_and_half_dropped_group_callbacks_end_in_the_groups_true_membership()
    {
        await SetRuleAsync(GroupActionKind.JoinCustomerGroup, 7);
        var owner = ApiFixture.Unique("owner");
        var chat = ApiFixture.Unique("wr");
        var start = WholeSeconds(DateTimeOffset.UtcNow.AddHours(-3));
        var customers = Enumerable.Range(0, 25).Select(i => (Id: ApiFixture.Unique("wm"), Union: ApiFixture.Unique("union"), JoinedAt: start.AddMinutes(i))).ToList();
        FakeGroupChat Group(IEnumerable<(string Id, string Union, DateTimeOffset JoinedAt)> present) => new(chat, "快闪群", owner)
        {
            Members = [new(owner, 1, start), .. present.Select(c => new FakeGroupMember(c.Id, 2, c.JoinedAt, UnionId: c.Union))],
        };
        async Task DeliverAsync(IEnumerable<string> xmls, int seed)
        {
            var plan = Api.Weixin.PlanWeComDelivery(xmls.ToList(), seed, duplicateRate: 0.2, dropRate: 0.5);
            Assert.NotEmpty(plan.Posts);
            Assert.NotEmpty(plan.Dropped);
            foreach (var callback in plan.Posts)
            {
                using var content = new StringContent(callback.Body, Encoding.UTF8, "text/xml");
                Assert.Equal(HttpStatusCode.OK, (await Api.Client().PostAsync(callback.PathAndQuery(Url), content)).StatusCode);
            }
        }
        async Task<Dictionary<string, bool>> MembersAsync() => await Api.DbAsync(db => db.WeComGroupMembers.AsNoTracking()
            .Where(m => m.ChatId == chat && m.Type == 2).ToDictionaryAsync(m => m.UserId, m => m.LeftAt == null));

        // Twenty join, one event each.
        Api.Weixin.AddGroupChat(Group(customers.Take(20)));
        await DeliverAsync(customers.Take(20).Select(c =>
            Api.Weixin.WeComExternalChatEventXml("update", chat, "add_member", joinScene: 3, members: [c.Id], createTime: c.JoinedAt)), seed: 17);
        await RunAsync();
        Assert.Equal(customers.Take(20).ToDictionary(c => c.Id, _ => true), await MembersAsync());

        // Five leave and five more join, again shuffled, duplicated and half lost.
        Api.Weixin.AddGroupChat(Group(customers.Skip(5)));
        await DeliverAsync(customers.Take(5).Select(c =>
                Api.Weixin.WeComExternalChatEventXml("update", chat, "del_member", quitScene: 0, members: [c.Id], createTime: start.AddHours(1)))
            .Concat(customers.Skip(20).Select(c =>
                Api.Weixin.WeComExternalChatEventXml("update", chat, "add_member", joinScene: 3, members: [c.Id], createTime: c.JoinedAt))), seed: 29);
        await RunAsync();
        Assert.Equal(customers.Select((c, i) => (c.Id, Present: i >= 5)).ToDictionary(c => c.Id, c => c.Present), await MembersAsync());
        var joins = await Api.DbAsync(db => db.GroupActions.AsNoTracking().Where(a => a.Target == chat).ToListAsync());
        Assert.Equal(25, joins.Count);
        Assert.All(joins, j => Assert.Equal(customers.Single(c => c.Id == j.ExternalUserId).JoinedAt, j.OccurredAt));
        // Nobody here has opened the mini program: all pending, with the unionid the group list gave.
        Assert.All(joins, j => Assert.Equal((GroupActionStatus.Pending, customers.Single(c => c.Id == j.ExternalUserId).Union), (j.Status, j.UnionId)));
    }

    [SkippableFact]
    public async Task A_friend_add_recorded_before_the_group_list_gave_the_unionid_is_awarded_in_the_same_run()
    {
        // WeCom's contact API has no unionid for this customer; the group's member list has it.
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 11);
        await SetRuleAsync(GroupActionKind.JoinCustomerGroup, 4);
        var (customer, union) = (ApiFixture.Unique("wm"), ApiFixture.Unique("union"));
        Api.Weixin.AddExternalContact(new FakeExternalContact(customer, "顾客"));
        var member = await Api.LogInMemberAsync(unionId: union);
        var (guide, chat) = (ApiFixture.Unique("guide"), ApiFixture.Unique("wr"));
        var at = WholeSeconds(DateTimeOffset.UtcNow.AddMinutes(-10));
        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "群", guide) { Members = [new(guide, 1, at), new(customer, 2, at.AddMinutes(1), UnionId: union)] });
        await PostAsync(ContactXml("add_external_contact", guide, customer, at: at));
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("create", chat, createTime: at.AddMinutes(1)));
        await RunAsync();

        Assert.Equal(15, await BalanceAsync(member.Id));
        Assert.All(await ActionsOfAsync(customer), a => Assert.Equal((GroupActionStatus.Awarded, union), (a.Status, a.UnionId)));
    }

    [SkippableFact]
    public async Task A_group_WeCom_no_longer_knows_is_emptied_only_after_its_dismiss_event_and_takes_nothing_back()
    {
        await SetRuleAsync(GroupActionKind.JoinCustomerGroup, 6, takeBackWithinDays: 30);
        var (customer, union, member) = await CustomerAsync();
        var (owner, chat) = (ApiFixture.Unique("owner"), ApiFixture.Unique("wr"));
        var at = WholeSeconds(DateTimeOffset.UtcNow.AddHours(-1));
        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "群", owner) { Members = [new(owner, 1, at), new(customer, 2, at, UnionId: union)] });
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("create", chat, createTime: at));
        await RunAsync();
        Assert.Equal(6, await BalanceAsync(member!.Id));
        async Task<bool> PresentAsync() => await Api.DbAsync(db => db.WeComGroupMembers.Where(m => m.ChatId == chat && m.UserId == customer)
            .Select(m => m.LeftAt == null).SingleAsync());

        // WeCom answers "no such chat" (dismissed, or the wrong corp): without a dismiss event nothing changes.
        Api.Weixin.RemoveGroupChat(chat);
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("update", chat, "change_name", createTime: at.AddMinutes(5)));
        await RunAsync();
        Assert.True(await PresentAsync());

        await PostAsync(Api.Weixin.WeComExternalChatEventXml("dismiss", chat, createTime: at.AddMinutes(10)));
        await RunAsync();
        Assert.False(await PresentAsync());
        // The customer did not leave: the group was dismissed. The join's points stay.
        Assert.Equal(6, await BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task An_action_before_the_member_exists_is_awarded_at_the_first_log_in_once()
    {
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 30, validityDays: 60);
        var (customer, union, _) = await CustomerAsync(loggedIn: false);
        var added = WholeSeconds(DateTimeOffset.UtcNow.AddDays(-2));
        await PostAsync(ContactXml("add_external_contact", ApiFixture.Unique("guide"), customer, at: added));
        await RunAsync();
        var pending = Assert.Single(await ActionsOfAsync(customer));
        Assert.Equal(GroupActionStatus.Pending, pending.Status);
        Assert.Equal(union, pending.UnionId);

        // HQ raises the points afterwards: the award follows the rule as it was when the customer acted.
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 999);
        var member = await Api.LogInMemberAsync(unionId: union);
        Assert.Equal(30, await BalanceAsync(member.Id));
        var lot = await Api.DbAsync(db => db.PointsLots.AsNoTracking().SingleAsync(l => l.MemberId == member.Id));
        Assert.Equal(PointsLotSource.GroupAction, lot.Source);
        Assert.Equal(added.AddDays(60), lot.ExpiresAt);

        // A second log-in (another device: another openid, same unionid) and more runs change nothing.
        await Api.LogInMemberAsync(unionId: union);
        await RunAsync();
        Assert.Equal(30, await BalanceAsync(member.Id));
        Assert.Single(await EntriesAsync(member.Id));
    }

    [SkippableFact]
    public async Task Deleting_the_guide_or_leaving_the_group_within_the_days_takes_the_points_back()
    {
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 40, takeBackWithinDays: 7);
        await SetRuleAsync(GroupActionKind.JoinCustomerGroup, 25, takeBackWithinDays: 3);
        var guide = ApiFixture.Unique("guide");
        var (quick, _, quickMember) = await CustomerAsync();
        var (loyal, _, loyalMember) = await CustomerAsync();
        var (dropped, _, droppedMember) = await CustomerAsync();
        var now = DateTimeOffset.UtcNow;

        await PostAsync(ContactXml("add_external_contact", guide, quick, at: now.AddDays(-2)));
        await PostAsync(ContactXml("add_external_contact", guide, loyal, at: now.AddDays(-10)));
        await PostAsync(ContactXml("add_external_contact", guide, dropped, at: now.AddDays(-1)));
        await RunAsync();
        Assert.Equal(40, await BalanceAsync(quickMember!.Id));

        // Within 7 days the customer deletes the guide: taken back. After 10 days: kept. The guide deleting the customer: kept.
        await PostAsync(ContactXml("del_follow_user", guide, quick, at: now.AddHours(-1)));
        await PostAsync(ContactXml("del_follow_user", guide, loyal, at: now.AddHours(-1)));
        await PostAsync(ContactXml("del_external_contact", guide, dropped, at: now.AddHours(-1)));
        await RunAsync();
        await RunAsync();
        Assert.Equal(0, await BalanceAsync(quickMember.Id));
        Assert.Equal([40, -40], (await EntriesAsync(quickMember.Id)).Select(e => e.Delta));
        Assert.Equal(PointsEntryKind.GroupActionTakeBack, (await EntriesAsync(quickMember.Id))[1].Kind);
        Assert.Equal(GroupActionStatus.TakenBack, Assert.Single(await ActionsOfAsync(quick)).Status);
        Assert.Equal(40, await BalanceAsync(loyalMember!.Id));
        Assert.Equal(40, await BalanceAsync(droppedMember!.Id));

        // WeCom reordered: the deletion is processed before the add it follows. Still taken back (here: never given).
        var (late, _, lateMember) = await CustomerAsync();
        await PostAsync(ContactXml("del_follow_user", guide, late, at: now.AddHours(-1)));
        await RunAsync();
        await PostAsync(ContactXml("add_external_contact", guide, late, at: now.AddDays(-1)));
        await RunAsync();
        Assert.Equal(0, await BalanceAsync(lateMember!.Id));
        Assert.Equal((GroupActionStatus.NotAwarded, GroupActionOutcome.Undone), Assert.Single(await ActionsOfAsync(late)) is var a ? (a.Status, a.Outcome) : default);

        // Re-adding after the take-back earns nothing.
        await PostAsync(ContactXml("add_external_contact", guide, quick, at: now));
        await RunAsync();
        Assert.Equal(0, await BalanceAsync(quickMember.Id));

        // A group join, and the customer gone from the list a day later: taken back.
        var chat = ApiFixture.Unique("wr");
        var (joiner, joinerUnion, joinerMember) = await CustomerAsync();
        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "群", guide) { Members = [new(guide, 1, now.AddDays(-1)), new(joiner, 2, now.AddDays(-1), UnionId: joinerUnion)] });
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("create", chat, createTime: now.AddDays(-1)));
        await RunAsync();
        Assert.Equal(25, await BalanceAsync(joinerMember!.Id));
        Api.Weixin.AddGroupChat(new FakeGroupChat(chat, "群", guide) { Members = [new(guide, 1, now.AddDays(-1))] });
        await PostAsync(Api.Weixin.WeComExternalChatEventXml("update", chat, "del_member", quitScene: 0, members: [joiner], createTime: now.AddMinutes(-1)));
        await RunAsync();
        Assert.Equal(0, await BalanceAsync(joinerMember.Id));
        Assert.Equal(GroupActionStatus.TakenBack, Assert.Single(await ActionsOfAsync(joiner)).Status);
    }

    [SkippableFact]
    public async Task A_paused_rule_or_no_rule_records_the_action_without_points()
    {
        await SetRuleAsync(GroupActionKind.CommentMoment, 15, paused: true);
        var (customer, union, member) = await CustomerAsync();
        var id = await Api.InScopeAsync(async sp =>
        {
            var action = await sp.GetRequiredService<GroupActionLog>().RecordAsync(GroupActionKind.CommentMoment, customer, ApiFixture.Unique("moment"),
                "guide", DateTimeOffset.UtcNow, null, union, default);
            await sp.GetRequiredService<Guide.Domain.Persistence.GuideDbContext>().SaveChangesAsync();
            return action!.Id;
        });
        // Unpausing later does not change an action made while paused.
        await SetRuleAsync(GroupActionKind.CommentMoment, 15);
        await RunAsync();
        var action = Assert.Single(await ActionsOfAsync(customer));
        Assert.Equal(id, action.Id);
        Assert.Equal(GroupActionOutcome.RulePaused, action.Outcome);
        Assert.Equal(0, await BalanceAsync(member!.Id));
    }

    [SkippableFact]
    public async Task A_friend_added_through_a_guides_code_binds_the_member_to_that_guide_first_binding_wins()
    {
        await SetRuleAsync(GroupActionKind.AddGuideFriend, 5);
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var other = await Api.CreateGuideAsync(store.Id);
        var code = GuideScene.NewCode();
        var otherCode = GuideScene.NewCode();
        await Api.InScopeAsync(async db =>
        {
            await db.Guides.Where(g => g.Id == guide.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.SceneCode, code));
            await db.Guides.Where(g => g.Id == other.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.SceneCode, otherCode));
        });
        var (customer, _, member) = await CustomerAsync();

        await PostAsync(ContactXml("add_external_contact", guide.WeComUserId, customer, state: GuideScene.Of(code), at: DateTimeOffset.UtcNow.AddMinutes(-2)));
        await PostAsync(ContactXml("add_external_contact", other.WeComUserId, customer, state: GuideScene.Of(otherCode), at: DateTimeOffset.UtcNow.AddMinutes(-1)));
        await RunAsync();

        Assert.Equal(guide.Id, await Api.DbAsync(db => db.Members.Where(m => m.Id == member!.Id).Select(m => m.ExclusiveGuideId).SingleAsync()));
        var change = Assert.Single(await Api.DbAsync(db => db.MemberGuideChanges.AsNoTracking().Where(c => c.MemberId == member!.Id).ToListAsync()));
        Assert.Equal(GuideBindingCause.WecomFriend, change.Cause);
        Assert.Equal(customer, change.Reference);
        // Both friendships are actions of their own (different guides).
        Assert.Equal(10, await BalanceAsync(member!.Id));
    }
}

public sealed class GroupActionAwardTestsOnSqlite(SqliteApi fixture) : GroupActionAwardTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class GroupActionAwardTestsOnMySql(MySqlApi fixture) : GroupActionAwardTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
