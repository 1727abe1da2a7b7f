using Guide.Weixin.Callbacks;

namespace Guide.Weixin.Tests.Callbacks;

public sealed class WeixinMessageCryptTests
{
    // The official WeCom sample (weixin.md section D).
    private const string Token = "QDG6eK";
    private const string ReceiveId = "wx5823bf96d3bd56c7";
    private const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string Timestamp = "1409659589";
    private const string Nonce = "263014780";
    private const string EchoStr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    private const string MsgSignature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";

    private static WeixinMessageCrypt Crypt(string receiveId = ReceiveId) => new(Token, EncodingAesKey, receiveId);

    [Fact]
    public void Official_vector_signature_reproduces()
    {
        Assert.Equal(MsgSignature, Crypt().MessageSignature(Timestamp, Nonce, EchoStr));
    }

    [Fact]
    public void Official_vector_url_verification_answers_the_plaintext()
    {
        Assert.Equal("1616140317555161061", Crypt().VerifyUrl(MsgSignature, Timestamp, Nonce, EchoStr));
    }

    [Fact]
    public void Official_vector_with_another_receive_id_is_rejected()
    {
        var e = Assert.Throws<WeixinCallbackException>(() => Crypt("wwsomebodyelse").VerifyUrl(MsgSignature, Timestamp, Nonce, EchoStr));
        Assert.Equal("receive id does not match", e.Reason);
    }

    [Theory]
    [InlineData("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4", Timestamp, Nonce)]
    [InlineData(MsgSignature, "1409659590", Nonce)]
    [InlineData(MsgSignature, Timestamp, "263014781")]
    [InlineData("", Timestamp, Nonce)]
    public void Any_changed_signature_input_is_rejected(string signature, string timestamp, string nonce)
    {
        Assert.Throws<WeixinCallbackException>(() => Crypt().VerifyUrl(signature, timestamp, nonce, EchoStr));
    }

    [Fact]
    public void Encrypted_message_round_trips_and_pads_to_32_bytes()
    {
        var crypt = Crypt();
        var message = "<xml><Content><![CDATA[你好，导购]]></Content></xml>";

        var envelope = crypt.EncryptMessage(message, "1700000000", "nonce1");
        var encrypt = System.Xml.Linq.XDocument.Parse(envelope).Root!.Element("Encrypt")!.Value;
        var signature = System.Xml.Linq.XDocument.Parse(envelope).Root!.Element("MsgSignature")!.Value;

        Assert.Equal(0, Convert.FromBase64String(encrypt).Length % 32);
        Assert.Equal(message, crypt.DecryptMessage(signature, "1700000000", "nonce1", envelope));
    }

    [Fact]
    public void Tampered_ciphertext_with_a_recomputed_signature_still_fails()
    {
        var crypt = Crypt();
        var bytes = Convert.FromBase64String(crypt.Encrypt("<xml/>"));
        bytes[^1] ^= 0x01;
        var tampered = Convert.ToBase64String(bytes);
        var body = $"<xml><Encrypt><![CDATA[{tampered}]]></Encrypt></xml>";

        Assert.Throws<WeixinCallbackException>(() =>
            crypt.DecryptMessage(crypt.MessageSignature("1", "2", tampered), "1", "2", body));
    }

    [Fact]
    public void Push_url_signature_is_the_sorted_sha1()
    {
        var signature = WeixinPushSignature.Compute(Token, Timestamp, Nonce);
        Assert.True(WeixinPushSignature.IsValid(Token, signature, Timestamp, Nonce));
        Assert.False(WeixinPushSignature.IsValid(Token, signature, Timestamp, "1"));
        Assert.False(WeixinPushSignature.IsValid("", signature, Timestamp, Nonce));
    }
}
