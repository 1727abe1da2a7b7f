using System.Security.Claims;
using Guide.Api.OpenApi;
using Guide.Api.Auth;
using Guide.Domain.Care;
using Guide.Domain.Common;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using DomainCare = Guide.Domain.Care;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The guide workbench's care tasks: a guide's own list, completing and abandoning; a manager's team list and urging.</summary>
public static class CareTaskEndpoints
{
    public static RouteGroupBuilder MapGuideCareTaskEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapGet("/care-tasks", ListMineAsync)
            .WithSummary("The calling guide's own care tasks, by status (default pending), plan and dueWithin (days: due by the end of the brand day "
                + "today + N; 0: today), urged first (the latest urge first), then the soonest due (paged). Each with the member's snippet "
                + "(masked phone, level, points, wallet, last sale, birthday) and the plan's script filled in.")
            .Errors("request.validation_failed", "guide.inactive");
        guide.MapPost("/care-tasks/{taskId:guid}/complete", CompleteAsync)
            .WithSummary("Complete one of your pending tasks before its deadline: outcome (reached, unreachable, declined), the channel used and an "
                + "optional note. Completing twice, or a task abandoned or expired, is care_task.closed; at or after dueAt care_task.past_deadline.")
            .Errors("request.validation_failed", "guide.inactive", "care_task.not_found", "care_task.not_yours", "care_task.closed", "care_task.past_deadline");
        guide.MapPost("/care-tasks/{taskId:guid}/abandon", AbandonAsync)
            .WithSummary("Abandon one of your pending tasks before its deadline, with a reason (kept as the task's note).")
            .Errors("request.validation_failed", "guide.inactive", "care_task.not_found", "care_task.not_yours", "care_task.closed", "care_task.past_deadline");
        guide.MapGet("/team/care-tasks", ListTeamAsync)
            .WithSummary("Store and area managers: the care tasks of the stores they manage (a store manager: their store, unassigned tasks "
                + "included; an area manager: their areas' stores), by status (default pending), guideId, storeId (one of theirs) or unassigned=true, "
                + "in the guides' order (urged first, then the soonest due).")
            .Errors("request.validation_failed", "guide.inactive", "guide.not_a_manager", "care_task.outside_scope");
        guide.MapPost("/care-tasks/{taskId:guid}/urge", UrgeAsync)
            .WithSummary("Store and area managers: urge the guide of a pending task of a store they manage (urgedAt, urgeCount + 1): it sorts "
                + "first in the guide's list.")
            .Errors("guide.inactive", "guide.not_a_manager", "care_task.not_found", "care_task.outside_scope", "care_task.closed");
        return guide;
    }

    private static async Task<Ok<CareTaskPage>> ListMineAsync(QueryEnum<DomainCare.CareTaskStatus>? status, int? dueWithin, Guid? planId, int? page,
        int? pageSize, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(new ListMyCareTasks(user.SubjectId(), status?.Value, dueWithin, planId, page, pageSize), ct)));

    private static async Task<Ok<CareTaskPage>> ListTeamAsync(QueryEnum<DomainCare.CareTaskStatus>? status, Guid? guideId, Guid? storeId,
        bool? unassigned, int? page, int? pageSize, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(
            new ListTeamCareTasks(user.SubjectId(), status?.Value, guideId, storeId, unassigned ?? false, page, pageSize), ct)));

    private static async Task<Ok<CareTaskView>> CompleteAsync(Guid taskId, CareTaskCompleteRequest request, ClaimsPrincipal user, IMediator mediator,
        CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(new CompleteCareTask(user.SubjectId(), taskId,
            request.Outcome is { } o ? Enum.Parse<DomainCare.CareOutcome>(o.ToString()) : null,
            request.Channel is { } c ? Enum.Parse<DomainCare.CareChannel>(c.ToString()) : null, request.Note), ct)));

    private static async Task<Ok<CareTaskView>> AbandonAsync(Guid taskId, CareTaskAbandonRequest request, ClaimsPrincipal user, IMediator mediator,
        CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(new AbandonCareTask(user.SubjectId(), taskId, request.Reason), ct)));

    private static async Task<Ok<CareTaskView>> UrgeAsync(Guid taskId, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(ToView(await mediator.Send(new UrgeCareTask(user.SubjectId(), taskId), ct)));

    private static CareTaskPage ToView(Page<CareTaskItem> page) =>
        new(page.Items.Select(ToView).ToList(), page.PageNumber, page.PageSize, page.Total);

    private static CareTaskView ToView(CareTaskItem t) =>
        new(t.Id, t.PlanId, t.PlanName, Map<CareTaskChannel>(t.Channel), t.Period, t.GuideId, t.StoreId, t.IssuedAt, t.DueAt, Map<CareTaskState>(t.Status),
            t.UrgedAt, t.UrgeCount, t.ClosedAt, t.Outcome is { } o ? Map<CareTaskOutcome>(o) : null, t.CompletedChannel is { } c ? Map<CareTaskChannel>(c) : null,
            t.Note, new CareMemberView(t.Member.Id, t.Member.Nickname, t.Member.MaskedPhone, t.Member.LevelRank, t.Member.LevelName, t.Member.Points,
                t.Member.WalletPrincipal, t.Member.WalletGift, t.Member.LastPurchaseAt, t.Member.LastPurchaseAmount, t.Member.Birthday), t.Script);

    private static T Map<T>(Enum value) where T : struct, Enum => Enum.Parse<T>(value.ToString());
}
