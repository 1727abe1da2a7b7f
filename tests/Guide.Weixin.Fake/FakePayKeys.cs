using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Guide.Weixin.Fake;

/// <summary>
/// The RSA keys of the fake: the merchant's (its private key goes to the client as apiclient_key.pem), the
/// platform certificate's, and the WeChat Pay public key's. Generated once per process: RSA generation is
/// slow and every fake instance may share them.
/// </summary>
internal sealed class FakePayKeys
{
    private static readonly Lazy<FakePayKeys> Shared = new(() => new FakePayKeys());

    public static FakePayKeys Instance => Shared.Value;

    private FakePayKeys()
    {
        MerchantKey = RSA.Create(2048);
        MerchantCertificate = SelfSigned(MerchantKey, "CN=1900000001, O=Fake Merchant, OU=Fake WeChat Pay merchant certificate");
        PlatformKey = RSA.Create(2048);
        PlatformCertificate = SelfSigned(PlatformKey, "CN=Fake Tenpay.com platform certificate, O=Fake Tenpay");
        PublicKeyModeKey = RSA.Create(2048);
    }

    public RSA MerchantKey { get; }
    public X509Certificate2 MerchantCertificate { get; }
    public RSA PlatformKey { get; }
    public X509Certificate2 PlatformCertificate { get; }
    public RSA PublicKeyModeKey { get; }

    private static X509Certificate2 SelfSigned(RSA key, string subject)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
    }
}
