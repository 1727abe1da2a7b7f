using System.Net;
using System.Net.Http.Json;
using Guide.Api.Auth;
using Guide.Api.Tests.Support;
using Guide.Domain.Organization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Guide.Api.Tests.Authorization;

/// <summary>
/// Every route group refuses: no credentials, forged ones, those of another audience, the wrong role, and
/// another person's resource. The endpoints are the host's own (its EndpointDataSource), not a list kept
/// here, so a new endpoint is checked the day it is mapped; an endpoint without its group's policy fails,
/// and only the endpoints of <see cref="Anonymous"/> may be called without credentials.
/// </summary>
public abstract class RouteGroupAuthorizationTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    /// <summary>The only endpoints anyone may call without credentials (method and route pattern), and why.</summary>
    private static readonly Dictionary<string, string> Anonymous = new()
    {
        ["POST /api/mp/session"] = "the shopper's log-in: a wx.login code",
        ["POST /api/guide/session"] = "the guide's log-in: a WeCom OAuth code",
        ["POST /api/admin/session"] = "HQ's log-in: user name and password, throttled",
        ["GET /openapi/{documentName}.json"] = "the OpenAPI document",
        ["* /health/live"] = "liveness, for the load balancer",
        ["* /health/ready"] = "readiness, for the load balancer",
        ["GET /"] = "the redirect to Swagger UI",
    };

    /// <summary>Besides <see cref="Anonymous"/>, everything under this prefix: each webhook verifies its sender's signature itself.</summary>
    private const string WebhookPrefix = "/webhooks/";

    private enum Audience { Member, Guide, Hq, Integration }

    /// <summary>The route groups: the prefix, the policy each of its endpoints must carry, and whose credentials open it.</summary>
    private static readonly (string Prefix, string Policy, Audience Audience)[] Groups =
    [
        ("/api/mp/", Policies.Member, Audience.Member),
        ("/api/guide/", Policies.Guide, Audience.Guide),
        ("/api/admin/", Policies.Hq, Audience.Hq),
        ("/api/integration/", Policies.Integration, Audience.Integration),
    ];

    private const string ForgedToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl";

    /// <summary>One endpoint of the host, with a path that reaches it (route parameters filled in).</summary>
    private sealed record HostRoute(string Method, string Pattern, string Path, Endpoint Endpoint)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    private IReadOnlyList<HostRoute> HostRoutes()
    {
        var random = new Random(20_261_201);
        var routes = Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => new HostRoute(method, "/" + e.RoutePattern.RawText!.TrimStart('/'), PathOf(e.RoutePattern, random), e)))
            .ToList();
        Assert.True(routes.Count >= 40, $"only {routes.Count} endpoints in the host");
        return routes;
    }

    /// <summary>A concrete path for a pattern: a random GUID for a <c>guid</c> parameter, a fitting value for other constraints.</summary>
    private static string PathOf(RoutePattern pattern, Random random) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => ValueFor(parameter, random),
            _ => throw new InvalidOperationException($"a route part {part.GetType().Name}"),
        }))));

    private static string ValueFor(RoutePatternParameterPart parameter, Random random)
    {
        var constraints = parameter.ParameterPolicies.Select(p => p.Content ?? "").ToList();
        if (constraints.Contains("guid"))
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }
        if (constraints.Any(c => c is "int" or "long" or "decimal" or "double" or "float")) return "1";
        if (constraints.Contains("bool")) return "true";
        if (constraints.Contains("datetime")) return "2026-01-01";
        return "v1";
    }

    private static bool IsAnonymous(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || (!endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any() && !endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Any());

    private static bool MayBeAnonymous(HostRoute route) =>
        Anonymous.ContainsKey(route.ToString()) || route.Pattern.StartsWith(WebhookPrefix, StringComparison.Ordinal);

    /// <summary>The endpoints that need credentials, each with the group it belongs to.</summary>
    private IReadOnlyList<(HostRoute Route, Audience Audience)> ProtectedRoutes() =>
        HostRoutes().Where(r => !MayBeAnonymous(r))
            .Select(r => (r, Groups.Single(g => r.Pattern.StartsWith(g.Prefix, StringComparison.Ordinal)).Audience)).ToList();

    private static HttpRequestMessage Request(HostRoute route) =>
        new(new HttpMethod(route.Method == "*" ? "GET" : route.Method), route.Path)
        {
            Content = route.Method is "GET" or "DELETE" or "*" ? null : JsonContent.Create(new { }),
        };

    /// <summary>The request must be refused with 401 and the code; otherwise a line for the report.</summary>
    private static async Task<string?> RefusedAsync(HttpClient client, HostRoute route, string code, string who)
    {
        using var response = await client.SendAsync(Request(route));
        var text = await response.Content.ReadAsStringAsync();
        var actual = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? System.Text.Json.JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null
            : null;
        return response.StatusCode == HttpStatusCode.Unauthorized && actual == code
            ? null
            : $"{route} with {who}: expected 401 {code}, got {(int)response.StatusCode} {actual ?? text[..Math.Min(200, text.Length)]}";
    }

    private static void AssertNone(IEnumerable<string?> failures)
    {
        var list = failures.OfType<string>().ToList();
        Assert.True(list.Count == 0, $"{list.Count} endpoints let the wrong caller in:\n" + string.Join("\n", list));
    }

    [SkippableFact]
    public void Every_endpoint_carries_its_group_s_policy_and_only_the_allow_list_is_anonymous()
    {
        var routes = HostRoutes();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var anonymous = IsAnonymous(route.Endpoint);
            if (MayBeAnonymous(route))
            {
                if (!anonymous) failures.Add($"{route} is on the anonymous allow-list but requires authorization: take it off the list");
                continue;
            }
            if (anonymous)
            {
                failures.Add($"{route} can be called without credentials: give it its group's policy, or (with a reason) add it to the allow-list");
                continue;
            }
            var group = Groups.Where(g => route.Pattern.StartsWith(g.Prefix, StringComparison.Ordinal)).ToList();
            if (group.Count != 1)
            {
                failures.Add($"{route} is outside the route groups {string.Join(", ", Groups.Select(g => g.Prefix))}");
                continue;
            }
            var policies = route.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (!policies.Contains(group[0].Policy))
                failures.Add($"{route} lacks the policy '{group[0].Policy}' of {group[0].Prefix} (it has: {string.Join(", ", policies)})");
        }
        foreach (var stale in Anonymous.Keys.Where(k => !routes.Any(r => r.ToString() == k)))
            failures.Add($"the allow-list names {stale}, which the host does not map");
        foreach (var (prefix, _, _) in Groups)
            if (!routes.Any(r => r.Pattern.StartsWith(prefix, StringComparison.Ordinal))) failures.Add($"no endpoint under {prefix}: is the group still mapped?");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task Without_credentials_every_protected_endpoint_is_401()
    {
        var client = Api.Client();
        var failures = new List<string?>();
        foreach (var (route, audience) in ProtectedRoutes())
            failures.Add(await RefusedAsync(client, route, audience == Audience.Integration ? "integration.missing_signature" : "auth.unauthenticated", "no credentials"));
        AssertNone(failures);
    }

    [SkippableFact]
    public async Task Forged_credentials_are_401_on_every_protected_endpoint()
    {
        var forgedToken = Api.Client(ForgedToken);
        var client = await Api.CreateIntegrationClientAsync();
        var forgedSignature = Api.IntegrationClient(client with { Secret = "not-the-secret" });
        var failures = new List<string?>();
        foreach (var (route, audience) in ProtectedRoutes())
        {
            failures.Add(await RefusedAsync(forgedToken, route, audience == Audience.Integration ? "integration.missing_signature" : "auth.invalid_token", "a forged token"));
            failures.Add(await RefusedAsync(forgedSignature, route, audience == Audience.Integration ? "integration.bad_signature" : "auth.unauthenticated", "a forged signature"));
        }
        AssertNone(failures);
    }

    [SkippableFact]
    public async Task The_credentials_of_every_other_audience_are_401_on_every_protected_endpoint()
    {
        var store = await Api.CreateStoreAsync();
        var callers = new Dictionary<Audience, HttpClient>
        {
            [Audience.Member] = Api.Client((await Api.LogInMemberAsync()).Token),
            // An area manager: the strongest guide role.
            [Audience.Guide] = Api.Client((await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.AreaManager, [store.Area]))).Token),
            [Audience.Hq] = Api.Client((await Api.LogInAdminAsync()).Token),
            [Audience.Integration] = Api.IntegrationClient(await Api.CreateIntegrationClientAsync()),
        };
        var failures = new List<string?>();
        foreach (var (route, audience) in ProtectedRoutes())
        {
            foreach (var (other, client) in callers.Where(c => c.Key != audience))
            {
                var code = (audience, other) switch
                {
                    (Audience.Integration, _) => "integration.missing_signature",
                    (_, Audience.Integration) => "auth.unauthenticated",
                    _ => "auth.invalid_token",
                };
                failures.Add(await RefusedAsync(client, route, code, $"the credentials of {other}"));
            }
        }
        AssertNone(failures);
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
