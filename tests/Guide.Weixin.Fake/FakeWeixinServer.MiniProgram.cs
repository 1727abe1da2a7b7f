using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Guide.Weixin.Fake;

public sealed partial class FakeWeixinServer
{
    private sealed record LoginCode(string OpenId, string? UnionId);
    private sealed record PhoneCode(string PurePhoneNumber, string WatermarkAppId);

    private readonly SingleUseCodes<LoginCode> _loginCodes;
    private readonly SingleUseCodes<PhoneCode> _phoneCodes;

    /// <summary>A <c>wx.login</c> code for <paramref name="openId"/>; it works once (then 40163).</summary>
    public string IssueLoginCode(string openId, string? unionId = null) => _loginCodes.Issue(new LoginCode(openId, unionId));

    /// <summary>A getPhoneNumber code for a mainland number; it works once.</summary>
    public string IssuePhoneCode(string purePhoneNumber) => IssuePhoneCode(purePhoneNumber, _options.AppId);

    /// <summary>A phone code whose watermark names another app id (a replayed code from another app).</summary>
    public string IssuePhoneCode(string purePhoneNumber, string watermarkAppId) =>
        _phoneCodes.Issue(new PhoneCode(purePhoneNumber, watermarkAppId));

    private void MapMiniProgram(IEndpointRouteBuilder app)
    {
        MapWx(app, "GET", "/mp/sns/jscode2session", FakeWeixinApis.Code2Session, Code2SessionAsync);
        MapWx(app, "POST", "/mp/cgi-bin/stable_token", FakeWeixinApis.StableToken, StableTokenAsync);
        MapWx(app, "POST", "/mp/wxa/business/getuserphonenumber", FakeWeixinApis.GetPhoneNumber,
            WithToken(MiniProgramOwner, PhoneNumberAsync));
        MapWx(app, "POST", "/mp/cgi-bin/message/subscribe/send", FakeWeixinApis.SubscribeSend,
            WithToken(MiniProgramOwner, SubscribeSendAsync));
        MapWx(app, "POST", "/mp/wxa/getwxacodeunlimit", FakeWeixinApis.GetWxaCodeUnlimit,
            WithToken(MiniProgramOwner, WxaCodeAsync));
    }

    private Task Code2SessionAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        if (q["appid"] != _options.AppId) return WriteJsonAsync(ctx, Error(40013, "invalid appid"));
        if (q["secret"] != _options.AppSecret) return WriteJsonAsync(ctx, Error(40125, "invalid appsecret"));
        if (q["grant_type"] != "authorization_code") return WriteJsonAsync(ctx, Error(40002, "invalid grant_type"));
        switch (_loginCodes.Take(q["js_code"].ToString(), out var login))
        {
            case CodeUse.Used: return WriteJsonAsync(ctx, Error(40163, "code been used"));
            case CodeUse.Unknown: return WriteJsonAsync(ctx, Error(40029, "invalid code"));
        }
        var json = new JsonObject
        {
            ["openid"] = login!.OpenId,
            ["session_key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
        };
        if (login.UnionId is not null) json["unionid"] = login.UnionId;
        // jscode2session answers without errcode on success.
        return WriteJsonAsync(ctx, json);
    }

    private async Task StableTokenAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        if (Str(body, "grant_type") != "client_credential") { await WriteJsonAsync(ctx, Error(40002, "invalid grant_type")); return; }
        if (Str(body, "appid") != _options.AppId) { await WriteJsonAsync(ctx, Error(40013, "invalid appid")); return; }
        if (Str(body, "secret") != _options.AppSecret) { await WriteJsonAsync(ctx, Error(40125, "invalid appsecret")); return; }
        var force = body["force_refresh"] is JsonValue f && f.TryGetValue<bool>(out var b) && b;
        var (token, expiresIn) = IssueToken(MiniProgramOwner, force);
        await WriteJsonAsync(ctx, new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn });
    }

    private async Task PhoneNumberAsync(HttpContext ctx)
    {
        var code = Str(await ReadJsonAsync(ctx).ConfigureAwait(false), "code") ?? "";
        _phoneCodes.Take(code, out var phone);
        if (phone is null)
        {
            await WriteJsonAsync(ctx, Error(40029, "invalid code"));
            return;
        }
        await WriteJsonAsync(ctx, Ok(new JsonObject
        {
            ["phone_info"] = new JsonObject
            {
                ["phoneNumber"] = phone.PurePhoneNumber,
                ["purePhoneNumber"] = phone.PurePhoneNumber,
                ["countryCode"] = "86",
                ["watermark"] = new JsonObject
                {
                    ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["appid"] = phone.WatermarkAppId,
                },
            },
        }));
    }
}
