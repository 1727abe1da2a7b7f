namespace Guide.Domain.Common;

/// <summary>
/// What the domain needs from WeChat to know who someone is; the API implements it with Guide.Weixin and
/// turns WeChat's error codes into <see cref="DomainException"/>s.
/// </summary>
public interface IWeixinIdentity
{
    /// <summary>A <c>wx.login</c> code to the shopper's openid (and unionid when bound).</summary>
    Task<ShopperIdentity> ExchangeLoginCodeAsync(string code, CancellationToken cancellationToken);

    /// <summary>A <c>getPhoneNumber</c> code to the phone number (without country code for +86).</summary>
    Task<string> ExchangePhoneCodeAsync(string code, CancellationToken cancellationToken);

    /// <summary>A WeCom OAuth code to the corp member's user id.</summary>
    Task<string> ExchangeWeComCodeAsync(string code, CancellationToken cancellationToken);
}

public sealed record ShopperIdentity(string OpenId, string? UnionId);
