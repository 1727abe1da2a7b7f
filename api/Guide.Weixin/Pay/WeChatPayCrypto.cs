using System.Security.Cryptography;
using System.Text;

namespace Guide.Weixin.Pay;

/// <summary>
/// The signatures and resource encryption of WeChat Pay API v3: SHA256withRSA (PKCS#1 v1.5) over
/// newline-terminated lines, and AEAD_AES_256_GCM with the APIv3 key.
/// </summary>
public static class WeChatPayCrypto
{
    /// <summary>The lines joined, each followed by <c>\n</c> (including the last).</summary>
    public static string Message(params string[] lines)
    {
        var sb = new StringBuilder();
        foreach (var line in lines) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    public static string Sign(RSA key, string message) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA key, string message, string signature)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(signature); }
        catch (FormatException) { return false; }
        // A signature of the wrong length is "false" on today's providers; a provider that throws instead must
        // not turn a forged header into a different exception.
        try { return key.VerifyData(Encoding.UTF8.GetBytes(message), bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); }
        catch (CryptographicException) { return false; }
    }

    /// <summary>
    /// Decrypts a notification resource: key = the 32 ASCII bytes of the APIv3 key, nonce = 12 ASCII bytes,
    /// AAD = associated_data, the last 16 bytes of the decoded ciphertext are the tag.
    /// </summary>
    public static string DecryptResource(string apiV3Key, string ciphertext, string nonce, string? associatedData)
    {
        var key = Encoding.UTF8.GetBytes(apiV3Key);
        if (key.Length != 32) throw new WeChatPaySignatureException("the APIv3 key is not 32 bytes");
        try
        {
            var data = Convert.FromBase64String(ciphertext);
            if (data.Length < 16) throw new WeChatPaySignatureException("ciphertext too short");
            var plain = new byte[data.Length - 16];
            using var gcm = new AesGcm(key, 16);
            gcm.Decrypt(Encoding.UTF8.GetBytes(nonce), data.AsSpan(0, data.Length - 16), data.AsSpan(data.Length - 16), plain,
                Encoding.UTF8.GetBytes(associatedData ?? ""));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            throw new WeChatPaySignatureException("resource cannot be decrypted");
        }
    }
}
