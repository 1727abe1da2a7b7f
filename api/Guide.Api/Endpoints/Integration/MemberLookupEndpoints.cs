using AutoMapper;
using Guide.Api.OpenApi;
using Guide.Domain.Integration;
using MediatR;

namespace Guide.Api.Endpoints.Integration;

/// <summary>POS and ERP: find a member at the till.</summary>
public static class MemberLookupEndpoints
{
    public static RouteGroupBuilder MapIntegrationMemberEndpoints(this RouteGroupBuilder integration)
    {
        integration.MapPost("/members/lookup", async (MemberLookupRequest request, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<AdminMemberView>(await m.Send(new LookUpMemberByPhone(request.Phone ?? ""), ct))))
            .WithSummary("Find a member by phone number.")
            .Errors("request.validation_failed", "member.not_found");
        return integration;
    }
}
