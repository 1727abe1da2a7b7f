using Guide.Api.OpenApi;
using Guide.Api.Simulator;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Simulator;

/// <summary>
/// Simulator mode only (never mapped otherwise): act as the shopper and as WeChat Pay. Payments and refunds
/// reach us the way production gets them, as signed notifications to <c>/webhooks/wxpay/notify</c>.
/// </summary>
public static class SimulatorEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorEndpoints(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup("/api/simulator").WithTags("Simulator").AllowAnonymous();
        simulator.MapPost("/pay/{outTradeNo}", Pay)
            .WithSummary("Simulator: the shopper pays a WeChat Pay order (a recharge's outTradeNo); its notification is delivered to our webhook.")
            .Errors("request.validation_failed", "simulator.off", "simulator.order_not_found", "simulator.order_closed");
        simulator.MapPost("/refunds/{outRefundNo}/settle", SettleRefund)
            .WithSummary("Simulator: a recharge refund succeeds at WeChat Pay now; its notification is delivered to our webhook.")
            .Errors("request.validation_failed", "simulator.off", "simulator.refund_not_found");
        return app;
    }

    private static async Task<Ok<SimulatedPayment>> Pay(string outTradeNo, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new PaySimulatedOrder(outTradeNo), ct));

    private static async Task<Ok<SimulatedRefund>> SettleRefund(string outRefundNo, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new SettleSimulatedRefund(outRefundNo), ct));
}
