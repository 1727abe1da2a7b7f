using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Weixin;
using Guide.Weixin.MiniProgram;

namespace Guide.Api.Weixin;

/// <summary>
/// Guides' mini-program codes through <c>getwxacodeunlimit</c>. The page is <c>Weixin:MiniProgram:GuideQrPage</c>
/// (default <c>pages/index/index</c>). Every refusal (41030 a page not published, 45009 the quota) is a 503
/// <c>weixin.unavailable</c>: the guide cannot fix it, HQ's configuration or tomorrow can.
/// </summary>
public sealed class MiniProgramCodes(IMiniProgramClient miniProgram, IConfiguration configuration, ILogger<MiniProgramCodes> logger) : IMiniProgramCodes
{
    public const string DefaultGuidePage = "pages/index/index";

    public string GuidePage => configuration["Weixin:MiniProgram:GuideQrPage"] is { Length: > 0 } page ? page : DefaultGuidePage;

    public async Task<MiniProgramCodeImage> CreateAsync(string scene, string page, CancellationToken cancellationToken)
    {
        try
        {
            var image = await miniProgram.GetUnlimitedWxaCodeAsync(new WxaCodeRequest(scene, page), cancellationToken);
            return new MiniProgramCodeImage(image.Content, image.ContentType);
        }
        catch (WeixinApiException e)
        {
            logger.LogWarning("WeChat refused {Api} for page {Page}: errcode {Errcode} {Errmsg}", e.Api, page, e.ErrorCode, e.ErrorMessage);
            throw new DomainException(new DomainError("weixin.unavailable", "WeChat did not draw the code; try again shortly.", ErrorKind.Unavailable)
            {
                Details = new Dictionary<string, object?> { ["weixinErrcode"] = e.ErrorCode },
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "WeChat unreachable");
            throw new DomainException(new DomainError("weixin.unavailable", "WeChat could not be reached; try again shortly.", ErrorKind.Unavailable));
        }
    }
}
