using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Members;

public abstract class ShopperSessionTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    [SkippableFact]
    public async Task First_log_in_creates_the_member_and_the_next_finds_the_same_one()
    {
        var openId = ApiFixture.Unique("openid");
        var first = await Api.Client().PostAsJsonAsync("/api/mp/session", new { code = Api.Weixin.IssueLoginCode(openId, "union-" + openId) });
        var firstBody = await ReadJsonAsync(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(firstBody.GetProperty("firstLogIn").GetBoolean());
        Assert.Equal("Bearer", firstBody.GetProperty("tokenType").GetString());

        var second = await ReadJsonAsync(await Api.Client().PostAsJsonAsync("/api/mp/session", new { code = Api.Weixin.IssueLoginCode(openId) }));
        Assert.False(second.GetProperty("firstLogIn").GetBoolean());
        Assert.Equal(firstBody.GetProperty("memberId").GetGuid(), second.GetProperty("memberId").GetGuid());

        var members = await Api.DbAsync(db => db.Members.Where(m => m.OpenId == openId).ToListAsync());
        var member = Assert.Single(members);
        Assert.Equal("union-" + openId, member.UnionId);
    }

    [SkippableFact]
    public async Task A_used_or_unknown_code_is_refused_and_creates_nobody()
    {
        var openId = ApiFixture.Unique("openid");
        var code = Api.Weixin.IssueLoginCode(openId);
        (await Api.Client().PostAsJsonAsync("/api/mp/session", new { code })).EnsureSuccessStatusCode();

        var reused = await Api.Client().PostAsJsonAsync("/api/mp/session", new { code });
        var body = await AssertProblemAsync(reused, HttpStatusCode.Unauthorized, "session.invalid_code");
        Assert.Equal(40163, body.GetProperty("weixinErrcode").GetInt32());

        var unknown = await Api.Client().PostAsJsonAsync("/api/mp/session", new { code = "never-issued" });
        await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized, "session.invalid_code");

        var empty = await Api.Client().PostAsJsonAsync("/api/mp/session", new { code = "" });
        var validation = await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(validation.GetProperty("errors").TryGetProperty("code", out _));
    }

    [SkippableFact]
    public async Task WeChat_refusing_for_its_own_reasons_is_a_503_not_a_500()
    {
        // 45009: the daily quota is used up; not retried (retrying cannot help until tomorrow).
        Api.Weixin.FailNext("jscode2session", 45009, "reach max api daily quota limit");
        var response = await Api.Client().PostAsJsonAsync("/api/mp/session", new { code = Api.Weixin.IssueLoginCode(ApiFixture.Unique("openid")) });
        var body = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "weixin.unavailable");
        Assert.Equal(45009, body.GetProperty("weixinErrcode").GetInt32());
    }

    [SkippableFact]
    public async Task Twenty_concurrent_first_log_ins_of_one_shopper_make_one_member()
    {
        var openId = ApiFixture.Unique("openid");
        var codes = Enumerable.Range(0, 20).Select(_ => Api.Weixin.IssueLoginCode(openId)).ToList();
        var responses = await Task.WhenAll(codes.Select(code => Api.Client().PostAsJsonAsync("/api/mp/session", new { code })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var ids = new HashSet<Guid>();
        foreach (var response in responses) ids.Add((await ReadJsonAsync(response)).GetProperty("memberId").GetGuid());
        Assert.Single(ids);
        var count = await Api.DbAsync(db => db.Members.CountAsync(m => m.OpenId == openId));
        Assert.Equal(1, count);
    }

    [SkippableFact]
    public async Task Me_shows_the_own_profile_and_keeps_chinese_text_and_emoji()
    {
        var member = await Api.LogInMemberAsync();
        var client = Api.Client(member.Token);
        var nickname = "小明🎉的店 😀";
        var update = await client.PutAsJsonAsync("/api/mp/me", new { nickname, gender = "female", birthday = "1990-05-20" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        var me = await ReadJsonAsync(await client.GetAsync("/api/mp/me"));
        Assert.Equal(member.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(nickname, me.GetProperty("nickname").GetString());
        Assert.Equal("female", me.GetProperty("gender").GetString());
        Assert.Equal("1990-05-20", me.GetProperty("birthday").GetString());

        // Read back from the database itself, not from a cache: the column keeps 4-byte UTF-8.
        var stored = await Api.DbAsync(db => db.Members.AsNoTracking().Where(m => m.Id == member.Id).Select(m => m.Nickname).SingleAsync());
        Assert.Equal(nickname, stored);
    }

    [SkippableFact]
    public async Task A_bad_profile_is_refused_with_field_errors_and_changes_nothing()
    {
        var member = await Api.LogInMemberAsync();
        var client = Api.Client(member.Token);
        var response = await client.PutAsJsonAsync("/api/mp/me", new { nickname = new string('x', 65), gender = "male", birthday = "2999-01-01" });
        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(body.GetProperty("errors").TryGetProperty("nickname", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("birthday", out _));

        var unknownGender = await client.PutAsJsonAsync("/api/mp/me", new { nickname = "ok", gender = "robot" });
        await AssertProblemAsync(unknownGender, HttpStatusCode.BadRequest, "request.malformed");

        var me = await ReadJsonAsync(await client.GetAsync("/api/mp/me"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("nickname").ValueKind);
    }

    [SkippableFact]
    public async Task The_phone_number_is_bound_from_a_getPhoneNumber_code()
    {
        var member = await Api.LogInMemberAsync();
        var client = Api.Client(member.Token);
        var response = await client.PostAsJsonAsync("/api/mp/me/phone", new { code = Api.Weixin.IssuePhoneCode("13912345678") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("13912345678", (await ReadJsonAsync(response)).GetProperty("phone").GetString());

        var bad = await client.PostAsJsonAsync("/api/mp/me/phone", new { code = "not-a-phone-code" });
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "member.invalid_phone_code");

        // A code whose watermark names another app is refused: it was not issued to our mini program.
        var foreign = await client.PostAsJsonAsync("/api/mp/me/phone", new { code = Api.Weixin.IssuePhoneCode("13800000001", "wxsomeoneelse0001") });
        await AssertProblemAsync(foreign, HttpStatusCode.ServiceUnavailable, "weixin.unavailable");
        var me = await ReadJsonAsync(await client.GetAsync("/api/mp/me"));
        Assert.Equal("13912345678", me.GetProperty("phone").GetString());
    }
}

public sealed class ShopperSessionTestsOnSqlite(SqliteApi fixture) : ShopperSessionTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class ShopperSessionTestsOnMySql(MySqlApi fixture) : ShopperSessionTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
