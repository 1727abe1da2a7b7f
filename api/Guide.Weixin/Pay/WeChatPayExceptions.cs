namespace Guide.Weixin.Pay;

/// <summary>
/// WeChat Pay answered 4xx/5xx with <c>{"code","message"}</c>. <see cref="WeixinApiException.ErrorCode"/> is the
/// HTTP status; <see cref="Code"/> the WeChat Pay code (ORDERPAID, NOT_ENOUGH, SYSTEM_ERROR...).
/// </summary>
public sealed class WeChatPayApiException(int httpStatus, string code, string message, string api)
    : WeixinApiException(httpStatus, $"{code}: {message}", api)
{
    public string Code { get; } = code;
    public string PayMessage { get; } = message;
}

/// <summary>
/// A WeChat Pay response or notification failed verification (missing headers, stale timestamp, unknown
/// serial, signature probe, bad signature, undecryptable resource). Answer a notification with 401.
/// </summary>
public sealed class WeChatPaySignatureException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
