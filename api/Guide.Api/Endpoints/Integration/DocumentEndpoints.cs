using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Documents;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Integration;

/// <summary>POS, ERP and mall: sales documents (sales and refunds), idempotent per client and document number.</summary>
public static class DocumentEndpoints
{
    public static RouteGroupBuilder MapIntegrationDocumentEndpoints(this RouteGroupBuilder integration)
    {
        integration.MapPost("/documents", Record)
            .WithSummary("Record a sale or a refund; a resend returns the first result (replayed=true); a refund beyond what was sold is refused.")
            .Errors("request.validation_failed", "member.not_found", "store.not_found", "guide.not_found", "wallet.payment_code_invalid", "document.number_reused", "document.original_not_found", "document.unknown_line", "document.refund_exceeds_sale", "document.points_not_deducted");
        return integration;
    }

    private static async Task<Ok<SalesDocumentView>> Record(DocumentRequest request, ClaimsPrincipal client, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new RecordSalesDocument(client.SubjectId(), request.DocumentNumber ?? "",
            request.Kind ?? (DocumentKind)(-1), request.StoreCode, request.Guide, request.MemberId, request.MemberPhone, request.PaymentCode,
            request.DocumentTime, request.OriginalDocumentNumber,
            (request.Lines ?? []).Select(l => l is null
                ? new DocumentLineInput(0, null, null, null, 0, 0, 0, null)
                : new DocumentLineInput(l.LineNo, l.Sku, l.Product, l.Category, l.Quantity, l.UnitPrice, l.PaidAmount, l.OriginalLineNo)).ToList(),
            (request.Payments ?? []).Select(p => new DocumentPaymentInput(p?.Method ?? (PaymentMethod)(-1), p?.Amount ?? 0)).ToList()), ct));
}
