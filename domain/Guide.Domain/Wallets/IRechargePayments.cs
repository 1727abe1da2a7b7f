using Guide.Domain.Common;

namespace Guide.Domain.Wallets;

/// <summary>What stored value needs from WeChat Pay besides its orders: refunds of recharges.</summary>
public interface IRechargePayments : IWeChatPayOrders
{
    /// <summary>Requests (or, with the same out_refund_no, re-requests) a refund; its state as answered.</summary>
    Task<RechargeRefundState> RefundAsync(RechargeRefund refund, string outTradeNo, long totalFen, CancellationToken cancellationToken);

    Task<RechargeRefundState> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken);
}

/// <summary>A WeChat Pay refund's state: SUCCESS, PROCESSING, CLOSED or ABNORMAL.</summary>
public sealed record RechargeRefundState(string OutRefundNo, string Status, DateTimeOffset? SuccessTime);
