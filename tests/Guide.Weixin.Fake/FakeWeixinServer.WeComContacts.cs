using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Guide.Weixin.Fake;

public sealed partial class FakeWeixinServer
{
    private readonly Dictionary<string, FakeExternalContact> _contacts = new();
    private readonly Dictionary<string, FakeGroupChat> _groups = new();
    private readonly Dictionary<string, FakeMoment> _moments = new();

    public void AddExternalContact(FakeExternalContact contact)
    {
        lock (_lock) _contacts[contact.ExternalUserId] = contact;
    }

    public void AddGroupChat(FakeGroupChat group)
    {
        lock (_lock) _groups[group.ChatId] = group;
    }

    /// <summary>The group is gone (dismissed): groupchat/get answers 40050 from now on.</summary>
    public void RemoveGroupChat(string chatId)
    {
        lock (_lock) _groups.Remove(chatId);
    }

    public void AddMoment(FakeMoment moment)
    {
        lock (_lock) _moments[moment.MomentId] = moment;
    }

    /// <summary>Forgets every moment (a test that counts list pages starts from an empty list).</summary>
    public void ClearMoments()
    {
        lock (_lock) _moments.Clear();
    }

    private void MapWeComContacts(IEndpointRouteBuilder app)
    {
        MapWx(app, "GET", "/wecom/cgi-bin/externalcontact/get", FakeWeixinApis.ExternalContactGet, WithToken(ContactOwner, ExternalContactAsync));
        MapWx(app, "POST", "/wecom/cgi-bin/externalcontact/groupchat/get", FakeWeixinApis.GroupChatGet, WithToken(ContactOwner, GroupChatAsync));
        MapWx(app, "POST", "/wecom/cgi-bin/externalcontact/get_moment_list", FakeWeixinApis.MomentList, WithToken(ContactOwner, MomentListAsync));
        MapWx(app, "POST", "/wecom/cgi-bin/externalcontact/get_moment_comments", FakeWeixinApis.MomentComments, WithToken(ContactOwner, MomentCommentsAsync));
        MapWx(app, "GET", "/wecom/cgi-bin/get_jsapi_ticket", FakeWeixinApis.CorpJsapiTicket, WithToken(AgentOwner, ctx => TicketAsync(ctx, "corp")));
        MapWx(app, "GET", "/wecom/cgi-bin/ticket/get", FakeWeixinApis.AgentJsapiTicket, WithToken(AgentOwner, ctx =>
            ctx.Request.Query["type"] == "agent_config" ? TicketAsync(ctx, "agent") : WriteJsonAsync(ctx, Error(40058, "invalid type"))));
    }

    private readonly Dictionary<string, string> _tickets = new();

    /// <summary>The jsapi ticket the fake issued (kind "corp" or "agent"), to check a JS-SDK signature.</summary>
    public string? IssuedTicket(string kind)
    {
        lock (_lock) return _tickets.GetValueOrDefault(kind);
    }

    private Task TicketAsync(HttpContext ctx, string kind)
    {
        string ticket;
        lock (_lock)
        {
            if (!_tickets.TryGetValue(kind, out ticket!)) _tickets[kind] = ticket = "TICKET_" + kind + "_" + NewId(16);
        }
        return WriteJsonAsync(ctx, Ok(new JsonObject { ["ticket"] = ticket, ["expires_in"] = 7200 }));
    }

    private Task ExternalContactAsync(HttpContext ctx)
    {
        FakeExternalContact? contact;
        lock (_lock) contact = _contacts.GetValueOrDefault(ctx.Request.Query["external_userid"].ToString());
        if (contact is null) return WriteJsonAsync(ctx, Error(84061, "not external contact"));
        var json = new JsonObject
        {
            ["external_contact"] = new JsonObject
            {
                ["external_userid"] = contact.ExternalUserId,
                ["name"] = contact.Name,
                ["type"] = contact.Type,
                ["gender"] = contact.Gender,
                ["avatar"] = "https://wework.qpic.cn/fake/" + contact.ExternalUserId,
            },
            ["follow_user"] = new JsonArray(contact.FollowUsers.Select(f => (JsonNode)new JsonObject
            {
                ["userid"] = f.UserId,
                ["remark"] = f.Remark ?? "",
                ["createtime"] = f.CreateTime.ToUnixTimeSeconds(),
                ["tags"] = new JsonArray(),
                ["add_way"] = f.AddWay,
                ["state"] = f.State,
            }).ToArray()),
        };
        if (contact.UnionId is not null) json["external_contact"]!["unionid"] = contact.UnionId;
        return WriteJsonAsync(ctx, Ok(json));
    }

    private async Task GroupChatAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        FakeGroupChat? group;
        lock (_lock) group = _groups.GetValueOrDefault(Str(body, "chat_id") ?? "");
        if (group is null) { await WriteJsonAsync(ctx, Error(40050, "chatid not found")); return; }
        await WriteJsonAsync(ctx, Ok(new JsonObject
        {
            ["group_chat"] = new JsonObject
            {
                ["chat_id"] = group.ChatId,
                ["name"] = group.Name,
                ["owner"] = group.Owner,
                ["create_time"] = group.CreateTime.ToUnixTimeSeconds(),
                ["member_version"] = group.Members.Count.ToString(CultureInfo.InvariantCulture),
                ["member_list"] = new JsonArray(group.Members.Select(m =>
                {
                    var member = new JsonObject
                    {
                        ["userid"] = m.UserId,
                        ["type"] = m.Type,
                        ["join_time"] = m.JoinTime.ToUnixTimeSeconds(),
                        ["join_scene"] = m.JoinScene,
                    };
                    if (m.UnionId is not null) member["unionid"] = m.UnionId;
                    if (m.InvitorUserId is not null) member["invitor"] = new JsonObject { ["userid"] = m.InvitorUserId };
                    if (m.State is not null) member["state"] = m.State;
                    return (JsonNode)member;
                }).ToArray()),
            },
        }));
    }

    private async Task MomentListAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        long Num(string name) => body[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : 0;
        var start = Num("start_time");
        var end = Num("end_time");
        var limit = body["limit"] is null ? 20 : (int)Num("limit");
        if (end < start || end - start > 30 * 86400) { await WriteJsonAsync(ctx, Error(40058, "time range exceeds 30 days")); return; }
        if (limit is < 1 or > 20) { await WriteJsonAsync(ctx, Error(40058, "invalid limit")); return; }
        var creator = Str(body, "creator");
        var offset = int.TryParse(Str(body, "cursor"), out var c) ? c : 0;
        List<FakeMoment> matching;
        lock (_lock)
        {
            matching = _moments.Values
                .Where(m => m.CreateTime.ToUnixTimeSeconds() >= start && m.CreateTime.ToUnixTimeSeconds() <= end)
                .Where(m => creator is null || m.Creator == creator)
                .OrderBy(m => m.CreateTime).ThenBy(m => m.MomentId, StringComparer.Ordinal).ToList();
        }
        var page = matching.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < matching.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : "";
        await WriteJsonAsync(ctx, Ok(new JsonObject
        {
            ["next_cursor"] = next,
            ["moment_list"] = new JsonArray(page.Select(m => (JsonNode)new JsonObject
            {
                ["moment_id"] = m.MomentId,
                ["creator"] = m.Creator,
                ["create_time"] = m.CreateTime.ToUnixTimeSeconds(),
                ["create_type"] = m.CreateType,
                ["visible_type"] = 1,
                ["text"] = new JsonObject { ["content"] = m.Text ?? "" },
            }).ToArray()),
        }));
    }

    private async Task MomentCommentsAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        FakeMoment? moment;
        lock (_lock) moment = _moments.GetValueOrDefault(Str(body, "moment_id") ?? "");
        if (moment is null || string.IsNullOrEmpty(Str(body, "userid"))) { await WriteJsonAsync(ctx, Error(40058, "invalid moment_id or userid")); return; }
        static JsonArray List(IEnumerable<FakeMomentInteraction> items) => new(items.Select(i =>
        {
            var json = new JsonObject { ["create_time"] = i.CreateTime.ToUnixTimeSeconds() };
            if (i.ExternalUserId is not null) json["external_userid"] = i.ExternalUserId;
            if (i.UserId is not null) json["userid"] = i.UserId;
            return (JsonNode)json;
        }).ToArray());
        await WriteJsonAsync(ctx, Ok(new JsonObject { ["comment_list"] = List(moment.Comments), ["like_list"] = List(moment.Likes) }));
    }

    /// <summary>Decrypted XML of a <c>change_external_contact</c> event.</summary>
    public string WeComExternalContactEventXml(string changeType, string userId, string externalUserId, string? state = null,
        string? welcomeCode = null, DateTimeOffset? createTime = null)
    {
        var sb = new StringBuilder("<xml>")
            .Append(Cdata("ToUserName", _options.CorpId)).Append(Cdata("FromUserName", "sys"))
            .Append($"<CreateTime>{(createTime ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()}</CreateTime>")
            .Append(Cdata("MsgType", "event")).Append(Cdata("Event", "change_external_contact"))
            .Append(Cdata("ChangeType", changeType)).Append(Cdata("UserID", userId)).Append(Cdata("ExternalUserID", externalUserId));
        if (state is not null) sb.Append(Cdata("State", state));
        if (welcomeCode is not null) sb.Append(Cdata("WelcomeCode", welcomeCode));
        return sb.Append("</xml>").ToString();
    }

    /// <summary>Decrypted XML of a <c>change_external_chat</c> event (members as &lt;Item&gt; children).</summary>
    public string WeComExternalChatEventXml(string changeType, string chatId, string? updateDetail = null, int? joinScene = null,
        int? quitScene = null, IReadOnlyList<string>? members = null, DateTimeOffset? createTime = null)
    {
        var sb = new StringBuilder("<xml>")
            .Append(Cdata("ToUserName", _options.CorpId)).Append(Cdata("FromUserName", "sys"))
            .Append($"<CreateTime>{(createTime ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()}</CreateTime>")
            .Append(Cdata("MsgType", "event")).Append(Cdata("Event", "change_external_chat"))
            .Append(Cdata("ChatId", chatId)).Append(Cdata("ChangeType", changeType));
        if (updateDetail is not null) sb.Append(Cdata("UpdateDetail", updateDetail));
        if (joinScene is not null) sb.Append($"<JoinScene>{joinScene}</JoinScene>");
        if (quitScene is not null) sb.Append($"<QuitScene>{quitScene}</QuitScene>");
        if (members is not null)
        {
            sb.Append($"<MemChangeCnt>{members.Count}</MemChangeCnt><MemChangeList>");
            foreach (var m in members) sb.Append(Cdata("Item", m));
            sb.Append("</MemChangeList>");
        }
        return sb.Append("</xml>").ToString();
    }

    private static string Cdata(string name, string value) => $"<{name}><![CDATA[{value}]]></{name}>";

    /// <summary>
    /// Encrypts and signs an event as WeCom would deliver it to the callback URL. <paramref name="receiveId"/>
    /// (default: the fake's corp id) lets a test send what another corp's callback would carry.
    /// </summary>
    public FakeWeComCallback CreateWeComCallback(string eventXml, DateTimeOffset? timestamp = null, string? receiveId = null)
    {
        var encrypt = FakeWeixinCrypto.MsgEncrypt(_options.CallbackEncodingAesKey, receiveId ?? _options.CorpId, eventXml);
        var ts = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var body = $"<xml><ToUserName><![CDATA[{SecurityElement.Escape(_options.CorpId)}]]></ToUserName>"
                   + $"<AgentID><![CDATA[{_options.AgentId}]]></AgentID><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
        return new FakeWeComCallback(FakeWeixinCrypto.SortedSha1(_options.CallbackToken, ts, nonce, encrypt), ts, nonce, body);
    }

    /// <summary>POSTs a callback to <paramref name="url"/>; the status the receiver answered.</summary>
    public async Task<HttpStatusCode> PostWeComCallbackAsync(Uri url, FakeWeComCallback callback, CancellationToken ct = default)
    {
        using var content = new StringContent(callback.Body, Encoding.UTF8, "text/xml");
        using var response = await Sender.PostAsync(callback.AppendTo(url), content, ct).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>Encrypts an event and delivers it <paramref name="copies"/> times (WeCom retries unanswered ones).</summary>
    public async Task<IReadOnlyList<HttpStatusCode>> SendWeComCallbackAsync(Uri url, string eventXml, int copies = 1, CancellationToken ct = default)
    {
        var callback = CreateWeComCallback(eventXml);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < copies; i++) answers.Add(await PostWeComCallbackAsync(url, callback, ct).ConfigureAwait(false));
        return answers;
    }

    /// <summary>
    /// WeCom's delivery of a run of events as it may really happen: each event signed once (a retry is the same
    /// callback again), the order shuffled, some duplicated (<paramref name="duplicateRate"/>), some never delivered
    /// (<paramref name="dropRate"/>). Seeded, so a failing test can be replayed. Answers what to post, in order, and
    /// which events were dropped.
    /// </summary>
    public FakeWeComDelivery PlanWeComDelivery(IReadOnlyList<string> eventXmls, int seed, double duplicateRate = 0, double dropRate = 0)
    {
        var random = new Random(seed);
        var posts = new List<FakeWeComCallback>();
        var dropped = new List<string>();
        foreach (var xml in eventXmls)
        {
            if (random.NextDouble() < dropRate) { dropped.Add(xml); continue; }
            var callback = CreateWeComCallback(xml);
            posts.Add(callback);
            if (random.NextDouble() < duplicateRate) posts.Add(callback);
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(posts));
        return new FakeWeComDelivery(posts, dropped);
    }

    /// <summary>The URL check WeCom makes when the callback URL is saved, for a test to send itself.</summary>
    public FakeWeComUrlCheck CreateWeComUrlCheck(string? receiveId = null)
    {
        var plain = Random.Shared.NextInt64(1_000_000_000_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture);
        var echo = FakeWeixinCrypto.MsgEncrypt(_options.CallbackEncodingAesKey, receiveId ?? _options.CorpId, plain);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = NewId(5);
        return new FakeWeComUrlCheck(FakeWeixinCrypto.SortedSha1(_options.CallbackToken, ts, nonce, echo), ts, nonce, echo, plain);
    }

    /// <summary>
    /// The URL check WeCom makes when the callback URL is saved: GET with an encrypted echostr; true when the
    /// receiver answers the plaintext.
    /// </summary>
    public async Task<bool> VerifyWeComCallbackUrlAsync(Uri url, CancellationToken ct = default)
    {
        var plain = Random.Shared.NextInt64(1_000_000_000_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture);
        var echo = FakeWeixinCrypto.MsgEncrypt(_options.CallbackEncodingAesKey, _options.CorpId, plain);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = NewId(5);
        var signature = FakeWeixinCrypto.SortedSha1(_options.CallbackToken, ts, nonce, echo);
        var separator = url.Query.Length > 0 ? "&" : "?";
        var target = new Uri($"{url}{separator}msg_signature={signature}&timestamp={ts}&nonce={nonce}&echostr={Uri.EscapeDataString(echo)}");
        using var response = await Sender.GetAsync(target, ct).ConfigureAwait(false);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim() == plain;
    }
}
