using Guide.Api.Auth;
using Guide.Api.Endpoints.Admin;
using Guide.Api.Endpoints.Guide;
using Guide.Api.Endpoints.Integration;
using Guide.Api.Endpoints.Mp;
using Guide.Api.Endpoints.Webhooks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Guide.Api.Endpoints;

/// <summary>Every route of the API, by audience. The <c>openapi</c> command maps them too, without serving.</summary>
public static class GuideEndpoints
{
    public static WebApplication MapGuideEndpoints(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });

        app.MapGroup("/api/mp").WithTags("Mini program").RequireAuthorization(Policies.Member)
            .MapMpMemberEndpoints().MapMpWalletEndpoints().MapMpPointsEndpoints().MapMpLevelEndpoints().MapMpMallEndpoints()
            .MapMpSubscriptionEndpoints();
        app.MapGroup("/api/guide").WithTags("Guide workbench").RequireAuthorization(Policies.Guide)
            .MapGuideWorkbenchEndpoints().MapGuideMallEndpoints().MapGuideCommissionEndpoints()
            .MapGuideCarePlanEndpoints().MapGuideCareTaskEndpoints().MapGuideCareMetricEndpoints()
            .MapGuideMessageEndpoints();
        app.MapGroup("/api/admin").WithTags("HQ").RequireAuthorization(Policies.Hq)
            .MapAdminOrganizationEndpoints().MapAdminIntegrationClientEndpoints().MapAdminWalletEndpoints().MapAdminPointsEndpoints()
            .MapAdminMemberLevelEndpoints().MapAdminMallEndpoints().MapAdminMemberGuideEndpoints().MapAdminGroupActionEndpoints()
            .MapAdminCommissionEndpoints().MapAdminCommissionPeriodEndpoints().MapAdminCommissionReportEndpoints().MapAdminDocumentEndpoints()
            .MapAdminCarePlanEndpoints().MapAdminCareTaskEndpoints().MapAdminCareMetricEndpoints()
            .MapAdminMessageTemplateEndpoints()
            .MapAdminFatigueRuleEndpoints()
            .MapAdminCampaignEndpoints();
        app.MapGroup("/api/integration").WithTags("Integration").RequireAuthorization(Policies.Integration).AddEndpointFilter<IntegrationFactsFilter>()
            .MapIntegrationMemberEndpoints().MapIntegrationWalletEndpoints().MapIntegrationPointsEndpoints().MapIntegrationDocumentEndpoints();
        app.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous()
            .MapWeChatPayWebhooks().MapWeComWebhooks();

        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
