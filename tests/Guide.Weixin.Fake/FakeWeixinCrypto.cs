using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Guide.Weixin.Fake;

/// <summary>
/// Tencent's side of the crypto, written apart from Guide.Weixin on purpose so that a mistake in the
/// client is not mirrored here and hidden.
/// </summary>
internal static class FakeWeixinCrypto
{
    public static string Sha1Hex(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

    public static string SortedSha1(params string[] parts)
    {
        var sorted = parts.OrderBy(p => p, StringComparer.Ordinal);
        return Sha1Hex(string.Join("", sorted));
    }

    public static string RsaSign(RSA key, string message) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool RsaVerify(RSA key, string message, string signature)
    {
        try
        {
            return key.VerifyData(Encoding.UTF8.GetBytes(message), Convert.FromBase64String(signature),
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException) { return false; }
    }

    /// <summary>AEAD_AES_256_GCM as WeChat Pay sends it: base64(ciphertext || tag).</summary>
    public static string AesGcmEncrypt(string apiV3Key, string nonce, string associatedData, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[plain.Length + 16];
        using var gcm = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        gcm.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, output.AsSpan(0, plain.Length), output.AsSpan(plain.Length),
            Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }

    /// <summary>WXBizMsgCrypt encryption: random(16) + big-endian length + msg + receiveId, PKCS#7 to 32, AES-256-CBC.</summary>
    public static string MsgEncrypt(string encodingAesKey, string receiveId, string message)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        var msg = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(receiveId);
        using var buffer = new MemoryStream();
        buffer.Write(RandomNumberGenerator.GetBytes(16));
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, msg.Length);
        buffer.Write(length);
        buffer.Write(msg);
        buffer.Write(id);
        var pad = 32 - (int)(buffer.Length % 32);
        for (var i = 0; i < pad; i++) buffer.WriteByte((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(buffer.ToArray(), key[..16], PaddingMode.None));
    }
}
