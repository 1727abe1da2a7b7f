using Guide.Api.OpenApi;
using Guide.Domain.Documents;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: refunds that came before their sale (waiting, posted when the sale came, or refused then with the reason).</summary>
public static class DocumentEndpoints
{
    public static RouteGroupBuilder MapAdminDocumentEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/waiting-refunds", ListWaitingRefundsAsync)
            .WithSummary("Refunds a POS sent before their sale, newest first, by status (waiting, posted, refused): a posted one names its document, "
                + "a refused one the problem code and message that a resend would answer.")
            .Errors("request.validation_failed");
        return admin;
    }

    private static async Task<Ok<PageView<WaitingRefundView>>> ListWaitingRefundsAsync(QueryEnum<WaitingRefundStatus>? status, int? page, int? pageSize,
        IMediator m, CancellationToken ct)
    {
        var found = await m.Send(new ListWaitingRefunds(status?.Value, page, pageSize), ct);
        return TypedResults.Ok(new PageView<WaitingRefundView>(found.Items, found.PageNumber, found.PageSize, found.Total));
    }
}
