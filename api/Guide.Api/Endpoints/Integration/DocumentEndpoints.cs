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
            .WithSummary("Record a sale or a refund; a resend returns the first result (replayed=true); a refund beyond what was sold is refused. "
                + "A refund whose sale this client has not recorded yet answers 202 with status waiting_for_sale: it is posted (points, commission "
                + "in the refund's own month, level) when the sale arrives; a resend then answers the posted refund (200), or, if it did not fit "
                + "the sale, the refusal. HQ lists them at /api/admin/waiting-refunds.")
            .Produces<SalesDocumentView>(StatusCodes.Status202Accepted)
            .Errors("request.validation_failed", "member.not_found", "store.not_found", "guide.not_found", "wallet.payment_code_invalid", "document.number_reused", "document.unknown_line", "document.refund_exceeds_sale", "document.points_not_deducted");
        return integration;
    }

    private static async Task<Results<Ok<SalesDocumentView>, Accepted<SalesDocumentView>>> Record(DocumentRequest request, ClaimsPrincipal client,
        IMediator mediator, CancellationToken ct)
    {
        var document = await mediator.Send(new RecordSalesDocument(client.SubjectId(), request.DocumentNumber ?? "",
            request.Kind ?? (DocumentKind)(-1), request.StoreCode, request.Guide, request.MemberId, request.MemberPhone, request.PaymentCode,
            request.DocumentTime, request.OriginalDocumentNumber,
            (request.Lines ?? []).Select(l => l is null
                ? new DocumentLineInput(0, null, null, null, 0, 0, 0, null)
                : new DocumentLineInput(l.LineNo, l.Sku, l.Product, l.Category, l.Quantity, l.UnitPrice, l.PaidAmount, l.OriginalLineNo)).ToList(),
            (request.Payments ?? []).Select(p => new DocumentPaymentInput(p?.Method ?? (PaymentMethod)(-1), p?.Amount ?? 0)).ToList()), ct);
        if (document.Status == DocumentStatus.WaitingForSale) return TypedResults.Accepted((string?)null, document);
        // A sale (also a resend: its first request may have ended before this) posts the refunds that came before it.
        if (document.Kind == DocumentKind.Sale) await mediator.Send(new PostWaitingRefunds(client.SubjectId(), document.DocumentNumber), ct);
        return TypedResults.Ok(document);
    }
}
