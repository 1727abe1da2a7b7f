using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Wallets;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Integration;

/// <summary>POS and mall: pay with the member's wallet, and refund such a payment. Both idempotent per client.</summary>
public static class WalletEndpoints
{
    public static RouteGroupBuilder MapIntegrationWalletEndpoints(this RouteGroupBuilder integration)
    {
        integration.MapPost("/wallet/charges", Charge)
            .WithSummary("Debit the wallet for a document (idempotent by client and documentNumber; a resend answers replayed=true).")
            .WithExample(Examples.ChargeRequest, Examples.ChargeResponse)
            .Errors("request.validation_failed", "integration.member_id_not_allowed", "member.not_found", "store.not_found", "wallet.payment_code_invalid", "wallet.payment_code_expired", "wallet.payment_code_used", "wallet.confirmation_required", "wallet.confirmation_invalid", "wallet.confirmation_expired", "wallet.confirmation_used", "wallet.confirmation_amount_mismatch", "wallet.insufficient_balance", "wallet.document_number_reused");
        integration.MapPost("/wallet/refunds", Refund)
            .WithSummary("Return all or part of a charge to the buckets and lots it came from (idempotent by client and refundNumber).")
            .WithExample(Examples.RefundRequest, Examples.RefundResponse)
            .Errors("request.validation_failed", "wallet.charge_not_found", "wallet.refund_exceeds_charge", "wallet.refund_number_reused");
        return integration;
    }

    private static async Task<Ok<WalletChargeResponse>> Charge(WalletChargeRequest request, ClaimsPrincipal client, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<WalletChargeResponse>(await mediator.Send(new ChargeWallet(client.SubjectId(), request.DocumentNumber ?? "",
            request.Amount, request.MemberId, request.PaymentCode, request.StoreCode, request.Confirmation), ct)));

    private static async Task<Ok<WalletRefundResponse>> Refund(WalletRefundRequest request, ClaimsPrincipal client, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<WalletRefundResponse>(await mediator.Send(new RefundWalletCharge(client.SubjectId(), request.RefundNumber ?? "",
            request.DocumentNumber ?? "", request.Amount), ct)));
}
