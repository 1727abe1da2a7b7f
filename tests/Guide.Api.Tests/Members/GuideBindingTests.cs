using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Members;

/// <summary>Exclusive guide (专属导购): the guide's code, binding by its scene (first wins), HQ re-assignment, the history.</summary>
public abstract class GuideBindingTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    private async Task<(ShoppingGuide Guide, ApiFixture.LoggedIn Session)> GuideAsync(Guid? storeId = null)
    {
        var guide = await Api.CreateGuideAsync(storeId ?? (await Api.CreateStoreAsync()).Id);
        return (guide, await Api.LogInGuideAsync(guide));
    }

    /// <summary>The scene of the guide's code, as the fake WeChat received it when drawing the code.</summary>
    private async Task<string> SceneOfAsync(ApiFixture.LoggedIn guide)
    {
        (await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode")).EnsureSuccessStatusCode();
        var code = await Api.DbAsync(db => db.Guides.Where(g => g.Id == guide.Id).Select(g => g.SceneCode).SingleAsync());
        return GuideScene.Of(code!);
    }

    private Task<HttpResponseMessage> BindAsync(ApiFixture.LoggedIn member, string? scene) =>
        Api.Client(member.Token).PostAsJsonAsync("/api/mp/me/guide-binding", new { scene });

    [SkippableFact]
    public async Task The_guide_code_is_an_image_drawn_once_per_page_with_a_short_scene()
    {
        var (_, guide) = await GuideAsync();
        var before = Api.Weixin.Calls(FakeWeixinApis.GetWxaCodeUnlimit);

        var first = await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", first.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var bytes = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(PngSignature, bytes[..4]);

        var second = await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode");
        Assert.Equal(bytes, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(before + 1, Api.Weixin.Calls(FakeWeixinApis.GetWxaCodeUnlimit));

        var scene = Api.Weixin.GeneratedWxaCodeScenes.Last();
        Assert.True(scene.Length <= 32, scene);
        Assert.StartsWith("g=", scene, StringComparison.Ordinal);
        Assert.DoesNotContain(guide.Id.ToString("N")[..8], scene, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task A_new_page_setting_draws_the_code_anew_with_the_same_scene()
    {
        var (_, guide) = await GuideAsync();
        (await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode")).EnsureSuccessStatusCode();
        var before = Api.Weixin.Calls(FakeWeixinApis.GetWxaCodeUnlimit);
        var configuration = Api.Factory.Services.GetRequiredService<IConfiguration>();
        Api.Weixin.AddPage("pages/guide/index");
        configuration["Weixin:MiniProgram:GuideQrPage"] = "pages/guide/index";
        try
        {
            (await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode")).EnsureSuccessStatusCode();
            (await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode")).EnsureSuccessStatusCode();
        }
        finally
        {
            configuration["Weixin:MiniProgram:GuideQrPage"] = null;
        }
        Assert.Equal(before + 1, Api.Weixin.Calls(FakeWeixinApis.GetWxaCodeUnlimit));
        var pages = await Api.DbAsync(db => db.GuideQrCodes.Where(c => c.GuideId == guide.Id).OrderBy(c => c.Page).Select(c => new { c.Page, c.Scene }).ToListAsync());
        Assert.Equal(["pages/guide/index", "pages/index/index"], pages.Select(p => p.Page));
        Assert.Single(pages.Select(p => p.Scene).Distinct());
    }

    [SkippableFact]
    public async Task A_page_WeChat_does_not_know_is_a_503()
    {
        var (_, guide) = await GuideAsync();
        var configuration = Api.Factory.Services.GetRequiredService<IConfiguration>();
        configuration["Weixin:MiniProgram:GuideQrPage"] = "pages/unpublished/index";
        try
        {
            var refused = await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode");
            var body = await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "weixin.unavailable");
            Assert.Equal(41030, body.GetProperty("weixinErrcode").GetInt32());
        }
        finally
        {
            configuration["Weixin:MiniProgram:GuideQrPage"] = null;
        }
    }

    [SkippableFact]
    public async Task WeChat_refusing_to_draw_the_code_is_a_503_and_nothing_is_cached()
    {
        var (_, guide) = await GuideAsync();
        Api.Weixin.FailNext(FakeWeixinApis.GetWxaCodeUnlimit, 45009, "reach max api daily quota limit");
        var refused = await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode");
        var body = await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "weixin.unavailable");
        Assert.Equal(45009, body.GetProperty("weixinErrcode").GetInt32());
        Assert.Equal(0, await Api.DbAsync(db => db.GuideQrCodes.CountAsync(c => c.GuideId == guide.Id)));

        var later = await Api.Client(guide.Token).GetAsync("/api/guide/me/qrcode");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [SkippableFact]
    public async Task Each_guide_gets_their_own_code_and_only_guides_get_one()
    {
        var (_, one) = await GuideAsync();
        var (_, other) = await GuideAsync();
        var sceneOne = await SceneOfAsync(one);
        var sceneOther = await SceneOfAsync(other);
        Assert.NotEqual(sceneOne, sceneOther);

        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).GetAsync("/api/guide/me/qrcode"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await Api.Client().GetAsync("/api/guide/me/qrcode"), HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [SkippableFact]
    public async Task The_first_binding_wins_and_is_recorded()
    {
        var (guide, guideSession) = await GuideAsync();
        var (_, otherSession) = await GuideAsync();
        var scene = await SceneOfAsync(guideSession);
        var member = await Api.LogInMemberAsync();

        var bound = await BindAsync(member, scene);
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        var body = await ReadJsonAsync(bound);
        Assert.True(body.GetProperty("bound").GetBoolean());
        Assert.Equal(guide.Id, body.GetProperty("guide").GetProperty("id").GetGuid());
        Assert.Equal(guide.StoreId, body.GetProperty("guide").GetProperty("storeId").GetGuid());

        // The same code again, and another guide's code (URL-encoded, as options.scene arrives): the first binding stands.
        var again = await ReadJsonAsync(await BindAsync(member, scene));
        Assert.False(again.GetProperty("bound").GetBoolean());
        var otherScene = Uri.EscapeDataString(await SceneOfAsync(otherSession));
        var other = await ReadJsonAsync(await BindAsync(member, otherScene));
        Assert.False(other.GetProperty("bound").GetBoolean());
        Assert.Equal(guide.Id, other.GetProperty("guide").GetProperty("id").GetGuid());

        var stored = await Api.DbAsync(db => db.Members.SingleAsync(m => m.Id == member.Id));
        Assert.Equal(guide.Id, stored.ExclusiveGuideId);
        Assert.Equal(guide.StoreId, stored.StoreId);
        var me = await ReadJsonAsync(await Api.Client(member.Token).GetAsync("/api/mp/me"));
        Assert.True(me.GetProperty("hasExclusiveGuide").GetBoolean());

        var changes = await Api.DbAsync(db => db.MemberGuideChanges.Where(c => c.MemberId == member.Id).ToListAsync());
        var change = Assert.Single(changes);
        Assert.Equal(GuideBindingCause.Qrcode, change.Cause);
        Assert.Null(change.FromGuideId);
        Assert.Equal(scene, change.Reference);
        Assert.Equal($"member:{member.Id}", change.Actor);
    }

    [SkippableFact]
    public async Task Bad_and_unknown_scenes_are_refused_and_bind_nobody()
    {
        var member = await Api.LogInMemberAsync();
        foreach (var bad in new[] { "", "   ", "g=short", "x=AAAAAAAAAA", "g=AAAAAAAAA!", new string('g', 65), "g%ZZAAAAAAAA" })
            await AssertProblemAsync(await BindAsync(member, bad), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await BindAsync(member, null), HttpStatusCode.BadRequest, "request.validation_failed");
        var notJson = await Api.Client(member.Token).PostAsync("/api/mp/me/guide-binding", new StringContent("{\"scene\": 12", System.Text.Encoding.UTF8, "application/json"));
        await AssertProblemAsync(notJson, HttpStatusCode.BadRequest, "request.malformed");

        await AssertProblemAsync(await BindAsync(member, "g=Zz9Zz9Zz9Z"), HttpStatusCode.NotFound, "guide.scene_not_found");

        // A guide who left: their code binds nobody.
        var (left, leftSession) = await GuideAsync();
        var scene = await SceneOfAsync(leftSession);
        await Api.InScopeAsync(async db =>
        {
            var g = await db.Guides.SingleAsync(x => x.Id == left.Id);
            g.Update(g.Name, g.StoreId, g.Role, g.ManagedAreas, g.Mobile, active: false);
            await db.SaveChangesAsync();
        });
        await AssertProblemAsync(await BindAsync(member, scene), HttpStatusCode.NotFound, "guide.scene_not_found");

        Assert.Null((await Api.DbAsync(db => db.Members.SingleAsync(m => m.Id == member.Id))).ExclusiveGuideId);
        Assert.Equal(0, await Api.DbAsync(db => db.MemberGuideChanges.CountAsync(c => c.MemberId == member.Id)));
    }

    [SkippableFact]
    public async Task Concurrent_bindings_of_one_member_to_two_guides_bind_exactly_one()
    {
        var (a, aSession) = await GuideAsync();
        var (b, bSession) = await GuideAsync();
        var scenes = new[] { await SceneOfAsync(aSession), await SceneOfAsync(bSession) };
        for (var round = 0; round < 3; round++)
        {
            var member = await Api.LogInMemberAsync();
            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => BindAsync(member, scenes[i % 2])));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var bodies = await Task.WhenAll(responses.Select(ReadJsonAsync));
            var winners = bodies.Where(x => x.GetProperty("bound").GetBoolean()).ToList();
            var winner = Assert.Single(winners).GetProperty("guide").GetProperty("id").GetGuid();
            Assert.All(bodies, x => Assert.Equal(winner, x.GetProperty("guide").GetProperty("id").GetGuid()));

            var stored = await Api.DbAsync(db => db.Members.SingleAsync(m => m.Id == member.Id));
            Assert.Equal(winner, stored.ExclusiveGuideId);
            Assert.Equal(winner == a.Id ? a.StoreId : b.StoreId, stored.StoreId);
            Assert.Equal(1, await Api.DbAsync(db => db.MemberGuideChanges.CountAsync(c => c.MemberId == member.Id)));
        }
    }

    [SkippableFact]
    public async Task HQ_reassigns_with_a_reason_and_the_history_lists_every_change_newest_first()
    {
        var (first, firstSession) = await GuideAsync();
        var (second, _) = await GuideAsync();
        var member = await Api.LogInMemberAsync();
        await BindAsync(member, await SceneOfAsync(firstSession));
        var admin = await Api.LogInAdminAsync();
        var hq = Api.Client(admin.Token);

        var moved = await hq.PostAsJsonAsync($"/api/admin/members/{member.Id}/guide", new { guideId = second.Id, reason = "导购离职交接" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var view = await ReadJsonAsync(moved);
        Assert.Equal(second.Id, view.GetProperty("exclusiveGuideId").GetGuid());
        Assert.Equal(second.StoreId, view.GetProperty("storeId").GetGuid());

        // The same guide again changes and records nothing.
        (await hq.PostAsJsonAsync($"/api/admin/members/{member.Id}/guide", new { guideId = second.Id, reason = "again" })).EnsureSuccessStatusCode();
        // A domain command the WeCom friend-added event sends: the member has a guide, so nothing changes.
        var friend = await Api.SendAsync(new BindExclusiveGuide(member.Id, first.Id, GuideBindingCause.WecomFriend, "wm-external-1"));
        Assert.False(friend.Bound);
        Assert.Equal(second.Id, friend.Guide.Id);

        var history = await ReadJsonAsync(await hq.GetAsync($"/api/admin/members/{member.Id}/guide-history"));
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("hq", items[0].GetProperty("cause").GetString());
        Assert.Equal(first.Id, items[0].GetProperty("fromGuideId").GetGuid());
        Assert.Equal(second.Id, items[0].GetProperty("toGuideId").GetGuid());
        Assert.Equal(second.Name, items[0].GetProperty("toGuideName").GetString());
        Assert.Equal("导购离职交接", items[0].GetProperty("reason").GetString());
        Assert.Equal($"hq:{admin.Id}", items[0].GetProperty("actor").GetString());
        Assert.Equal("qrcode", items[1].GetProperty("cause").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("fromGuideId").ValueKind);

        var paged = await ReadJsonAsync(await hq.GetAsync($"/api/admin/members/{member.Id}/guide-history?page=2&pageSize=1"));
        Assert.Equal("qrcode", paged.GetProperty("items")[0].GetProperty("cause").GetString());
    }

    [SkippableFact]
    public async Task A_WeCom_friendship_binds_an_unbound_member_with_its_cause()
    {
        var (guide, _) = await GuideAsync();
        var member = await Api.LogInMemberAsync();
        var outcome = await Api.SendAsync(new BindExclusiveGuide(member.Id, guide.Id, GuideBindingCause.WecomFriend, "wm-external-2"));
        Assert.True(outcome.Bound);
        var change = await Api.DbAsync(db => db.MemberGuideChanges.SingleAsync(c => c.MemberId == member.Id));
        Assert.Equal(GuideBindingCause.WecomFriend, change.Cause);
        Assert.Equal("wecom", change.Actor);
        Assert.Equal("wm-external-2", change.Reference);
    }

    [SkippableFact]
    public async Task HQ_reassignment_needs_a_reason_an_active_guide_and_an_HQ_token()
    {
        var (guide, guideSession) = await GuideAsync();
        var member = await Api.LogInMemberAsync();
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var url = $"/api/admin/members/{member.Id}/guide";

        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { guideId = guide.Id }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { guideId = guide.Id, reason = "  " }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { reason = "x" }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { guideId = guide.Id, reason = new string('r', 201) }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { guideId = Guid.NewGuid(), reason = "x" }), HttpStatusCode.NotFound, "guide.not_found");
        await AssertProblemAsync(await hq.PostAsJsonAsync($"/api/admin/members/{Guid.NewGuid()}/guide", new { guideId = guide.Id, reason = "x" }),
            HttpStatusCode.NotFound, "member.not_found");
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/members/{Guid.NewGuid()}/guide-history"), HttpStatusCode.NotFound, "member.not_found");

        var inactive = await Api.CreateGuideAsync(guide.StoreId, active: false);
        await AssertProblemAsync(await hq.PostAsJsonAsync(url, new { guideId = inactive.Id, reason = "x" }), HttpStatusCode.Conflict, "member_guide.guide_inactive");

        // Neither the shopper nor a guide may re-assign or read the history.
        foreach (var token in new[] { member.Token, guideSession.Token })
        {
            var client = Api.Client(token);
            await AssertProblemAsync(await client.PostAsJsonAsync(url, new { guideId = guide.Id, reason = "mine" }), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await client.GetAsync($"/api/admin/members/{member.Id}/guide-history"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        }
        // A guide token cannot bind a shopper either.
        await AssertProblemAsync(await Api.Client(guideSession.Token).PostAsJsonAsync("/api/mp/me/guide-binding", new { scene = "g=AAAAAAAAAA" }),
            HttpStatusCode.Unauthorized, "auth.invalid_token");

        Assert.Null((await Api.DbAsync(db => db.Members.SingleAsync(m => m.Id == member.Id))).ExclusiveGuideId);
        Assert.Equal(0, await Api.DbAsync(db => db.MemberGuideChanges.CountAsync(c => c.MemberId == member.Id)));
    }

    [SkippableFact]
    public async Task A_guide_lists_the_members_bound_to_them()
    {
        var store = await Api.CreateStoreAsync();
        var (me, mySession) = await GuideAsync(store.Id);
        var (_, colleagueSession) = await GuideAsync(store.Id);
        var mine = await Api.LogInMemberAsync();
        var theirs = await Api.LogInMemberAsync();
        await BindAsync(mine, await SceneOfAsync(mySession));
        await BindAsync(theirs, await SceneOfAsync(colleagueSession));

        var client = Api.Client(mySession.Token);
        var all = await ReadJsonAsync(await client.GetAsync("/api/guide/members"));
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        var bound = await ReadJsonAsync(await client.GetAsync("/api/guide/members?boundToMe=true&pageSize=10"));
        Assert.Equal(1, bound.GetProperty("total").GetInt32());
        Assert.Equal(mine.Id, bound.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(me.Id, bound.GetProperty("items")[0].GetProperty("exclusiveGuideId").GetGuid());

        // Moved by HQ to another store's guide: the member leaves my list.
        var elsewhere = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        (await hq.PostAsJsonAsync($"/api/admin/members/{mine.Id}/guide", new { guideId = elsewhere.Id, reason = "搬家" })).EnsureSuccessStatusCode();
        Assert.Equal(0, (await ReadJsonAsync(await client.GetAsync("/api/guide/members?boundToMe=true"))).GetProperty("total").GetInt32());
        await AssertProblemAsync(await client.GetAsync("/api/guide/members?boundToMe=maybe"), HttpStatusCode.BadRequest, "request.malformed");
    }
}

public sealed class GuideBindingTestsOnSqlite(SqliteApi fixture) : GuideBindingTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class GuideBindingTestsOnMySql(MySqlApi fixture) : GuideBindingTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
