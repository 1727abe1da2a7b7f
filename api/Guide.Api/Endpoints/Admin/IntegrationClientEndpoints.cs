using Guide.Api.OpenApi;
using Guide.Domain.Integration;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ registers the POS, ERP and online-mall systems that call /api/integration, disables them and rotates their secrets.</summary>
public static class IntegrationClientEndpoints
{
    public static RouteGroupBuilder MapAdminIntegrationClientEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/integration-clients", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListIntegrationClients(), ct)))
            .Errors();
        admin.MapPost("/integration-clients", Create)
            .WithSummary("Create a client; the answer is the only time its secret is shown. mayChargeByMemberId only for the online mall (a POS charges by payment code).")
            .Errors("request.validation_failed", "integration.key_id_taken");
        admin.MapPut("/integration-clients/{clientId:guid}", async (Guid clientId, IntegrationClientUpdateRequest request, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new UpdateIntegrationClient(clientId, request.Name ?? "", request.MayChargeByMemberId ?? false), ct)))
            .WithSummary("Rename a client or change its right to charge wallets by member id.")
            .Errors("request.validation_failed", "integration.client_not_found");
        admin.MapPost("/integration-clients/{clientId:guid}/disable", async (Guid clientId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetIntegrationClientEnabled(clientId, Enabled: false), ct)))
            .WithSummary("Disable a client: its next request is refused on every instance at once.")
            .Errors("integration.client_not_found");
        admin.MapPost("/integration-clients/{clientId:guid}/enable", async (Guid clientId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetIntegrationClientEnabled(clientId, Enabled: true), ct)))
            .WithSummary("Enable a disabled client again.")
            .Errors("integration.client_not_found");
        admin.MapPost("/integration-clients/{clientId:guid}/secret", async (Guid clientId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new RotateIntegrationClientSecret(clientId), ct)))
            .WithSummary("Give a client a new secret (shown once, in this answer); the old secret is refused at once everywhere.")
            .Errors("integration.client_not_found");
        return admin;
    }

    private static async Task<Created<IntegrationClientCredentials>> Create(IntegrationClientRequest request, IMediator mediator, CancellationToken ct)
    {
        var client = await mediator.Send(new CreateIntegrationClient(request.KeyId ?? "", request.Name ?? "", request.MayChargeByMemberId ?? false), ct);
        return TypedResults.Created($"/api/admin/integration-clients/{client.Id}", client);
    }
}
