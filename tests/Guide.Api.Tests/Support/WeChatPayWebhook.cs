using System.Text;
using Guide.Weixin.Fake;

namespace Guide.Api.Tests.Support;

/// <summary>Posting a WeChat Pay notification (genuine, forged or tampered, as the fake built it) to our notify URL.</summary>
public static class WeChatPayWebhook
{
    public static async Task<HttpResponseMessage> NotifyAsync(this ApiFixture api, FakePayNotification notification)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/wxpay/notify")
        {
            Content = new StringContent(notification.Body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in notification.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await api.Client().SendAsync(request);
    }
}
