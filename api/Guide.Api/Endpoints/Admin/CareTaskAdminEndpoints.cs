using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Care;
using MediatR;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ and care tasks: a leaving guide's handover to a successor, and a store's default guide.</summary>
public static class CareTaskAdminEndpoints
{
    public static RouteGroupBuilder MapAdminCareTaskEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/guides/{guideId:guid}/handover", async (Guid guideId, GuideHandoverRequest r, ClaimsPrincipal user, IMediator m,
                CancellationToken ct) => TypedResults.Ok(await m.Send(new HandOverGuide(guideId, r.SuccessorId ?? Guid.Empty, user.SubjectId()), ct)))
            .WithSummary("A leaving guide hands over to an active successor (successorId): the members whose exclusive guide they are move to the "
                + "successor (and the successor's store, as every re-assignment; each recorded in the member's guide history with actor hq:{adminId}), "
                + "and their pending care tasks go to the successor. Recorded with the counts of members and tasks moved.")
            .Errors("request.validation_failed", "guide.not_found", "guide.handover_to_self", "guide.successor_inactive");
        admin.MapPut("/stores/{storeId:guid}/default-guide", async (Guid storeId, StoreDefaultGuideRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetStoreDefaultGuide(storeId, r.GuideId), ct)))
            .WithSummary("The store's default guide (guideId: an active guide of this store; null: none): care tasks of members without an active "
                + "exclusive guide go to them, else stay unassigned for the store manager.")
            .Errors("store.not_found", "guide.not_found", "store.default_guide_not_in_store");
        return admin;
    }
}
