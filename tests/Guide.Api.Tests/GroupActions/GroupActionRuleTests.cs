using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.GroupActions;
using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.GroupActions;

/// <summary>
/// HQ's rules of points for group actions over HTTP: the built-in purchase rule listed first and never changed or deleted here,
/// one live custom rule per kind (also under racing creations), the terms' limits, pause and soft delete; HQ's list of the
/// recorded actions; and that only HQ may call any of it. The rules table is this class's alone (one database per fixture),
/// but its tests run one after another on it: each starts from no live custom rule and leaves none.
/// </summary>
public abstract class GroupActionRuleTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Rules = "/api/admin/group-action-rules";
    private static readonly string BuiltIn = $"{Rules}/{GroupActionRule.PurchaseRuleId}";

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", Rules }, { "POST", Rules }, { "GET", BuiltIn }, { "GET", $"{Rules}/{Guid.NewGuid()}" }, { "PUT", $"{Rules}/{Guid.NewGuid()}" },
        { "DELETE", $"{Rules}/{Guid.NewGuid()}" }, { "GET", "/api/admin/group-actions" }, { "GET", "/api/admin/group-actions?status=awarded" },
    };

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    /// <summary>Deletes every live custom rule (through the database, so a failed test before does not leak into this one).</summary>
    private Task NoLiveRulesAsync() => Api.InScopeAsync(async db =>
    {
        foreach (var rule in await db.GroupActionRules.Where(r => r.LiveKind != null).ToListAsync()) rule.Delete(DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    });

    private Task<int> RuleRowsAsync() => Api.DbAsync(db => db.GroupActionRules.CountAsync());

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        var rule = JsonDocument.Parse(text).RootElement;
        Assert.Equal($"{Rules}/{rule.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        return rule;
    }

    private static void AssertNull(JsonElement e, string property) => Assert.Equal(JsonValueKind.Null, e.GetProperty(property).ValueKind);

    [SkippableFact]
    public async Task Hq_creates_lists_changes_pauses_and_deletes_rules_and_the_built_in_purchase_rule_comes_first_and_stays()
    {
        var hq = await HqAsync();
        await NoLiveRulesAsync();
        try
        {
            // The purchase rule's points are the points settings' rate: 1.5 points per yuan here.
            var settings = await hq.PutAsJsonAsync("/api/admin/points/settings", new
            {
                expiryPolicy = "never", pointsPer100Yuan = 150, walletPrincipalEarns = true, walletGiftEarns = false, returnWindowDays = 7, refundPolicy = "debt",
            });
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);

            // Created in the reverse of the kinds' order: the list orders by kind, not by creation.
            var comment = await CreatedAsync(await hq.PostAsJsonAsync(Rules, new { kind = "comment_moment", name = "评论朋友圈", points = 5 }));
            Assert.Equal("comment_moment", comment.GetProperty("kind").GetString());
            Assert.False(comment.GetProperty("paused").GetBoolean());
            foreach (var p in new[] { "validityDays", "dailyCap", "lifetimeCap", "takeBackWithinDays", "pointsPer100Yuan" }) AssertNull(comment, p);

            var friend = await CreatedAsync(await hq.PostAsJsonAsync(Rules, new
            {
                kind = "add_guide_friend", name = "  加导购好友  ", points = 50, validityDays = 365, dailyCap = 1, lifetimeCap = 3, takeBackWithinDays = 7,
            }));
            var friendId = friend.GetProperty("id").GetGuid();
            Assert.Equal("加导购好友", friend.GetProperty("name").GetString());
            Assert.False(friend.GetProperty("builtIn").GetBoolean());
            Assert.Equal(50, friend.GetProperty("points").GetInt64());
            Assert.Equal(365, friend.GetProperty("validityDays").GetInt32());
            Assert.Equal(1, friend.GetProperty("dailyCap").GetInt32());
            Assert.Equal(3, friend.GetProperty("lifetimeCap").GetInt32());
            Assert.Equal(7, friend.GetProperty("takeBackWithinDays").GetInt32());

            var list = (await (await hq.GetAsync(Rules)).JsonAsync()).EnumerateArray().ToList();
            Assert.Equal(["purchase", "add_guide_friend", "comment_moment"], list.Select(r => r.GetProperty("kind").GetString()));
            var purchase = list[0];
            Assert.Equal(GroupActionRule.PurchaseRuleId, purchase.GetProperty("id").GetGuid());
            Assert.True(purchase.GetProperty("builtIn").GetBoolean());
            Assert.Equal(150, purchase.GetProperty("pointsPer100Yuan").GetInt32());
            foreach (var p in new[] { "points", "validityDays", "dailyCap", "lifetimeCap", "takeBackWithinDays" }) AssertNull(purchase, p);
            Assert.Equal(friendId, list[1].GetProperty("id").GetGuid());

            var one = await (await hq.GetAsync($"{Rules}/{friendId}")).JsonAsync();
            Assert.Equal("加导购好友", one.GetProperty("name").GetString());
            Assert.Equal(50, one.GetProperty("points").GetInt64());
            var builtIn = await (await hq.GetAsync(BuiltIn)).JsonAsync();
            Assert.True(builtIn.GetProperty("builtIn").GetBoolean());
            Assert.Equal(150, builtIn.GetProperty("pointsPer100Yuan").GetInt32());

            // A change replaces every term (absent ones become "none"); paused=true pauses.
            var paused = await hq.PutAsJsonAsync($"{Rules}/{friendId}", new { name = "加好友", points = 80, paused = true, takeBackWithinDays = 14 });
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            var changed = await paused.JsonAsync();
            Assert.Equal("add_guide_friend", changed.GetProperty("kind").GetString());
            Assert.Equal("加好友", changed.GetProperty("name").GetString());
            Assert.Equal(80, changed.GetProperty("points").GetInt64());
            Assert.True(changed.GetProperty("paused").GetBoolean());
            Assert.Equal(14, changed.GetProperty("takeBackWithinDays").GetInt32());
            foreach (var p in new[] { "validityDays", "dailyCap", "lifetimeCap" }) AssertNull(changed, p);
            var listed = (await (await hq.GetAsync(Rules)).JsonAsync()).EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == friendId);
            Assert.True(listed.GetProperty("paused").GetBoolean());
            var resumed = await (await hq.PutAsJsonAsync($"{Rules}/{friendId}", new { name = "加好友", points = 80 })).JsonAsync();
            Assert.False(resumed.GetProperty("paused").GetBoolean());

            // The built-in rule is changed in the points settings and never deleted.
            await AssertProblemAsync(await hq.PutAsJsonAsync(BuiltIn, new { name = "消费", points = 1 }), HttpStatusCode.Conflict, "group_action_rule.built_in");
            await AssertProblemAsync(await hq.DeleteAsync(BuiltIn), HttpStatusCode.Conflict, "group_action_rule.built_in");
            Assert.Equal(HttpStatusCode.OK, (await hq.GetAsync(BuiltIn)).StatusCode);

            // Deleting keeps the row (actions recorded under it name it) but it is gone for HQ.
            Assert.Equal(HttpStatusCode.NoContent, (await hq.DeleteAsync($"{Rules}/{friendId}")).StatusCode);
            await AssertProblemAsync(await hq.GetAsync($"{Rules}/{friendId}"), HttpStatusCode.NotFound, "group_action_rule.not_found");
            await AssertProblemAsync(await hq.PutAsJsonAsync($"{Rules}/{friendId}", new { name = "加好友", points = 1 }), HttpStatusCode.NotFound,
                "group_action_rule.not_found");
            await AssertProblemAsync(await hq.DeleteAsync($"{Rules}/{friendId}"), HttpStatusCode.NotFound, "group_action_rule.not_found");
            Assert.Equal(["purchase", "comment_moment"],
                (await (await hq.GetAsync(Rules)).JsonAsync()).EnumerateArray().Select(r => r.GetProperty("kind").GetString()));
            var row = await Api.DbAsync(db => db.GroupActionRules.AsNoTracking().SingleAsync(r => r.Id == friendId));
            Assert.NotNull(row.DeletedAt);
            Assert.Null(row.LiveKind);

            var nobody = Guid.NewGuid();
            await AssertProblemAsync(await hq.GetAsync($"{Rules}/{nobody}"), HttpStatusCode.NotFound, "group_action_rule.not_found");
            await AssertProblemAsync(await hq.PutAsJsonAsync($"{Rules}/{nobody}", new { name = "x", points = 1 }), HttpStatusCode.NotFound, "group_action_rule.not_found");
            await AssertProblemAsync(await hq.DeleteAsync($"{Rules}/{nobody}"), HttpStatusCode.NotFound, "group_action_rule.not_found");
        }
        finally
        {
            await NoLiveRulesAsync();
        }
    }

    [SkippableFact]
    public async Task A_kind_has_one_live_rule_and_is_free_again_once_it_is_deleted()
    {
        var hq = await HqAsync();
        await NoLiveRulesAsync();
        try
        {
            var first = await CreatedAsync(await hq.PostAsJsonAsync(Rules, new { kind = "join_customer_group", name = "进群", points = 20 }));
            await AssertProblemAsync(await hq.PostAsJsonAsync(Rules, new { kind = "join_customer_group", name = "进群 2", points = 30 }), HttpStatusCode.Conflict,
                "group_action_rule.kind_exists");
            // Paused is still live: it holds the kind.
            Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"{Rules}/{first.GetProperty("id").GetGuid()}", new { name = "进群", points = 20, paused = true })).StatusCode);
            await AssertProblemAsync(await hq.PostAsJsonAsync(Rules, new { kind = "join_customer_group", name = "进群 2", points = 30 }), HttpStatusCode.Conflict,
                "group_action_rule.kind_exists");

            Assert.Equal(HttpStatusCode.NoContent, (await hq.DeleteAsync($"{Rules}/{first.GetProperty("id").GetGuid()}")).StatusCode);
            var second = await CreatedAsync(await hq.PostAsJsonAsync(Rules, new { kind = "join_customer_group", name = "进群 2", points = 30 }));
            Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
            Assert.Equal(30, (await (await hq.GetAsync($"{Rules}/{second.GetProperty("id").GetGuid()}")).JsonAsync()).GetProperty("points").GetInt64());
            var firstId = first.GetProperty("id").GetGuid();
            var rows = await Api.DbAsync(db => db.GroupActionRules.AsNoTracking().Where(r => r.Kind == GroupActionKind.JoinCustomerGroup).ToListAsync());
            Assert.Equal(second.GetProperty("id").GetGuid(), Assert.Single(rows, r => r.DeletedAt == null).Id);
            Assert.NotNull(rows.Single(r => r.Id == firstId).DeletedAt);
        }
        finally
        {
            await NoLiveRulesAsync();
        }
    }

    /// <summary>Bodies a creation refuses, each with the field the problem names.</summary>
    public static TheoryData<string, string> InvalidCreations => new()
    {
        { """{"kind":"like_moment","points":5}""", "name" },
        { """{"kind":"like_moment","name":"   ","points":5}""", "name" },
        { $$"""{"kind":"like_moment","name":"{{new string('赞', GroupActionRule.NameMaxLength + 1)}}","points":5}""", "name" },
        { """{"kind":"like_moment","name":"点赞"}""", "points" },
        { """{"kind":"like_moment","name":"点赞","points":0}""", "points" },
        { """{"kind":"like_moment","name":"点赞","points":-5}""", "points" },
        { """{"kind":"like_moment","name":"点赞","points":1000001}""", "points" },
        { """{"kind":"like_moment","name":"点赞","points":5,"validityDays":0}""", "validityDays" },
        { """{"kind":"like_moment","name":"点赞","points":5,"validityDays":3651}""", "validityDays" },
        { """{"kind":"like_moment","name":"点赞","points":5,"dailyCap":0}""", "dailyCap" },
        { """{"kind":"like_moment","name":"点赞","points":5,"dailyCap":10001}""", "dailyCap" },
        { """{"kind":"like_moment","name":"点赞","points":5,"lifetimeCap":0}""", "lifetimeCap" },
        { """{"kind":"like_moment","name":"点赞","points":5,"lifetimeCap":10001}""", "lifetimeCap" },
        { """{"kind":"like_moment","name":"点赞","points":5,"dailyCap":4,"lifetimeCap":3}""", "dailyCap" },
        { """{"kind":"add_guide_friend","name":"加好友","points":5,"takeBackWithinDays":0}""", "takeBackWithinDays" },
        { """{"kind":"add_guide_friend","name":"加好友","points":5,"takeBackWithinDays":366}""", "takeBackWithinDays" },
        { """{"kind":"like_moment","name":"点赞","points":5,"takeBackWithinDays":7}""", "takeBackWithinDays" },
        { """{"kind":"comment_moment","name":"评论","points":5,"takeBackWithinDays":7}""", "takeBackWithinDays" },
        { """{"kind":"purchase","name":"消费","points":5}""", "kind" },
        { """{"name":"没有类型","points":5}""", "kind" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidCreations))]
    public async Task An_invalid_rule_is_refused_by_its_field_and_nothing_is_written(string body, string field)
    {
        var hq = await HqAsync();
        var before = await RuleRowsAsync();
        var problem = await AssertProblemAsync(await hq.PostAsync(Rules, new StringContent(body, System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        Assert.Equal(before, await RuleRowsAsync());
    }

    /// <summary>Changes a rule refuses (the kind is the rule's: like_moment, which cannot take points back).</summary>
    public static TheoryData<string, string> InvalidChanges => new()
    {
        { """{"name":"","points":5}""", "name" },
        { """{"name":"点赞","points":0}""", "points" },
        { """{"name":"点赞","points":5,"validityDays":3651}""", "validityDays" },
        { """{"name":"点赞","points":5,"dailyCap":10001}""", "dailyCap" },
        { """{"name":"点赞","points":5,"dailyCap":2,"lifetimeCap":1}""", "dailyCap" },
        { """{"name":"点赞","points":5,"takeBackWithinDays":3}""", "takeBackWithinDays" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidChanges))]
    public async Task An_invalid_change_is_refused_by_its_field_and_the_rule_stays_as_it_was(string body, string field)
    {
        var hq = await HqAsync();
        await NoLiveRulesAsync();
        try
        {
            var id = (await CreatedAsync(await hq.PostAsJsonAsync(Rules, new { kind = "like_moment", name = "点赞", points = 2, dailyCap = 1 }))).GetProperty("id").GetGuid();
            var problem = await AssertProblemAsync(await hq.PutAsync($"{Rules}/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json")),
                HttpStatusCode.BadRequest, "request.validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
            var rule = await Api.DbAsync(db => db.GroupActionRules.AsNoTracking().SingleAsync(r => r.Id == id));
            Assert.Equal((2L, 1, (int?)null, (int?)null), (rule.Points, rule.DailyCap, rule.LifetimeCap, rule.TakeBackWithinDays));
        }
        finally
        {
            await NoLiveRulesAsync();
        }
    }

    [SkippableTheory]
    [InlineData("""{"kind":"like","name":"点赞","points":5}""")]
    [InlineData("""{"kind":"like_moment","name":"点赞","points":99999999999999999999999}""")]
    [InlineData("""{"kind":"like_moment","name":"点赞","points":5,"dailyCap":3000000000}""")]
    [InlineData("""{"kind":"like_moment","name":"点赞","points":"5"}""")]
    public async Task An_unreadable_body_is_400_and_nothing_is_written(string body)
    {
        var hq = await HqAsync();
        var before = await RuleRowsAsync();
        var response = await hq.PostAsync(Rules, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await RuleRowsAsync());
    }

    [SkippableFact]
    public async Task Creations_of_one_kind_racing_give_one_rule_one_201_and_409_for_the_rest()
    {
        var hq = await HqAsync();
        await NoLiveRulesAsync();
        try
        {
            using var gate = new SemaphoreSlim(0);
            var racing = Enumerable.Range(0, 8).Select(async i =>
            {
                await gate.WaitAsync();
                return await hq.PostAsJsonAsync(Rules, new { kind = "add_guide_friend", name = $"加好友 {i}", points = 10 + i });
            }).ToList();
            gate.Release(racing.Count);
            var responses = await Task.WhenAll(racing);
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
                await AssertProblemAsync(refused, HttpStatusCode.Conflict, "group_action_rule.kind_exists");
            var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.Created).JsonAsync();
            var live = await Api.DbAsync(db => db.GroupActionRules.AsNoTracking().Where(r => r.LiveKind == GroupActionKind.AddGuideFriend).ToListAsync());
            Assert.Equal(winner.GetProperty("id").GetGuid(), Assert.Single(live).Id);
        }
        finally
        {
            await NoLiveRulesAsync();
        }
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT" ? JsonContent.Create(new { kind = "like_moment", name = "点赞", points = 5 }) : null,
    };

    [SkippableTheory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_token_every_group_action_route_is_401(string method, string path) =>
        await AssertProblemAsync(await Api.Client().SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    /// <summary>Tokens are per audience: a shopper's or a guide's is not one HQ's routes read (401, as on every HQ route), and writes nothing.</summary>
    [SkippableTheory]
    [MemberData(nameof(Routes))]
    public async Task A_member_or_guide_token_opens_no_group_action_route(string method, string path)
    {
        var member = await Api.LogInMemberAsync();
        var guide = await Api.LogInGuideAsync(await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id));
        var before = await RuleRowsAsync();
        foreach (var token in new[] { member.Token, guide.Token })
            await AssertProblemAsync(await Api.Client(token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.Equal(before, await RuleRowsAsync());
    }

    [SkippableFact]
    public async Task Hq_reads_recorded_actions_newest_first_by_status_kind_and_member_in_pages()
    {
        var hq = await HqAsync();
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (ann, bo) = (new Member(ApiFixture.Unique("openid"), null, now), new Member(ApiFixture.Unique("openid"), null, now));
        var customer = ApiFixture.Unique("wm");
        var friendRule = new GroupActionRule(GroupActionKind.AddGuideFriend, "加好友", 50, null, null, null, false, 7, now);
        var groupRule = new GroupActionRule(GroupActionKind.JoinCustomerGroup, "进群", 20, null, null, null, false, null, now);
        var likeRule = new GroupActionRule(GroupActionKind.LikeMoment, "点赞", 2, null, 1, null, false, null, now);
        var commentRule = new GroupActionRule(GroupActionKind.CommentMoment, "评论", 5, null, null, null, false, null, now);
        GroupAction Action(GroupActionKind kind, string target, TimeSpan ago, GroupActionRule rule, Member? member, string? externalUserId = null)
        {
            var action = new GroupAction(kind, externalUserId ?? customer, target, "guide-zhang", now - ago, today, null, null, rule, now);
            if (member is not null) action.Matched(member.Id);
            return action;
        }
        var firstFriend = Action(GroupActionKind.AddGuideFriend, "guide-zhang", TimeSpan.FromHours(3), friendRule, ann);
        firstFriend.Awarded(Guid.NewGuid(), now - TimeSpan.FromHours(3));
        var joined = Action(GroupActionKind.JoinCustomerGroup, "chat-1", TimeSpan.FromHours(2), groupRule, ann);
        var liked = Action(GroupActionKind.LikeMoment, "moment-1", TimeSpan.FromHours(1), likeRule, ann);
        liked.NotAwarded(GroupActionOutcome.DailyCap, now);
        var secondFriend = Action(GroupActionKind.AddGuideFriend, "guide-li", TimeSpan.FromMinutes(30), friendRule, ann);
        secondFriend.Awarded(Guid.NewGuid(), now - TimeSpan.FromMinutes(30));
        secondFriend.TakenBack(Guid.NewGuid(), now - TimeSpan.FromMinutes(5), now);
        var commented = Action(GroupActionKind.CommentMoment, "moment-1", TimeSpan.FromMinutes(10), commentRule, bo, ApiFixture.Unique("wm"));
        commented.Awarded(Guid.NewGuid(), now);
        var unknown = Action(GroupActionKind.JoinCustomerGroup, "chat-1", TimeSpan.FromMinutes(1), groupRule, null, ApiFixture.Unique("wm"));
        await Api.InScopeAsync(async db =>
        {
            db.Members.AddRange(ann, bo);
            db.GroupActions.AddRange(firstFriend, joined, liked, secondFriend, commented, unknown);
            await db.SaveChangesAsync();
        });

        async Task<(List<JsonElement> Items, JsonElement Page)> ListAsync(string query)
        {
            var response = await hq.GetAsync($"/api/admin/group-actions?{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            return (page.GetProperty("items").EnumerateArray().ToList(), page);
        }
        static IEnumerable<Guid> Ids(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("id").GetGuid());

        var (anns, annPage) = await ListAsync($"memberId={ann.Id}");
        Assert.Equal([secondFriend.Id, liked.Id, joined.Id, firstFriend.Id], Ids(anns));
        Assert.Equal(4, annPage.GetProperty("total").GetInt32());
        var takenBack = anns[0];
        Assert.Equal("add_guide_friend", takenBack.GetProperty("kind").GetString());
        Assert.Equal(customer, takenBack.GetProperty("externalUserId").GetString());
        Assert.Equal("guide-li", takenBack.GetProperty("target").GetString());
        Assert.Equal("guide-zhang", takenBack.GetProperty("guideUserId").GetString());
        Assert.Equal(now - TimeSpan.FromMinutes(30), takenBack.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(ann.Id, takenBack.GetProperty("memberId").GetGuid());
        Assert.Equal("taken_back", takenBack.GetProperty("status").GetString());
        AssertNull(takenBack, "outcome");
        Assert.Equal(50, takenBack.GetProperty("points").GetInt64());
        Assert.Equal(now - TimeSpan.FromMinutes(30), takenBack.GetProperty("awardedAt").GetDateTimeOffset());
        Assert.Equal(now - TimeSpan.FromMinutes(5), takenBack.GetProperty("undoneAt").GetDateTimeOffset());
        Assert.Equal("pending", anns[2].GetProperty("status").GetString());
        AssertNull(anns[2], "awardedAt");
        AssertNull(anns[2], "undoneAt");

        Assert.Equal([firstFriend.Id], Ids((await ListAsync($"memberId={ann.Id}&status=awarded")).Items));
        var (capped, _) = await ListAsync($"memberId={ann.Id}&status=not_awarded");
        Assert.Equal([liked.Id], Ids(capped));
        Assert.Equal("daily_cap", capped[0].GetProperty("outcome").GetString());
        Assert.Equal([secondFriend.Id, firstFriend.Id], Ids((await ListAsync($"memberId={ann.Id}&kind=add_guide_friend")).Items));
        Assert.Empty((await ListAsync($"memberId={bo.Id}&kind=add_guide_friend")).Items);

        var (second, secondPage) = await ListAsync($"memberId={ann.Id}&page=2&pageSize=3");
        Assert.Equal([firstFriend.Id], Ids(second));
        Assert.Equal((2, 3, 4), (secondPage.GetProperty("page").GetInt32(), secondPage.GetProperty("pageSize").GetInt32(), secondPage.GetProperty("total").GetInt32()));

        // Without a member: everyone's, the unmatched customer's too.
        var (comments, _) = await ListAsync("kind=comment_moment&pageSize=100");
        Assert.Contains(commented.Id, Ids(comments));
        Assert.All(comments, c => Assert.Equal("comment_moment", c.GetProperty("kind").GetString()));
        var (pending, _) = await ListAsync("status=pending&pageSize=100");
        Assert.Contains(unknown.Id, Ids(pending));
        Assert.Contains(joined.Id, Ids(pending));
        Assert.All(pending, p => Assert.Equal("pending", p.GetProperty("status").GetString()));
        AssertNull(pending.Single(p => p.GetProperty("id").GetGuid() == unknown.Id), "memberId");

        foreach (var bad in new[] { "status=bogus", "status=Awarded", "kind=like", "kind=LikeMoment", "memberId=not-a-guid", "page=99999999999" })
            await AssertProblemAsync(await hq.GetAsync($"/api/admin/group-actions?{bad}"), HttpStatusCode.BadRequest, "request.malformed");
    }
}

public sealed class GroupActionRuleTestsOnSqlite(SqliteApi fixture) : GroupActionRuleTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class GroupActionRuleTestsOnMySql(MySqlApi fixture) : GroupActionRuleTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
