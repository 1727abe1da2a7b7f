using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Common;
using Guide.Domain.Mall;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using DomainMall = Guide.Domain.Mall;
using PickupState = Guide.MiniProgram.Contracts.Workbench.MallPickupState;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The workbench's part of the points mall: the counter list of pickups, putting one aside (the member is told), handing it out.</summary>
public static class MallEndpoints
{
    public static RouteGroupBuilder MapGuideMallEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapPost("/mall/pickups", async (MallPickupRequest r, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
            {
                var picked = await m.Send(new PickUpMallRedemption(user.SubjectId(), r.Code ?? ""), ct);
                return TypedResults.Ok(new MallPickupResponse(picked.Id, picked.MemberId, picked.ItemName, picked.Quantity, picked.FulfilledAt!.Value));
            })
            .WithSummary("Hand out a pickup redemption against its verification code (a redemption of the guide's own store, or of a member without a store).")
            .Errors("request.validation_failed", "guide.inactive", "mall.pickup_code_invalid", "mall.pickup_other_store", "mall.not_fulfillable");
        guide.MapGet("/mall/pickups", ListPickupsAsync)
            .WithSummary("The counter list of your own store: pickup redemptions not handed out yet, oldest first (paged). status=waiting: your store's "
                + "and those of members without a store, not put aside yet; status=ready: put aside at your store; none: both. Each with the member's "
                + "nickname and masked phone, the item and quantity, createdAt and readyAt.")
            .Errors("request.validation_failed", "guide.inactive");
        guide.MapPost("/mall/pickups/{redemptionId:guid}/ready", MarkReadyAsync)
            .WithSummary("The item is put aside at your counter: readyAt is set (the redemption stays redeemed: it is handed out or cancelled as before) "
                + "and the member gets the pickup-ready service message (never capped), once. Marking it again answers the same. Your own store's "
                + "redemptions, or those of members without a store; handed out, cancelled or closed ones are mall.not_fulfillable.")
            .Errors("guide.inactive", "mall.redemption_not_found", "mall.pickup_other_store", "mall.not_fulfillable");
        return guide;
    }

    private static async Task<Ok<MallPickupPage>> ListPickupsAsync(QueryEnum<DomainMall.MallPickupState>? status, int? page, int? pageSize,
        ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(new ListMallPickups(user.SubjectId(), status?.Value, page, pageSize), ct)));

    private static async Task<Ok<MallPickupView>> MarkReadyAsync(Guid redemptionId, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(new MarkMallPickupReady(user.SubjectId(), redemptionId), ct)));

    private static MallPickupPage ToView(Page<MallPickupItem> page) => new(page.Items.Select(ToView).ToList(), page.PageNumber, page.PageSize, page.Total);

    private static MallPickupView ToView(MallPickupItem p) =>
        new(p.Id, p.MemberId, p.Nickname, p.MaskedPhone, p.ItemId, p.ItemName, p.Quantity, p.StoreId,
            p.ReadyAt is null ? PickupState.Waiting : PickupState.Ready,
            p.CreatedAt, p.ReadyAt, p.ReadyAtStoreId);
}
