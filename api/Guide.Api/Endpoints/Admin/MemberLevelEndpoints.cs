using AutoMapper;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Levels;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: member levels (rank, name, threshold, points multiplier), the threshold basis, a member's level changes.</summary>
public static class MemberLevelEndpoints
{
    public static RouteGroupBuilder MapAdminMemberLevelEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/member-levels", async (IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<IReadOnlyList<MemberLevelResponse>>(await m.Send(new ListMemberLevels(), ct))))
            .WithSummary("Every member level by rank, archived ones included, with how many members hold each.")
            .Errors();
        admin.MapGet("/member-levels/{levelId:guid}", async (Guid levelId, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<MemberLevelResponse>(await m.Send(new GetMemberLevel(levelId), ct))))
            .Errors("member_level.not_found");
        admin.MapPost("/member-levels", async (MemberLevelRequest r, IMediator m, IMapper mapper, CancellationToken ct) =>
        {
            var level = mapper.Map<MemberLevelResponse>(await m.Send(r.ToCommand(null), ct));
            return TypedResults.Created($"/api/admin/member-levels/{level.Id}", level);
        }).WithSummary("Rank (1-100, unique), name, threshold (fen, paid net of refunds), pointsMultiplier (decimal text, \"1.0\" to \"10.0\").")
            .Errors("request.validation_failed", "member_level.rank_taken");
        admin.MapPut("/member-levels/{levelId:guid}", async (Guid levelId, MemberLevelRequest r, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<MemberLevelResponse>(await m.Send(r.ToCommand(levelId), ct))))
            .WithSummary("Change a level; its rank only while no member holds it and no package grants it.")
            .Errors("request.validation_failed", "member_level.not_found", "member_level.rank_taken", "member_level.rank_held");
        admin.MapDelete("/member-levels/{levelId:guid}", Delete)
            .WithSummary("Delete a level nobody holds (204); a level members hold or a package grants is archived instead (200, the archived level).")
            .Errors("member_level.not_found");
        admin.MapGet("/member-levels/settings", async (IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<MemberLevelSettingsResponse>(await m.Send(new GetMemberLevelSettings(), ct))))
            .Errors();
        admin.MapPut("/member-levels/settings", async (MemberLevelSettingsRequest r, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<MemberLevelSettingsResponse>(await m.Send(new UpdateMemberLevelSettings((ThresholdBasis)r.Basis), ct))))
            .WithSummary("Threshold basis: lifetime or trailing_12_months (by document time, brand time zone). A change re-evaluates every member's level shortly after, in the background (reevaluation.pending until done).")
            .Errors("request.validation_failed");
        admin.MapGet("/members/{memberId:guid}/level-changes", async (Guid memberId, int? page, int? pageSize, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.ToView<MemberLevelChangeView, MemberLevelChangeResponse>(await m.Send(new ListMemberLevelChanges(memberId, page, pageSize), ct))))
            .WithSummary("A member's level changes, newest first (paged): cause, reference, from and to rank.")
            .Errors("member.not_found");
        return admin;
    }

    private static async Task<Results<Ok<MemberLevelResponse>, NoContent>> Delete(Guid levelId, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        await mediator.Send(new DeleteMemberLevel(levelId), ct) is { } archived
            ? TypedResults.Ok(mapper.Map<MemberLevelResponse>(archived))
            : TypedResults.NoContent();
}
