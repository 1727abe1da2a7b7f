using Guide.Api.OpenApi;
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
                TypedResults.Ok(await m.Send(new CreateMallItem(r.Kind, r.Name ?? "", r.PointsPrice, r.LimitPerDay, r.LimitTotal, r.AllowedLevels,
                    r.OnSaleFrom, r.OnSaleUntil, r.Stock), ct)))
            .WithSummary("A new item (pickup or shipped) with its points price, first stock, limits, allowed levels and on-sale window.")
            .Errors("request.validation_failed");
        admin.MapPut("/mall/items/{itemId:guid}", async (Guid itemId, MallItemRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new UpdateMallItem(itemId, r.Name ?? "", r.PointsPrice, r.LimitPerDay, r.LimitTotal, r.AllowedLevels,
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
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "mall.item_not_found");
        admin.MapPost("/mall/redemptions/{redemptionId:guid}/shipment", async (Guid redemptionId, MallShipmentRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ShipMallRedemption(redemptionId, r.Carrier ?? "", r.TrackingNumber ?? ""), ct)))
            .WithSummary("Mark a shipped-kind redemption as sent, with carrier and tracking number.")
            .Errors("request.validation_failed", "mall.redemption_not_found", "mall.not_fulfillable");
        return admin;
    }
}
