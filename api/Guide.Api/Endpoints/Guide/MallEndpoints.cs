using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Mall;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The workbench's part of the points mall: handing out pickup redemptions at the guide's own store.</summary>
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
        return guide;
    }
}
