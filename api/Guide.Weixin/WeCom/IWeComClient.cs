namespace Guide.Weixin.WeCom;

/// <summary>WeCom's server API (qyapi.weixin.qq.com).</summary>
public interface IWeComClient
{
    /// <summary><c>GET /cgi-bin/auth/getuserinfo</c>: who an OAuth code belongs to.</summary>
    Task<WeComOAuthIdentity> GetUserInfoAsync(string code, CancellationToken cancellationToken = default);

    /// <summary><c>GET /cgi-bin/externalcontact/get</c>: a customer and the guides who follow them.</summary>
    Task<WeComExternalContact> GetExternalContactAsync(string externalUserId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /cgi-bin/externalcontact/groupchat/get</c>: a customer group and its members.</summary>
    Task<WeComGroupChat> GetGroupChatAsync(string chatId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /cgi-bin/externalcontact/get_moment_list</c>: one page of moments (span at most 30 days, at most 20).</summary>
    Task<WeComMomentPage> GetMomentListAsync(WeComMomentQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /cgi-bin/externalcontact/get_moment_comments</c>: comments and likes on one guide's copy of a
    /// moment. No callback exists for these: poll.
    /// </summary>
    Task<WeComMomentInteractions> GetMomentCommentsAsync(string momentId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Signature for <c>wx.config</c> / <c>ww.register</c> (corp jsapi_ticket), cached like a token.</summary>
    Task<WeComJsSdkSignature> CreateConfigSignatureAsync(string pageUrl, CancellationToken cancellationToken = default);

    /// <summary>Signature for <c>wx.agentConfig</c> (the agent's ticket), needed by the sidebar.</summary>
    Task<WeComJsSdkSignature> CreateAgentConfigSignatureAsync(string pageUrl, CancellationToken cancellationToken = default);
}

/// <summary>
/// A corp member has <see cref="UserId"/>; a non-member has <see cref="OpenId"/> (and maybe
/// <see cref="ExternalUserId"/>) instead.
/// </summary>
public sealed record WeComOAuthIdentity(string? UserId, string? OpenId, string? ExternalUserId)
{
    public bool IsCorpMember => !string.IsNullOrEmpty(UserId);
}
