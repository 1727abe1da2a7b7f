using System.Text.Json.Nodes;
using Guide.Weixin.Http;
using Guide.Weixin.Tokens;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.WeCom;

/// <summary>Which WeCom secret a call needs; each secret has its own access token.</summary>
public enum WeComSecretKind
{
    /// <summary>The self-built app's secret (OAuth, JS-SDK, sidebar).</summary>
    Agent,
    /// <summary>The customer-contact secret (external contacts, groups, moments).</summary>
    Contact,
}

/// <summary><see cref="IWeComClient"/> over HTTP; tokens from <c>/cgi-bin/gettoken</c>, one per secret.</summary>
public sealed class WeComClient : IWeComClient
{
    private readonly IHttpClientFactory _http;
    private readonly IOptionsMonitor<WeixinOptions> _options;
    private readonly WeixinCallPolicy _policy;
    private readonly TimeProvider _time;

    internal WeComClient(IHttpClientFactory http, IOptionsMonitor<WeixinOptions> options, WeixinCallPolicy policy, TimeProvider time)
    {
        _http = http;
        _options = options;
        _policy = policy;
        _time = time;
    }

    private WeComOptions Options => _options.CurrentValue.WeCom;
    private HttpClient Client() => _http.CreateClient(WeixinHttpClientNames.WeCom);

    public Task<WeComOAuthIdentity> GetUserInfoAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        return GetAsync(WeComSecretKind.Agent, "getuserinfo", "cgi-bin/auth/getuserinfo", [("code", code)], json =>
            new WeComOAuthIdentity(
                WeixinHttp.OptionalString(json, "userid") ?? WeixinHttp.OptionalString(json, "UserId"),
                WeixinHttp.OptionalString(json, "openid") ?? WeixinHttp.OptionalString(json, "OpenId"),
                WeixinHttp.OptionalString(json, "external_userid")), cancellationToken);
    }

    public Task<WeComExternalContact> GetExternalContactAsync(string externalUserId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalUserId);
        return GetAsync(WeComSecretKind.Contact, "externalcontact/get", "cgi-bin/externalcontact/get",
            [("external_userid", externalUserId)], json =>
            {
                var c = json["external_contact"] as JsonObject
                        ?? throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "no external_contact", "externalcontact/get");
                var follow = (json["follow_user"] as JsonArray ?? []).OfType<JsonObject>().Select(f => new WeComFollowUser(
                    WeixinHttp.OptionalString(f, "userid") ?? "",
                    DateTimeOffset.FromUnixTimeSeconds(WeixinHttp.OptionalLong(f, "createtime")),
                    WeixinHttp.OptionalString(f, "state"),
                    WeixinHttp.OptionalInt(f, "add_way"),
                    WeixinHttp.OptionalString(f, "remark"),
                    (f["tags"] as JsonArray ?? []).OfType<JsonObject>().Select(t => new WeComTag(
                        WeixinHttp.OptionalString(t, "group_name"), WeixinHttp.OptionalString(t, "tag_name"),
                        WeixinHttp.OptionalString(t, "tag_id"), WeixinHttp.OptionalInt(t, "type"))).ToList())).ToList();
                return new WeComExternalContact(
                    WeixinHttp.OptionalString(c, "external_userid") ?? externalUserId,
                    WeixinHttp.OptionalString(c, "name") ?? "",
                    WeixinHttp.OptionalInt(c, "type"),
                    WeixinHttp.OptionalInt(c, "gender"),
                    WeixinHttp.OptionalString(c, "unionid"),
                    WeixinHttp.OptionalString(c, "avatar"),
                    follow);
            }, cancellationToken);
    }

    public Task<WeComGroupChat> GetGroupChatAsync(string chatId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(chatId);
        const string api = "groupchat/get";
        return PostAsync(WeComSecretKind.Contact, api, "cgi-bin/externalcontact/groupchat/get",
            new { chat_id = chatId, need_name = 1 }, json =>
            {
                var g = json["group_chat"] as JsonObject
                        ?? throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "no group_chat", api);
                var members = (g["member_list"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new WeComGroupMember(
                    WeixinHttp.OptionalString(m, "userid") ?? "",
                    WeixinHttp.OptionalInt(m, "type"),
                    WeixinHttp.OptionalString(m, "unionid"),
                    DateTimeOffset.FromUnixTimeSeconds(WeixinHttp.OptionalLong(m, "join_time")),
                    WeixinHttp.OptionalInt(m, "join_scene"),
                    WeixinHttp.OptionalString(m["invitor"], "userid"),
                    WeixinHttp.OptionalString(m, "state"),
                    WeixinHttp.OptionalString(m, "group_nickname"),
                    WeixinHttp.OptionalString(m, "name"))).ToList();
                return new WeComGroupChat(
                    WeixinHttp.OptionalString(g, "chat_id") ?? chatId,
                    WeixinHttp.OptionalString(g, "name"),
                    WeixinHttp.OptionalString(g, "owner") ?? "",
                    DateTimeOffset.FromUnixTimeSeconds(WeixinHttp.OptionalLong(g, "create_time")),
                    WeixinHttp.OptionalString(g, "notice"),
                    members,
                    WeixinHttp.OptionalString(g, "member_version"));
            }, cancellationToken);
    }

    public Task<WeComMomentPage> GetMomentListAsync(WeComMomentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Limits of get_moment_list; checked here so that a bad query fails before it costs a call.
        if (query.EndTime < query.StartTime || query.EndTime - query.StartTime > TimeSpan.FromDays(30))
            throw new ArgumentException("the moment list spans at most 30 days", nameof(query));
        if (query.Limit is < 1 or > 20)
            throw new ArgumentException("limit is 1 to 20", nameof(query));
        var body = new Dictionary<string, object>
        {
            ["start_time"] = query.StartTime.ToUnixTimeSeconds(),
            ["end_time"] = query.EndTime.ToUnixTimeSeconds(),
            ["filter_type"] = query.FilterType,
            ["limit"] = query.Limit,
        };
        if (query.Creator is not null) body["creator"] = query.Creator;
        if (query.Cursor is not null) body["cursor"] = query.Cursor;
        return PostAsync(WeComSecretKind.Contact, "get_moment_list", "cgi-bin/externalcontact/get_moment_list", body, json =>
            new WeComMomentPage(
                (json["moment_list"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new WeComMoment(
                    WeixinHttp.OptionalString(m, "moment_id") ?? "",
                    WeixinHttp.OptionalString(m, "creator"),
                    DateTimeOffset.FromUnixTimeSeconds(WeixinHttp.OptionalLong(m, "create_time")),
                    WeixinHttp.OptionalInt(m, "create_type"),
                    WeixinHttp.OptionalInt(m, "visible_type"),
                    WeixinHttp.OptionalString(m["text"], "content"))).ToList(),
                WeixinHttp.OptionalString(json, "next_cursor")), cancellationToken);
    }

    public Task<WeComMomentInteractions> GetMomentCommentsAsync(string momentId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(momentId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        static IReadOnlyList<WeComMomentInteraction> Read(JsonNode? list) =>
            (list as JsonArray ?? []).OfType<JsonObject>().Select(i => new WeComMomentInteraction(
                WeixinHttp.OptionalString(i, "external_userid"),
                WeixinHttp.OptionalString(i, "userid"),
                DateTimeOffset.FromUnixTimeSeconds(WeixinHttp.OptionalLong(i, "create_time")))).ToList();
        return PostAsync(WeComSecretKind.Contact, "get_moment_comments", "cgi-bin/externalcontact/get_moment_comments",
            new { moment_id = momentId, userid = userId },
            json => new WeComMomentInteractions(Read(json["comment_list"]), Read(json["like_list"])), cancellationToken);
    }

    public async Task<WeComJsSdkSignature> CreateConfigSignatureAsync(string pageUrl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pageUrl);
        var ticket = await GetTicketAsync("jsapi_ticket", "get_jsapi_ticket", "cgi-bin/get_jsapi_ticket", [], cancellationToken).ConfigureAwait(false);
        return Sign(ticket, pageUrl, agentId: null);
    }

    public async Task<WeComJsSdkSignature> CreateAgentConfigSignatureAsync(string pageUrl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pageUrl);
        var ticket = await GetTicketAsync("agent_ticket", "ticket/get", "cgi-bin/ticket/get", [("type", "agent_config")], cancellationToken).ConfigureAwait(false);
        return Sign(ticket, pageUrl, Options.AgentId);
    }

    private WeComJsSdkSignature Sign(string ticket, string pageUrl, string? agentId)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = WeComJsSdk.NewNonce();
        return new WeComJsSdkSignature(Options.CorpId, agentId, timestamp, nonce, WeComJsSdk.Sign(ticket, nonce, timestamp, pageUrl));
    }

    /// <summary>
    /// Tickets are cached like tokens: WeCom allows 400 corp tickets an hour and 100 per app (doc 96909).
    /// </summary>
    private Task<string> GetTicketAsync(string kind, string api, string path, (string, string?)[] query, CancellationToken cancellationToken) =>
        _policy.Tokens.GetAsync($"wecom:{Options.CorpId}:{kind}", async (rejected, ct) =>
        {
            var (ticket, expiresIn) = await GetAsync(WeComSecretKind.Agent, api, path, query, json =>
                (WeixinHttp.RequiredString(json, "ticket", api), WeixinHttp.OptionalLong(json, "expires_in")), ct).ConfigureAwait(false);
            return new FetchedAccessToken(ticket, TimeSpan.FromSeconds(expiresIn > 0 ? expiresIn : 7200));
        }, null, cancellationToken);

    /// <summary>The current access token of one secret, shared through the token store.</summary>
    public Task<string> GetAccessTokenAsync(WeComSecretKind kind, CancellationToken cancellationToken = default) =>
        _policy.Tokens.GetAsync(TokenKey(kind), (rejected, ct) => FetchTokenAsync(kind, ct), null, cancellationToken);

    private string TokenKey(WeComSecretKind kind) =>
        $"wecom:{Options.CorpId}:{(kind == WeComSecretKind.Agent ? "agent" : "contact")}";

    private Task<T> GetAsync<T>(WeComSecretKind kind, string api, string path, (string, string?)[] query,
        Func<JsonObject, T> map, CancellationToken cancellationToken) =>
        _policy.WithTokenAsync(TokenKey(kind), (rejected, ct) => FetchTokenAsync(kind, ct), api, async (token, ct) =>
        {
            var uri = WeixinHttp.Build(Options.BaseUrl, path, [("access_token", token), .. query]);
            using var response = await Client().GetAsync(uri, ct).ConfigureAwait(false);
            return map(await WeixinHttp.ReadObjectAsync(response, api, ct).ConfigureAwait(false));
        }, cancellationToken);

    private Task<T> PostAsync<T>(WeComSecretKind kind, string api, string path, object body,
        Func<JsonObject, T> map, CancellationToken cancellationToken) =>
        _policy.WithTokenAsync(TokenKey(kind), (rejected, ct) => FetchTokenAsync(kind, ct), api, async (token, ct) =>
        {
            var uri = WeixinHttp.Build(Options.BaseUrl, path, ("access_token", token));
            using var content = WeixinHttp.JsonBody(body);
            using var response = await Client().PostAsync(uri, content, ct).ConfigureAwait(false);
            return map(await WeixinHttp.ReadObjectAsync(response, api, ct).ConfigureAwait(false));
        }, cancellationToken);

    private Task<FetchedAccessToken> FetchTokenAsync(WeComSecretKind kind, CancellationToken cancellationToken)
    {
        const string api = "gettoken";
        return _policy.RunAsync(api, async ct =>
        {
            var o = Options;
            var secret = kind == WeComSecretKind.Agent ? o.AgentSecret : o.ContactSecret;
            var uri = WeixinHttp.Build(o.BaseUrl, "cgi-bin/gettoken", ("corpid", o.CorpId), ("corpsecret", secret));
            using var response = await Client().GetAsync(uri, ct).ConfigureAwait(false);
            var json = await WeixinHttp.ReadObjectAsync(response, api, ct).ConfigureAwait(false);
            return new FetchedAccessToken(WeixinHttp.RequiredString(json, "access_token", api),
                TimeSpan.FromSeconds(WeixinHttp.OptionalLong(json, "expires_in") is > 0 and var s ? s : 7200));
        }, cancellationToken);
    }
}
