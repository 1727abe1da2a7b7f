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
/// A 4xx/5xx answer that carried no WeChat Pay signature: a gateway, a proxy or someone in the middle may have
/// written it, or WeChat Pay refusing a request it could not authenticate (401). <see cref="WeixinApiException.ErrorCode"/>
/// is the HTTP status; the code the body claims is only in <see cref="Exception.Message"/>, for the operator.
/// Never branch on it: treat the call as failed for an unknown reason (retry later, or query again).
/// </summary>
public sealed class WeChatPayUnverifiedResponseException(int httpStatus, string? claimedCode, string claimedMessage, string api)
    : WeixinApiException(httpStatus,
        $"unsigned HTTP {httpStatus} answer, not verified as WeChat Pay's (claims {WeChatPayVerifier.Printable(claimedCode ?? "nothing")}: "
        + $"{WeChatPayVerifier.Printable(claimedMessage)})", api);

/// <summary>
/// A WeChat Pay response or notification failed verification (missing headers, stale timestamp, unknown
/// serial, signature probe, bad signature, undecryptable resource). Answer a notification with 401.
/// </summary>
public sealed class WeChatPaySignatureException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
