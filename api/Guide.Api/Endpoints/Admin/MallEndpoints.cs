using Guide.Api.OpenApi;
using Microsoft.AspNetCore.Http;
using Guide.Domain.Mall;
using MediatR;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: the points mall's items (terms, stock by restocks, archive) and shipping redemptions.</summary>
public static class MallEndpoints
{
    public static RouteGroupBuilder MapAdminMallEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/mall/items", async (bool? includeArchived, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListMallItems(includeArchived ?? false), ct)))
            .WithSummary("The mall's items (archived ones with includeArchived=true).")
            .Errors();
        admin.MapPost("/mall/items", async (MallItemRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new CreateMallItem(r.Kind, r.Name ?? "", r.PointsPrice, r.CashPrice, r.LimitPerDay, r.LimitTotal, r.AllowedLevels,
                    r.OnSaleFrom, r.OnSaleUntil, r.Stock), ct)))
            .WithSummary("A new item (pickup or shipped) with its points price, first stock, limits, allowed levels and on-sale window.")
            .Errors("request.validation_failed");
        admin.MapPut("/mall/items/{itemId:guid}", async (Guid itemId, MallItemRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new UpdateMallItem(itemId, r.Name ?? "", r.PointsPrice, r.CashPrice, r.LimitPerDay, r.LimitTotal, r.AllowedLevels,
                    r.OnSaleFrom, r.OnSaleUntil), ct)))
            .WithSummary("Change an item's terms (kind and stock stay: stock changes by restocks).")
            .Errors("request.validation_failed", "mall.item_not_found");
        admin.MapPost("/mall/items/{itemId:guid}/archive", async (Guid itemId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ArchiveMallItem(itemId), ct)))
            .WithSummary("Take an item off the mall for good (its redemptions stay).")
            .Errors("mall.item_not_found");
        admin.MapPost("/mall/items/{itemId:guid}/restocks", async (Guid itemId, MallRestockRequest r, HttpRequest http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new RestockMallItem(itemId, r.Quantity, IdempotencyKeys.Required(http)), ct)))
            .WithSummary("Add units to an item's stock (an entry of its stock ledger), once per Idempotency-Key.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "mall.item_not_found", "mall.stock_from_codes");
        admin.MapPost("/mall/items/{itemId:guid}/codes", ImportCodes).DisableAntiforgery().ReadsBody("text/csv")
            .WithSummary("Import a coupon item's code pool from CSV (text/csv, a 'code' column) with an Idempotency-Key; stock grows by the codes. "
                + "One bad or repeated line rejects the whole file.")
            .Errors("idempotency.key_required", "idempotency.key_reused", "mall.item_not_found", "mall.codes_invalid");
        admin.MapPost("/mall/redemptions/{redemptionId:guid}/shipment", async (Guid redemptionId, MallShipmentRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ShipMallRedemption(redemptionId, r.Carrier ?? "", r.TrackingNumber ?? ""), ct)))
            .WithSummary("Mark a shipped-kind redemption as sent, with carrier and tracking number.")
            .Errors("request.validation_failed", "mall.redemption_not_found", "mall.not_fulfillable");
        return admin;
    }

    private const int MaxCodesBytes = 1024 * 1024;

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<MallCodesImported>> ImportCodes(Guid itemId, HttpRequest http, IMediator mediator,
        CancellationToken ct)
    {
        var key = IdempotencyKeys.Required(http);
        if (http.ContentLength > MaxCodesBytes) throw new BadHttpRequestException("The file is larger than 1 MB.", StatusCodes.Status413PayloadTooLarge);
        // Read whole (bounded), so the parser never waits on the network inside the transaction and a retry reads the same bytes.
        var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxCodesBytes) throw new BadHttpRequestException("The file is larger than 1 MB.", StatusCodes.Status413PayloadTooLarge);
        }
        return TypedResults.Ok(await mediator.Send(new ImportMallCouponCodes(itemId, buffer.ToArray(), key), ct));
    }
}
