using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guide.Api.Tests.Support;
using Guide.Domain.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// HQ's fatigue rules over HTTP: the round trip with versions, a stale write, every refusal (fields, contradicting windows,
/// unknown whitelisted members) with nothing written, and who may call the routes. The tests of a class share the one row:
/// each reads the current version first.
/// </summary>
public abstract class FatigueRuleTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Url = "/api/admin/fatigue-rules";

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private static async Task<int> VersionAsync(HttpClient hq) => (await (await hq.GetAsync(Url)).JsonAsync()).GetProperty("version").GetInt32();

    private Task<(string Json, int Version)> RowAsync() =>
        Api.DbAsync(async db => await db.FatigueSettings.AsNoTracking().Select(s => new ValueTuple<string, int>(s.Json, s.Version)).SingleAsync());

    /// <summary>A valid document: 1 a calendar day everywhere, 2 SMS in 7 rolling days, quiet 21:00-09:00, Spring Festival dropped.</summary>
    private static JsonObject Document(int version, params Guid[] whitelist) => new()
    {
        ["windows"] = new JsonArray(
            new JsonObject { ["channel"] = null, ["max"] = 1, ["days"] = 1, ["kind"] = "calendar" },
            new JsonObject { ["channel"] = "sms", ["max"] = 2, ["days"] = 7, ["kind"] = "rolling" },
            new JsonObject { ["channel"] = "we_com", ["max"] = 4, ["days"] = 30, ["kind"] = "rolling" }),
        ["quietHours"] = new JsonObject { ["start"] = "21:00", ["end"] = "09:00", ["action"] = "postpone" },
        ["holidays"] = new JsonArray(new JsonObject { ["name"] = "春节", ["from"] = "2027-02-06", ["to"] = "2027-02-12", ["action"] = "drop" }),
        ["whitelist"] = new JsonArray(whitelist.Select(id => (JsonNode)id.ToString()).ToArray()),
        ["capAccountMessages"] = true,
        ["version"] = version,
    };

    [SkippableFact]
    public async Task Hq_reads_and_replaces_the_rules_and_each_save_bumps_the_version()
    {
        var hq = await HqAsync();
        var member = await Api.CreateMessagingMemberAsync();
        var version = await VersionAsync(hq);

        var saved = await hq.PutAsJsonAsync(Url, Document(version, member.Id, member.Id));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var body = await saved.JsonAsync();
        Assert.Equal(version + 1, body.GetProperty("version").GetInt32());
        Assert.Equal("we_com", body.GetProperty("windows")[2].GetProperty("channel").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("windows")[0].GetProperty("channel").ValueKind);
        Assert.Equal("calendar", body.GetProperty("windows")[0].GetProperty("kind").GetString());
        Assert.Equal("drop", body.GetProperty("holidays")[0].GetProperty("action").GetString());
        Assert.Equal([member.Id], body.GetProperty("whitelist").EnumerateArray().Select(e => e.GetGuid()).ToList()); // duplicates once
        Assert.False(body.GetProperty("quietHours").TryGetProperty("startTime", out _));

        var read = await (await hq.GetAsync(Url)).JsonAsync();
        Assert.Equal(body.GetRawText(), read.GetRawText());

        // What the drain reads is what HQ saved.
        var (rules, stored) = await Api.DbAsync(db => MessageGateway.RulesAsync(db, CancellationToken.None));
        Assert.Equal(version + 1, stored);
        Assert.True(rules.CapAccountMessages);
        Assert.Equal(new FatigueWindow(MessageChannel.Sms, 2, 7, FatigueWindowKind.Rolling), rules.Windows[1]);
        Assert.Equal(new QuietHours("21:00", "09:00", QuietAction.Postpone), rules.QuietHours);
        Assert.Equal([member.Id], rules.Whitelist);

        var doc = Document(version + 1);
        doc["quietHours"] = null;
        doc["holidays"] = new JsonArray();
        var second = await (await hq.PutAsJsonAsync(Url, doc)).JsonAsync();
        Assert.Equal(version + 2, second.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("quietHours").ValueKind);
    }

    [SkippableFact]
    public async Task A_write_over_a_newer_version_is_refused_and_changes_nothing()
    {
        var hq = await HqAsync();
        var version = await VersionAsync(hq);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync(Url, Document(version))).StatusCode);
        var before = await RowAsync();

        var stale = Document(version);
        stale["capAccountMessages"] = false;
        var problem = await AssertProblemAsync(await hq.PutAsJsonAsync(Url, stale), HttpStatusCode.Conflict, "fatigue.version_conflict");
        Assert.Equal(version + 1, problem.GetProperty("currentVersion").GetInt32());
        Assert.Equal(before, await RowAsync());
    }

    public static TheoryData<string, string, string> BadDocuments => new()
    {
        { "no version", """{"version": null}""", "version" },
        { "no windows", """{"windows": null}""", "windows" },
        { "a window without max", """{"windows": [{"days": 1, "kind": "calendar"}]}""", "windows[0].max" },
        { "zero days", """{"windows": [{"max": 1, "days": 0, "kind": "calendar"}]}""", "windows[0].days" },
        { "a year and more", """{"windows": [{"max": 1, "days": 367, "kind": "rolling"}]}""", "windows[0].days" },
        { "a negative max", """{"windows": [{"max": -1, "days": 1, "kind": "rolling"}]}""", "windows[0].max" },
        { "quiet hours at 25:00", """{"quietHours": {"start": "25:00", "end": "09:00", "action": "postpone"}}""", "quietHours.start" },
        { "quiet hours as 9:00", """{"quietHours": {"start": "21:00", "end": "9:00", "action": "postpone"}}""", "quietHours.end" },
        { "quiet hours of no length", """{"quietHours": {"start": "21:00", "end": "21:00", "action": "drop"}}""", "quietHours.end" },
        { "a holiday ending before it starts", """{"holidays": [{"name": "x", "from": "2027-02-06", "to": "2027-02-05", "action": "drop"}]}""", "holidays[0].to" },
        { "a holiday without a name", """{"holidays": [{"name": "", "from": "2027-02-06", "to": "2027-02-07", "action": "drop"}]}""", "holidays[0].name" },
        { "no capAccountMessages", """{"capAccountMessages": null}""", "capAccountMessages" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadDocuments))]
    public async Task A_bad_field_is_refused_with_its_name_and_nothing_is_written(string @case, string patch, string field)
    {
        var hq = await HqAsync();
        var doc = Document(await VersionAsync(hq));
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject()) doc[key] = value?.DeepClone();
        var before = await RowAsync();

        var problem = await AssertProblemAsync(await hq.PutAsJsonAsync(Url, doc), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: {problem}");
        Assert.Equal(before, await RowAsync());
    }

    [SkippableTheory]
    [InlineData("""[{"max": 1, "days": 7, "kind": "rolling"}, {"max": 2, "days": 7, "kind": "rolling"}]""", "cap the same window differently")]
    [InlineData("""[{"max": 3, "days": 7, "kind": "rolling"}, {"max": 2, "days": 30, "kind": "rolling"}]""", "could never fill")]
    [InlineData("""[{"channel": "sms", "max": 3, "days": 1, "kind": "calendar"}, {"max": 2, "days": 1, "kind": "calendar"}]""", "across all channels")]
    public async Task Contradicting_windows_are_refused_with_the_contradiction_and_nothing_is_written(string windows, string says)
    {
        var hq = await HqAsync();
        var doc = Document(await VersionAsync(hq));
        doc["windows"] = JsonNode.Parse(windows);
        var before = await RowAsync();

        var problem = await AssertProblemAsync(await hq.PutAsJsonAsync(Url, doc), HttpStatusCode.BadRequest, "fatigue.conflicting_windows");
        Assert.Contains(says, problem.GetProperty("title").GetString());
        Assert.Equal(before, await RowAsync());
    }

    [SkippableFact]
    public async Task A_whitelisted_member_who_does_not_exist_is_refused_and_nothing_is_written()
    {
        var hq = await HqAsync();
        var member = await Api.CreateMessagingMemberAsync();
        var ghost = Guid.NewGuid();
        var before = await RowAsync();

        var problem = await AssertProblemAsync(await hq.PutAsJsonAsync(Url, Document(await VersionAsync(hq), member.Id, ghost)),
            HttpStatusCode.BadRequest, "fatigue.unknown_member");
        Assert.Equal([ghost], problem.GetProperty("memberIds").EnumerateArray().Select(e => e.GetGuid()).ToList());
        Assert.Equal(before, await RowAsync());
    }

    [SkippableFact]
    public async Task Only_hq_reads_or_writes_the_rules()
    {
        var store = await Api.CreateStoreAsync();
        var guide = Api.Client((await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id))).Token);
        var shopper = Api.Client((await Api.LogInMemberAsync()).Token);
        var anonymous = Api.Client();
        var before = await RowAsync();
        foreach (var (client, status, code) in new[]
                 {
                     (guide, HttpStatusCode.Unauthorized, "auth.invalid_token"), (shopper, HttpStatusCode.Unauthorized, "auth.invalid_token"),
                     (anonymous, HttpStatusCode.Unauthorized, "auth.unauthenticated"),
                 })
        {
            await AssertProblemAsync(await client.GetAsync(Url), status, code);
            await AssertProblemAsync(await client.PutAsJsonAsync(Url, Document(before.Version)), status, code);
        }
        Assert.Equal(before, await RowAsync());
    }
}

public sealed class FatigueRuleTestsOnSqlite(SqliteApi fixture) : FatigueRuleTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class FatigueRuleTestsOnMySql(MySqlApi fixture) : FatigueRuleTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
