namespace Guide.Weixin.MiniProgram;

/// <summary>The mini program's server API (api.weixin.qq.com).</summary>
public interface IMiniProgramClient
{
    /// <summary><c>GET /sns/jscode2session</c>: exchanges a <c>wx.login</c> code.</summary>
    Task<MiniProgramSession> Code2SessionAsync(string jsCode, CancellationToken cancellationToken = default);

    /// <summary><c>POST /wxa/business/getuserphonenumber</c>: the phone number behind a getPhoneNumber code.</summary>
    Task<MiniProgramPhoneNumber> GetPhoneNumberAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /cgi-bin/message/subscribe/send</c>. Each acceptance by the user allows one message; without one
    /// WeChat answers 43101, surfaced as <see cref="WeixinApiException"/>.
    /// </summary>
    Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken = default);

    /// <summary><c>POST /wxa/getwxacodeunlimit</c>: the image of a mini program code carrying <c>scene</c>.</summary>
    Task<WxaCodeImage> GetUnlimitedWxaCodeAsync(WxaCodeRequest request, CancellationToken cancellationToken = default);

    /// <summary>The current access token (<c>/cgi-bin/stable_token</c>), shared through the token store.</summary>
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default);
}

public sealed record MiniProgramSession(string OpenId, string? UnionId, string SessionKey);

public sealed record MiniProgramPhoneNumber(string PhoneNumber, string PurePhoneNumber, string CountryCode);

/// <summary>
/// A subscribe message. <see cref="Data"/> maps template keys (<c>thing1</c>, <c>time2</c>...) to values;
/// <see cref="MiniProgramState"/> is formal, trial or developer.
/// </summary>
public sealed record SubscribeMessage(
    string ToUser, string TemplateId, IReadOnlyDictionary<string, string> Data, string? Page = null,
    string MiniProgramState = "formal", string Lang = "zh_CN");

/// <summary>
/// A request for an unlimited mini program code. <see cref="Scene"/> holds at most 32 visible characters;
/// <see cref="EnvVersion"/> is release, trial or develop.
/// </summary>
public sealed record WxaCodeRequest(
    string Scene, string? Page = null, bool CheckPath = true, string EnvVersion = "release", int Width = 430);

public sealed record WxaCodeImage(byte[] Content, string ContentType);
