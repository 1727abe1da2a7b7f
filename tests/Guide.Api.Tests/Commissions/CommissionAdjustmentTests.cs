using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Commissions;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Commissions;

/// <summary>
/// HQ's commission adjustments over HTTP: an entry with a reason for the guide's current store, dated now, posted in the current
/// brand month or the first open month after it when finance closed it; the Idempotency-Key applies it once (also to racing
/// resends) and refuses another body; refusals write nothing; only HQ may call it. The class's tests share one database: the
/// closed months one test needs are removed again.
/// </summary>
public abstract class CommissionAdjustmentTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Adjustments = "/api/admin/commissions/adjustments";
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private Task<int> EntryRowsAsync() => Api.DbAsync(db => db.CommissionEntries.CountAsync());

    /// <summary>yyyyMM of the brand's (Asia/Shanghai) month at <paramref name="instant"/>.</summary>
    private static int BrandMonth(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Shanghai);
        return local.Year * 100 + local.Month;
    }

    private static int After(int month, int months)
    {
        var first = new DateOnly(month / 100, month % 100, 1).AddMonths(months);
        return first.Year * 100 + first.Month;
    }

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static HttpRequestMessage Post(string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Adjustments) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    [SkippableFact]
    public async Task Hq_adjusts_a_guides_commission_with_a_reason_for_the_guides_store_in_the_current_month()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var key = Guid.NewGuid().ToString();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var adjustment = await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount = 12_345, reason = "  补录漏单提成  " }, key));
        var after = DateTimeOffset.UtcNow.AddSeconds(1);
        Assert.Equal(guide.Id, adjustment.GetProperty("guideId").GetGuid());
        Assert.Equal(store.Id, adjustment.GetProperty("storeId").GetGuid());
        Assert.Equal(12_345, adjustment.GetProperty("amount").GetInt64());
        Assert.Equal("补录漏单提成", adjustment.GetProperty("reason").GetString());
        Assert.InRange(adjustment.GetProperty("documentTime").GetDateTimeOffset(), before, after);
        Assert.Contains(adjustment.GetProperty("postingMonth").GetInt32(), new[] { BrandMonth(before), BrandMonth(after) });
        Assert.False(adjustment.GetProperty("replayed").GetBoolean());

        var entryId = adjustment.GetProperty("entryId").GetGuid();
        var entry = await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().SingleAsync(e => e.Id == entryId));
        Assert.Equal(CommissionEntryKind.Adjustment, entry.Kind);
        Assert.Equal($"commission-adjustment:{key}", entry.SourceKey);
        Assert.Equal((guide.Id, store.Id), (entry.GuideId, entry.StoreId));
        Assert.Equal((0, 0L, 12_345L), (entry.Quantity, entry.CommissionableAmount, entry.Commission));
        Assert.Equal("补录漏单提成", entry.Reason);
        Assert.Equal(adjustment.GetProperty("postingMonth").GetInt32(), entry.PostingMonth);
        Assert.InRange(entry.DocumentTime, before, after);
        Assert.Null(entry.DocumentId);
        Assert.Null(entry.RuleId);

        // Negative takes commission back.
        var back = await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount = -2_000, reason = "退货未扣" }));
        Assert.Equal(-2_000, back.GetProperty("amount").GetInt64());
        var id = back.GetProperty("entryId").GetGuid();
        Assert.Equal(-2_000, (await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().SingleAsync(e => e.Id == id))).Commission);
    }

    [SkippableFact]
    public async Task The_same_key_and_body_answer_the_first_entry_and_another_body_is_refused()
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var other = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var key = Guid.NewGuid().ToString();
        var body = new { guideId = guide.Id, amount = 5_000, reason = "季度奖励" };

        var first = await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, body, key));
        var again = await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, body, key));
        Assert.Equal(first.GetProperty("entryId").GetGuid(), again.GetProperty("entryId").GetGuid());
        Assert.Equal(first.GetProperty("postingMonth").GetInt32(), again.GetProperty("postingMonth").GetInt32());
        Assert.Equal(first.GetProperty("documentTime").GetDateTimeOffset(), again.GetProperty("documentTime").GetDateTimeOffset());
        Assert.True(again.GetProperty("replayed").GetBoolean());

        foreach (var changed in new object[]
        {
            new { guideId = guide.Id, amount = 5_001, reason = "季度奖励" },
            new { guideId = guide.Id, amount = 5_000, reason = "另一个原因" },
            new { guideId = other.Id, amount = 5_000, reason = "季度奖励" },
        })
            await AssertProblemAsync(await hq.PostWithKeyAsync(Adjustments, changed, key), HttpStatusCode.Conflict, "idempotency.key_reused");

        var rows = await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().Where(e => e.SourceKey == $"commission-adjustment:{key}").ToListAsync());
        Assert.Equal(first.GetProperty("entryId").GetGuid(), Assert.Single(rows).Id);
        Assert.Empty(await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().Where(e => e.GuideId == other.Id).ToListAsync()));
    }

    [SkippableFact]
    public async Task Racing_resends_of_one_adjustment_write_one_entry_and_all_answer_it()
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var key = Guid.NewGuid().ToString();
        using var gate = new SemaphoreSlim(0);
        var racing = Enumerable.Range(0, 8).Select(async _ =>
        {
            await gate.WaitAsync();
            return await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount = 800, reason = "双击" }, key);
        }).ToList();
        gate.Release(racing.Count);
        var answers = new List<JsonElement>();
        foreach (var response in await Task.WhenAll(racing)) answers.Add(await CreatedAsync(response));
        var entry = Assert.Single(await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().Where(e => e.GuideId == guide.Id).ToListAsync()));
        Assert.All(answers, a => Assert.Equal(entry.Id, a.GetProperty("entryId").GetGuid()));
        Assert.Equal(1, answers.Count(a => !a.GetProperty("replayed").GetBoolean()));
    }

    [SkippableFact]
    public async Task A_closed_month_is_skipped_the_adjustment_posts_in_the_first_open_month_after_it()
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var now = DateTimeOffset.UtcNow;
        var current = BrandMonth(now);
        Skip.If(BrandMonth(now.AddMinutes(1)) != current, "The brand's month turns over right now.");
        var (next, third, previous) = (After(current, 1), After(current, 2), After(current, -1));
        var months = new[] { previous, current, next, third };
        Task RemoveAsync() => Api.InScopeAsync(async db => await db.CommissionPeriods.Where(p => months.Contains(p.Month)).ExecuteDeleteAsync());
        await RemoveAsync();
        try
        {
            await Api.InScopeAsync(async db =>
            {
                foreach (var month in new[] { previous, current, next })
                {
                    var period = new CommissionPeriod(month, now);
                    period.Close(now);
                    db.CommissionPeriods.Add(period);
                }
                // A month closed and reopened is open.
                var reopened = new CommissionPeriod(third, now);
                reopened.Close(now);
                reopened.Reopen(now);
                db.CommissionPeriods.Add(reopened);
                await db.SaveChangesAsync();
            });
            var adjustment = await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount = 300, reason = "迟到的更正" }));
            Assert.Equal(third, adjustment.GetProperty("postingMonth").GetInt32());
            var id = adjustment.GetProperty("entryId").GetGuid();
            var entry = await Api.DbAsync(db => db.CommissionEntries.AsNoTracking().SingleAsync(e => e.Id == id));
            Assert.Equal(third, entry.PostingMonth);
            Assert.Equal(current, BrandMonth(entry.DocumentTime)); // it keeps its true time

            // Only the current month closed: the next one.
            await Api.InScopeAsync(async db => await db.CommissionPeriods.Where(p => p.Month == next || p.Month == third).ExecuteDeleteAsync());
            Assert.Equal(next, (await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount = 300, reason = "更正" })))
                .GetProperty("postingMonth").GetInt32());
        }
        finally
        {
            await RemoveAsync();
        }
        Assert.Equal(current, (await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount = 300, reason = "更正" })))
            .GetProperty("postingMonth").GetInt32());
    }

    [SkippableFact]
    public async Task An_unknown_guide_is_404_and_nothing_is_written()
    {
        var hq = await HqAsync();
        var before = await EntryRowsAsync();
        await AssertProblemAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = Guid.NewGuid(), amount = 100, reason = "无此导购" }),
            HttpStatusCode.NotFound, "guide.not_found");
        Assert.Equal(before, await EntryRowsAsync());
    }

    [SkippableFact]
    public async Task The_limits_themselves_are_accepted()
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        foreach (var amount in new[] { 100_000_000L, -100_000_000L, 1L, -1L })
            Assert.Equal(amount, (await CreatedAsync(await hq.PostWithKeyAsync(Adjustments, new { guideId = guide.Id, amount, reason = new string('因', 200) })))
                .GetProperty("amount").GetInt64());
    }

    /// <summary>Bodies refused, each with the field the problem names ({g}: an existing guide).</summary>
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"amount":100,"reason":"原因"}""", "guideId" },
        { """{"guideId":"{g}","reason":"原因"}""", "amount" },
        { """{"guideId":"{g}","amount":0,"reason":"原因"}""", "amount" },
        { """{"guideId":"{g}","amount":100000001,"reason":"原因"}""", "amount" },
        { """{"guideId":"{g}","amount":-100000001,"reason":"原因"}""", "amount" },
        { """{"guideId":"{g}","amount":100}""", "reason" },
        { """{"guideId":"{g}","amount":100,"reason":"   "}""", "reason" },
        { $$"""{"guideId":"{g}","amount":100,"reason":"{{new string('因', 201)}}"}""", "reason" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_adjustment_is_refused_by_its_field_and_nothing_is_written(string body, string field)
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var before = await EntryRowsAsync();
        var problem = await AssertProblemAsync(await hq.SendAsync(Post(body.Replace("{g}", guide.Id.ToString()), Guid.NewGuid().ToString())),
            HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        Assert.Equal(before, await EntryRowsAsync());
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("键-😀")]
    [InlineData("a key with spaces")]
    public async Task Without_a_valid_idempotency_key_nothing_is_written(string? key)
    {
        var hq = await HqAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var before = await EntryRowsAsync();
        await AssertProblemAsync(await hq.SendAsync(Post($$"""{"guideId":"{{guide.Id}}","amount":100,"reason":"原因"}""", key)),
            HttpStatusCode.BadRequest, "idempotency.key_required");
        await AssertProblemAsync(await hq.SendAsync(Post($$"""{"guideId":"{{guide.Id}}","amount":100,"reason":"原因"}""", new string('k', 65))),
            HttpStatusCode.BadRequest, "idempotency.key_required");
        Assert.Equal(before, await EntryRowsAsync());
    }

    [SkippableFact]
    public async Task Only_hq_adjusts_commission()
    {
        var member = await Api.LogInMemberAsync();
        var guide = await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id);
        var guideSession = await Api.LogInGuideAsync(guide);
        var before = await EntryRowsAsync();
        var body = $$"""{"guideId":"{{guide.Id}}","amount":100,"reason":"自己给自己"}""";
        await AssertProblemAsync(await Api.Client().SendAsync(Post(body, Guid.NewGuid().ToString())), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        foreach (var token in new[] { member.Token, guideSession.Token })
            await AssertProblemAsync(await Api.Client(token).SendAsync(Post(body, Guid.NewGuid().ToString())), HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.Equal(before, await EntryRowsAsync());
    }
}

public sealed class CommissionAdjustmentTestsOnSqlite(SqliteApi fixture) : CommissionAdjustmentTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CommissionAdjustmentTestsOnMySql(MySqlApi fixture) : CommissionAdjustmentTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
