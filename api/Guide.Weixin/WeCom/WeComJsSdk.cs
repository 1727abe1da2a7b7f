using System.Security.Cryptography;
using System.Text;

namespace Guide.Weixin.WeCom;

/// <summary>
/// The JS-SDK signature: <c>sha1("jsapi_ticket=T&amp;noncestr=N&amp;timestamp=S&amp;url=U")</c>, fields in that
/// order, no URL encoding, the page URL without its <c>#</c> fragment (WeCom doc 96909, JS-SDK 签名算法).
/// </summary>
public static class WeComJsSdk
{
    public static string Sign(string ticket, string nonceStr, long timestamp, string pageUrl)
    {
        var hash = pageUrl.IndexOf('#');
        var url = hash >= 0 ? pageUrl[..hash] : pageUrl;
        var text = $"jsapi_ticket={ticket}&noncestr={nonceStr}&timestamp={timestamp}&url={url}";
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }

    internal static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
