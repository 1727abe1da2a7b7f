using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.Endpoints.Admin;
using Guide.Api.OpenApi;
using Guide.Domain.Care;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

using Guide.Api.Endpoints;

namespace Guide.Api.Endpoints.Guide;

/// <summary>
/// Store and area managers: their own care plans (inside the stores they manage), and HQ's and other managers' plans that reach
/// their stores, read-only.
/// </summary>
public static class CarePlanEndpoints
{
    private const string Plans = "/care-plans";

    private static readonly string[] Manager = ["guide.inactive", "guide.not_a_manager"];

    public static RouteGroupBuilder MapGuideCarePlanEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapGet(Plans, ListAsync).RequireAuthorization(Policies.StoreManager)
            .WithSummary("Your own plans and those of HQ and other managers that reach your stores (readOnly), newest first (paged), "
                + "filtered by owner (hq, manager) and paused.")
            .Errors(Manager);
        guide.MapGet(Plans + "/{planId:guid}", async (Guid planId, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<GuideCarePlanView>(await m.Send(new GetCarePlan(Actor(user), planId), ct))))
            .RequireAuthorization(Policies.StoreManager)
            .WithSummary("One plan you see (your own, or read-only one that reaches your stores).")
            .Errors([.. Manager, "care_plan.not_found"]);
        guide.MapPost(Plans, async (GuideCarePlanRequest r, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
            {
                var plan = mapper.Map<GuideCarePlanView>(await m.Send(new CreateCarePlan(Actor(user), Terms(r)), ct));
                return TypedResults.Created($"/api/guide/care-plans/{plan.Id}", plan);
            })
            .RequireAuthorization(Policies.StoreManager)
            .WithSummary("A plan of yours, for the stores you manage (storeIds inside your scope; empty: every store you manage now).")
            .Errors([.. Manager, "request.validation_failed", "care_plan.issue_time_out_of_range", "care_plan.unknown_placeholder", "store.not_found",
                "care_plan.outside_scope"]);
        guide.MapPut(Plans + "/{planId:guid}", async (Guid planId, GuideCarePlanRequest r, ClaimsPrincipal user, IMediator m, IMapper mapper,
                CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<GuideCarePlanView>(await m.Send(new UpdateCarePlan(Actor(user), planId, Terms(r)), ct))))
            .RequireAuthorization(Policies.StoreManager)
            .WithSummary("Replace every term of a plan of yours. HQ's and other managers' plans are read-only.")
            .Errors([.. Manager, "request.validation_failed", "care_plan.not_found", "care_plan.read_only", "care_plan.issue_time_out_of_range",
                "care_plan.unknown_placeholder", "store.not_found", "care_plan.outside_scope"]);
        guide.MapDelete(Plans + "/{planId:guid}", async (Guid planId, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new DeleteCarePlan(Actor(user), planId), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.StoreManager)
            .WithSummary("Delete a plan of yours: it issues nothing more; its tasks stay.")
            .Errors([.. Manager, "care_plan.not_found", "care_plan.read_only"]);
        guide.MapPost(Plans + "/{planId:guid}/pause", async (Guid planId, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<GuideCarePlanView>(await m.Send(new PauseCarePlan(Actor(user), planId, true), ct))))
            .RequireAuthorization(Policies.StoreManager)
            .WithSummary("Pause a plan of yours.")
            .Errors([.. Manager, "care_plan.not_found", "care_plan.read_only"]);
        guide.MapPost(Plans + "/{planId:guid}/resume", async (Guid planId, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<GuideCarePlanView>(await m.Send(new PauseCarePlan(Actor(user), planId, false), ct))))
            .RequireAuthorization(Policies.StoreManager)
            .WithSummary("Resume a paused plan of yours.")
            .Errors([.. Manager, "care_plan.not_found", "care_plan.read_only"]);
        guide.MapPost(Plans + "/{planId:guid}/members", async (Guid planId, HttpRequest http, ClaimsPrincipal user, IMediator m, IMapper mapper,
                CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<GuideCarePlanListResponse>(
                    await m.Send(new ImportCarePlanList(Actor(user), planId, await CsvUpload.ReadAsync(http, ImportCarePlanList.MaxBytes, ct)), ct))))
            .RequireAuthorization(Policies.StoreManager)
            .DisableAntiforgery().ReadsBody("text/csv", "multipart/form-data")
            .WithSummary("Replace the members of an imported_list plan of yours from CSV (as HQ's: phone or member_id column); a member outside "
                + "your stores is a bad line.")
            .Errors([.. Manager, "care_plan.not_found", "care_plan.read_only", "care_plan.not_a_list_plan", "care_plan.bad_list"]);
        return guide;
    }

    private static CarePlanActor Actor(ClaimsPrincipal user) => CarePlanActor.Manager(user.SubjectId());

    private static async Task<Ok<GuideCarePlanPage>> ListAsync(QueryEnum<CarePlanOwner>? owner, bool? paused, int? page, int? pageSize,
        ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct)
    {
        var plans = await m.Send(new ListCarePlans(Actor(user), owner?.Value, null, paused, page, pageSize), ct);
        return TypedResults.Ok(new GuideCarePlanPage(mapper.Map<IReadOnlyList<GuideCarePlanView>>(plans.Items), plans.PageNumber, plans.PageSize, plans.Total));
    }

    /// <summary>The workbench's enums have the domain's names: a name-for-name conversion, inward (AutoMapper maps outward only).</summary>
    private static CarePlanTerms Terms(GuideCarePlanRequest r) => new(r.Name, Convert<CarePlanTarget, CareTargetKind>(r.TargetKind), r.TargetDays,
        r.TargetAmount, r.TargetCount, r.Levels, r.StoreIds, Convert<CarePlanSchedule, CareSchedule>(r.Schedule), r.StartsOn, r.EndsOn, r.MonthDay,
        r.IssueTime, r.DeadlineDays, r.Script, Convert<CarePlanGift, CareGiftKind>(r.GiftKind), r.GiftReference, r.GiftPoints,
        Convert<CarePlanChannel, CareChannel>(r.Channel));

    private static TOut? Convert<TIn, TOut>(TIn? value) where TIn : struct, Enum where TOut : struct, Enum =>
        value is { } v ? Enum.Parse<TOut>(v.ToString()) : null;
}
