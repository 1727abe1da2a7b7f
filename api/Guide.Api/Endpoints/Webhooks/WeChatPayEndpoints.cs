using Guide.Api.OpenApi;
using Guide.Api.Weixin;
using Guide.Domain.Common;
using Guide.Domain.Mall;
using Guide.Domain.Wallets;
using Guide.Weixin;
using Guide.Weixin.Pay;
using MediatR;
using Microsoft.Extensions.Options;

namespace Guide.Api.Endpoints.Webhooks;

/// <summary>
/// WeChat Pay's notify_url. The signature and timestamp are verified before anything is parsed; a recharge
/// (or the cash part of a points + cash mall redemption) is applied once however often (and however concurrently) WeChat Pay repeats the notification. Answers as
/// WeChat Pay expects: 204 when handled (also for orders that are not ours, so they are not resent for a
/// day), 401 with <c>{"code":"FAIL"}</c> for a bad signature, 500 with it when we failed and want a resend.
/// </summary>
public static class WeChatPayEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapWeChatPayWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/wxpay/notify", Notify).DisableAntiforgery()
            .WithSummary("WeChat Pay notifications (payments of recharges and of mall redemptions' cash parts; refunds of recharges).")
            .WithDescription("Called by WeChat Pay only: an APIv3 notification (AES-256-GCM resource), signed in the Wechatpay-* headers. "
                + "Answers as WeChat Pay expects, not with problem details: 204 when handled (also for orders that are not ours), "
                + "a FAIL body otherwise (500 asks WeChat Pay to send it again).")
            .WithMetadata(new WebhookSignatureMetadata())
            .Produces(StatusCodes.Status204NoContent)
            .Produces<WeChatPayFailure>(StatusCodes.Status400BadRequest)
            .Produces<WeChatPayFailure>(StatusCodes.Status401Unauthorized)
            .Produces<WeChatPayFailure>(StatusCodes.Status413PayloadTooLarge)
            .Produces<WeChatPayFailure>(StatusCodes.Status500InternalServerError)
            .Errors();
        return webhooks;
    }

    private static async Task<IResult> Notify(HttpRequest http, WeChatPayNotificationReader reader, IMediator mediator,
        IOptionsMonitor<WeixinOptions> options, ILogger<WeChatPayNotificationReader> logger, CancellationToken ct)
    {
        if (await WebhookBody.ReadAsync(http, MaxBodyBytes, ct) is not { } body) return Fail(StatusCodes.Status413PayloadTooLarge, "body too large");

        WeChatPayNotification notification;
        try
        {
            notification = reader.Read(http.Headers, body);
        }
        catch (WeChatPaySignatureException e)
        {
            logger.LogWarning("Refused a WeChat Pay notification: {Reason}", e.Reason);
            return Fail(StatusCodes.Status401Unauthorized, "signature verification failed");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Reading only parses and verifies: whatever else it throws (a string with a lone surrogate, a value
            // where an object belongs) is a notification we cannot read, not a failure of ours to retry.
            logger.LogWarning(e, "Refused an unreadable WeChat Pay notification");
            return Fail(StatusCodes.Status400BadRequest, "notification unreadable");
        }

        try
        {
            if (notification.Transaction is { } transaction)
            {
                var state = WeChatPayOrders.StateOf(transaction, options.CurrentValue);
                var outcome = await mediator.Send(new SettleRechargePayment(state), ct);
                if (outcome == SettleOutcome.UnknownOrder) outcome = await mediator.Send(new SettleMallPayment(state), ct);
                logger.LogInformation("WeChat Pay notification {Key}: {Outcome}", notification.DeduplicationKey, outcome);
            }
            else if (notification.Refund is { } refund)
            {
                var applied = await mediator.Send(new CompleteRechargeRefund(new RechargeRefundState(refund.OutRefundNo, refund.Status, refund.SuccessTime)), ct);
                logger.LogInformation("WeChat Pay notification {Key}: applied {Applied}", notification.DeduplicationKey, applied);
            }
            else
            {
                logger.LogInformation("WeChat Pay notification {Key} ({EventType}) needs no action", notification.DeduplicationKey, notification.EventType);
            }
            return Results.NoContent();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "WeChat Pay notification {Key} failed; WeChat Pay will resend it", notification.DeduplicationKey);
            return Fail(StatusCodes.Status500InternalServerError, "temporary failure");
        }
    }

    /// <summary>The body WeChat Pay reads when a notification was not accepted.</summary>
    public sealed record WeChatPayFailure(string Code, string Message);

    private static IResult Fail(int status, string message) =>
        Results.Content(WeChatPayNotificationReader.FailureBody(message), "application/json", System.Text.Encoding.UTF8, status);
}
