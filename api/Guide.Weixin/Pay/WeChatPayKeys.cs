using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.Pay;

/// <summary>
/// The merchant's private key and the keys that verify WeChat Pay, by the serial <c>Wechatpay-Serial</c>
/// names: the WeChat Pay public key (id <c>PUB_KEY_ID_...</c>) and/or platform certificates (their serial
/// numbers). Both modes may be configured at once while a merchant migrates.
/// </summary>
public sealed class WeChatPayKeys
{
    private readonly IOptionsMonitor<WeixinOptions> _options;
    private readonly Lazy<RSA> _merchantKey;
    private readonly Lazy<IReadOnlyDictionary<string, RSA>> _configured;
    private readonly ConcurrentDictionary<string, RSA> _downloaded = new(StringComparer.OrdinalIgnoreCase);

    public WeChatPayKeys(IOptionsMonitor<WeixinOptions> options)
    {
        _options = options;
        _merchantKey = new Lazy<RSA>(LoadMerchantKey);
        _configured = new Lazy<IReadOnlyDictionary<string, RSA>>(LoadVerificationKeys);
    }

    private WeChatPayOptions Options => _options.CurrentValue.Pay;

    /// <summary>The merchant private key (apiclient_key.pem) that signs requests and paySign.</summary>
    public RSA MerchantKey => _merchantKey.Value;

    /// <summary>The key for a <c>Wechatpay-Serial</c>, or null when we do not know it.</summary>
    public RSA? FindVerificationKey(string serial) =>
        _configured.Value.TryGetValue(serial, out var key) ? key
        : _downloaded.TryGetValue(serial, out key) ? key
        : null;

    /// <summary>Adds a platform certificate downloaded from <c>/v3/certificates</c>.</summary>
    public void AddPlatformCertificate(X509Certificate2 certificate) =>
        _downloaded[certificate.SerialNumber] = certificate.GetRSAPublicKey()
            ?? throw new ArgumentException("the certificate has no RSA key", nameof(certificate));

    private RSA LoadMerchantKey()
    {
        if (string.IsNullOrEmpty(Options.MerchantPrivateKeyPath))
            throw new InvalidOperationException("Weixin:Pay:MerchantPrivateKeyPath is not configured");
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Options.MerchantPrivateKeyPath));
        return rsa;
    }

    private IReadOnlyDictionary<string, RSA> LoadVerificationKeys()
    {
        var keys = new Dictionary<string, RSA>(StringComparer.OrdinalIgnoreCase);
        var o = Options;
        if (!string.IsNullOrEmpty(o.PublicKeyId) && !string.IsNullOrEmpty(o.PublicKeyPath))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(o.PublicKeyPath));
            keys[o.PublicKeyId] = rsa;
        }
        if (!string.IsNullOrEmpty(o.PlatformCertificatePath))
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(File.ReadAllText(o.PlatformCertificatePath));
            foreach (var certificate in certificates)
                keys[certificate.SerialNumber] = certificate.GetRSAPublicKey()
                    ?? throw new InvalidOperationException("the platform certificate has no RSA key");
        }
        return keys;
    }
}
