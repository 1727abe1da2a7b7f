using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// Issue 20, the consent side: the shopper's marketing consent per channel and guide contact (only they change it), their
/// accepted subscribe templates (+1 each, racing calls add up, an unknown id writes nothing), HQ's templates (keys, unique
/// external id and purpose per channel), the guide's WeCom messages (their own, marking sent once), and who may call each route.
/// </summary>
public abstract class MessageConsentTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private static object Template(string? externalId = null, string channel = "subscribe", string kind = "account", string[]? keys = null,
        string? purpose = null, string name = "积分变动") =>
        new { name, channel, kind, externalId = externalId ?? ApiFixture.Unique("tmpl"), keys = keys ?? ["thing1", "time2", "number3"], page = "pages/index", purpose };

    private async Task<JsonElement> CreateTemplateAsync(HttpClient hq, object body)
    {
        var response = await hq.PostAsJsonAsync("/api/admin/message-templates", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private Task<int> TemplateCountAsync() => Api.DbAsync(db => db.MessageTemplates.CountAsync());

    [SkippableFact]
    public async Task A_shopper_is_subscribed_by_default_and_changes_only_what_they_give()
    {
        var member = await Api.LogInMemberAsync();
        var client = Api.Client(member.Token);
        var initial = await (await client.GetAsync("/api/mp/me/subscriptions")).JsonAsync();
        Assert.True(initial.GetProperty("subscribe").GetBoolean());
        Assert.True(initial.GetProperty("weCom").GetBoolean());
        Assert.True(initial.GetProperty("sms").GetBoolean());
        Assert.True(initial.GetProperty("guideContact").GetBoolean());
        Assert.Equal(JsonValueKind.Null, initial.GetProperty("updatedAt").ValueKind);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var changed = await client.PutAsJsonAsync("/api/mp/me/subscriptions", new { sms = false });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var body = await changed.JsonAsync();
        Assert.Equal((true, true, false, true), (body.GetProperty("subscribe").GetBoolean(), body.GetProperty("weCom").GetBoolean(),
            body.GetProperty("sms").GetBoolean(), body.GetProperty("guideContact").GetBoolean()));
        Assert.True(body.GetProperty("updatedAt").GetDateTimeOffset() >= before);

        body = await (await client.PutAsJsonAsync("/api/mp/me/subscriptions", new { weCom = false, guideContact = false })).JsonAsync();
        Assert.Equal((true, false, false, false), (body.GetProperty("subscribe").GetBoolean(), body.GetProperty("weCom").GetBoolean(),
            body.GetProperty("sms").GetBoolean(), body.GetProperty("guideContact").GetBoolean()));
        var row = await Api.DbAsync(db => db.MemberMessageConsents.AsNoTracking().SingleAsync(c => c.MemberId == member.Id));
        Assert.Equal((true, false, false), (row.SubscribeMarketing, row.WeComMarketing, row.SmsMarketing));
        Assert.False(await Api.DbAsync(db => db.Members.Where(m => m.Id == member.Id).Select(m => m.GuideContactConsent).SingleAsync()));

        // Re-subscribing is the member's own act too; an empty body changes nothing.
        body = await (await client.PutAsJsonAsync("/api/mp/me/subscriptions", new { sms = true, guideContact = true })).JsonAsync();
        Assert.True(body.GetProperty("sms").GetBoolean());
        Assert.True(body.GetProperty("guideContact").GetBoolean());
        Assert.False(body.GetProperty("weCom").GetBoolean());
        var unchanged = await (await client.PutAsJsonAsync("/api/mp/me/subscriptions", new { })).JsonAsync();
        Assert.Equal(body.GetProperty("updatedAt").GetDateTimeOffset(), unchanged.GetProperty("updatedAt").GetDateTimeOffset());
        await AssertProblemAsync(await client.PutAsync("/api/mp/me/subscriptions", new StringContent("{\"sms\":\"nope\"}", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "request.malformed");
        // Another shopper's preferences are theirs alone.
        var other = await (await Api.Client((await Api.LogInMemberAsync()).Token).GetAsync("/api/mp/me/subscriptions")).JsonAsync();
        Assert.True(other.GetProperty("weCom").GetBoolean());
    }

    [SkippableFact]
    public async Task Accepted_templates_add_one_message_each_racing_calls_add_up_and_unknown_ids_write_nothing()
    {
        var hq = await HqAsync();
        var first = (await CreateTemplateAsync(hq, Template())).GetProperty("externalId").GetString()!;
        var second = (await CreateTemplateAsync(hq, Template(kind: "service"))).GetProperty("externalId").GetString()!;
        var sms = (await CreateTemplateAsync(hq, Template(channel: "sms", keys: ["code1"]))).GetProperty("externalId").GetString()!;
        var retired = await CreateTemplateAsync(hq, Template());
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/admin/message-templates/{retired.GetProperty("id").GetGuid()}/deactivate", null)).StatusCode);
        var member = await Api.LogInMemberAsync();
        var client = Api.Client(member.Token);
        Task<HttpResponseMessage> AcceptAsync(params string[] ids) => client.PostAsJsonAsync("/api/mp/me/subscriptions/accepted", new { templateIds = ids });

        var statuses = await Task.WhenAll(AcceptAsync(first, second), AcceptAsync(first));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
        Task<int> RemainingAsync(string id) => Api.DbAsync(db => db.SubscribeQuotas.Where(q => q.MemberId == member.Id && q.WeixinTemplateId == id)
            .Select(q => q.Remaining).SingleAsync());
        Assert.Equal(2, await RemainingAsync(first));
        Assert.Equal(1, await RemainingAsync(second));
        var view = await (await client.GetAsync("/api/mp/me/subscriptions")).JsonAsync();
        var quotas = view.GetProperty("quotas").EnumerateArray().ToDictionary(q => q.GetProperty("templateId").GetString()!, q => q.GetProperty("remaining").GetInt32());
        Assert.Equal(2, quotas[first]);
        Assert.Equal(1, quotas[second]);
        Assert.DoesNotContain(sms, quotas.Keys); // SMS templates are not accepted in the mini program
        Assert.DoesNotContain(retired.GetProperty("externalId").GetString()!, quotas.Keys);

        // Unknown, SMS or retired ids: refused whole, the known one in the same call is not counted either.
        foreach (var bad in new[] { "no-such-template", sms, retired.GetProperty("externalId").GetString()! })
        {
            var problem = await AssertProblemAsync(await AcceptAsync(first, bad), HttpStatusCode.BadRequest, "message.unknown_template");
            Assert.Equal(bad, Assert.Single(problem.GetProperty("templateIds").EnumerateArray()).GetString());
        }
        await AssertProblemAsync(await AcceptAsync(), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await AcceptAsync(Enumerable.Repeat(first, 21).ToArray()), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await AcceptAsync(""), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/mp/me/subscriptions/accepted", new { }), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(2, await RemainingAsync(first));
        Assert.Equal(2, await Api.DbAsync(db => db.SubscribeQuotas.CountAsync(q => q.MemberId == member.Id)));

        // Put back in use, the retired template is accepted again.
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/admin/message-templates/{retired.GetProperty("id").GetGuid()}/activate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(retired.GetProperty("externalId").GetString()!)).StatusCode);
        Assert.Equal(1, await RemainingAsync(retired.GetProperty("externalId").GetString()!));
    }

    [SkippableFact]
    public async Task HQ_keeps_templates_with_wechat_keys_one_external_id_and_one_purpose_per_channel()
    {
        var hq = await HqAsync();
        var externalId = ApiFixture.Unique("tmpl");
        var created = await CreateTemplateAsync(hq, Template(externalId, keys: ["thing1", "time2", "character_string3", "amount4"], purpose: "pickup_ready"));
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("subscribe", created.GetProperty("channel").GetString());
        Assert.Equal("pickup_ready", created.GetProperty("purpose").GetString());
        Assert.Equal(new[] { "thing1", "time2", "character_string3", "amount4" }, created.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal(id, (await (await hq.GetAsync($"/api/admin/message-templates/{id}")).JsonAsync()).GetProperty("id").GetGuid());
        var list = await (await hq.GetAsync("/api/admin/message-templates?channel=subscribe&active=true&pageSize=100")).JsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);

        // The same external id on the other channel is another template; on this channel it is taken. So is the purpose.
        var count = await TemplateCountAsync();
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/message-templates", Template(externalId)), HttpStatusCode.Conflict, "message_template.external_id_taken");
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/message-templates", Template(purpose: "pickup_ready")), HttpStatusCode.Conflict, "message_template.purpose_taken");
        foreach (var bad in new object[]
                 {
                     Template(keys: ["thing"]), Template(keys: ["1thing"]), Template(keys: ["thing-1"]), Template(keys: []), Template(keys: ["thing1", "thing1"]),
                     Template(channel: "we_com"), Template(name: ""), Template(externalId: " x"), Template(kind: "promo"),
                     Template(keys: Enumerable.Range(1, 21).Select(i => $"thing{i}").ToArray()),
                 })
        {
            var response = await hq.PostAsJsonAsync("/api/admin/message-templates", bad);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
            var code = (await response.JsonAsync()).GetProperty("code").GetString();
            Assert.True(code is "request.validation_failed" or "request.malformed", code);
        }
        Assert.Equal(count, await TemplateCountAsync());
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/admin/message-templates", Template(externalId, channel: "sms", keys: ["code1"]))).StatusCode);

        // Update replaces the terms (the channel stays); another template's external id or purpose is refused.
        var other = await CreateTemplateAsync(hq, Template());
        var updated = await hq.PutAsJsonAsync($"/api/admin/message-templates/{id}", new { name = "到店自提", kind = "service", externalId, keys = new[] { "thing1" }, purpose = "pickup_ready" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("service", (await updated.JsonAsync()).GetProperty("kind").GetString());
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/message-templates/{other.GetProperty("id").GetGuid()}",
            new { name = "x", kind = "account", externalId, keys = new[] { "thing1" } }), HttpStatusCode.Conflict, "message_template.external_id_taken");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/message-templates/{other.GetProperty("id").GetGuid()}",
            new { name = "x", kind = "account", externalId = ApiFixture.Unique("t"), keys = new[] { "thing1" }, purpose = "pickup_ready" }), HttpStatusCode.Conflict, "message_template.purpose_taken");
        await AssertProblemAsync(await hq.PutAsJsonAsync($"/api/admin/message-templates/{Guid.NewGuid()}",
            new { name = "x", kind = "account", externalId = "y", keys = new[] { "thing1" } }), HttpStatusCode.NotFound, "message_template.not_found");
        await AssertProblemAsync(await hq.GetAsync($"/api/admin/message-templates/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "message_template.not_found");

        // Deactivating frees the purpose for another template.
        var deactivated = await (await hq.PostAsync($"/api/admin/message-templates/{id}/deactivate", null)).JsonAsync();
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Null, deactivated.GetProperty("purpose").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/admin/message-templates/{id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/admin/message-templates", Template(purpose: "pickup_ready"))).StatusCode);
        await AssertProblemAsync(await hq.PostAsync($"/api/admin/message-templates/{Guid.NewGuid()}/deactivate", null), HttpStatusCode.NotFound, "message_template.not_found");

        // A retired template can be put back (its external id stayed its own, so no new template could take it); its purpose is not
        // given back (another template took it meanwhile).
        await AssertProblemAsync(await hq.PostAsJsonAsync("/api/admin/message-templates", Template(externalId, channel: "subscribe")),
            HttpStatusCode.Conflict, "message_template.external_id_taken");
        var activated = await (await hq.PostAsync($"/api/admin/message-templates/{id}/activate", null)).JsonAsync();
        Assert.True(activated.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Null, activated.GetProperty("purpose").ValueKind);
        Assert.True((await (await hq.GetAsync($"/api/admin/message-templates/{id}")).JsonAsync()).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/admin/message-templates/{id}/activate", null)).StatusCode);
        await AssertProblemAsync(await hq.PostAsync($"/api/admin/message-templates/{Guid.NewGuid()}/activate", null), HttpStatusCode.NotFound, "message_template.not_found");
    }

    private async Task<OutboundMessage> AwaitingAsync(Guid memberId, Guid? guideId, MessageStatus status = MessageStatus.AwaitingGuide)
    {
        var message = new OutboundMessage(memberId, MessageChannel.WeCom, MessageKind.Marketing, ApiFixture.Unique("test"), null, null, "新品到店，欢迎来看看",
            null, null, 0, DateTimeOffset.UtcNow.AddMinutes(-5)) { Status = status, GuideId = guideId, GatedAt = DateTimeOffset.UtcNow.AddMinutes(-1) };
        await Api.InScopeAsync(async db => { db.OutboundMessages.Add(message); await db.SaveChangesAsync(); });
        return message;
    }

    [SkippableFact]
    public async Task A_guide_sees_their_awaiting_wecom_messages_and_marks_each_sent_once()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var other = await Api.CreateGuideAsync(store.Id);
        var member = await Api.LogInMemberAsync();
        var first = await AwaitingAsync(member.Id, guide.Id);
        var second = await AwaitingAsync(member.Id, guide.Id);
        var others = await AwaitingAsync(member.Id, other.Id);
        var queued = await AwaitingAsync(member.Id, guide.Id, MessageStatus.Queued);
        var client = Api.Client((await Api.LogInGuideAsync(guide)).Token);

        var page = await (await client.GetAsync("/api/guide/messages?pageSize=1")).JsonAsync();
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("awaiting_guide", item.GetProperty("status").GetString());
        Assert.Equal("marketing", item.GetProperty("kind").GetString());
        Assert.Equal("新品到店，欢迎来看看", item.GetProperty("text").GetString());
        Assert.Equal(member.Id, item.GetProperty("member").GetProperty("id").GetGuid());
        var all = await (await client.GetAsync("/api/guide/messages")).JsonAsync();
        Assert.Equal(new[] { first.Id, second.Id }.Order(), all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Order());

        var sent = await client.PostAsync($"/api/guide/messages/{first.Id}/sent", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal("sent", (await sent.JsonAsync()).GetProperty("status").GetString());
        var row = await Api.DbAsync(db => db.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == first.Id));
        Assert.Equal(MessageStatus.Sent, row.Status);
        Assert.NotNull(row.SentAt);
        await AssertProblemAsync(await client.PostAsync($"/api/guide/messages/{first.Id}/sent", null), HttpStatusCode.Conflict, "message.not_awaiting");
        await AssertProblemAsync(await client.PostAsync($"/api/guide/messages/{queued.Id}/sent", null), HttpStatusCode.Conflict, "message.not_awaiting");
        await AssertProblemAsync(await client.PostAsync($"/api/guide/messages/{others.Id}/sent", null), HttpStatusCode.Forbidden, "message.not_yours");
        await AssertProblemAsync(await client.PostAsync($"/api/guide/messages/{Guid.NewGuid()}/sent", null), HttpStatusCode.NotFound, "message.not_found");
        Assert.Equal(MessageStatus.AwaitingGuide, await Api.DbAsync(db => db.OutboundMessages.Where(m => m.Id == others.Id).Select(m => m.Status).SingleAsync()));
        Assert.Equal(MessageStatus.Queued, await Api.DbAsync(db => db.OutboundMessages.Where(m => m.Id == queued.Id).Select(m => m.Status).SingleAsync()));
        Assert.Equal([second.Id], (await (await client.GetAsync("/api/guide/messages")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).ToArray());

        // Two racing marks of one message: one wins.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ => (await client.PostAsync($"/api/guide/messages/{second.Id}/sent", null)).StatusCode));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses.Order().ToArray());

        // A guide deactivated after logging in: their token no longer reads or marks anything.
        var third = await AwaitingAsync(member.Id, other.Id);
        var otherClient = Api.Client((await Api.LogInGuideAsync(other)).Token);
        await Api.InScopeAsync(async db =>
        {
            var g = await db.Guides.FindAsync(other.Id);
            g!.Update(g.Name, g.StoreId, g.Role, g.ManagedAreas, g.Mobile, active: false);
            await db.SaveChangesAsync();
        });
        await AssertProblemAsync(await otherClient.GetAsync("/api/guide/messages"), HttpStatusCode.Forbidden, "guide.inactive");
        await AssertProblemAsync(await otherClient.PostAsync($"/api/guide/messages/{third.Id}/sent", null), HttpStatusCode.Forbidden, "guide.inactive");
        Assert.Equal(MessageStatus.AwaitingGuide, await Api.DbAsync(db => db.OutboundMessages.Where(m => m.Id == third.Id).Select(m => m.Status).SingleAsync()));
    }

    [SkippableFact]
    public async Task Every_route_refuses_other_audiences_and_anonymous_callers()
    {
        var store = await Api.CreateStoreAsync();
        var guideAccount = await Api.CreateGuideAsync(store.Id);
        var member = await Api.LogInMemberAsync();
        var message = await AwaitingAsync(member.Id, guideAccount.Id);
        var shopper = member.Token;
        var hq = (await Api.LogInAdminAsync()).Token;
        var guide = (await Api.LogInGuideAsync(guideAccount)).Token;
        var template = Guid.NewGuid();
        var routes = new (string Audience, HttpMethod Method, string Url, object? Body)[]
        {
            ("mp", HttpMethod.Get, "/api/mp/me/subscriptions", null), ("mp", HttpMethod.Put, "/api/mp/me/subscriptions", new { sms = false }),
            ("mp", HttpMethod.Post, "/api/mp/me/subscriptions/accepted", new { templateIds = new[] { "x" } }),
            ("guide", HttpMethod.Get, "/api/guide/messages", null), ("guide", HttpMethod.Post, $"/api/guide/messages/{message.Id}/sent", null),
            ("hq", HttpMethod.Get, "/api/admin/message-templates", null), ("hq", HttpMethod.Get, $"/api/admin/message-templates/{template}", null),
            ("hq", HttpMethod.Post, "/api/admin/message-templates", Template()), ("hq", HttpMethod.Put, $"/api/admin/message-templates/{template}", Template()),
            ("hq", HttpMethod.Post, $"/api/admin/message-templates/{template}/deactivate", null),
            ("hq", HttpMethod.Post, $"/api/admin/message-templates/{template}/activate", null),
        };
        var count = await TemplateCountAsync();
        foreach (var route in routes)
        {
            foreach (var (audience, token) in new[] { ("mp", shopper), ("guide", guide), ("hq", hq), ("none", (string?)null) })
            {
                if (audience == route.Audience) continue;
                var client = token is null ? Api.Client() : Api.Client(token);
                var response = await client.SendAsync(new HttpRequestMessage(route.Method, route.Url) { Content = route.Body is null ? null : JsonContent.Create(route.Body) });
                await AssertProblemAsync(response, HttpStatusCode.Unauthorized, token is null ? "auth.unauthenticated" : "auth.invalid_token");
            }
        }
        Assert.Equal(count, await TemplateCountAsync());
        Assert.Equal(MessageStatus.AwaitingGuide, await Api.DbAsync(db => db.OutboundMessages.Where(m => m.Id == message.Id).Select(m => m.Status).SingleAsync()));
        Assert.False(await Api.DbAsync(db => db.MemberMessageConsents.AnyAsync(c => c.MemberId == member.Id)));
        Assert.False(await Api.DbAsync(db => db.SubscribeQuotas.AnyAsync(q => q.MemberId == member.Id)));
    }
}

public sealed class MessageConsentTestsOnSqlite(SqliteApi fixture) : MessageConsentTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class MessageConsentTestsOnMySql(MySqlApi fixture) : MessageConsentTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
