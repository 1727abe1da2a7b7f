using System.Text.RegularExpressions;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Weixin.Fake;
using MediatR;

namespace Guide.Api.Simulator;

/// <summary>The running simulator's fake WeChat server; empty unless simulator mode started it.</summary>
public sealed class SimulatedWeChat
{
    public FakeWeixinServer? Server { get; internal set; }

    internal FakeWeixinServer Require() =>
        Server ?? throw new DomainException(DomainError.NotFound("simulator.off", "Simulator mode is off (Simulator:Enabled)."));
}

/// <summary>What the simulated WeChat Pay did: the payment (or refund) and how our notify URL answered its notification.</summary>
public sealed record SimulatedPayment(string OutTradeNo, string TradeState, string TransactionId, string NotifyUrl, int? NotifyStatus,
    string? NotifyError, bool Delivered);

public sealed record SimulatedRefund(string OutRefundNo, string Status, string NotifyUrl, int? NotifyStatus, string? NotifyError, bool Delivered);

/// <summary>
/// The simulated shopper pays a WeChat Pay order (a recharge's <c>outTradeNo</c>): the fake marks it paid, then
/// POSTs the signed, encrypted TRANSACTION.SUCCESS notification to the notify_url our prepay sent (our
/// <c>/webhooks/wxpay/notify</c>), exactly as WeChat Pay would; answers once that first delivery has been
/// answered. Paying a paid order delivers its notification again (WeChat Pay resends too; it is credited once).
/// </summary>
public sealed record PaySimulatedOrder(string OutTradeNo) : IRequest<SimulatedPayment>;

public sealed partial class PaySimulatedOrderValidator : AbstractValidator<PaySimulatedOrder>
{
    public PaySimulatedOrderValidator() =>
        RuleFor(x => x.OutTradeNo).Must(no => OutTradeNo().IsMatch(no ?? ""))
            .WithMessage("An out_trade_no is 6 to 32 characters of 0-9, A-Z, a-z, _, -, | and * (a recharge's outTradeNo).");

    [GeneratedRegex("^[0-9A-Za-z_\\-|*]{6,32}$")]
    internal static partial Regex OutTradeNo();
}

public sealed class PaySimulatedOrderHandler(SimulatedWeChat simulator) : IRequestHandler<PaySimulatedOrder, SimulatedPayment>
{
    public async Task<SimulatedPayment> Handle(PaySimulatedOrder request, CancellationToken cancellationToken)
    {
        var fake = simulator.Require();
        switch (fake.OrderState(request.OutTradeNo))
        {
            case null:
                throw new DomainException(DomainError.NotFound("simulator.order_not_found",
                    $"The simulated WeChat Pay has no order {request.OutTradeNo}: start a recharge (POST /api/mp/recharges) and pay its recharge.outTradeNo."));
            case "CLOSED":
                throw new DomainException(DomainError.Conflict("simulator.order_closed", "The order is closed (expired unpaid); start a new recharge."));
        }
        var payment = await fake.PayAndNotifyAsync(request.OutTradeNo, cancellationToken);
        var n = payment.Notification;
        return new SimulatedPayment(payment.OutTradeNo, fake.OrderState(request.OutTradeNo) ?? "SUCCESS", payment.TransactionId, n.NotifyUrl, n.Status, n.Error, n.Accepted);
    }
}

/// <summary>
/// A recharge refund at the simulated WeChat Pay succeeds now (rather than after <c>Simulator:AutoPayAfterSeconds</c>):
/// the REFUND.SUCCESS notification goes to our notify URL as WeChat Pay would send it.
/// </summary>
public sealed record SettleSimulatedRefund(string OutRefundNo) : IRequest<SimulatedRefund>;

public sealed class SettleSimulatedRefundValidator : AbstractValidator<SettleSimulatedRefund>
{
    public SettleSimulatedRefundValidator() =>
        RuleFor(x => x.OutRefundNo).Must(no => no is { Length: >= 1 and <= 64 } && no.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '|' or '*' or '@'))
            .WithMessage("An out_refund_no is 1 to 64 characters of 0-9, A-Z, a-z, _, -, |, * and @ (a recharge refund's outRefundNo).");
}

public sealed class SettleSimulatedRefundHandler(SimulatedWeChat simulator) : IRequestHandler<SettleSimulatedRefund, SimulatedRefund>
{
    public async Task<SimulatedRefund> Handle(SettleSimulatedRefund request, CancellationToken cancellationToken)
    {
        var fake = simulator.Require();
        if (fake.RefundStatus(request.OutRefundNo) is null)
            throw new DomainException(DomainError.NotFound("simulator.refund_not_found",
                $"The simulated WeChat Pay has no refund {request.OutRefundNo}: refund a paid recharge first (POST /api/admin/recharges/{{id}}/refund)."));
        var settled = await fake.SettleRefundAndNotifyAsync(request.OutRefundNo, ct: cancellationToken);
        var n = settled.Notification;
        return new SimulatedRefund(settled.OutRefundNo, settled.Status, n.NotifyUrl, n.Status, n.Error, n.Accepted);
    }
}
