namespace Guide.Weixin.Fake;

/// <summary>
/// A WeChat Pay notification as the fake would POST it: the JSON body and the signature headers. A record,
/// so that tests can tamper with a copy (<c>with { Body = ... }</c>).
/// </summary>
public sealed record FakePayNotification(string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) => Headers[name];

    /// <summary>A copy with one header replaced.</summary>
    public FakePayNotification WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}

/// <summary>Which key signs the fake's WeChat Pay responses and notifications.</summary>
public enum FakePaySigningMode
{
    /// <summary>The WeChat Pay public key; <c>Wechatpay-Serial</c> is the PUB_KEY_ID_.</summary>
    PublicKey,
    /// <summary>The platform certificate; <c>Wechatpay-Serial</c> is its serial number.</summary>
    PlatformCertificate,
}

/// <summary>A WeCom callback as the fake would deliver it: query parameters and XML body.</summary>
public sealed record FakeWeComCallback(string MsgSignature, string Timestamp, string Nonce, string Body)
{
    /// <summary><paramref name="url"/> with <c>msg_signature</c>, <c>timestamp</c> and <c>nonce</c> appended.</summary>
    public Uri AppendTo(Uri url)
    {
        var separator = url.Query.Length > 0 ? "&" : "?";
        return new Uri($"{url}{separator}msg_signature={Uri.EscapeDataString(MsgSignature)}&timestamp={Timestamp}&nonce={Uri.EscapeDataString(Nonce)}");
    }

    /// <summary>A relative <paramref name="path"/> with the query (for an in-process host's client).</summary>
    public string PathAndQuery(string path) =>
        $"{path}?msg_signature={Uri.EscapeDataString(MsgSignature)}&timestamp={Uri.EscapeDataString(Timestamp)}&nonce={Uri.EscapeDataString(Nonce)}";
}

/// <summary>A WeCom URL check: the signed, encrypted echostr and the plaintext the receiver must answer.</summary>
public sealed record FakeWeComUrlCheck(string MsgSignature, string Timestamp, string Nonce, string EchoStr, string Plain)
{
    public string PathAndQuery(string path) =>
        $"{path}?msg_signature={Uri.EscapeDataString(MsgSignature)}&timestamp={Uri.EscapeDataString(Timestamp)}"
        + $"&nonce={Uri.EscapeDataString(Nonce)}&echostr={Uri.EscapeDataString(EchoStr)}";
}

/// <summary>A planned delivery of WeCom callbacks: what to post in order (duplicates included) and the events never delivered.</summary>
public sealed record FakeWeComDelivery(IReadOnlyList<FakeWeComCallback> Posts, IReadOnlyList<string> Dropped);
