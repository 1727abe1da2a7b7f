using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Members;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: a member's exclusive guide (专属导购): re-assignment with a reason, and every change.</summary>
public static class MemberGuideEndpoints
{
    public static RouteGroupBuilder MapAdminMemberGuideEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/members/{memberId:guid}/guide", Reassign)
            .WithSummary("Re-assign the member to an active guide and that guide's store (reason required); recorded with cause hq. "
                + "Re-assigning to the current guide and store changes and records nothing.")
            .Errors("request.validation_failed", "member.not_found", "guide.not_found", "member_guide.guide_inactive");
        admin.MapGet("/members/{memberId:guid}/guide-history", async (Guid memberId, int? page, int? pageSize, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.ToView<MemberGuideChangeView, MemberGuideChangeResponse>(await m.Send(new ListMemberGuideChanges(memberId, page, pageSize), ct))))
            .WithSummary("A member's exclusive-guide changes, newest first (paged), the first binding included: from, to, cause (qrcode, wecom_friend, hq), reason, actor, time.")
            .Errors("member.not_found");
        return admin;
    }

    private static async Task<Ok<AdminMemberView>> Reassign(Guid memberId, MemberGuideRequest request, ClaimsPrincipal user, IMediator mediator, IMapper mapper,
        CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<AdminMemberView>(await mediator.Send(new ReassignExclusiveGuide(memberId, request.GuideId, request.Reason, user.SubjectId()), ct)));
}
