using Microsoft.Extensions.Logging;

namespace Guide.Weixin.Fake;

/// <summary>Identity and behaviour of a <see cref="FakeWeixinServer"/>.</summary>
public sealed class FakeWeixinOptions
{
    /// <summary>Port on 127.0.0.1; null or 0 picks a free one.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// Simulator mode for people without WeChat: unknown log-in codes, phone codes and WeCom OAuth codes are
    /// accepted and mapped to predictable identities instead of failing, except codes starting <c>invalid</c>
    /// (refused as WeChat refuses an unknown code, to try the error path). Tests keep it off (strict).
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

    /// <summary>
    /// Default notify_url handed to hosts (<see cref="FakeWeixinServer.WeixinConfiguration"/>; WeChat Pay requires
    /// https, the lenient fake also takes http). Null: the host sets <c>Weixin:Pay:NotifyUrl</c> itself (the
    /// simulator does, once it knows its own address). Notifications always go to the notify_url the order or
    /// refund request named, as WeChat Pay sends them.
    /// </summary>
    public string? PayNotifyUrl { get; set; } = "https://guide.invalid/webhooks/wxpay/notify";

    /// <summary>
    /// Simulator: this long after an order is created the simulated shopper pays it, and this long after a refund
    /// is requested it succeeds; each time the notification goes to the notify_url (retried as WeChat Pay
    /// retries). Null or zero: nothing happens by itself (tests pay with <see cref="FakeWeixinServer.PayOrder"/>).
    /// </summary>
    public TimeSpan? AutoPayAfter { get; set; }

    /// <summary>
    /// Pauses between deliveries of a notification the merchant did not accept (an answer other than 200/204, or
    /// none): by default WeChat Pay's documented schedule, 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h
    /// (pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_5.shtml, "通知频率").
    /// </summary>
    public IReadOnlyList<TimeSpan> NotifyRetryDelays { get; set; } =
        new[] { 15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600 }
            .Select(s => TimeSpan.FromSeconds(s)).ToArray();

    /// <summary>Where the fake tells what it delivered (the simulator passes the host's logger); silent when null.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Folder for the generated PEM files; a new temp folder when null.</summary>
    public string? KeyFolder { get; set; }
}
