using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Guide.Weixin.Callbacks;

/// <summary>Why a callback was refused; the handler answers it with a 4xx and logs the reason.</summary>
public sealed class WeixinCallbackException(string reason, bool malformed = false) : Exception(reason)
{
    public string Reason { get; } = reason;

    /// <summary>
    /// True when the request could not even be read (a parameter missing, a body that is not XML): a 400.
    /// False when it was read and is not WeChat's (signature, ciphertext, receive id, timestamp): a 401.
    /// </summary>
    public bool Malformed { get; } = malformed;
}

/// <summary>
/// The WXBizMsgCrypt scheme of WeCom callbacks (and of the mini program / official account push in safe
/// mode): <c>msg_signature = sha1(sort(token, timestamp, nonce, encrypt))</c>; the message is
/// <c>random(16) + length (4 bytes, big-endian) + msg + receiveId</c>, PKCS#7-padded to 32 bytes and
/// encrypted with AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes.
/// </summary>
public sealed class WeixinMessageCrypt
{
    private const int PadBlock = 32;
    private readonly string _token;
    private readonly byte[] _key;
    private readonly string _receiveId;

    /// <param name="token">The callback token configured in the admin console.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey.</param>
    /// <param name="receiveId">The corp id (WeCom) or app id (mini program) expected after the message.</param>
    public WeixinMessageCrypt(string token, string encodingAesKey, string receiveId)
    {
        if (encodingAesKey is not { Length: 43 })
            throw new ArgumentException("EncodingAESKey must be 43 characters", nameof(encodingAesKey));
        _token = token;
        _key = Convert.FromBase64String(encodingAesKey + "=");
        _receiveId = receiveId;
    }

    /// <summary><c>sha1</c> of the sorted, concatenated parts, lower-case hex.</summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    /// <summary>The <c>msg_signature</c> over an encrypted text.</summary>
    public string MessageSignature(string timestamp, string nonce, string encrypt) => Signature(_token, timestamp, nonce, encrypt);

    /// <summary>URL verification: checks the signature over <paramref name="echoStr"/> and returns its plaintext.</summary>
    public string VerifyUrl(string? msgSignature, string? timestamp, string? nonce, string? echoStr)
    {
        if (string.IsNullOrEmpty(echoStr)) throw new WeixinCallbackException("echostr missing", malformed: true);
        CheckSignature(msgSignature, timestamp, nonce, echoStr);
        return Decrypt(echoStr);
    }

    /// <summary>An event POST: checks the signature over the body's <c>Encrypt</c> and returns the plaintext XML.</summary>
    public string DecryptMessage(string? msgSignature, string? timestamp, string? nonce, string postBody)
    {
        string? encrypt;
        try { encrypt = CallbackXml.Parse(postBody).Root?.Element("Encrypt")?.Value; }
        catch (System.Xml.XmlException) { throw new WeixinCallbackException("body is not XML", malformed: true); }
        if (string.IsNullOrEmpty(encrypt)) throw new WeixinCallbackException("Encrypt missing", malformed: true);
        CheckSignature(msgSignature, timestamp, nonce, encrypt);
        return Decrypt(encrypt);
    }

    /// <summary>Encrypts a message into the <c>&lt;xml&gt;&lt;Encrypt/&gt;&lt;MsgSignature/&gt;...</c> envelope (replies; the fake's callbacks).</summary>
    public string EncryptMessage(string message, string timestamp, string nonce)
    {
        var encrypt = Encrypt(message);
        return new XElement("xml",
            new XElement("Encrypt", new XCData(encrypt)),
            new XElement("MsgSignature", new XCData(MessageSignature(timestamp, nonce, encrypt))),
            new XElement("TimeStamp", timestamp),
            new XElement("Nonce", new XCData(nonce))).ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The base64 ciphertext of <paramref name="message"/> (random prefix each time).</summary>
    public string Encrypt(string message)
    {
        var msg = Encoding.UTF8.GetBytes(message);
        var receiveId = Encoding.UTF8.GetBytes(_receiveId);
        var length = 16 + 4 + msg.Length + receiveId.Length;
        var pad = PadBlock - length % PadBlock;
        var plain = new byte[length + pad];
        RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16, 4), msg.Length);
        msg.CopyTo(plain, 20);
        receiveId.CopyTo(plain, 20 + msg.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>Decrypts a base64 ciphertext and checks the trailing receive id.</summary>
    public string Decrypt(string encrypt)
    {
        byte[] plain;
        try
        {
            var cipher = Convert.FromBase64String(encrypt);
            using var aes = Aes.Create();
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new WeixinCallbackException("ciphertext cannot be decrypted");
        }
        var pad = plain.Length == 0 ? 0 : plain[^1];
        if (pad is < 1 or > PadBlock || plain.Length < 20 + pad) throw new WeixinCallbackException("bad padding");
        var content = plain.AsSpan(0, plain.Length - pad);
        var msgLength = BinaryPrimitives.ReadInt32BigEndian(content.Slice(16, 4));
        if (msgLength < 0 || 20 + msgLength > content.Length) throw new WeixinCallbackException("bad message length");
        var receiveId = Encoding.UTF8.GetString(content[(20 + msgLength)..]);
        if (receiveId != _receiveId) throw new WeixinCallbackException("receive id does not match");
        return Encoding.UTF8.GetString(content.Slice(20, msgLength));
    }

    private void CheckSignature(string? msgSignature, string? timestamp, string? nonce, string encrypt)
    {
        if (string.IsNullOrEmpty(msgSignature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce))
            throw new WeixinCallbackException("msg_signature, timestamp or nonce missing", malformed: true);
        var expected = MessageSignature(timestamp, nonce, encrypt);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(msgSignature.ToLowerInvariant())))
            throw new WeixinCallbackException("msg_signature does not match");
    }
}

/// <summary>
/// XML from outside, parsed without a DTD (no entity expansion, no external resolution: a billion-laughs body
/// is refused as malformed, not expanded) and with a bound on its size.
/// </summary>
internal static class CallbackXml
{
    private static readonly System.Xml.XmlReaderSettings Settings = new()
    {
        DtdProcessing = System.Xml.DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = 1_000_000,
    };

    public static XDocument Parse(string xml)
    {
        using var reader = System.Xml.XmlReader.Create(new StringReader(xml), Settings);
        return XDocument.Load(reader);
    }
}
