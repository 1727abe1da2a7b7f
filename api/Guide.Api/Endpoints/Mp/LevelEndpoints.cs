using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Levels;
using Guide.MiniProgram.Contracts;
using MediatR;

namespace Guide.Api.Endpoints.Mp;

/// <summary>The shopper's member level.</summary>
public static class LevelEndpoints
{
    public static RouteGroupBuilder MapMpLevelEndpoints(this RouteGroupBuilder mp)
    {
        mp.MapGet("/me/level", async (ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<MemberLevelStatusResponse>(await m.Send(new GetMyLevel(user.SubjectId()), ct))))
            .WithSummary("The member's level (rank, name, points multiplier), its source (threshold or a recharge package's grant, and until when), "
                + "the paid amount on the basis, and the next level with the fen still needed.")
            .Errors("member.not_found");
        return mp;
    }
}
