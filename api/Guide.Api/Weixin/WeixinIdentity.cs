using Guide.Domain.Common;
using Guide.Weixin;
using Guide.Weixin.MiniProgram;
using Guide.Weixin.WeCom;

namespace Guide.Api.Weixin;

/// <summary>
/// The domain's view of WeChat log-in, on Guide.Weixin. WeChat's error codes become our problem codes here:
/// a bad or used code is the client's fault (4xx); WeChat being down is a 503 the client may retry.
/// </summary>
public sealed class WeixinIdentity(IMiniProgramClient miniProgram, IWeComClient weCom, ILogger<WeixinIdentity> logger) : IWeixinIdentity
{
    // 40029 invalid code, 40163 code already used, 40226 high-risk user (mini program log-in).
    private static readonly HashSet<int> BadCode = [40029, 40163, 40226];

    public async Task<ShopperIdentity> ExchangeLoginCodeAsync(string code, CancellationToken cancellationToken)
    {
        var session = await Call(() => miniProgram.Code2SessionAsync(code, cancellationToken),
            new DomainError("session.invalid_code", "The wx.login code is invalid, expired or already used; call wx.login again.", ErrorKind.Unauthenticated));
        return new ShopperIdentity(session.OpenId, session.UnionId);
    }

    public async Task<string> ExchangePhoneCodeAsync(string code, CancellationToken cancellationToken)
    {
        var phone = await Call(() => miniProgram.GetPhoneNumberAsync(code, cancellationToken),
            new DomainError("member.invalid_phone_code", "The phone number code is invalid, expired or already used."));
        return phone.CountryCode is "86" or "" ? phone.PurePhoneNumber : "+" + phone.CountryCode + phone.PurePhoneNumber;
    }

    public async Task<string> ExchangeWeComCodeAsync(string code, CancellationToken cancellationToken)
    {
        var identity = await Call(() => weCom.GetUserInfoAsync(code, cancellationToken),
            new DomainError("guide.invalid_code", "The WeCom OAuth code is invalid, expired or already used.", ErrorKind.Unauthenticated));
        if (!identity.IsCorpMember)
            throw new DomainException(DomainError.Forbidden("guide.not_corp_member", "Only members of the brand's WeCom can open the guide workbench."));
        return identity.UserId!;
    }

    private async Task<T> Call<T>(Func<Task<T>> call, DomainError badCode)
    {
        try
        {
            return await call();
        }
        catch (WeixinApiException e) when (BadCode.Contains(e.ErrorCode))
        {
            throw new DomainException(badCode with { Details = new Dictionary<string, object?> { ["weixinErrcode"] = e.ErrorCode } });
        }
        catch (WeixinApiException e)
        {
            logger.LogWarning("WeChat refused {Api}: errcode {Errcode} {Errmsg}", e.Api, e.ErrorCode, e.ErrorMessage);
            throw new DomainException(new DomainError("weixin.unavailable", "WeChat did not answer as expected; try again shortly.", ErrorKind.Unavailable)
            {
                Details = new Dictionary<string, object?> { ["weixinErrcode"] = e.ErrorCode },
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            logger.LogWarning(e, "WeChat unreachable");
            throw new DomainException(new DomainError("weixin.unavailable", "WeChat could not be reached; try again shortly.", ErrorKind.Unavailable));
        }
    }
}
