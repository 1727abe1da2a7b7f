using System.Net.Sockets;
using Guide.Domain.Messaging;
using Guide.Weixin;
using Guide.Weixin.MiniProgram;

namespace Guide.Api.Weixin;

/// <summary>
/// The mini-program subscribe message (<c>/cgi-bin/message/subscribe/send</c>) for the message gateway: the member's openid,
/// the template's WeChat id, its values and page. 43101 (no accepted subscription left) is the gateway's no-quota answer;
/// -1 (system busy), 45009 and 45011 (rate limits) and a connection that never opened are transient (nothing was delivered);
/// every other error is a rejection (47003 bad data, 40037 bad template id...).
/// </summary>
public sealed class SubscribeMessageSender(IMiniProgramClient miniProgram, IConfiguration configuration) : IMessageSender
{
    public MessageChannel Channel => MessageChannel.Subscribe;

    public async Task<DeliveryResult> SendAsync(MessageDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Template is not { } template) return new DeliveryResult(DeliveryOutcome.Rejected, "a subscribe message needs a template");
        var state = configuration["Weixin:MiniProgram:State"] ?? "formal";
        try
        {
            await miniProgram.SendSubscribeMessageAsync(
                new SubscribeMessage(delivery.OpenId, template.ExternalId, delivery.Data, delivery.Page ?? template.Page, state), cancellationToken);
            return DeliveryResult.Delivered;
        }
        catch (WeixinApiException e) when (e.ErrorCode == 43101)
        {
            return new DeliveryResult(DeliveryOutcome.NoSubscribeQuota, $"43101 {e.ErrorMessage}");
        }
        catch (WeixinApiException e) when (e.ErrorCode is -1 or 45009 or 45011)
        {
            return new DeliveryResult(DeliveryOutcome.Transient, $"{e.ErrorCode} {e.ErrorMessage}");
        }
        catch (WeixinApiException e)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, $"{e.ErrorCode} {e.ErrorMessage}");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            return new DeliveryResult(DeliveryOutcome.Transient, "WeChat unreachable: " + e.Message);
        }
    }
}
