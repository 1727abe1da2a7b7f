using System.Security.Cryptography;
using System.Text;

namespace Guide.Weixin.Callbacks;

/// <summary>
/// The plain-mode signature of the mini program's message-push URL check:
/// <c>signature = sha1(sort(token, timestamp, nonce))</c>; a valid check is answered with <c>echostr</c>.
/// </summary>
public static class WeixinPushSignature
{
    public static string Compute(string token, string timestamp, string nonce) =>
        WeixinMessageCrypt.Signature(token, timestamp, nonce);

    public static bool IsValid(string token, string? signature, string? timestamp, string? nonce)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce))
            return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(token, timestamp, nonce)),
            Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }
}
