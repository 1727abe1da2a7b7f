using Guide.Api.OpenApi;
using Guide.Domain.Care;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: care-task metrics (关怀任务统计) of a period per plan, area, store or guide, also as CSV.</summary>
public static class CareMetricEndpoints
{
    public const string Summary = "Care-task metrics for the tasks issued on the brand dates from..to (yyyy-MM-dd, inclusive, at most 366 days, required) "
        + "per by=plan|area|store|guide (required; unassigned tasks are a guide row of their own): due, pending, completed, abandoned, expired, "
        + "completionRate (completed/due in basis points, 7500 = 75%, half away from zero, 0 when none due), reachedMembers (distinct members of tasks completed as reached "
        + "with a sale in (closedAt, closedAt + effectDays days], effectDays 1-90, default 7) and amount (those sales' paid fen net of all their "
        + "refunds so far); totals are the sums of the rows. Optional planId, storeId, area. format=csv: the same numbers as a file (UTF-8 with BOM, "
        + "Chinese headers, amount in yuan, a 合计 line).";

    public static RouteGroupBuilder MapAdminCareMetricEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/care-tasks/metrics", MetricsAsync)
            .WithSummary(Summary)
            .AlsoAnswersText("text/csv")
            .Errors("request.validation_failed");
        return admin;
    }

    private static async Task<Results<Ok<CareMetricsReport>, PushStreamHttpResult>> MetricsAsync(DateOnly? from, DateOnly? to, string? by, Guid? planId,
        Guid? storeId, string? area, int? effectDays, QueryEnum<ReportFormat>? format, IMediator m, CancellationToken ct)
    {
        var report = await m.Send(new GetCareMetrics(new CareMetricsFilter(from, to, by, planId, storeId, area, effectDays)), ct);
        return Answer(report, format?.Value);
    }

    /// <summary>The report as JSON, or as CSV (the rows are few, one per group: already read when the file starts).</summary>
    internal static Results<Ok<CareMetricsReport>, PushStreamHttpResult> Answer(CareMetricsReport report, ReportFormat? format) =>
        format != ReportFormat.Csv
            ? TypedResults.Ok(report)
            : TypedResults.Stream(body => CareMetricsCsv.WriteAsync(report, body, CancellationToken.None), "text/csv; charset=utf-8",
                $"care-metrics-{report.By.ToString().ToLowerInvariant()}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.csv");
}
