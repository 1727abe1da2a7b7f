using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Organization;

namespace Guide.Api.Tests.Authorization;

/// <summary>
/// Every route group refuses: no token, a token of another audience, the wrong role, and another person's
/// resource. Each endpoint of a group is listed, so a new endpoint without a policy is caught here.
/// </summary>
public abstract class RouteGroupAuthorizationTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    public static TheoryData<string, string> MemberRoutes => new() { { "GET", "/api/mp/me" }, { "PUT", "/api/mp/me" }, { "POST", "/api/mp/me/phone" } };

    public static TheoryData<string, string> GuideRoutes => new()
    {
        { "GET", "/api/guide/me" }, { "GET", "/api/guide/members" }, { "GET", $"/api/guide/members/{Guid.NewGuid()}" }, { "GET", "/api/guide/team" },
    };

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/admin/stores" }, { "POST", "/api/admin/stores" }, { "PUT", $"/api/admin/stores/{Guid.NewGuid()}" },
        { "GET", "/api/admin/guides" }, { "POST", "/api/admin/guides/import" }, { "GET", "/api/admin/guides/export" },
        { "GET", "/api/admin/members" }, { "GET", $"/api/admin/members/{Guid.NewGuid()}" },
        { "GET", "/api/admin/integration-clients" }, { "POST", "/api/admin/integration-clients" },
    };

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonContent.Create(new { }) };

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    [MemberData(nameof(GuideRoutes))]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_a_token_every_route_is_401(string method, string path)
    {
        var response = await Api.Client().SendAsync(Request(method, path));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    [MemberData(nameof(GuideRoutes))]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_forged_or_garbage_token_is_401(string method, string path)
    {
        var response = await Api.Client("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl").SendAsync(Request(method, path));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableTheory]
    [MemberData(nameof(GuideRoutes))]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_shopper_token_opens_no_staff_route(string method, string path)
    {
        var member = await Api.LogInMemberAsync();
        var response = await Api.Client(member.Token).SendAsync(Request(method, path));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_guide_token_opens_no_shopper_or_hq_route(string method, string path)
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.AreaManager, [store.Area]));
        var response = await Api.Client(guide.Token).SendAsync(Request(method, path));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableTheory]
    [MemberData(nameof(MemberRoutes))]
    [MemberData(nameof(GuideRoutes))]
    public async Task An_hq_token_opens_no_shopper_or_guide_route(string method, string path)
    {
        var admin = await Api.LogInAdminAsync();
        var response = await Api.Client(admin.Token).SendAsync(Request(method, path));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task A_plain_guide_may_not_see_the_team_but_a_store_manager_may()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id));
        await AssertProblemAsync(await Api.Client(guide.Token).GetAsync("/api/guide/team"), HttpStatusCode.Forbidden, "auth.forbidden");

        var manager = await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager));
        var team = await ReadJsonAsync(await Api.Client(manager.Token).GetAsync("/api/guide/team"));
        Assert.Equal(2, team.GetArrayLength());
    }

    [SkippableFact]
    public async Task A_guide_sees_only_the_members_of_their_own_store()
    {
        var storeA = await Api.CreateStoreAsync();
        var storeB = await Api.CreateStoreAsync();
        var guideA = await Api.CreateGuideAsync(storeA.Id);
        var guideB = await Api.CreateGuideAsync(storeB.Id);
        var memberOfA = await Api.LogInMemberAsync();
        var memberOfB = await Api.LogInMemberAsync();
        await Api.BindMemberAsync(memberOfA.Id, guideA);
        await Api.BindMemberAsync(memberOfB.Id, guideB);

        var client = Api.Client((await Api.LogInGuideAsync(guideA)).Token);
        var list = await ReadJsonAsync(await client.GetAsync("/api/guide/members"));
        var ids = list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(memberOfA.Id, ids);
        Assert.DoesNotContain(memberOfB.Id, ids);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/guide/members/{memberOfA.Id}")).StatusCode);
        await AssertProblemAsync(await client.GetAsync($"/api/guide/members/{memberOfB.Id}"), HttpStatusCode.NotFound, "member.not_found");
    }

    [SkippableFact]
    public async Task An_area_manager_sees_the_members_of_every_store_in_their_areas_only()
    {
        var area = ApiFixture.Unique("area");
        var inArea1 = await Api.CreateStoreAsync(area);
        var inArea2 = await Api.CreateStoreAsync(area);
        var elsewhere = await Api.CreateStoreAsync();
        var m1 = await Api.LogInMemberAsync();
        var m2 = await Api.LogInMemberAsync();
        var m3 = await Api.LogInMemberAsync();
        await Api.BindMemberAsync(m1.Id, await Api.CreateGuideAsync(inArea1.Id));
        await Api.BindMemberAsync(m2.Id, await Api.CreateGuideAsync(inArea2.Id));
        await Api.BindMemberAsync(m3.Id, await Api.CreateGuideAsync(elsewhere.Id));

        var manager = await Api.LogInGuideAsync(await Api.CreateGuideAsync(inArea1.Id, GuideRole.AreaManager, [area]));
        var list = await ReadJsonAsync(await Api.Client(manager.Token).GetAsync("/api/guide/members?pageSize=100"));
        var ids = list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(m1.Id, ids);
        Assert.Contains(m2.Id, ids);
        Assert.DoesNotContain(m3.Id, ids);
    }

    [SkippableFact]
    public async Task Guides_see_masked_phone_numbers_and_hq_sees_them_whole()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var member = await Api.LogInMemberAsync();
        await Api.BindMemberAsync(member.Id, guide);
        (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/me/phone", new { code = Api.Weixin.IssuePhoneCode("13812348000") })).EnsureSuccessStatusCode();

        var seenByGuide = await ReadJsonAsync(await Api.Client((await Api.LogInGuideAsync(guide)).Token).GetAsync($"/api/guide/members/{member.Id}"));
        Assert.Equal("138****8000", seenByGuide.GetProperty("maskedPhone").GetString());
        var seenByHq = await ReadJsonAsync(await Api.Client((await Api.LogInAdminAsync()).Token).GetAsync($"/api/admin/members/{member.Id}"));
        Assert.Equal("13812348000", seenByHq.GetProperty("phone").GetString());
    }

    [SkippableFact]
    public async Task A_deactivated_guide_cannot_log_in_and_their_old_token_stops_working()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var token = (await Api.LogInGuideAsync(guide)).Token;
        await Api.InScopeAsync(async db =>
        {
            var g = await db.Guides.FindAsync(guide.Id);
            g!.Update(g.Name, g.StoreId, g.Role, g.ManagedAreas, g.Mobile, active: false);
            await db.SaveChangesAsync();
        });
        await AssertProblemAsync(await Api.Client(token).GetAsync("/api/guide/members"), HttpStatusCode.Forbidden, "guide.inactive");
        var again = await Api.Client().PostAsJsonAsync("/api/guide/session", new { code = Api.Weixin.IssueWeComOAuthCode(guide.WeComUserId) });
        await AssertProblemAsync(again, HttpStatusCode.Forbidden, "guide.inactive");
    }

    [SkippableFact]
    public async Task WeCom_users_who_are_not_guides_or_not_corp_members_get_no_guide_token()
    {
        var stranger = await Api.Client().PostAsJsonAsync("/api/guide/session", new { code = Api.Weixin.IssueWeComOAuthCode(ApiFixture.Unique("nobody")) });
        await AssertProblemAsync(stranger, HttpStatusCode.Forbidden, "guide.not_registered");
        var external = await Api.Client().PostAsJsonAsync("/api/guide/session", new { code = Api.Weixin.IssueWeComExternalOAuthCode(ApiFixture.Unique("openid")) });
        await AssertProblemAsync(external, HttpStatusCode.Forbidden, "guide.not_corp_member");
        var bad = await Api.Client().PostAsJsonAsync("/api/guide/session", new { code = "never-issued" });
        await AssertProblemAsync(bad, HttpStatusCode.Unauthorized, "guide.invalid_code");
    }
}

public sealed class RouteGroupAuthorizationTestsOnSqlite(SqliteApi fixture) : RouteGroupAuthorizationTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class RouteGroupAuthorizationTestsOnMySql(MySqlApi fixture) : RouteGroupAuthorizationTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
