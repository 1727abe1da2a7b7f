using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Commissions;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The guide workbench: the commission of a posting month (a guide's own; a manager's stores and their guides).</summary>
public static class CommissionEndpoints
{
    public static RouteGroupBuilder MapGuideCommissionEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapGet("/commissions", ListAsync)
            .WithSummary("The commission lines of a posting month (month=yyyy-MM, required), by document time (paged), with the totals of all of them. "
                + "A guide sees their own; a store manager every line of their store, or with guideId one guide of it; an area manager the same "
                + "for the stores of their areas.")
            .Errors("request.validation_failed", "guide.inactive", "commission.not_your_guide");
        return guide;
    }

    private static async Task<Ok<GuideCommissionPage>> ListAsync(string? month, Guid? guideId, int? page, int? pageSize, ClaimsPrincipal user,
        IMediator mediator, IMapper mapper, CancellationToken ct)
    {
        var report = await mediator.Send(new GetGuideCommissions(user.SubjectId(), month, guideId, page, pageSize), ct);
        return TypedResults.Ok(new GuideCommissionPage(report.Month, report.GuideId, mapper.Map<IReadOnlyList<GuideCommissionLine>>(report.Lines.Items),
            report.Lines.PageNumber, report.Lines.PageSize, report.Lines.Total, mapper.Map<GuideCommissionTotals>(report.Totals)));
    }
}
