using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Guide.Weixin.Fake;

public sealed partial class FakeWeixinServer
{
    private sealed record OAuthCode(string? UserId, string? OpenId);

    private readonly SingleUseCodes<OAuthCode> _oauthCodes;

    /// <summary>A WeCom OAuth code of a corp member (a guide); it works once (then 40029).</summary>
    public string IssueWeComOAuthCode(string userId) => _oauthCodes.Issue(new OAuthCode(userId, null));

    /// <summary>A WeCom OAuth code of someone outside the corp (answered with openid, no userid).</summary>
    public string IssueWeComExternalOAuthCode(string openId) => _oauthCodes.Issue(new OAuthCode(null, openId));

    private void MapWeCom(IEndpointRouteBuilder app)
    {
        MapWx(app, "GET", "/wecom/cgi-bin/gettoken", FakeWeixinApis.WeComGetToken, GetTokenAsync);
        MapWx(app, "GET", "/wecom/cgi-bin/auth/getuserinfo", FakeWeixinApis.WeComGetUserInfo,
            WithToken(AgentOwner, GetUserInfoAsync));
        MapWeComContacts(app);
    }

    private Task GetTokenAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        if (q["corpid"] != _options.CorpId) return WriteJsonAsync(ctx, Error(40013, "invalid corpid"));
        string? owner = q["corpsecret"].ToString() switch
        {
            var s when s == _options.AgentSecret => AgentOwner,
            var s when s == _options.ContactSecret => ContactOwner,
            _ => null,
        };
        if (owner is null) return WriteJsonAsync(ctx, Error(40001, "invalid secret"));
        var (token, expiresIn) = IssueToken(owner);
        return WriteJsonAsync(ctx, Ok(new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn }));
    }

    private Task GetUserInfoAsync(HttpContext ctx)
    {
        _oauthCodes.Take(ctx.Request.Query["code"].ToString(), out var identity);
        if (identity is null) return WriteJsonAsync(ctx, Error(40029, "invalid code"));
        var json = new JsonObject();
        if (identity.UserId is not null) json["userid"] = identity.UserId;
        else
        {
            json["openid"] = identity.OpenId;
            json["external_userid"] = "wmfake" + identity.OpenId;
        }
        return WriteJsonAsync(ctx, Ok(json));
    }
}
