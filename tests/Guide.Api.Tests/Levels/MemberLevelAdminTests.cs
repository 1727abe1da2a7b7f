using System.Net;
using System.Net.Http.Json;
using System.Text;
using Guide.Api.Tests.Support;
using Guide.Domain.Wallets;

namespace Guide.Api.Tests.Levels;

/// <summary>HQ's level catalogue: validation, unique ranks, archive instead of delete when held, settings; who may call what.</summary>
public abstract class MemberLevelAdminTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/admin/member-levels" }, { "POST", "/api/admin/member-levels" }, { "GET", $"/api/admin/member-levels/{Guid.NewGuid()}" },
        { "PUT", $"/api/admin/member-levels/{Guid.NewGuid()}" }, { "DELETE", $"/api/admin/member-levels/{Guid.NewGuid()}" },
        { "GET", "/api/admin/member-levels/settings" }, { "PUT", "/api/admin/member-levels/settings" },
        { "GET", $"/api/admin/members/{Guid.NewGuid()}/level-changes" },
    };

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { rank = 1 }) };

    // Ranks 40-99 and unreachable thresholds: this class shares its database with other tests' members.
    private static int _rank = 40 + Random.Shared.Next(0, 20);
    private static int NextRank() => Interlocked.Increment(ref _rank);
    private const long Unreachable = 900_000_000_000;

    private static object Level(int rank, string multiplier = "1.2", string name = "黑金卡", long threshold = Unreachable) =>
        new { rank, name, threshold, pointsMultiplier = multiplier };

    [SkippableTheory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_a_token_every_level_route_is_401(string method, string path) =>
        await AssertProblemAsync(await Api.Client().SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [SkippableTheory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_member_token_opens_no_hq_level_route(string method, string path)
    {
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task The_shoppers_level_route_needs_a_member_token()
    {
        await AssertProblemAsync(await Api.Client().GetAsync("/api/mp/me/level"), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        var hq = await Api.LogInAdminAsync();
        await AssertProblemAsync(await Api.Client(hq.Token).GetAsync("/api/mp/me/level"), HttpStatusCode.Unauthorized, "auth.invalid_token");
    }

    [SkippableFact]
    public async Task Hq_creates_changes_and_lists_levels_and_a_rank_is_used_once()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var rank = NextRank();
        var created = await hq.PostAsJsonAsync("/api/admin/member-levels", Level(rank, "1.25", "黑金卡 ✨"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var level = await created.JsonAsync();
        Assert.Equal("1.25", level.GetProperty("pointsMultiplier").GetString());
        Assert.Equal("黑金卡 ✨", level.GetProperty("name").GetString());
        var id = level.GetProperty("id").GetGuid();

        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/member-levels", Level(rank)), HttpStatusCode.Conflict, "member_level.rank_taken");
        var other = (await (await hq.PostAsJsonAsync("/api/admin/member-levels", Level(NextRank()))).JsonAsync()).GetProperty("id").GetGuid();
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/member-levels/{other}", Level(rank)), HttpStatusCode.Conflict, "member_level.rank_taken");

        var changed = await (await hq.PutAsJsonAsync($"/api/admin/member-levels/{id}", Level(rank, "1.5", "黑金", Unreachable + 1))).JsonAsync();
        Assert.Equal("1.5", changed.GetProperty("pointsMultiplier").GetString());
        Assert.Equal(Unreachable + 1, changed.GetProperty("threshold").GetInt64());
        var list = await (await hq.GetAsync("/api/admin/member-levels")).JsonAsync();
        Assert.Contains(list.EnumerateArray(), l => l.GetProperty("id").GetGuid() == id && l.GetProperty("name").GetString() == "黑金");
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/member-levels/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "member_level.not_found");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/member-levels/{Guid.NewGuid()}", Level(NextRank())), HttpStatusCode.NotFound, "member_level.not_found");
    }

    [SkippableTheory]
    [InlineData("0.9")]
    [InlineData("10.5")]
    [InlineData("1.234")]
    [InlineData("1,2")]
    [InlineData("")]
    public async Task A_multiplier_outside_one_to_ten_with_two_places_is_refused(string multiplier)
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var problem = await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/member-levels", Level(NextRank(), multiplier)),
            HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("pointsMultiplier", out _));
    }

    [SkippableFact]
    public async Task Bad_ranks_names_thresholds_and_a_float_multiplier_are_refused()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        foreach (var (body, field) in new (object, string)[]
                 {
                     (Level(0), "rank"), (Level(101), "rank"), (Level(NextRank(), name: " "), "name"), (Level(NextRank(), threshold: -1), "threshold"),
                 })
        {
            var problem = await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/member-levels", body), HttpStatusCode.BadRequest, "request.validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        // A binary float is not a multiplier: decimal text only.
        var malformed = await hq.PostAsync("/api/admin/member-levels",
            new StringContent($$"""{"rank":{{NextRank()}},"name":"x","threshold":0,"pointsMultiplier":1.5}""", Encoding.UTF8, "application/json"));
        Assert.Equal("pointsMultiplier", (await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "request.malformed")).GetProperty("field").GetString());
    }

    [SkippableFact]
    public async Task A_level_nobody_holds_is_deleted_and_a_granted_one_is_archived_and_keeps_its_rank()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var free = (await (await hq.PostAsJsonAsync("/api/admin/member-levels", Level(NextRank()))).JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await hq.DeleteAsync($"/api/admin/member-levels/{free}")).StatusCode);
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/member-levels/{free}"), HttpStatusCode.NotFound, "member_level.not_found");

        var rank = NextRank();
        var held = (await (await hq.PostAsJsonAsync("/api/admin/member-levels", Level(rank))).JsonAsync()).GetProperty("id").GetGuid();
        await Api.SendAsync(new SaveRechargePackage(null, "储值送会员", 100_000, null, null, rank, null, null, null, 12));
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/member-levels/{held}", Level(NextRank())), HttpStatusCode.Conflict, "member_level.rank_held");
        var archived = await hq.DeleteAsync($"/api/admin/member-levels/{held}");
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.True((await archived.JsonAsync()).GetProperty("archived").GetBoolean());
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/member-levels", Level(rank)), HttpStatusCode.Conflict, "member_level.rank_taken");
        await AssertProblemAsync(await hq.DeleteAsync($"/api/admin/member-levels/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "member_level.not_found");
    }

    [SkippableFact]
    public async Task The_level_changes_of_an_unknown_member_are_not_found_and_a_package_validity_needs_a_level()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/members/{Guid.NewGuid()}/level-changes"), HttpStatusCode.NotFound, "member.not_found");
        var problem = await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/recharge-packages", new { name = "充500", price = 50_000, levelGrantMonths = 12 }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("levelGrantMonths", out _));
        var package = await (await hq.PostAsJsonAsync("/api/admin/recharge-packages", new { name = "充500送金卡", price = 50_000, levelGranted = 2, levelGrantMonths = 12 })).JsonAsync();
        Assert.Equal(12, package.GetProperty("levelGrantMonths").GetInt32());
    }
}

public sealed class MemberLevelAdminTestsOnSqlite(SqliteApi fixture) : MemberLevelAdminTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class MemberLevelAdminTestsOnMySql(MySqlApi fixture) : MemberLevelAdminTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
