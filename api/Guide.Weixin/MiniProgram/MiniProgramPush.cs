using Guide.Weixin.Callbacks;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.MiniProgram;

/// <summary>
/// The mini program's message-push URL (消息推送): the GET check in plain mode, and in safe mode the same
/// WXBizMsgCrypt scheme as WeCom with the app id as receive id.
/// </summary>
public sealed class MiniProgramPush(IOptionsMonitor<WeixinOptions> options)
{
    /// <summary>True when <c>signature</c> is <c>sha1(sort(PushToken, timestamp, nonce))</c>; then answer <c>echostr</c>.</summary>
    public bool IsValidUrlCheck(string? signature, string? timestamp, string? nonce) =>
        WeixinPushSignature.IsValid(options.CurrentValue.MiniProgram.PushToken, signature, timestamp, nonce);

    /// <summary>The safe-mode crypt (PushToken, PushEncodingAesKey, app id).</summary>
    public WeixinMessageCrypt CreateCrypt()
    {
        var o = options.CurrentValue.MiniProgram;
        return new WeixinMessageCrypt(o.PushToken, o.PushEncodingAesKey, o.AppId);
    }
}
