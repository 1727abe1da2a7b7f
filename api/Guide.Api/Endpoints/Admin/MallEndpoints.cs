using System.Text;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Guide.Domain.Mall;
using MediatR;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: the points mall's items (terms, stock by restocks and removals, its ledger, archive) and redemptions (finding, shipping).</summary>
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
        admin.MapPost("/mall/items/{itemId:guid}/stock-removals", async (Guid itemId, MallStockRemovalRequest r, HttpRequest http, IMediator m,
                CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new RemoveMallStock(itemId, r.Quantity, r.Reason ?? "", IdempotencyKeys.Required(http)), ct)))
            .WithSummary("Write units off an item's stock (damaged, miscounted) with a reason, once per Idempotency-Key; never more than are left.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "mall.item_not_found", "mall.stock_from_codes",
                "mall.stock_insufficient");
        admin.MapGet("/mall/items/{itemId:guid}/stock-entries", async (Guid itemId, int? page, int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok((await m.Send(new ListMallStockEntries(itemId, page, pageSize), ct)).ToView()))
            .WithSummary("An item's stock ledger, newest first (paged): kind, signed quantity, reason (removals), redemption; the stock is their sum.")
            .Errors("mall.item_not_found");
        admin.MapPost("/mall/items/{itemId:guid}/codes", ImportCodes).DisableAntiforgery().ReadsBody("text/csv")
            .WithSummary("Import a coupon item's code pool from CSV (text/csv, a 'code' column) with an Idempotency-Key; stock grows by the codes. "
                + "One bad or repeated line rejects the whole file.")
            .Errors("idempotency.key_required", "idempotency.key_reused", "mall.item_not_found", "mall.codes_invalid");
        admin.MapGet("/mall/redemptions", ListRedemptionsAsync)
            .WithSummary("Redemptions, newest first (paged), filtered by itemId, memberId, status, kind and from/to (brand days, yyyy-MM-dd, inclusive); "
                + "status=redeemed&kind=shipped is what waits to be shipped. format=csv: every match (at most 10,000) as a file.")
            .Errors("request.validation_failed", "mall.export_too_large");
        admin.MapGet("/mall/redemptions/{redemptionId:guid}", async (Guid redemptionId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetMallRedemption(redemptionId), ct)))
            .WithSummary("One redemption, with who fulfilled it.")
            .Errors("mall.redemption_not_found");
        admin.MapPost("/mall/redemptions/{redemptionId:guid}/shipment", async (Guid redemptionId, MallShipmentRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ShipMallRedemption(redemptionId, r.Carrier ?? "", r.TrackingNumber ?? ""), ct)))
            .WithSummary("Mark a shipped-kind redemption as sent, with carrier and tracking number.")
            .Errors("request.validation_failed", "mall.redemption_not_found", "mall.not_fulfillable");
        return admin;
    }

    private static async Task<Results<Ok<PageView<MallRedemptionHqView>>, FileContentHttpResult>> ListRedemptionsAsync(Guid? itemId, Guid? memberId,
        QueryEnum<MallRedemptionStatus>? status, QueryEnum<MallItemKind>? kind, DateOnly? from, DateOnly? to, int? page, int? pageSize,
        QueryEnum<ReportFormat>? format, IMediator m, CancellationToken ct)
    {
        var filter = new MallRedemptionFilter(itemId, memberId, status?.Value, kind?.Value, from, to);
        if (format?.Value != ReportFormat.Csv) return TypedResults.Ok((await m.Send(new ListMallRedemptions(filter, page, pageSize), ct)).ToView());
        var csv = await MallRedemptionsCsv.WriteAsync(await m.Send(new ExportMallRedemptions(filter), ct), ct);
        // A BOM so that Excel reads the Chinese item names as UTF-8.
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", "mall-redemptions.csv");
    }

    private const int MaxCodesBytes = 1024 * 1024;

    private static async Task<Ok<MallCodesImported>> ImportCodes(Guid itemId, HttpRequest http, IMediator mediator,
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
