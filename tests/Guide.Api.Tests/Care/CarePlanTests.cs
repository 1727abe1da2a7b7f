using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guide.Api.Tests.Support;
using Guide.Domain.Care;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Care;

/// <summary>
/// Care plans over HTTP (issue 19, part 1): HQ's round trip; every refused term with its code and no row written; the scope
/// rules of every role (HQ, area manager inside and outside their areas, store manager for their own and another store, a plain
/// guide, a demoted manager, a shopper, no token); a manager's list with readOnly; the imported list's CSV (replacing, bad lines
/// by exact line number with nothing written, BOM and CRLF, phone matching, multipart, size). The tests of a class share one
/// database: each makes its own stores and members and looks only at its own plans.
/// </summary>
public abstract class CarePlanTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Admin = "/api/admin/care-plans";
    private const string Guide = "/api/guide/care-plans";

    /// <summary>The brand's date now, read at each use: a run that crosses brand midnight (16:00 UTC) must not send yesterday as today.</summary>
    private static DateOnly Today => DateOnly.FromDateTime(
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private async Task<HttpClient> AsGuideAsync(ShoppingGuide guide) => Api.Client((await Api.LogInGuideAsync(guide)).Token);

    private Task<int> PlanRowsAsync() => Api.DbAsync(db => db.CarePlans.CountAsync());

    private Task<int> ListRowsAsync(Guid planId) => Api.DbAsync(db => db.CarePlanListMembers.CountAsync(m => m.PlanId == planId));

    /// <summary>A valid plan: monthly birthdays within 7 days, 09:30, 3 days to do it, a coupon, by WeCom chat.</summary>
    private static JsonObject Plan(string? name = null, params Guid[] stores) => new()
    {
        ["name"] = name ?? ApiFixture.Unique("生日关怀"),
        ["targetKind"] = "birthday_within_days",
        ["targetDays"] = 7,
        ["levels"] = new JsonArray(),
        ["storeIds"] = new JsonArray(stores.Select(s => (JsonNode)s.ToString()).ToArray()),
        ["schedule"] = "monthly",
        ["startsOn"] = Today.ToString("yyyy-MM-dd"),
        ["monthDay"] = 1,
        ["issueTime"] = "09:30",
        ["deadlineDays"] = 3,
        ["script"] = "{name}您好，{birthday}生日快乐！您是{level}会员，积分{points}。",
        ["giftKind"] = "coupon",
        ["giftReference"] = "CPN-BDAY-2026",
        ["channel"] = "we_com_chat",
    };

    private static JsonObject ListPlan(params Guid[] stores)
    {
        var plan = Plan(ApiFixture.Unique("名单"), stores);
        plan["targetKind"] = "imported_list";
        plan.Remove("targetDays");
        return plan;
    }

    private static JsonObject With(JsonObject plan, string field, JsonNode? value)
    {
        var copy = (JsonObject)plan.DeepClone();
        copy[field] = value;
        return copy;
    }

    private static StringContent Body(JsonObject plan) => new(plan.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string root, JsonObject plan) =>
        (await OkAsync(await client.PostAsync(root, Body(plan)), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static List<Guid> StoreIdsOf(JsonElement plan) => plan.GetProperty("storeIds").EnumerateArray().Select(e => e.GetGuid()).ToList();

    private async Task<Member> MemberAsync(ShoppingGuide? guide, string? phone = null, DateTimeOffset? registeredAt = null)
    {
        var member = new Member(ApiFixture.Unique("openid"), null, registeredAt ?? DateTimeOffset.UtcNow);
        if (phone is not null) member.BindPhone(phone);
        if (guide is not null) member.BindExclusiveGuide(guide);
        await Api.InScopeAsync(async db => { db.Members.Add(member); await db.SaveChangesAsync(); });
        return member;
    }

    /// <summary>A phone no other test uses: 139 and 8 random digits.</summary>
    private static string Phone() => "139" + Random.Shared.Next(0, 100_000_000).ToString("D8");

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static List<(int Line, string Message)> LineErrors(JsonElement problem) =>
        problem.GetProperty("lineErrors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("message").GetString()!)).ToList();

    // --- HQ round trip -----------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Hq_creates_reads_lists_replaces_pauses_resumes_and_deletes_a_plan()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var plan = Plan("生日关怀 12 月", store.Id);
        var created = await OkAsync(await hq.PostAsync(Admin, Body(plan)), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("hq", created.GetProperty("owner").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("ownerGuideId").ValueKind);
        Assert.Equal("birthday_within_days", created.GetProperty("targetKind").GetString());
        Assert.Equal(7, created.GetProperty("targetDays").GetInt32());
        Assert.Equal([store.Id], StoreIdsOf(created));
        Assert.Equal("monthly", created.GetProperty("schedule").GetString());
        Assert.Equal("09:30", created.GetProperty("issueTime").GetString());
        Assert.Equal(3, created.GetProperty("deadlineDays").GetInt32());
        Assert.Equal("coupon", created.GetProperty("giftKind").GetString());
        Assert.Equal("we_com_chat", created.GetProperty("channel").GetString());
        Assert.False(created.GetProperty("paused").GetBoolean());
        Assert.False(created.GetProperty("readOnly").GetBoolean());

        var read = await OkAsync(await hq.GetAsync($"{Admin}/{id}"));
        Assert.Equal("生日关怀 12 月", read.GetProperty("name").GetString());

        var replaced = With(plan, "name", "沉睡唤醒");
        replaced["targetKind"] = "spent_at_least";
        replaced["targetDays"] = 90;
        replaced["targetAmount"] = 100_000;
        replaced["schedule"] = "daily";
        replaced.Remove("monthDay");
        replaced["endsOn"] = Today.AddDays(30).ToString("yyyy-MM-dd");
        replaced["giftKind"] = "points";
        replaced.Remove("giftReference");
        replaced["giftPoints"] = 500;
        replaced["channel"] = "phone";
        replaced["issueTime"] = "23:00";
        var updated = await OkAsync(await hq.PutAsync($"{Admin}/{id}", Body(replaced)));
        Assert.Equal("沉睡唤醒", updated.GetProperty("name").GetString());
        Assert.Equal(100_000, updated.GetProperty("targetAmount").GetInt64());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("monthDay").ValueKind);
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("giftReference").ValueKind);
        Assert.Equal(500, updated.GetProperty("giftPoints").GetInt64());
        Assert.Equal("phone", updated.GetProperty("channel").GetString());
        Assert.Equal("23:00", updated.GetProperty("issueTime").GetString());

        Assert.True((await OkAsync(await hq.PostAsync($"{Admin}/{id}/pause", null))).GetProperty("paused").GetBoolean());
        var paused = await OkAsync(await hq.GetAsync($"{Admin}?paused=true&owner=hq&pageSize=100"));
        Assert.Contains(paused.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);
        var running = await OkAsync(await hq.GetAsync($"{Admin}?paused=false&pageSize=100"));
        Assert.DoesNotContain(running.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);
        Assert.False((await OkAsync(await hq.PostAsync($"{Admin}/{id}/resume", null))).GetProperty("paused").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await hq.DeleteAsync($"{Admin}/{id}")).StatusCode);
        await AssertProblemAsync(await hq.GetAsync($"{Admin}/{id}"), HttpStatusCode.NotFound, "care_plan.not_found");
        await AssertProblemAsync(await hq.DeleteAsync($"{Admin}/{id}"), HttpStatusCode.NotFound, "care_plan.not_found");
        await AssertProblemAsync(await hq.PutAsync($"{Admin}/{id}", Body(plan)), HttpStatusCode.NotFound, "care_plan.not_found");
        var all = await OkAsync(await hq.GetAsync($"{Admin}?pageSize=100"));
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);
        var row = await Api.DbAsync(db => db.CarePlans.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.NotNull(row.DeletedAt); // soft: the row (and its tasks) stay
        Assert.Equal(CareTargetKind.SpentAtLeast, row.TargetKind);
    }

    // --- bad input -----------------------------------------------------------------------------------------

    public static TheoryData<string, string, string?, int, string> BadTerms => new()
    {
        // case, field, JSON value (null: removed), status, code
        { "no name", "name", "\"  \"", 400, "request.validation_failed" },
        { "a 65-character name", "name", "\"" + new string('名', 65) + "\"", 400, "request.validation_failed" },
        { "negative days", "targetDays", "-1", 400, "request.validation_failed" },
        { "days beyond 365 for birthdays", "targetDays", "366", 400, "request.validation_failed" },
        { "missing days", "targetDays", null, 400, "request.validation_failed" },
        { "an amount for a birthday plan", "targetAmount", "100", 400, "request.validation_failed" },
        { "a count for a birthday plan", "targetCount", "2", 400, "request.validation_failed" },
        { "an unknown target", "targetKind", "\"lottery\"", 400, "request.malformed" },
        { "no target", "targetKind", null, 400, "request.validation_failed" },
        { "monthly without monthDay", "monthDay", null, 400, "request.validation_failed" },
        { "monthDay 32", "monthDay", "32", 400, "request.validation_failed" },
        { "monthDay 0", "monthDay", "0", 400, "request.validation_failed" },
        { "endsOn before startsOn", "endsOn", "\"" + Today.AddDays(-1).ToString("yyyy-MM-dd") + "\"", 400, "request.validation_failed" },
        { "startsOn in the past", "startsOn", "\"" + Today.AddDays(-1).ToString("yyyy-MM-dd") + "\"", 400, "request.validation_failed" },
        { "issue time 06:59", "issueTime", "\"06:59\"", 400, "care_plan.issue_time_out_of_range" },
        { "issue time 23:01", "issueTime", "\"23:01\"", 400, "care_plan.issue_time_out_of_range" },
        { "issue time 00:00", "issueTime", "\"00:00\"", 400, "care_plan.issue_time_out_of_range" },
        { "issue time not HH:mm", "issueTime", "\"9:30\"", 400, "request.validation_failed" },
        { "issue time 24:00", "issueTime", "\"24:00\"", 400, "request.validation_failed" },
        { "no issue time", "issueTime", null, 400, "request.validation_failed" },
        { "deadline 0 days", "deadlineDays", "0", 400, "request.validation_failed" },
        { "deadline 91 days", "deadlineDays", "91", 400, "request.validation_failed" },
        { "a 1001-character script", "script", "\"" + new string('话', 1001) + "\"", 400, "request.validation_failed" },
        { "an unknown placeholder", "script", "\"{name}您好，您的{coupon}到了\"", 400, "care_plan.unknown_placeholder" },
        { "a spaced placeholder", "script", "\"{ name }您好\"", 400, "care_plan.unknown_placeholder" },
        { "a coupon gift without its reference", "giftReference", null, 400, "request.validation_failed" },
        { "a 65-character coupon reference", "giftReference", "\"" + new string('C', 65) + "\"", 400, "request.validation_failed" },
        { "points for a coupon gift", "giftPoints", "10", 400, "request.validation_failed" },
        { "an unknown channel", "channel", "\"sms\"", 400, "request.malformed" },
        { "no channel", "channel", null, 400, "request.validation_failed" },
        { "a negative level", "levels", "[-1]", 400, "request.validation_failed" },
        { "a level rank no level has", "levels", "[97]", 400, "request.validation_failed" },
        { "an unknown store", "storeIds", "[\"" + Guid.NewGuid() + "\"]", 404, "store.not_found" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadTerms))]
    public async Task A_refused_plan_answers_its_code_and_writes_nothing(string @case, string field, string? value, int status, string code)
    {
        var hq = await HqAsync();
        var plan = value is null ? With(Plan(), field, null) : With(Plan(), field, JsonNode.Parse(value));
        if (value is null) plan.Remove(field);
        var before = await PlanRowsAsync();
        var problem = await AssertProblemAsync(await hq.PostAsync(Admin, Body(plan)), (HttpStatusCode)status, code);
        Assert.True(before == await PlanRowsAsync(), @case);
        if (code == "request.validation_failed") Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: {problem}");

        // The same terms on an existing plan: refused alike, the plan unchanged.
        var id = await CreateAsync(hq, Admin, Plan("不变"));
        await AssertProblemAsync(await hq.PutAsync($"{Admin}/{id}", Body(plan)), (HttpStatusCode)status, code);
        var row = await Api.DbAsync(db => db.CarePlans.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal("不变", row.Name);
        Assert.Equal(7, row.TargetDays);
        Assert.Equal(new TimeOnly(9, 30), row.IssueTime);
    }

    public static TheoryData<string, string> BadTargets => new()
    {
        // case, the target fields as JSON
        { "spent_at_least below one fen", """{"targetKind":"spent_at_least","targetDays":30,"targetAmount":0}""" },
        { "spent_at_least below zero", """{"targetKind":"spent_at_least","targetDays":30,"targetAmount":-100}""" },
        { "spent_at_least without days", """{"targetKind":"spent_at_least","targetAmount":100}""" },
        { "purchases_at_least without a count", """{"targetKind":"purchases_at_least","targetDays":30}""" },
        { "purchases_at_least of zero", """{"targetKind":"purchases_at_least","targetDays":30,"targetCount":0}""" },
        { "no_purchase_for_days of zero", """{"targetKind":"no_purchase_for_days","targetDays":0}""" },
        { "no_purchase_for_days of 3651", """{"targetKind":"no_purchase_for_days","targetDays":3651}""" },
        { "days_after_purchase negative", """{"targetKind":"days_after_purchase","targetDays":-3}""" },
        { "birthday_this_month with days", """{"targetKind":"birthday_this_month","targetDays":3}""" },
        { "membership_anniversary with an amount", """{"targetKind":"membership_anniversary","targetAmount":5}""" },
        { "imported_list with days", """{"targetKind":"imported_list","targetDays":5}""" },
        { "once without startsOn", """{"targetKind":"birthday_this_month","schedule":"once","monthDay":null,"startsOn":null}""" },
        { "daily with a monthDay", """{"targetKind":"birthday_this_month","schedule":"daily","monthDay":5}""" },
        { "points gift of zero", """{"targetKind":"birthday_this_month","giftKind":"points","giftReference":null,"giftPoints":0}""" },
        { "points gift above a million", """{"targetKind":"birthday_this_month","giftKind":"points","giftReference":null,"giftPoints":1000001}""" },
        { "a reference without a gift", """{"targetKind":"birthday_this_month","giftKind":null}""" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadTargets))]
    public async Task An_impossible_target_or_schedule_is_refused_with_field_errors_and_writes_nothing(string @case, string fields)
    {
        var hq = await HqAsync();
        var plan = Plan();
        plan.Remove("targetDays");
        foreach (var (key, value) in JsonNode.Parse(fields)!.AsObject()) plan[key] = value?.DeepClone();
        var before = await PlanRowsAsync();
        await AssertProblemAsync(await hq.PostAsync(Admin, Body(plan)), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(before == await PlanRowsAsync(), @case);
    }

    [SkippableFact]
    public async Task Every_kind_with_its_numbers_and_the_known_placeholders_and_levels_are_accepted()
    {
        var hq = await HqAsync();
        var rank = 90 + Random.Shared.Next(0, 10);
        await Api.InScopeAsync(async db =>
        {
            if (!await db.MemberLevels.AnyAsync(l => l.Rank == rank))
            {
                db.MemberLevels.Add(new Domain.Levels.MemberLevel(rank, "金卡" + rank, 1_000_000 + rank, 1.0m, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync();
            }
        });
        string[] kinds =
        [
            """{"targetKind":"birthday_this_month"}""", """{"targetKind":"birthday_within_days","targetDays":0}""",
            """{"targetKind":"membership_anniversary"}""", """{"targetKind":"no_purchase_for_days","targetDays":3650}""",
            """{"targetKind":"spent_at_least","targetDays":1,"targetAmount":1}""", """{"targetKind":"purchases_at_least","targetDays":365,"targetCount":1}""",
            """{"targetKind":"days_after_purchase","targetDays":7}""", """{"targetKind":"imported_list"}""",
            """{"targetKind":"birthday_this_month","schedule":"once","monthDay":null,"issueTime":"07:00","giftKind":null,"giftReference":null}""",
        ];
        foreach (var fields in kinds)
        {
            var plan = Plan();
            plan.Remove("targetDays");
            plan["levels"] = new JsonArray(0, rank);
            foreach (var (key, value) in JsonNode.Parse(fields)!.AsObject()) plan[key] = value?.DeepClone();
            var created = await OkAsync(await hq.PostAsync(Admin, Body(plan)), HttpStatusCode.Created);
            Assert.Equal([0, rank], created.GetProperty("levels").EnumerateArray().Select(e => e.GetInt32()).ToList());
        }
    }

    // --- scope ---------------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task A_store_manager_plans_for_their_own_store_only_and_an_empty_filter_is_saved_as_it()
    {
        var own = await Api.CreateStoreAsync();
        var other = await Api.CreateStoreAsync();
        var manager = await AsGuideAsync(await Api.CreateGuideAsync(own.Id, GuideRole.StoreManager));

        var mine = await OkAsync(await manager.PostAsync(Guide, Body(Plan(null, own.Id))), HttpStatusCode.Created);
        Assert.Equal("manager", mine.GetProperty("owner").GetString());
        Assert.Equal([own.Id], StoreIdsOf(mine));
        Assert.False(mine.GetProperty("readOnly").GetBoolean());

        var empty = await OkAsync(await manager.PostAsync(Guide, Body(Plan())), HttpStatusCode.Created);
        Assert.Equal([own.Id], StoreIdsOf(empty));
        var row = await Api.DbAsync(db => db.CarePlans.AsNoTracking().SingleAsync(p => p.Id == empty.GetProperty("id").GetGuid()));
        Assert.Equal(own.Id.ToString("D"), row.StoreFilterText);

        var before = await PlanRowsAsync();
        var problem = await AssertProblemAsync(await manager.PostAsync(Guide, Body(Plan(null, own.Id, other.Id))), HttpStatusCode.Forbidden,
            "care_plan.outside_scope");
        Assert.Equal([other.Id], problem.GetProperty("storeIds").EnumerateArray().Select(e => e.GetGuid()).ToList());
        Assert.Equal(before, await PlanRowsAsync());

        // Their own plan cannot be moved outside either.
        var id = mine.GetProperty("id").GetGuid();
        await AssertProblemAsync(await manager.PutAsync($"{Guide}/{id}", Body(Plan(null, other.Id))), HttpStatusCode.Forbidden, "care_plan.outside_scope");
        Assert.Equal(own.Id.ToString("D"), (await Api.DbAsync(db => db.CarePlans.AsNoTracking().SingleAsync(p => p.Id == id))).StoreFilterText);
        var renamed = await OkAsync(await manager.PutAsync($"{Guide}/{id}", Body(Plan("改名", own.Id))));
        Assert.Equal("改名", renamed.GetProperty("name").GetString());
        Assert.True((await OkAsync(await manager.PostAsync($"{Guide}/{id}/pause", null))).GetProperty("paused").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"{Guide}/{id}")).StatusCode);
        await AssertProblemAsync(await manager.GetAsync($"{Guide}/{id}"), HttpStatusCode.NotFound, "care_plan.not_found");
    }

    [SkippableFact]
    public async Task An_area_manager_plans_for_the_stores_of_their_areas_only()
    {
        var area = ApiFixture.Unique("华东");
        var home = await Api.CreateStoreAsync(ApiFixture.Unique("总部区"));
        var a1 = await Api.CreateStoreAsync(area);
        var a2 = await Api.CreateStoreAsync(area);
        var elsewhere = await Api.CreateStoreAsync();
        var manager = await AsGuideAsync(await Api.CreateGuideAsync(home.Id, GuideRole.AreaManager, [area]));

        var inside = await OkAsync(await manager.PostAsync(Guide, Body(Plan(null, a1.Id, a2.Id))), HttpStatusCode.Created);
        Assert.Equal(new[] { a1.Id, a2.Id }.Order().ToList(), StoreIdsOf(inside));
        var empty = await OkAsync(await manager.PostAsync(Guide, Body(Plan())), HttpStatusCode.Created);
        Assert.Equal(new[] { home.Id, a1.Id, a2.Id }.Order().ToList(), StoreIdsOf(empty));

        var before = await PlanRowsAsync();
        await AssertProblemAsync(await manager.PostAsync(Guide, Body(Plan(null, a1.Id, elsewhere.Id))), HttpStatusCode.Forbidden, "care_plan.outside_scope");
        await AssertProblemAsync(await manager.PostAsync(Guide, Body(Plan(null, Guid.NewGuid()))), HttpStatusCode.NotFound, "store.not_found");
        Assert.Equal(before, await PlanRowsAsync());
    }

    [SkippableFact]
    public async Task A_manager_lists_their_own_plans_and_the_ones_that_reach_their_stores_read_only()
    {
        var hq = await HqAsync();
        var area = ApiFixture.Unique("华南");
        var store = await Api.CreateStoreAsync(area);
        var neighbour = await Api.CreateStoreAsync(area);
        var far = await Api.CreateStoreAsync();
        var me = await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager);
        var manager = await AsGuideAsync(me);
        var colleague = await AsGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager));
        var areaManager = await AsGuideAsync(await Api.CreateGuideAsync(neighbour.Id, GuideRole.AreaManager, [area]));
        var farManager = await AsGuideAsync(await Api.CreateGuideAsync(far.Id, GuideRole.StoreManager));

        var own = await CreateAsync(manager, Guide, Plan());
        var hqAll = await CreateAsync(hq, Admin, Plan());
        var hqMine = await CreateAsync(hq, Admin, Plan(null, store.Id, far.Id));
        var hqFar = await CreateAsync(hq, Admin, Plan(null, far.Id));
        var colleagues = await CreateAsync(colleague, Guide, Plan());
        var areaWide = await CreateAsync(areaManager, Guide, Plan());
        var areaNeighbour = await CreateAsync(areaManager, Guide, Plan(null, neighbour.Id));
        var farOnes = await CreateAsync(farManager, Guide, Plan());

        var list = await OkAsync(await manager.GetAsync($"{Guide}?pageSize=100"));
        var seen = list.GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("readOnly").GetBoolean());
        Assert.False(seen[own]);
        Assert.True(seen[hqAll]);
        Assert.True(seen[hqMine]);
        Assert.True(seen[colleagues]);
        Assert.True(seen[areaWide]);
        Assert.DoesNotContain(hqFar, seen.Keys);
        Assert.DoesNotContain(areaNeighbour, seen.Keys);
        Assert.DoesNotContain(farOnes, seen.Keys);

        var hqOnly = await OkAsync(await manager.GetAsync($"{Guide}?owner=hq&pageSize=100"));
        Assert.All(hqOnly.GetProperty("items").EnumerateArray(), p => Assert.Equal("hq", p.GetProperty("owner").GetString()));
        Assert.True((await OkAsync(await manager.GetAsync($"{Guide}/{hqAll}"))).GetProperty("readOnly").GetBoolean());

        // Read-only: seen, never changed; out of reach: not found.
        foreach (var readOnly in new[] { hqAll, hqMine, colleagues, areaWide })
        {
            await AssertProblemAsync(await manager.PutAsync($"{Guide}/{readOnly}", Body(Plan(null, store.Id))), HttpStatusCode.Forbidden, "care_plan.read_only");
            await AssertProblemAsync(await manager.DeleteAsync($"{Guide}/{readOnly}"), HttpStatusCode.Forbidden, "care_plan.read_only");
            await AssertProblemAsync(await manager.PostAsync($"{Guide}/{readOnly}/pause", null), HttpStatusCode.Forbidden, "care_plan.read_only");
        }
        foreach (var unseen in new[] { hqFar, farOnes, Guid.NewGuid() })
        {
            await AssertProblemAsync(await manager.GetAsync($"{Guide}/{unseen}"), HttpStatusCode.NotFound, "care_plan.not_found");
            await AssertProblemAsync(await manager.PutAsync($"{Guide}/{unseen}", Body(Plan(null, store.Id))), HttpStatusCode.NotFound, "care_plan.not_found");
            await AssertProblemAsync(await manager.DeleteAsync($"{Guide}/{unseen}"), HttpStatusCode.NotFound, "care_plan.not_found");
        }
        var untouched = await Api.DbAsync(db => db.CarePlans.AsNoTracking().Where(p => new[] { hqAll, hqMine, colleagues, areaWide }.Contains(p.Id)).ToListAsync());
        Assert.All(untouched, p => Assert.True(p.DeletedAt is null && !p.Paused));

        // HQ sees and changes every plan, the managers' too (readOnly never), and a manager's plan keeps naming its stores.
        var hqList = await OkAsync(await hq.GetAsync($"{Admin}?owner=manager&ownerGuideId={me.Id}&pageSize=100"));
        Assert.Equal([own], hqList.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList());
        var changed = await OkAsync(await hq.PutAsync($"{Admin}/{own}", Body(Plan("总部改", store.Id, far.Id))));
        Assert.Equal("manager", changed.GetProperty("owner").GetString());
        Assert.Equal(me.Id, changed.GetProperty("ownerGuideId").GetGuid());
        Assert.False(changed.GetProperty("readOnly").GetBoolean());
        await AssertProblemAsync(await hq.PutAsync($"{Admin}/{own}", Body(Plan("全部"))), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"{Admin}/{colleagues}/pause", null)).StatusCode);
    }

    [SkippableFact]
    public async Task Only_managers_reach_the_workbench_plans_and_only_hq_the_console()
    {
        var store = await Api.CreateStoreAsync();
        var hq = await HqAsync();
        var hqToken = (await Api.LogInAdminAsync()).Token;
        var guide = await AsGuideAsync(await Api.CreateGuideAsync(store.Id));
        var demotedGuide = await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager);
        var demoted = await AsGuideAsync(demotedGuide);
        await Api.InScopeAsync(async db =>
        {
            var g = await db.Guides.SingleAsync(x => x.Id == demotedGuide.Id);
            g.Update(g.Name, g.StoreId, GuideRole.Guide, [], null, true); // HR changed the role; the token still says store_manager
            await db.SaveChangesAsync();
        });
        var shopper = Api.Client((await Api.LogInMemberAsync()).Token);
        var managerToken = (await Api.LogInGuideAsync(await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager))).Token;
        var anonymous = Api.Client();
        var planId = await CreateAsync(hq, Admin, Plan());
        var before = await PlanRowsAsync();

        var guideRoutes = new (HttpMethod Method, string Url, bool Body)[]
        {
            (HttpMethod.Get, Guide, false), (HttpMethod.Post, Guide, true), (HttpMethod.Get, $"{Guide}/{planId}", false),
            (HttpMethod.Put, $"{Guide}/{planId}", true), (HttpMethod.Delete, $"{Guide}/{planId}", false),
            (HttpMethod.Post, $"{Guide}/{planId}/pause", false), (HttpMethod.Post, $"{Guide}/{planId}/resume", false),
            (HttpMethod.Post, $"{Guide}/{planId}/members", false),
        };
        HttpRequestMessage Request((HttpMethod Method, string Url, bool Body) r, string? url = null) => new(r.Method, url ?? r.Url)
        {
            Content = r.Body ? Body(Plan()) : r.Url.EndsWith("/members", StringComparison.Ordinal) ? Csv("phone\n13900000000\n") : null,
        };
        foreach (var route in guideRoutes)
        {
            await AssertProblemAsync(await guide.SendAsync(Request(route)), HttpStatusCode.Forbidden, "auth.forbidden");
            await AssertProblemAsync(await demoted.SendAsync(Request(route)), HttpStatusCode.Forbidden, "guide.not_a_manager");
            await AssertProblemAsync(await shopper.SendAsync(Request(route)), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await Api.Client(hqToken).SendAsync(Request(route)), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await anonymous.SendAsync(Request(route)), HttpStatusCode.Unauthorized, "auth.unauthenticated");

            var adminUrl = route.Url.Replace(Guide, Admin, StringComparison.Ordinal);
            await AssertProblemAsync(await Api.Client(managerToken).SendAsync(Request(route, adminUrl)), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await shopper.SendAsync(Request(route, adminUrl)), HttpStatusCode.Unauthorized, "auth.invalid_token");
            await AssertProblemAsync(await anonymous.SendAsync(Request(route, adminUrl)), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }
        Assert.Equal(before, await PlanRowsAsync());
        var row = await Api.DbAsync(db => db.CarePlans.AsNoTracking().SingleAsync(p => p.Id == planId));
        Assert.True(row.DeletedAt is null && !row.Paused);
    }

    // --- imported lists ------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task A_good_file_replaces_the_list_by_phone_or_member_id_with_bom_and_crlf()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var (p1, p2, p3) = (Phone(), Phone(), Phone());
        var m1 = await MemberAsync(guide, p1);
        var m2 = await MemberAsync(guide, p2);
        var m3 = await MemberAsync(null, p3);
        var id = await CreateAsync(hq, Admin, ListPlan());

        var first = await OkAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv($"\uFEFFphone,姓名\r\n{p1},张三\r\n {p2} ,李四\r\n")));
        Assert.Equal(2, first.GetProperty("members").GetInt32());
        var rows = await Api.DbAsync(db => db.CarePlanListMembers.AsNoTracking().Where(m => m.PlanId == id).OrderBy(m => m.LineNo).ToListAsync());
        Assert.Equal([(m1.Id, 2), (m2.Id, 3)], rows.Select(r => (r.MemberId, r.LineNo)).ToList());
        Assert.Equal(2, (await OkAsync(await hq.GetAsync($"{Admin}/{id}"))).GetProperty("listMembers").GetInt32());

        var second = await OkAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv($"member_id\n{m3.Id}\n{m2.Id.ToString().ToUpperInvariant()}\n")));
        Assert.Equal(2, second.GetProperty("members").GetInt32());
        var replaced = await Api.DbAsync(db => db.CarePlanListMembers.AsNoTracking().Where(m => m.PlanId == id).Select(m => m.MemberId).ToListAsync());
        Assert.Equal(new[] { m2.Id, m3.Id }.Order().ToList(), replaced.Order().ToList());

        // A multipart 'file' is read the same way.
        using var form = new MultipartFormDataContent("care-boundary");
        var file = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes($"memberId\r\n{m1.Id}\r\n")]);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "list.csv");
        Assert.Equal(1, (await OkAsync(await hq.PostAsync($"{Admin}/{id}/members", form))).GetProperty("members").GetInt32());
        Assert.Equal([m1.Id], await Api.DbAsync(db => db.CarePlanListMembers.Where(m => m.PlanId == id).Select(m => m.MemberId).ToListAsync()));
    }

    [SkippableFact]
    public async Task A_phone_several_members_share_picks_the_earliest_registered()
    {
        var hq = await HqAsync();
        var phone = Phone();
        var later = await MemberAsync(null, phone, DateTimeOffset.UtcNow.AddDays(-1));
        var earliest = await MemberAsync(null, phone, DateTimeOffset.UtcNow.AddDays(-30));
        await MemberAsync(null, Phone());
        var id = await CreateAsync(hq, Admin, ListPlan());
        Assert.Equal(1, (await OkAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv($"phone\n{phone}\n")))).GetProperty("members").GetInt32());
        Assert.Equal([earliest.Id], await Api.DbAsync(db => db.CarePlanListMembers.Where(m => m.PlanId == id).Select(m => m.MemberId).ToListAsync()));
        Assert.NotEqual(later.Id, earliest.Id);
    }

    [SkippableFact]
    public async Task Every_bad_line_is_listed_with_its_line_number_and_the_old_list_stays()
    {
        var hq = await HqAsync();
        var (p1, p2, unknown) = (Phone(), Phone(), Phone());
        var m1 = await MemberAsync(null, p1);
        var m2 = await MemberAsync(null, p2);
        var id = await CreateAsync(hq, Admin, ListPlan());
        await OkAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv($"phone\n{p1}\n")));

        var csv = $"phone\r\n{p2}\r\n12345\r\n{unknown}\r\n\r\n{p2}\r\n\"{p1}\"\r\n{p1}\r\n+8613900000000\r\n";
        // line: 1 header, 2 ok, 3 malformed, 4 unknown, 5 blank (skipped by the reader), 6 repeats line 2, 7 ok (quoted), 8 repeats 7, 9 malformed
        var problem = await AssertProblemAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv(csv)), HttpStatusCode.BadRequest, "care_plan.bad_list");
        var errors = LineErrors(problem);
        Assert.Equal([3, 4, 6, 8, 9], errors.Select(e => e.Line).ToList());
        Assert.Contains("line 2", errors.Single(e => e.Line == 6).Message);
        Assert.Contains("line 7", errors.Single(e => e.Line == 8).Message);
        Assert.Equal([m1.Id], await Api.DbAsync(db => db.CarePlanListMembers.Where(m => m.PlanId == id).Select(m => m.MemberId).ToListAsync()));

        var ids = $"member_id\n{m2.Id}\nnot-an-id\n{Guid.NewGuid()}\n{m2.Id}\n";
        var byId = await AssertProblemAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv(ids)), HttpStatusCode.BadRequest, "care_plan.bad_list");
        Assert.Equal([3, 4, 5], LineErrors(byId).Select(e => e.Line).ToList());

        foreach (var (name, text, line) in new[]
                 {
                     ("empty", "", 1), ("no such column", "mobile\n13900000000\n", 1), ("both columns", "phone,member_id\n1,2\n", 1),
                     ("the header only", "phone\n", 2), ("an unclosed quote", $"phone\n\"{p1}\n", 2),
                 })
        {
            var refused = await AssertProblemAsync(await hq.PostAsync($"{Admin}/{id}/members", Csv(text)), HttpStatusCode.BadRequest, "care_plan.bad_list");
            Assert.True(LineErrors(refused).First().Line == line, $"{name}: {refused}");
        }
        Assert.Equal(1, await ListRowsAsync(id));
    }

    [SkippableFact]
    public async Task A_managers_list_holds_members_of_their_stores_only_and_only_list_plans_take_one()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var other = await Api.CreateStoreAsync();
        var managerGuide = await Api.CreateGuideAsync(store.Id, GuideRole.StoreManager);
        var manager = await AsGuideAsync(managerGuide);
        var (inside, outside, nowhere) = (Phone(), Phone(), Phone());
        await MemberAsync(await Api.CreateGuideAsync(store.Id), inside);
        await MemberAsync(await Api.CreateGuideAsync(other.Id), outside);
        await MemberAsync(null, nowhere);
        var id = await CreateAsync(manager, Guide, ListPlan());

        var problem = await AssertProblemAsync(await manager.PostAsync($"{Guide}/{id}/members", Csv($"phone\n{inside}\n{outside}\n{nowhere}\n")),
            HttpStatusCode.BadRequest, "care_plan.bad_list");
        Assert.Equal([3, 4], LineErrors(problem).Select(e => e.Line).ToList());
        Assert.Equal(0, await ListRowsAsync(id));
        Assert.Equal(1, (await OkAsync(await manager.PostAsync($"{Guide}/{id}/members", Csv($"phone\n{inside}\n")))).GetProperty("members").GetInt32());

        // HQ's list reaches every store; a manager cannot import into HQ's plan; a birthday plan takes no list.
        var hqList = await CreateAsync(hq, Admin, ListPlan(store.Id));
        await AssertProblemAsync(await manager.PostAsync($"{Guide}/{hqList}/members", Csv($"phone\n{inside}\n")), HttpStatusCode.Forbidden, "care_plan.read_only");
        Assert.Equal(3, (await OkAsync(await hq.PostAsync($"{Admin}/{hqList}/members", Csv($"phone\n{inside}\n{outside}\n{nowhere}\n")))).GetProperty("members").GetInt32());
        var birthdays = await CreateAsync(manager, Guide, Plan());
        await AssertProblemAsync(await manager.PostAsync($"{Guide}/{birthdays}/members", Csv($"phone\n{inside}\n")), HttpStatusCode.Conflict, "care_plan.not_a_list_plan");
        await AssertProblemAsync(await hq.PostAsync($"{Admin}/{birthdays}/members", Csv($"phone\n{inside}\n")), HttpStatusCode.Conflict, "care_plan.not_a_list_plan");
        await AssertProblemAsync(await hq.PostAsync($"{Admin}/{Guid.NewGuid()}/members", Csv($"phone\n{inside}\n")), HttpStatusCode.NotFound, "care_plan.not_found");
        Assert.Equal(0, await ListRowsAsync(birthdays));
    }

    [SkippableFact]
    public async Task A_malformed_multipart_body_or_a_file_over_10_mb_is_refused_before_reading()
    {
        var hq = await HqAsync();
        var id = await CreateAsync(hq, Admin, ListPlan());
        var noBoundary = new ByteArrayContent("phone\n13900000000\n"u8.ToArray());
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        await AssertProblemAsync(await hq.PostAsync($"{Admin}/{id}/members", noBoundary), HttpStatusCode.BadRequest, "request.malformed");
        var cut = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nphone\n139"u8.ToArray());
        cut.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        await AssertProblemAsync(await hq.PostAsync($"{Admin}/{id}/members", cut), HttpStatusCode.BadRequest, "request.malformed");
        var big = new ByteArrayContent(Encoding.ASCII.GetBytes("phone\n" + new string('1', 11 * 1024 * 1024)));
        big.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        await AssertProblemAsync(await hq.PostAsync($"{Admin}/{id}/members", big), HttpStatusCode.RequestEntityTooLarge, "request.too_large");
        Assert.Equal(0, await ListRowsAsync(id));
    }
}

public sealed class CarePlanTestsOnSqlite(SqliteApi fixture) : CarePlanTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CarePlanTestsOnMySql(MySqlApi fixture) : CarePlanTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
