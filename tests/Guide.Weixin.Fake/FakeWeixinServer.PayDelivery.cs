using System.Net;
using Microsoft.Extensions.Logging;

namespace Guide.Weixin.Fake;

/// <summary>One delivery of a notification: where it went and what the merchant answered (or why nothing came back).</summary>
public sealed record FakeNotifyDelivery(string NotifyUrl, int? Status, string? Error)
{
    /// <summary>WeChat Pay takes 200 and 204 as "received"; anything else, or no answer, is delivered again later.</summary>
    public bool Accepted => Status is 200 or 204;
}

/// <summary>An order the simulated shopper paid, and the first delivery of its TRANSACTION.SUCCESS notification.</summary>
public sealed record FakePayment(string OutTradeNo, string TransactionId, FakeNotifyDelivery Notification);

/// <summary>A refund that reached its final status, and the first delivery of its REFUND.* notification.</summary>
public sealed record FakeRefundSettlement(string OutRefundNo, string Status, FakeNotifyDelivery Notification);

/// <summary>
/// WeChat Pay's side of a payment in the simulator: the shopper pays (or a refund succeeds), the order's state
/// changes as a query then shows it, and the notification goes to the notify_url that the order or refund
/// request named, signed and encrypted like every other, delivered again on WeChat Pay's schedule until the
/// merchant answers 200 or 204.
/// </summary>
public sealed partial class FakeWeixinServer
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The state of an order (NOTPAY, SUCCESS, REFUND, CLOSED), or null when there is no such order.</summary>
    public string? OrderState(string outTradeNo)
    {
        lock (_lock) return _orders.GetValueOrDefault(outTradeNo)?.State;
    }

    /// <summary>The status of a refund (PROCESSING, SUCCESS, CLOSED, ABNORMAL), or null when there is no such refund.</summary>
    public string? RefundStatus(string outRefundNo)
    {
        lock (_lock) return _refunds.GetValueOrDefault(outRefundNo)?.Status;
    }

    /// <summary>
    /// The simulated shopper pays the order (unless paid already) and WeChat Pay notifies its notify_url; returns
    /// after the first delivery, later ones (when it was not accepted) run in the background. Throws
    /// <see cref="InvalidOperationException"/> for an unknown or closed order.
    /// </summary>
    public async Task<FakePayment> PayAndNotifyAsync(string outTradeNo, CancellationToken ct = default)
    {
        var transactionId = PayOrder(outTradeNo);
        string notifyUrl;
        lock (_lock) notifyUrl = _orders[outTradeNo].NotifyUrl;
        var body = CreatePayNotification(outTradeNo).Body;
        var delivery = await DeliverAsync(notifyUrl, body, "payment " + outTradeNo, ct).ConfigureAwait(false);
        return new FakePayment(outTradeNo, transactionId, delivery);
    }

    /// <summary>
    /// A processing refund reaches <paramref name="status"/> (one already final keeps its status) and WeChat Pay
    /// notifies, as <see cref="PayAndNotifyAsync"/>. Throws <see cref="InvalidOperationException"/> for an unknown refund.
    /// </summary>
    public async Task<FakeRefundSettlement> SettleRefundAndNotifyAsync(string outRefundNo, string status = "SUCCESS", CancellationToken ct = default)
    {
        string notifyUrl, final;
        lock (_lock)
        {
            var refund = _refunds.GetValueOrDefault(outRefundNo) ?? throw new InvalidOperationException($"no refund {outRefundNo}");
            if (refund.Status == "PROCESSING") SettleRefund(outRefundNo, status);
            notifyUrl = refund.NotifyUrl ?? refund.Order.NotifyUrl;
            final = refund.Status;
        }
        var body = CreateRefundNotification(outRefundNo).Body;
        var delivery = await DeliverAsync(notifyUrl, body, "refund " + outRefundNo, ct).ConfigureAwait(false);
        return new FakeRefundSettlement(outRefundNo, final, delivery);
    }

    /// <summary>With <see cref="FakeWeixinOptions.AutoPayAfter"/>: the shopper pays a new order by itself, later.</summary>
    private void ScheduleAutoPay(string outTradeNo) =>
        RunLater(async () =>
        {
            if (OrderState(outTradeNo) == "NOTPAY") await PayAndNotifyAsync(outTradeNo, _stopping.Token).ConfigureAwait(false);
        }, "paying order " + outTradeNo);

    /// <summary>With <see cref="FakeWeixinOptions.AutoPayAfter"/>: a new refund succeeds by itself, later.</summary>
    private void ScheduleAutoRefund(string outRefundNo) =>
        RunLater(async () =>
        {
            if (RefundStatus(outRefundNo) == "PROCESSING") await SettleRefundAndNotifyAsync(outRefundNo, ct: _stopping.Token).ConfigureAwait(false);
        }, "settling refund " + outRefundNo);

    private void RunLater(Func<Task> work, string what)
    {
        if (_options.AutoPayAfter is not { } delay || delay <= TimeSpan.Zero) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
            catch (Exception e)
            {
                _options.Logger?.LogWarning(e, "Simulated WeChat Pay: {What} failed", what);
            }
        });
    }

    /// <summary>Delivers once now; when that is not accepted, again in the background on the retry schedule.</summary>
    private async Task<FakeNotifyDelivery> DeliverAsync(string notifyUrl, string body, string what, CancellationToken ct)
    {
        var first = await DeliverOnceAsync(notifyUrl, body, what, attempt: 1, ct).ConfigureAwait(false);
        if (!first.Accepted)
            _ = Task.Run(async () =>
            {
                var attempt = 1;
                foreach (var pause in _options.NotifyRetryDelays)
                {
                    try { await Task.Delay(pause, _stopping.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                    if ((await DeliverOnceAsync(notifyUrl, body, what, ++attempt, _stopping.Token).ConfigureAwait(false)).Accepted) return;
                }
                _options.Logger?.LogWarning("Simulated WeChat Pay gave up notifying {What} after {Attempts} deliveries", what, attempt);
            });
        return first;
    }

    private async Task<FakeNotifyDelivery> DeliverOnceAsync(string notifyUrl, string body, string what, int attempt, CancellationToken ct)
    {
        if (!Uri.TryCreate(notifyUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return new FakeNotifyDelivery(notifyUrl, null, "notify_url is not an absolute http(s) URL");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        timeout.CancelAfter(DeliveryTimeout);
        try
        {
            // Signed now, not when first built: the merchant checks the timestamp, and a resend is a new request.
            var status = await PostPayNotificationAsync(url, SignPayNotification(body), timeout.Token).ConfigureAwait(false);
            _options.Logger?.Log(status is HttpStatusCode.OK or HttpStatusCode.NoContent ? LogLevel.Information : LogLevel.Warning,
                "Simulated WeChat Pay notified {What} to {NotifyUrl} (delivery {Attempt}): {Status}", what, notifyUrl, attempt, (int)status);
            return new FakeNotifyDelivery(notifyUrl, (int)status, null);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _options.Logger?.LogWarning("Simulated WeChat Pay could not notify {What} to {NotifyUrl} (delivery {Attempt}): {Error}", what, notifyUrl, attempt, e.Message);
            return new FakeNotifyDelivery(notifyUrl, null, e is OperationCanceledException ? "no answer within 10 s" : e.Message);
        }
    }
}
