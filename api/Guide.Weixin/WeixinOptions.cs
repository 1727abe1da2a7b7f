namespace Guide.Weixin;

/// <summary>
/// Configuration of every WeChat account Guide talks to, bound from the <c>Weixin</c> section.
/// Base URLs are configuration so that tests and the simulator point them at the fake server.
/// </summary>
public sealed class WeixinOptions
{
    public const string SectionName = "Weixin";

    /// <summary>Timeout of one HTTP call to Tencent.</summary>
    public int HttpTimeoutSeconds { get; set; } = 10;

    /// <summary>How many times a call answered "system busy" (-1) or "too frequent" is retried.</summary>
    public int BusyRetryCount { get; set; } = 2;

    /// <summary>First back-off delay of those retries; it doubles on each retry.</summary>
    public int BusyRetryDelayMilliseconds { get; set; } = 500;

    public MiniProgramOptions MiniProgram { get; set; } = new();
    public WeComOptions WeCom { get; set; } = new();
    public WeChatPayOptions Pay { get; set; } = new();
}

public sealed class MiniProgramOptions
{
    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";
    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
    /// <summary>Token of the message-push URL (消息推送), used to verify its signature.</summary>
    public string PushToken { get; set; } = "";
    public string PushEncodingAesKey { get; set; } = "";
}

public sealed class WeComOptions
{
    public string BaseUrl { get; set; } = "https://qyapi.weixin.qq.com";
    public string CorpId { get; set; } = "";
    public string AgentId { get; set; } = "";
    /// <summary>Secret of the self-built app (sidebar, OAuth).</summary>
    public string AgentSecret { get; set; } = "";
    /// <summary>Secret of customer contact (客户联系); its token differs from the app's.</summary>
    public string ContactSecret { get; set; } = "";
    public string CallbackToken { get; set; } = "";
    public string CallbackEncodingAesKey { get; set; } = "";
}

public sealed class WeChatPayOptions
{
    public string BaseUrl { get; set; } = "https://api.mch.weixin.qq.com";
    public string MchId { get; set; } = "";
    /// <summary>Serial number of the merchant API certificate (商户API证书序列号).</summary>
    public string MerchantSerialNo { get; set; } = "";
    /// <summary>Path of the merchant private key (apiclient_key.pem).</summary>
    public string MerchantPrivateKeyPath { get; set; } = "";
    /// <summary>The 32-character APIv3 key that decrypts notification resources.</summary>
    public string ApiV3Key { get; set; } = "";
    /// <summary>WeChat Pay public key mode: the key id (PUB_KEY_ID_...) and the PEM path.</summary>
    public string PublicKeyId { get; set; } = "";
    public string PublicKeyPath { get; set; } = "";
    /// <summary>Platform-certificate mode: the PEM path of a downloaded platform certificate.</summary>
    public string PlatformCertificatePath { get; set; } = "";
    public string NotifyUrl { get; set; } = "";
}
