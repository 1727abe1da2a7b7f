using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Points;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Integration;

/// <summary>POS and mall: pay part of a document with points (积分抵现), and give them back on a refund. Both idempotent per client.</summary>
public static class PointsEndpoints
{
    public static RouteGroupBuilder MapIntegrationPointsEndpoints(this RouteGroupBuilder integration)
    {
        integration.MapPost("/points/deductions", Deduct)
            .WithSummary("Spend points for part of a document, earliest expiry first (idempotent by client and documentNumber; a resend answers replayed=true).")
            .Errors("request.validation_failed", "integration.member_id_not_allowed", "member.not_found", "store.not_found", "wallet.payment_code_invalid",
                "wallet.payment_code_expired", "wallet.payment_code_used", "points.insufficient", "points.below_minimum", "points.not_whole_fen",
                "points.share_exceeded", "points.document_number_reused");
        integration.MapPost("/points/deductions/refunds", Refund)
            .WithSummary("Give back points of a deduction to the lots they came from, with their original expiry (idempotent by client and refundNumber).")
            .Errors("request.validation_failed", "points.deduction_not_found", "points.refund_exceeds_deduction", "points.not_whole_fen",
                "points.refund_number_reused");
        return integration;
    }

    private static async Task<Ok<PointsDeductionResponse>> Deduct(PointsDeductionRequest request, ClaimsPrincipal client, IMediator mediator, IMapper mapper,
        CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<PointsDeductionResponse>(await mediator.Send(new DeductPoints(client.SubjectId(), request.DocumentNumber ?? "",
            request.Points, request.DocumentAmount, request.MemberId, request.PaymentCode, request.StoreCode), ct)));

    private static async Task<Ok<PointsDeductionRefundResponse>> Refund(PointsDeductionRefundRequest request, ClaimsPrincipal client, IMediator mediator,
        IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<PointsDeductionRefundResponse>(await mediator.Send(new RefundPointsDeduction(client.SubjectId(), request.RefundNumber ?? "",
            request.DocumentNumber ?? "", request.Points), ct)));
}
