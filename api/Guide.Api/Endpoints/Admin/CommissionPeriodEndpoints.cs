using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Commissions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: closing and reopening commission months (finance's month end), each with a reason, recorded.</summary>
public static class CommissionPeriodEndpoints
{
    public static RouteGroupBuilder MapAdminCommissionPeriodEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/commission-periods/{month}", (string month, IMediator m, CancellationToken ct) => Get(month, m, ct))
            .WithSummary("A commission month (yyyy-MM): closed or open, and every close and reopening with its reason, actor and time.")
            .Errors("request.validation_failed");
        admin.MapPost("/commission-periods/{month}/close", (string month, CommissionPeriodRequest request, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                Change(month, CommissionPeriodAction.Close, request, user, m, ct))
            .WithSummary("Close a month that has begun (reason required). Nothing is posted into a closed month: a late sale or refund of it "
                + "posts in the first open month after it and keeps its document time. Waits for postings in flight.")
            .Errors("request.validation_failed", "commission_period.already_closed", "commission_period.not_begun");
        admin.MapPost("/commission-periods/{month}/reopen", (string month, CommissionPeriodRequest request, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                Change(month, CommissionPeriodAction.Reopen, request, user, m, ct))
            .WithSummary("Reopen a closed month (reason required): documents of it post in it again; what was posted meanwhile stays where it was posted.")
            .Errors("request.validation_failed", "commission_period.not_closed");
        return admin;
    }

    private static async Task<Ok<CommissionPeriodView>> Get(string month, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetCommissionPeriod(month), ct));

    private static async Task<Ok<CommissionPeriodView>> Change(string month, CommissionPeriodAction action, CommissionPeriodRequest request, ClaimsPrincipal user,
        IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ChangeCommissionPeriod(month, action, request.Reason, $"hq:{user.SubjectId()}"), ct));
}
