using Microsoft.Extensions.Options;

namespace Guide.Weixin.Callbacks;

/// <summary>
/// The entry point for the API's WeCom callback endpoint: verifies the URL check (GET) and decrypts and
/// parses events (POST) with the configured token, EncodingAESKey and corp id.
/// </summary>
public sealed class WeComCallbackReader(IOptionsMonitor<WeixinOptions> options, TimeProvider time)
{
    /// <summary>
    /// A callback whose timestamp is further off than this is refused as a replay. WeCom retries an
    /// unanswered callback within seconds, well inside the window; duplicates inside it are the
    /// handler's to drop by <see cref="WeComCallbackEvent.DeduplicationKey"/>.
    /// </summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    private WeixinMessageCrypt Crypt()
    {
        var o = options.CurrentValue.WeCom;
        return new WeixinMessageCrypt(o.CallbackToken, o.CallbackEncodingAesKey, o.CorpId);
    }

    /// <summary>GET <c>?msg_signature&amp;timestamp&amp;nonce&amp;echostr</c>: the plaintext to answer.</summary>
    public string VerifyUrl(string? msgSignature, string? timestamp, string? nonce, string? echoStr) =>
        Crypt().VerifyUrl(msgSignature, timestamp, nonce, echoStr);

    /// <summary>POST <c>?msg_signature&amp;timestamp&amp;nonce</c> with the XML body: the verified, parsed event.</summary>
    public WeComCallbackEvent ReadEvent(string? msgSignature, string? timestamp, string? nonce, string body)
    {
        var xml = Crypt().DecryptMessage(msgSignature, timestamp, nonce, body);
        // Checked after the signature so that a forger cannot learn anything from the answer.
        // Compared in seconds: FromUnixTimeSeconds would throw for a timestamp beyond year 9999.
        if (!long.TryParse(timestamp, out var seconds)
            || seconds < time.GetUtcNow().ToUnixTimeSeconds() - (long)MaxClockSkew.TotalSeconds
            || seconds > time.GetUtcNow().ToUnixTimeSeconds() + (long)MaxClockSkew.TotalSeconds)
            throw new WeixinCallbackException("timestamp outside the accepted window");
        return WeComCallbackEventParser.Parse(xml);
    }
}
