namespace Guide.Weixin.Fake;

/// <summary>Identity and behaviour of a <see cref="FakeWeixinServer"/>.</summary>
public sealed class FakeWeixinOptions
{
    /// <summary>Port on 127.0.0.1; null or 0 picks a free one.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// Simulator mode for people without WeChat: unknown log-in codes, phone codes and WeCom OAuth codes are
    /// accepted and mapped to predictable identities instead of failing. Tests keep it off (strict).
    /// </summary>
    public bool Lenient { get; set; }

    public string AppId { get; set; } = "wxfake00000000001";
    public string AppSecret { get; set; } = "fake-app-secret-0123456789abcdef";
    public string PushToken { get; set; } = "fakepushtoken";
    public string PushEncodingAesKey { get; set; } = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    public string CorpId { get; set; } = "wwfake0000000001";
    public string AgentId { get; set; } = "1000002";
    public string AgentSecret { get; set; } = "fake-agent-secret-0123456789";
    public string ContactSecret { get; set; } = "fake-contact-secret-0123456789";
    public string CallbackToken { get; set; } = "fakecallbacktoken";
    public string CallbackEncodingAesKey { get; set; } = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";

    public string MchId { get; set; } = "1900000001";
    /// <summary>The 32-character APIv3 key.</summary>
    public string ApiV3Key { get; set; } = "FakeApiV3Key0123456789abcdefghij";
    public string PublicKeyId { get; set; } = "PUB_KEY_ID_0119000000012025010100000000000001";

    /// <summary>Default notify_url handed to hosts (WeChat Pay requires https; the lenient fake also takes http).</summary>
    public string PayNotifyUrl { get; set; } = "https://guide.invalid/api/weixin/pay/notify";

    /// <summary>Folder for the generated PEM files; a new temp folder when null.</summary>
    public string? KeyFolder { get; set; }
}
