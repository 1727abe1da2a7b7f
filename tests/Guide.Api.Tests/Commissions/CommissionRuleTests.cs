using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Commissions;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Commissions;

/// <summary>
/// HQ's commission rules and settings over HTTP: the round trip, live rules of one scope and scope value never overlapping in
/// time (adjacent ranges allowed, open-ended ones reaching later ones refused, also under racing creations), the terms' limits,
/// soft delete, the list's filters and order, the settings' switches; and that only HQ may call any of it. The tests of a class
/// share one database: each uses scope values of its own and assumes nothing about the other rows.
/// </summary>
public abstract class CommissionRuleTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Rules = "/api/admin/commission-rules";
    private const string Settings = "/api/admin/commissions/settings";

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", Rules }, { "GET", $"{Rules}?scope=sku&activeOn=2027-01-01" }, { "POST", Rules }, { "GET", $"{Rules}/{Guid.NewGuid()}" },
        { "PUT", $"{Rules}/{Guid.NewGuid()}" }, { "DELETE", $"{Rules}/{Guid.NewGuid()}" }, { "GET", Settings }, { "PUT", Settings },
    };

    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private Task<int> RuleRowsAsync() => Api.DbAsync(db => db.CommissionRules.CountAsync());

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        var rule = JsonDocument.Parse(text).RootElement;
        Assert.Equal($"{Rules}/{rule.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        return rule;
    }

    private static Guid IdOf(JsonElement rule) => rule.GetProperty("id").GetGuid();

    private static Task<HttpResponseMessage> CreateAsync(HttpClient hq, string scope, string? scopeValue, string from, string? to,
        string method = "rate", long value = 300) =>
        hq.PostAsJsonAsync(Rules, new { scope, scopeValue, method, value, effectiveFrom = from, effectiveTo = to });

    private async Task<JsonElement> OverlapAsync(HttpResponseMessage response, Guid other)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "commission_rule.overlap");
        Assert.Equal(other, problem.GetProperty("ruleId").GetGuid());
        return problem;
    }

    [SkippableFact]
    public async Task Hq_creates_reads_lists_changes_and_deletes_a_rule()
    {
        var hq = await HqAsync();
        var sku = ApiFixture.Unique("sku");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var created = await CreatedAsync(await hq.PostAsJsonAsync(Rules, new
        {
            scope = "sku", scopeValue = $"  {sku}  ", method = "rate", value = 500, effectiveFrom = "2027-01-01", effectiveTo = "2027-06-30",
        }));
        var id = IdOf(created);
        Assert.Equal("sku", created.GetProperty("scope").GetString());
        Assert.Equal(sku, created.GetProperty("scopeValue").GetString());
        Assert.Equal("rate", created.GetProperty("method").GetString());
        Assert.Equal(500, created.GetProperty("value").GetInt64());
        Assert.Equal("2027-01-01", created.GetProperty("effectiveFrom").GetString());
        Assert.Equal("2027-06-30", created.GetProperty("effectiveTo").GetString());
        Assert.InRange(created.GetProperty("createdAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));

        var one = await (await hq.GetAsync($"{Rules}/{id}")).JsonAsync();
        Assert.Equal(sku, one.GetProperty("scopeValue").GetString());
        Assert.Equal(500, one.GetProperty("value").GetInt64());
        Assert.Equal("2027-06-30", one.GetProperty("effectiveTo").GetString());

        var listed = Assert.Single((await (await hq.GetAsync($"{Rules}?scope=sku&scopeValue={sku}")).JsonAsync()).EnumerateArray());
        Assert.Equal(id, IdOf(listed));

        // Every term replaced: a fixed amount per unit, open-ended from February. A scope in the body changes nothing: it is fixed.
        var changed = await hq.PutAsJsonAsync($"{Rules}/{id}", new { scope = "category", method = "fixed_per_unit", value = 1_200, effectiveFrom = "2027-02-01" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var rule = await changed.JsonAsync();
        Assert.Equal(("sku", sku), (rule.GetProperty("scope").GetString(), rule.GetProperty("scopeValue").GetString()));
        Assert.Equal("fixed_per_unit", rule.GetProperty("method").GetString());
        Assert.Equal(1_200, rule.GetProperty("value").GetInt64());
        Assert.Equal("2027-02-01", rule.GetProperty("effectiveFrom").GetString());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("effectiveTo").ValueKind);
        var row = await Api.DbAsync(db => db.CommissionRules.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal((CommissionScope.Sku, sku, CommissionMethod.FixedPerUnit, 1_200L, new DateOnly(2027, 2, 1), (DateOnly?)null),
            (row.Scope, row.ScopeValue, row.Method, row.Value, row.EffectiveFrom, row.EffectiveTo));

        // Soft delete: the row stays (entries name their rule), HQ no longer sees it.
        Assert.Equal(HttpStatusCode.NoContent, (await hq.DeleteAsync($"{Rules}/{id}")).StatusCode);
        await AssertProblemAsync(await hq.GetAsync($"{Rules}/{id}"), HttpStatusCode.NotFound, "commission_rule.not_found");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"{Rules}/{id}", new { method = "rate", value = 1, effectiveFrom = "2027-01-01" }),
            HttpStatusCode.NotFound, "commission_rule.not_found");
        await AssertProblemAsync(await hq.DeleteAsync($"{Rules}/{id}"), HttpStatusCode.NotFound, "commission_rule.not_found");
        Assert.Empty((await (await hq.GetAsync($"{Rules}?scopeValue={sku}")).JsonAsync()).EnumerateArray());
        Assert.NotNull((await Api.DbAsync(db => db.CommissionRules.AsNoTracking().SingleAsync(r => r.Id == id))).DeletedAt);

        var nobody = Guid.NewGuid();
        await AssertProblemAsync(await hq.GetAsync($"{Rules}/{nobody}"), HttpStatusCode.NotFound, "commission_rule.not_found");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"{Rules}/{nobody}", new { method = "rate", value = 1, effectiveFrom = "2027-01-01" }),
            HttpStatusCode.NotFound, "commission_rule.not_found");
        await AssertProblemAsync(await hq.DeleteAsync($"{Rules}/{nobody}"), HttpStatusCode.NotFound, "commission_rule.not_found");
    }

    [SkippableFact]
    public async Task The_default_rule_has_no_scope_value_and_one_live_default_applies_at_a_time()
    {
        var hq = await HqAsync();
        var ids = new List<Guid>();
        try
        {
            // Far from any other test's dates: the default scope is one for the whole class.
            var first = await CreatedAsync(await CreateAsync(hq, "default", null, "2090-01-01", "2090-12-31", value: 100));
            ids.Add(IdOf(first));
            Assert.Equal("default", first.GetProperty("scope").GetString());
            Assert.Equal(JsonValueKind.Null, first.GetProperty("scopeValue").ValueKind);
            Assert.Equal("", (await Api.DbAsync(db => db.CommissionRules.AsNoTracking().SingleAsync(r => r.Id == ids[0]))).ScopeValue);
            await OverlapAsync(await CreateAsync(hq, "default", null, "2090-12-31", null), ids[0]);
            ids.Add(IdOf(await CreatedAsync(await CreateAsync(hq, "default", null, "2091-01-01", null, value: 200))));
            var active = (await (await hq.GetAsync($"{Rules}?scope=default&activeOn=2091-03-01")).JsonAsync()).EnumerateArray().Select(IdOf).ToList();
            Assert.Contains(ids[1], active);
            Assert.DoesNotContain(ids[0], active);
        }
        finally
        {
            foreach (var id in ids) await hq.DeleteAsync($"{Rules}/{id}");
        }
    }

    [SkippableFact]
    public async Task Live_rules_of_one_scope_value_never_overlap_adjacent_ones_do_not_and_a_deleted_one_blocks_nothing()
    {
        var hq = await HqAsync();
        var sku = ApiFixture.Unique("sku");
        var january = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", sku, "2027-01-01", "2027-01-31")));
        // Adjacent: February starts the day after January's last day.
        var february = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", sku, "2027-02-01", "2027-02-28")));

        await OverlapAsync(await CreateAsync(hq, "sku", sku, "2027-01-15", "2027-01-20"), january);
        await OverlapAsync(await CreateAsync(hq, "sku", sku, "2026-12-01", "2027-01-01"), january); // the first day counts
        await OverlapAsync(await CreateAsync(hq, "sku", sku, "2027-02-28", "2027-03-31"), february); // so does the last
        // Open-ended from before January reaches both; the one of the two it names is for HQ to look at.
        var problem = await AssertProblemAsync(await CreateAsync(hq, "sku", sku, "2026-06-01", null), HttpStatusCode.Conflict, "commission_rule.overlap");
        Assert.Contains(problem.GetProperty("ruleId").GetGuid(), new[] { january, february });

        // An open-ended rule after February; a later closed range then falls inside it.
        var fromMarch = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", sku, "2027-03-01", null)));
        var inside = await OverlapAsync(await CreateAsync(hq, "sku", sku, "2030-12-01", "2030-12-31"), fromMarch);
        Assert.Equal("2027-03-01", inside.GetProperty("effectiveFrom").GetString());
        Assert.Equal(JsonValueKind.Null, inside.GetProperty("effectiveTo").ValueKind);

        // Other scope values and other scopes with the same value are independent.
        await CreatedAsync(await CreateAsync(hq, "sku", ApiFixture.Unique("sku"), "2027-01-01", null));
        await CreatedAsync(await CreateAsync(hq, "product", sku, "2027-01-01", null));
        await CreatedAsync(await CreateAsync(hq, "category", sku, "2027-01-01", null));

        // A change is checked against the others, not against itself.
        var rows = await RuleRowsAsync();
        await OverlapAsync(await hq.PutAsJsonAsync($"{Rules}/{january}", new { method = "rate", value = 300, effectiveFrom = "2027-01-01", effectiveTo = "2027-02-15" }),
            february);
        var unchanged = await Api.DbAsync(db => db.CommissionRules.AsNoTracking().SingleAsync(r => r.Id == january));
        Assert.Equal((new DateOnly(2027, 1, 1), (DateOnly?)new DateOnly(2027, 1, 31)), (unchanged.EffectiveFrom, unchanged.EffectiveTo));
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"{Rules}/{january}",
            new { method = "rate", value = 300, effectiveFrom = "2027-01-10", effectiveTo = "2027-01-31" })).StatusCode);
        Assert.Equal(rows, await RuleRowsAsync());

        // Deleted, February's dates are free again.
        Assert.Equal(HttpStatusCode.NoContent, (await hq.DeleteAsync($"{Rules}/{february}")).StatusCode);
        var again = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", sku, "2027-02-01", "2027-02-28", "fixed_per_unit", 50)));
        var live = (await (await hq.GetAsync($"{Rules}?scope=sku&scopeValue={sku}")).JsonAsync()).EnumerateArray().Select(IdOf).ToList();
        Assert.Equal([january, again, fromMarch], live);
    }

    [SkippableFact]
    public async Task The_list_orders_by_scope_then_scope_value_then_start_and_filters_by_scope_value_and_date()
    {
        var hq = await HqAsync();
        var p = ApiFixture.Unique("ord");
        var (a, b) = ($"{p}-a", $"{p}-b");
        // Created out of order.
        var skuB = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", b, "2027-03-01", null)));
        var category = IdOf(await CreatedAsync(await CreateAsync(hq, "category", a, "2027-01-01", null)));
        var skuALater = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", a, "2027-05-01", null)));
        var product = IdOf(await CreatedAsync(await CreateAsync(hq, "product", a, "2027-01-01", "2027-01-15")));
        var skuAFirst = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", a, "2027-01-01", "2027-02-01")));
        var mine = new HashSet<Guid> { skuB, category, skuALater, product, skuAFirst };

        async Task<List<Guid>> ListAsync(string query)
        {
            var response = await hq.GetAsync($"{Rules}{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync()).EnumerateArray().Select(IdOf).Where(mine.Contains).ToList();
        }

        Assert.Equal([skuAFirst, skuALater, skuB, product, category], await ListAsync(""));
        Assert.Equal([skuAFirst, skuALater, skuB], await ListAsync("?scope=sku"));
        Assert.Equal([skuAFirst, skuALater, product, category], await ListAsync($"?scopeValue={a}"));
        Assert.Equal([product], await ListAsync($"?scope=product&scopeValue={a}"));
        Assert.Equal([skuAFirst, product, category], await ListAsync("?activeOn=2027-01-15"));
        Assert.Equal([skuAFirst, category], await ListAsync("?activeOn=2027-01-16"));
        Assert.Equal([skuALater, skuB, category], await ListAsync("?activeOn=2027-05-01"));
        Assert.Empty(await ListAsync("?activeOn=2026-12-31"));

        foreach (var bad in new[] { "scope=SKU", "scope=brand", "scope=fixed_per_unit", "activeOn=2027-13-01", "activeOn=yesterday" })
            await AssertProblemAsync(await hq.GetAsync($"{Rules}?{bad}"), HttpStatusCode.BadRequest, "request.malformed");
    }

    [SkippableFact]
    public async Task The_limits_themselves_are_accepted()
    {
        var hq = await HqAsync();
        var longest = new string('货', CommissionRule.ScopeValueMaxLength);
        await CreatedAsync(await CreateAsync(hq, "sku", ApiFixture.Unique("sku"), "2027-01-01", "2027-01-01", "rate", 1));
        await CreatedAsync(await CreateAsync(hq, "sku", ApiFixture.Unique("sku"), "2000-01-01", "9999-12-31", "rate", 10_000));
        await CreatedAsync(await CreateAsync(hq, "product", ApiFixture.Unique("p"), "2027-01-01", null, "fixed_per_unit", 1));
        var max = await CreatedAsync(await CreateAsync(hq, "category", ApiFixture.Unique("c"), "2027-01-01", null, "fixed_per_unit", 100_000_000));
        Assert.Equal(100_000_000, max.GetProperty("value").GetInt64());
        var id = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", longest, "2027-01-01", null)));
        try
        {
            Assert.Equal(longest, (await Api.DbAsync(db => db.CommissionRules.AsNoTracking().SingleAsync(r => r.Id == id))).ScopeValue);
        }
        finally
        {
            await hq.DeleteAsync($"{Rules}/{id}"); // the longest value is one for the class
        }
    }

    /// <summary>Bodies a creation refuses, each with the field the problem names ({v}: a scope value of the test's own).</summary>
    public static TheoryData<string, string> InvalidCreations => new()
    {
        { """{"scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""", "scope" },
        { """{"scope":"sku","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""", "scopeValue" },
        { """{"scope":"product","scopeValue":"   ","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""", "scopeValue" },
        { $$"""{"scope":"category","scopeValue":"{v}{{new string('x', CommissionRule.ScopeValueMaxLength)}}","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""", "scopeValue" },
        { """{"scope":"default","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""", "scopeValue" },
        { """{"scope":"sku","scopeValue":"{v}","value":5,"effectiveFrom":"2027-01-01"}""", "method" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","effectiveFrom":"2027-01-01"}""", "value" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":0,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":-1,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":10001,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"scope":"sku","scopeValue":"{v}","method":"fixed_per_unit","value":0,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"scope":"sku","scopeValue":"{v}","method":"fixed_per_unit","value":100000001,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":5}""", "effectiveFrom" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"1999-12-31"}""", "effectiveFrom" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"0001-01-01","effectiveTo":"0001-01-02"}""", "effectiveFrom" },
        { """{"scope":"sku","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-02-01","effectiveTo":"2027-01-31"}""", "effectiveTo" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidCreations))]
    public async Task An_invalid_rule_is_refused_by_its_field_and_nothing_is_written(string body, string field)
    {
        var hq = await HqAsync();
        var before = await RuleRowsAsync();
        var problem = await AssertProblemAsync(await hq.PostAsync(Rules, Json(body.Replace("{v}", ApiFixture.Unique("sku")))),
            HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        Assert.Equal(before, await RuleRowsAsync());
    }

    public static TheoryData<string, string> InvalidChanges => new()
    {
        { """{"value":5,"effectiveFrom":"2027-01-01"}""", "method" },
        { """{"method":"rate","effectiveFrom":"2027-01-01"}""", "value" },
        { """{"method":"rate","value":10001,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"method":"fixed_per_unit","value":0,"effectiveFrom":"2027-01-01"}""", "value" },
        { """{"method":"rate","value":5}""", "effectiveFrom" },
        { """{"method":"rate","value":5,"effectiveFrom":"2027-01-02","effectiveTo":"2027-01-01"}""", "effectiveTo" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidChanges))]
    public async Task An_invalid_change_is_refused_by_its_field_and_the_rule_stays_as_it_was(string body, string field)
    {
        var hq = await HqAsync();
        var id = IdOf(await CreatedAsync(await CreateAsync(hq, "sku", ApiFixture.Unique("sku"), "2027-01-01", "2027-12-31", "rate", 250)));
        var problem = await AssertProblemAsync(await hq.PutAsync($"{Rules}/{id}", Json(body)), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        var rule = await Api.DbAsync(db => db.CommissionRules.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal((CommissionMethod.Rate, 250L, new DateOnly(2027, 1, 1), (DateOnly?)new DateOnly(2027, 12, 31)),
            (rule.Method, rule.Value, rule.EffectiveFrom, rule.EffectiveTo));
    }

    [SkippableTheory]
    [InlineData("""{"scope":"brand","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""")]
    [InlineData("""{"scope":"sku","scopeValue":"{v}","method":"percent","value":5,"effectiveFrom":"2027-01-01"}""")]
    [InlineData("""{"scope":"sku","scopeValue":"{v}","method":"rate","value":"5","effectiveFrom":"2027-01-01"}""")]
    [InlineData("""{"scope":"sku","scopeValue":"{v}","method":"rate","value":99999999999999999999999,"effectiveFrom":"2027-01-01"}""")]
    [InlineData("""{"scope":"sku","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-13-01"}""")]
    [InlineData("""{"scope":"sku","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027/01/01"}""")]
    [InlineData("""{"scope":"sku","scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-01-01T00:00:00Z"}""")]
    [InlineData("""{"scope":7,"scopeValue":"{v}","method":"rate","value":5,"effectiveFrom":"2027-01-01"}""")]
    public async Task An_unreadable_body_is_400_and_nothing_is_written(string body)
    {
        var hq = await HqAsync();
        var before = await RuleRowsAsync();
        var response = await hq.PostAsync(Rules, Json(body.Replace("{v}", ApiFixture.Unique("sku"))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await RuleRowsAsync());
    }

    [SkippableFact]
    public async Task Overlapping_creations_racing_give_one_rule_one_201_and_409_for_the_rest()
    {
        var hq = await HqAsync();
        var sku = ApiFixture.Unique("sku");
        using var gate = new SemaphoreSlim(0);
        // Every range reaches 2027-01-08: each pair overlaps.
        var racing = Enumerable.Range(0, 8).Select(async i =>
        {
            await gate.WaitAsync();
            return await CreateAsync(hq, "sku", sku, $"2027-01-0{i + 1}", i % 2 == 0 ? null : "2027-01-31", value: 100 + i);
        }).ToList();
        gate.Release(racing.Count);
        var responses = await Task.WhenAll(racing);
        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(winners);
        var winner = await winners[0].JsonAsync();
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created)) await OverlapAsync(refused, IdOf(winner));
        var live = await Api.DbAsync(db => db.CommissionRules.AsNoTracking().Where(r => r.ScopeValue == sku && r.DeletedAt == null).ToListAsync());
        Assert.Equal(IdOf(winner), Assert.Single(live).Id);
    }

    [SkippableFact]
    public async Task Hq_reads_and_switches_what_the_commissionable_amount_includes()
    {
        var hq = await HqAsync();
        var original = await (await hq.GetAsync(Settings)).JsonAsync();
        try
        {
            var flipped = new
            {
                includeCash = !original.GetProperty("includeCash").GetBoolean(),
                includeWalletPrincipal = !original.GetProperty("includeWalletPrincipal").GetBoolean(),
                includeWalletGift = original.GetProperty("includeWalletGift").GetBoolean(),
                includePoints = !original.GetProperty("includePoints").GetBoolean(),
                includeCoupons = original.GetProperty("includeCoupons").GetBoolean(),
            };
            var put = await hq.PutAsJsonAsync(Settings, flipped);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var answered = await put.JsonAsync();
            var read = await (await hq.GetAsync(Settings)).JsonAsync();
            foreach (var settings in new[] { answered, read })
            {
                Assert.Equal(flipped.includeCash, settings.GetProperty("includeCash").GetBoolean());
                Assert.Equal(flipped.includeWalletPrincipal, settings.GetProperty("includeWalletPrincipal").GetBoolean());
                Assert.Equal(flipped.includeWalletGift, settings.GetProperty("includeWalletGift").GetBoolean());
                Assert.Equal(flipped.includePoints, settings.GetProperty("includePoints").GetBoolean());
                Assert.Equal(flipped.includeCoupons, settings.GetProperty("includeCoupons").GetBoolean());
                Assert.Equal(JsonValueKind.String, settings.GetProperty("updatedAt").ValueKind);
            }
            var row = await Api.DbAsync(db => db.CommissionSettings.AsNoTracking().SingleAsync());
            Assert.Equal((flipped.includeCash, flipped.includeWalletPrincipal, flipped.includeWalletGift, flipped.includePoints, flipped.includeCoupons),
                (row.IncludeCash, row.IncludeWalletPrincipal, row.IncludeWalletGift, row.IncludePoints, row.IncludeCoupons));

            // Every switch is required; a refused change writes nothing.
            foreach (var (body, field) in new[]
            {
                ("""{"includeWalletPrincipal":true,"includeWalletGift":true,"includePoints":false,"includeCoupons":false}""", "includeCash"),
                ("""{"includeCash":true,"includeWalletPrincipal":true,"includeWalletGift":true,"includePoints":false}""", "includeCoupons"),
                ("""{"includeCash":true,"includeWalletPrincipal":null,"includeWalletGift":true,"includePoints":false,"includeCoupons":false}""", "includeWalletPrincipal"),
            })
            {
                var problem = await AssertProblemAsync(await hq.PutAsync(Settings, Json(body)), HttpStatusCode.BadRequest, "request.validation_failed");
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
            }
            Assert.Equal(HttpStatusCode.BadRequest, (await hq.PutAsync(Settings, Json(
                """{"includeCash":"yes","includeWalletPrincipal":true,"includeWalletGift":true,"includePoints":false,"includeCoupons":false}"""))).StatusCode);
            Assert.Equal(flipped.includeCash, (await Api.DbAsync(db => db.CommissionSettings.AsNoTracking().SingleAsync())).IncludeCash);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync(Settings, new
            {
                includeCash = original.GetProperty("includeCash").GetBoolean(),
                includeWalletPrincipal = original.GetProperty("includeWalletPrincipal").GetBoolean(),
                includeWalletGift = original.GetProperty("includeWalletGift").GetBoolean(),
                includePoints = original.GetProperty("includePoints").GetBoolean(),
                includeCoupons = original.GetProperty("includeCoupons").GetBoolean(),
            })).StatusCode);
        }
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT"
            ? JsonContent.Create(path.EndsWith("settings", StringComparison.Ordinal)
                ? new { includeCash = false, includeWalletPrincipal = false, includeWalletGift = false, includePoints = true, includeCoupons = true }
                : (object)new { scope = "sku", scopeValue = ApiFixture.Unique("sku"), method = "rate", value = 5, effectiveFrom = "2027-01-01" })
            : null,
    };

    [SkippableTheory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_token_every_commission_rule_and_settings_route_is_401(string method, string path) =>
        await AssertProblemAsync(await Api.Client().SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    /// <summary>Tokens are per audience: a shopper's or a guide's is not one HQ's routes read (401, as on every HQ route), and writes nothing.</summary>
    [SkippableTheory]
    [MemberData(nameof(Routes))]
    public async Task A_member_or_guide_token_opens_no_commission_rule_or_settings_route(string method, string path)
    {
        var member = await Api.LogInMemberAsync();
        var guide = await Api.LogInGuideAsync(await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id));
        var before = await RuleRowsAsync();
        var settings = await Api.DbAsync(db => db.CommissionSettings.AsNoTracking().SingleAsync());
        foreach (var token in new[] { member.Token, guide.Token })
            await AssertProblemAsync(await Api.Client(token).SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "auth.invalid_token");
        Assert.Equal(before, await RuleRowsAsync());
        Assert.Equal(settings.UpdatedAt, (await Api.DbAsync(db => db.CommissionSettings.AsNoTracking().SingleAsync())).UpdatedAt);
    }
}

public sealed class CommissionRuleTestsOnSqlite(SqliteApi fixture) : CommissionRuleTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class CommissionRuleTestsOnMySql(MySqlApi fixture) : CommissionRuleTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
