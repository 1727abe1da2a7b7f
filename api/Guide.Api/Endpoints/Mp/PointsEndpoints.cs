using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Points;
using Guide.MiniProgram.Contracts;
using MediatR;

namespace Guide.Api.Endpoints.Mp;

/// <summary>The shopper's points: balances and ledger, their own only.</summary>
public static class PointsEndpoints
{
    public static RouteGroupBuilder MapMpPointsEndpoints(this RouteGroupBuilder mp)
    {
        mp.MapGet("/points", async (ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<PointsResponse>(await m.Send(new GetPoints(user.SubjectId()), ct))))
            .WithSummary("The member's points: available, frozen (return window), debt, and what expires within 30 days.")
            .Errors("member.not_found");
        mp.MapGet("/points/entries", async (int? page, int? pageSize, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
            {
                var entries = await m.Send(new ListPointsEntries(user.SubjectId(), page, pageSize), ct);
                return TypedResults.Ok(new PointsEntriesResponse(mapper.Map<IReadOnlyList<PointsEntryResponse>>(entries.Items), entries.PageNumber, entries.PageSize, entries.Total));
            })
            .WithSummary("The member's points ledger, newest first (paged).")
            .Errors("member.not_found");
        return mp;
    }
}
