using System.Net;
using System.Text;
using Guide.Api.Tests.Support;
using Guide.Domain.GroupActions;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Weixin;

/// <summary>
/// The WeCom callback URL: URL verification, verified events stored once by their deduplication key (also when
/// delivered ten times at once), everything forged, replayed or unreadable refused without a row, and the
/// processing run applying each event once.
/// </summary>
public abstract class WeComCallbackTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Url = "/webhooks/wecom";

    private async Task<HttpResponseMessage> PostAsync(FakeWeComCallback callback, string? body = null)
    {
        using var content = new StringContent(body ?? callback.Body, Encoding.UTF8, "text/xml");
        return await Api.Client().PostAsync(callback.PathAndQuery(Url), content);
    }

    private static async Task AssertSuccessAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
    }

    private Task<string> ProcessAsync() =>
        Api.InScopeAsync(sp => sp.GetRequiredService<WeComEventProcessingRun>().RunAsync(CancellationToken.None));

    private Task<List<WeComEvent>> EventsOfAsync(string externalUserId) =>
        Api.DbAsync(db => db.WeComEvents.AsNoTracking().Where(e => e.ExternalUserId == externalUserId).ToListAsync());

    private Task<List<WeComExternalContact>> ContactsOfAsync(string externalUserId) =>
        Api.DbAsync(db => db.WeComExternalContacts.AsNoTracking().Where(c => c.ExternalUserId == externalUserId).ToListAsync());

    private string ContactXml(string changeType, string guide, string customer, string? state = null, DateTimeOffset? at = null) =>
        Api.Weixin.WeComExternalContactEventXml(changeType, guide, customer, state, createTime: at);

    [SkippableFact]
    public async Task Url_verification_answers_the_decrypted_echostr()
    {
        var check = Api.Weixin.CreateWeComUrlCheck();
        var response = await Api.Client().GetAsync(check.PathAndQuery(Url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(check.Plain, await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Url_verification_with_a_forged_signature_or_another_receive_id_is_refused()
    {
        var check = Api.Weixin.CreateWeComUrlCheck();
        var forged = await Api.Client().GetAsync((check with { MsgSignature = new string('0', 40) }).PathAndQuery(Url));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.DoesNotContain(check.Plain, await forged.Content.ReadAsStringAsync());

        var otherCorp = Api.Weixin.CreateWeComUrlCheck(receiveId: "wwsomeothercorp");
        var refused = await Api.Client().GetAsync(otherCorp.PathAndQuery(Url));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(otherCorp.Plain, await refused.Content.ReadAsStringAsync());

        var missing = await Api.Client().GetAsync(Url + "?timestamp=1&nonce=2");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [SkippableFact]
    public async Task The_same_callback_ten_times_at_once_stores_one_event_and_makes_one_relation()
    {
        var (guide, customer) = (ApiFixture.Unique("guide"), ApiFixture.Unique("wm"));
        var callback = Api.Weixin.CreateWeComCallback(ContactXml("add_external_contact", guide, customer, state: "g:qr1"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync(callback)));
        foreach (var answer in answers) await AssertSuccessAsync(answer);

        var stored = Assert.Single(await EventsOfAsync(customer));
        Assert.Equal("add_external_contact", stored.ChangeType);
        Assert.Equal(guide, stored.UserId);
        Assert.Equal("g:qr1", stored.State);
        Assert.Null(stored.ProcessedAt);

        await ProcessAsync();
        var contact = Assert.Single(await ContactsOfAsync(customer));
        Assert.Equal(guide, contact.UserId);
        Assert.Equal("g:qr1", contact.State);
        Assert.True(contact.Active);

        // WeCom retries later too: still one event, still one relation.
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(ContactXml("add_external_contact", guide, customer, state: "g:qr1",
            at: stored.CreatedAt))));
        await ProcessAsync();
        Assert.Single(await EventsOfAsync(customer));
        Assert.Single(await ContactsOfAsync(customer));
    }

    [SkippableFact]
    public async Task Forged_replayed_foreign_unreadable_and_oversized_callbacks_are_refused_and_store_nothing()
    {
        var (guide, customer) = (ApiFixture.Unique("guide"), ApiFixture.Unique("wm"));
        var xml = ContactXml("add_external_contact", guide, customer);
        var genuine = Api.Weixin.CreateWeComCallback(xml);

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(genuine with { MsgSignature = new string('a', 40) })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(genuine, genuine.Body.Replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[QUFB", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Api.Weixin.CreateWeComCallback(xml, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Api.Weixin.CreateWeComCallback(xml, DateTimeOffset.UtcNow.AddMinutes(10)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Api.Weixin.CreateWeComCallback(xml, receiveId: "wwsomeothercorp"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(genuine, "not xml at all")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(Api.Weixin.CreateWeComCallback("<xml><Event>change_external_contact"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(Api.Weixin.CreateWeComCallback(
            ContactXml("add_external_contact", new string('g', 500), customer)))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(genuine, genuine.Body + new string(' ', 70 * 1024))).StatusCode);

        Assert.Empty(await EventsOfAsync(customer));
        await ProcessAsync();
        Assert.Empty(await ContactsOfAsync(customer));
    }

    [SkippableFact]
    public async Task An_unknown_event_kind_is_answered_success_and_stored_for_nothing()
    {
        var before = await Api.DbAsync(db => db.WeComEvents.CountAsync());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var tag = $"<xml><ToUserName><![CDATA[corp]]></ToUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                  + "<Event><![CDATA[change_external_tag]]></Event><ChangeType><![CDATA[create]]></ChangeType><Id><![CDATA[et1]]></Id></xml>";
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(tag)));
        var customer = ApiFixture.Unique("wm");
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(ContactXml("frobnicate_contact", "g", customer))));

        Assert.Equal(before, await Api.DbAsync(db => db.WeComEvents.CountAsync()));
        await ProcessAsync();
        Assert.Empty(await ContactsOfAsync(customer));
    }

    [SkippableFact]
    public async Task Added_then_deleted_leaves_the_relation_with_its_deletion_in_any_order()
    {
        var (guide, customer, other) = (ApiFixture.Unique("guide"), ApiFixture.Unique("wm"), ApiFixture.Unique("wm"));
        var added = DateTimeOffset.UtcNow.AddMinutes(-3);
        var deleted = DateTimeOffset.UtcNow.AddMinutes(-1);
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(ContactXml("add_external_contact", guide, customer, "s1", added))));
        await ProcessAsync();
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(ContactXml("del_follow_user", guide, customer, at: deleted))));
        // The other customer's events arrive reversed (the deletion first): the same end state.
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(ContactXml("del_external_contact", guide, other, at: deleted))));
        await ProcessAsync();
        await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(ContactXml("add_external_contact", guide, other, "s1", added))));
        await ProcessAsync();

        var contact = Assert.Single(await ContactsOfAsync(customer));
        Assert.Equal(added.ToUnixTimeSeconds(), contact.AddedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(deleted.ToUnixTimeSeconds(), contact.DeletedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal("customer", contact.DeletedBy);
        Assert.False(contact.Active);

        var reversed = Assert.Single(await ContactsOfAsync(other));
        Assert.Equal(deleted.ToUnixTimeSeconds(), reversed.DeletedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal("guide", reversed.DeletedBy);
        Assert.Equal("s1", reversed.State);
        Assert.False(reversed.Active);
    }

    [SkippableFact]
    public async Task Processing_twice_or_concurrently_applies_each_event_once()
    {
        var (guide, customer, chat) = (ApiFixture.Unique("guide"), ApiFixture.Unique("wm"), ApiFixture.Unique("wr"));
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        foreach (var xml in new[]
                 {
                     ContactXml("add_half_external_contact", guide, customer, "s2", at),
                     ContactXml("transfer_fail", guide, customer, at: at.AddSeconds(1)),
                     Api.Weixin.WeComExternalChatEventXml("create", chat, createTime: at),
                     Api.Weixin.WeComExternalChatEventXml("update", chat, "add_member", joinScene: 3, members: [customer], createTime: at.AddSeconds(2)),
                     Api.Weixin.WeComExternalChatEventXml("update", chat, "del_member", quitScene: 0, members: [customer], createTime: at.AddSeconds(3)),
                 })
            await AssertSuccessAsync(await PostAsync(Api.Weixin.CreateWeComCallback(xml)));

        // Two instances' runs at once: each event is claimed by one of them.
        await Task.WhenAll(ProcessAsync(), ProcessAsync());
        var events = await Api.DbAsync(db => db.WeComEvents.AsNoTracking().Where(e => e.ExternalUserId == customer || e.ChatId == chat).ToListAsync());
        Assert.Equal(5, events.Count);
        Assert.All(events, e => { Assert.NotNull(e.ProcessedAt); Assert.Equal(1, e.Attempts); });
        Assert.Equal(WeComEventOutcome.Ignored, Assert.Single(events, e => e.ChangeType == "transfer_fail").Outcome);
        var join = Assert.Single(events, e => e.UpdateDetail == "add_member");
        Assert.Equal((3, 1), (join.JoinScene, join.MemChangeCount));

        async Task<string> SnapshotAsync() => await Api.DbAsync(async db =>
            System.Text.Json.JsonSerializer.Serialize(new
            {
                contacts = await db.WeComExternalContacts.AsNoTracking().Where(c => c.ExternalUserId == customer).ToListAsync(),
                groups = await db.WeComCustomerGroups.AsNoTracking().Where(g => g.ChatId == chat).ToListAsync(),
                events = (await db.WeComEvents.AsNoTracking().Where(e => e.ExternalUserId == customer || e.ChatId == chat).ToListAsync())
                    .OrderBy(e => e.Id).Select(e => new { e.Id, e.ProcessedAt, e.Attempts, e.Outcome }),
            }));
        var first = await SnapshotAsync();
        await ProcessAsync();
        foreach (var e in events) Assert.Null(await Api.SendAsync(new ProcessWeComEvent(e.Id)));
        Assert.Equal(first, await SnapshotAsync());

        var contact = Assert.Single(await ContactsOfAsync(customer));
        Assert.True(contact is { Active: true, HalfAdded: true, State: "s2" });
        var group = Assert.Single(await Api.DbAsync(db => db.WeComCustomerGroups.AsNoTracking().Where(g => g.ChatId == chat).ToListAsync()));
        Assert.True(group is { NeedsReconcile: true, OwnerUserId: null, DismissedAt: null });
    }
}

public sealed class WeComCallbackTestsOnSqlite(SqliteApi fixture) : WeComCallbackTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class WeComCallbackTestsOnMySql(MySqlApi fixture) : WeComCallbackTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
