using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Points;
using System.Text;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: members' points, adjustments with a reason, the points settings and the liability report.</summary>
public static class PointsEndpoints
{
    public static RouteGroupBuilder MapAdminPointsEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/members/{memberId:guid}/points", async (Guid memberId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetPoints(memberId, WithLots: true), ct)))
            .WithSummary("A member's points with their open lots.")
            .Errors("member.not_found");
        admin.MapPost("/members/{memberId:guid}/points/adjustments", async (Guid memberId, PointsAdjustmentRequest r, HttpRequest http, ClaimsPrincipal user,
                IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new AdjustPoints(memberId, r.Points, r.Reason ?? "", user.SubjectId(), IdempotencyKeys.Required(http)), ct)))
            .WithSummary("Credit (positive: a new lot) or debit (negative: spendable points, earliest expiry first) with a reason and an Idempotency-Key header.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "member.not_found", "points.insufficient");
        admin.MapGet("/points/settings", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetPointsSettings(), ct)))
            .Errors();
        admin.MapPut("/points/settings", async (PointsSettingsRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new UpdatePointsSettings(r.ExpiryPolicy, r.RollingMonths, r.PointsPer100Yuan, r.WalletPrincipalEarns,
                    r.WalletGiftEarns, r.ReturnWindowDays, r.RefundPolicy, r.SpendPointsPerYuan, r.SpendMaxSharePercent, r.SpendMinPoints, r.SpendFrozen), ct)))
            .WithSummary("Expiry (never, rolling_months with rollingMonths, yearly_clearing), rate (points per 100 yuan), which wallet buckets earn, "
                + "return window (days frozen), refund policy (debt or absorb); spending at the till (spendPointsPerYuan, spendMaxSharePercent, "
                + "spendMinPoints, spendFrozen: null keeps the current value).")
            .Errors("request.validation_failed");
        admin.MapGet("/reports/points-liability", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetPointsLiabilityReport(), ct)))
            .WithSummary("Outstanding points (lots' remainders) by expiry month in brand time, and the total debt.")
            .Errors();
        admin.MapGet("/points/expiring", ExpiringAsync)
            .WithSummary("Members and points expiring within withinDays (1 to 366, default 30), groupBy store, guide, level or month (default); format json (default) or csv.")
            .Errors("request.validation_failed");
        return admin;
    }

    private static async Task<Results<Ok<PointsExpiringReport>, FileContentHttpResult>> ExpiringAsync(int? withinDays,
        QueryEnum<PointsExpiringGroupBy>? groupBy, QueryEnum<ReportFormat>? format, IMediator m, CancellationToken ct)
    {
        var report = await m.Send(new GetExpiringPoints(withinDays ?? 30, groupBy?.Value ?? PointsExpiringGroupBy.Month), ct);
        if (format?.Value != ReportFormat.Csv) return TypedResults.Ok(report);
        // A BOM so that Excel reads the Chinese labels as UTF-8.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(await ExpiringPointsCsv.WriteAsync(report, ct))).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", "expiring-points.csv");
    }
}
