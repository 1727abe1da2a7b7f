namespace Guide.Weixin;

/// <summary>
/// WeChat or WeCom answered with a non-zero <c>errcode</c> (or WeChat Pay with an error <c>code</c>).
/// </summary>
public class WeixinApiException(int errorCode, string errorMessage, string api)
    : Exception($"{api} failed: errcode {errorCode}, errmsg {errorMessage}")
{
    /// <summary>
    /// Our own code (never sent by Tencent) for an answer we refuse: not JSON, a field missing, a watermark
    /// or signature that does not match.
    /// </summary>
    public const int InvalidResponseCode = -1001;

    public int ErrorCode { get; } = errorCode;
    public string ErrorMessage { get; } = errorMessage;
    public string Api { get; } = api;
}
