using Guide.Domain.Integration;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ registers the POS, ERP and online-mall systems that call /api/integration.</summary>
public static class IntegrationClientEndpoints
{
    public static RouteGroupBuilder MapAdminIntegrationClientEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/integration-clients", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListIntegrationClients(), ct)));
        admin.MapPost("/integration-clients", Create).WithSummary("Create a client; the answer is the only time its secret is shown.");
        return admin;
    }

    private static async Task<Created<IntegrationClientCredentials>> Create(IntegrationClientRequest request, IMediator mediator, CancellationToken ct)
    {
        var client = await mediator.Send(new CreateIntegrationClient(request.KeyId ?? "", request.Name ?? ""), ct);
        return TypedResults.Created($"/api/admin/integration-clients/{client.Id}", client);
    }
}
