using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Care;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The guide workbench: a store or area manager's care-task metrics, of the stores they manage only.</summary>
public static class CareMetricEndpoints
{
    public static RouteGroupBuilder MapGuideCareMetricEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapGet("/team/care-tasks/metrics", MetricsAsync).RequireAuthorization(Policies.StoreManager)
            .WithSummary("As HQ's care-task metrics, for the tasks of the stores the caller manages (a store manager: their store; an area manager: "
                + "their areas' stores). A storeId outside them, or an area with none of them, is care_task.outside_scope.")
            .AlsoAnswersText("text/csv")
            .Errors("request.validation_failed", "guide.inactive", "guide.not_a_manager", "care_task.outside_scope");
        return guide;
    }

    private static async Task<Results<Ok<CareMetricsReport>, PushStreamHttpResult>> MetricsAsync(DateOnly? from, DateOnly? to, string? by, Guid? planId,
        Guid? storeId, string? area, int? effectDays, QueryEnum<ReportFormat>? format, ClaimsPrincipal user, IMediator m, CancellationToken ct)
    {
        var report = await m.Send(new GetTeamCareMetrics(user.SubjectId(), new CareMetricsFilter(from, to, by, planId, storeId, area, effectDays)), ct);
        return Admin.CareMetricEndpoints.Answer(report, format?.Value);
    }
}
