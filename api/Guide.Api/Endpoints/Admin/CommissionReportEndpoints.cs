using Guide.Api.OpenApi;
using Guide.Domain.Commissions;
using Guide.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: the commission reports of a posting month: the detail table (商品提成明细表, also as CSV) and the totals per guide and store.</summary>
public static class CommissionReportEndpoints
{
    public static RouteGroupBuilder MapAdminCommissionReportEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/commissions/entries", ListEntriesAsync)
            .WithSummary("The commission detail table of a posting month (month=yyyy-MM, required), by document time (paged), filtered by storeId, guideId, "
                + "area (its stores), kind (sale, refund, adjustment) and product (the product name contains it); totals are over every matching line. "
                + "format=csv: every matching line as a file (UTF-8 with BOM, Chinese headers, money in yuan).")
            .AlsoAnswersText("text/csv")
            .Errors("request.validation_failed");
        admin.MapGet("/commissions/summary", async (string? month, Guid? storeId, string? area, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetCommissionSummary(month, storeId, area), ct)))
            .WithSummary("A posting month's (month=yyyy-MM) commission per guide and store: sales, refunds, adjustments and net (commissionable amount and "
                + "commission, fen), and their grand totals; optionally one storeId or one area's stores.")
            .Errors("request.validation_failed");
        return admin;
    }

    private static async Task<Results<Ok<CommissionEntryPageView>, PushStreamHttpResult>> ListEntriesAsync(string? month, Guid? storeId, Guid? guideId,
        string? area, QueryEnum<CommissionEntryKind>? kind, string? product, int? page, int? pageSize, QueryEnum<ReportFormat>? format, IMediator m,
        BrandClock clock, CancellationToken ct)
    {
        var filter = new CommissionEntryFilter(month, storeId, guideId, area, kind?.Value, product);
        if (format?.Value != ReportFormat.Csv)
        {
            var report = await m.Send(new ListCommissionEntries(filter, page, pageSize), ct);
            return TypedResults.Ok(new CommissionEntryPageView(report.Lines.Items, report.Lines.PageNumber, report.Lines.PageSize, report.Lines.Total,
                report.Totals));
        }
        // Validated here, before the answer starts; the rows are read while the file is written.
        var rows = await m.Send(new ExportCommissionEntries(filter), ct);
        return TypedResults.Stream(body => CommissionEntriesCsv.WriteAsync(rows, body, clock, ct), "text/csv; charset=utf-8",
            $"commission-entries-{month}.csv");
    }
}
