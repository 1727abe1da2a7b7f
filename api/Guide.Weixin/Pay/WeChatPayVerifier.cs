using System.Globalization;
using System.Security.Cryptography;

namespace Guide.Weixin.Pay;

/// <summary>
/// Verifies the signature of a WeChat Pay response or notification before anything in it is trusted:
/// headers present, timestamp within 5 minutes, no <c>WECHATPAY/SIGNTEST/</c> probe, a known serial, and
/// SHA256withRSA over <c>TIMESTAMP\nNONCE\nBODY\n</c> (an empty body leaves a bare <c>\n</c>).
/// Source: pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html and
/// pay.weixin.qq.com/doc/v3/merchant/4016241880 (签名探测流量).
/// </summary>
public sealed class WeChatPayVerifier(WeChatPayKeys keys, TimeProvider time)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    private const string ProbePrefix = "WECHATPAY/SIGNTEST/";

    /// <summary>Throws <see cref="WeChatPaySignatureException"/> unless the message is WeChat Pay's and fresh.</summary>
    public void Verify(WeChatPaySignatureHeaders headers, string body) => Verify(headers, body, keys.FindVerificationKey);

    /// <summary>
    /// The same checks with <paramref name="key"/> instead of a registered key, whatever serial the headers
    /// name: for a candidate that must prove itself before anyone registers it (a downloaded certificate list
    /// signed by a certificate it carries).
    /// </summary>
    public void Verify(WeChatPaySignatureHeaders headers, string body, RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Verify(headers, body, _ => key);
    }

    private void Verify(WeChatPaySignatureHeaders headers, string body, Func<string, RSA?> keyFor)
    {
        if (string.IsNullOrEmpty(headers.Timestamp) || string.IsNullOrEmpty(headers.Nonce)
            || string.IsNullOrEmpty(headers.Signature) || string.IsNullOrEmpty(headers.Serial))
            throw new WeChatPaySignatureException("signature headers missing");
        // Probes check that we really verify; they must fail like any bad signature.
        if (headers.Signature.StartsWith(ProbePrefix, StringComparison.Ordinal))
            throw new WeChatPaySignatureException("signature probe (WECHATPAY/SIGNTEST/)");
        // Compared as whole seconds, never turned into a DateTimeOffset: a sender's number need not fit one
        // (FromUnixTimeSeconds throws beyond year 9999). Digits only: no sign, spaces or culture.
        if (!long.TryParse(headers.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > (long)MaxClockSkew.TotalSeconds)
            throw new WeChatPaySignatureException("timestamp outside the 5-minute window");
        var key = keyFor(headers.Serial)
                  ?? throw new WeChatPaySignatureException($"unknown Wechatpay-Serial {Printable(headers.Serial)}");
        if (!WeChatPayCrypto.Verify(key, WeChatPayCrypto.Message(headers.Timestamp, headers.Nonce, body), headers.Signature))
            throw new WeChatPaySignatureException("signature does not match");
    }

    /// <summary>
    /// A sender's value as it may appear in a reason, which the webhook logs: at most 64 characters and no
    /// control characters, so a forged header can neither flood the log nor write lines of its own.
    /// </summary>
    internal static string Printable(string value)
    {
        var shown = value.Length > 64 ? value[..64] + "..." : value;
        return string.Create(shown.Length, shown, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
    }
}
