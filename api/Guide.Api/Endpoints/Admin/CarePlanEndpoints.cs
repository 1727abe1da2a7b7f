using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Care;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: care plans (客户关怀计划), HQ's and the managers', with their imported lists.</summary>
public static class CarePlanEndpoints
{
    private const string Plans = "/care-plans";

    public static RouteGroupBuilder MapAdminCarePlanEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet(Plans, async (QueryEnum<CarePlanOwner>? owner, Guid? ownerGuideId, bool? paused, int? page, int? pageSize, IMediator m,
                CancellationToken ct) =>
                TypedResults.Ok((await m.Send(new ListCarePlans(CarePlanActor.Hq, owner?.Value, ownerGuideId, paused, page, pageSize), ct)).ToView()))
            .WithSummary("Every live care plan, HQ's and the managers', newest first (paged), filtered by owner (hq, manager), ownerGuideId and paused.")
            .Errors();
        admin.MapGet(Plans + "/{planId:guid}", async (Guid planId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetCarePlan(CarePlanActor.Hq, planId), ct)))
            .WithSummary("One plan. A deleted plan is not found.")
            .Errors("care_plan.not_found");
        admin.MapPost(Plans, async (CarePlanRequest r, IMediator m, CancellationToken ct) =>
            {
                var plan = await m.Send(new CreateCarePlan(CarePlanActor.Hq, r.ToTerms()), ct);
                return TypedResults.Created($"/api/admin/care-plans/{plan.Id}", plan);
            })
            .WithSummary("A care plan of HQ's: a target and its numbers, filters (levels, stores; none: every store), a schedule with an issue time "
                + "(07:00-23:00 brand time), a deadline, a script with {name} {level} {points} {birthday}, an optional gift, a channel. Stores see it read-only.")
            .Errors("request.validation_failed", "care_plan.issue_time_out_of_range", "care_plan.unknown_placeholder", "store.not_found");
        admin.MapPut(Plans + "/{planId:guid}", async (Guid planId, CarePlanRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new UpdateCarePlan(CarePlanActor.Hq, planId, r.ToTerms()), ct)))
            .WithSummary("Replace every term of a plan (HQ's or a manager's; a manager's plan keeps its owner and names its stores). Pausing is its own action.")
            .Errors("request.validation_failed", "care_plan.not_found", "care_plan.issue_time_out_of_range", "care_plan.unknown_placeholder",
                "store.not_found");
        admin.MapDelete(Plans + "/{planId:guid}", async (Guid planId, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new DeleteCarePlan(CarePlanActor.Hq, planId), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a plan: it issues nothing more; its tasks stay.")
            .Errors("care_plan.not_found");
        admin.MapPost(Plans + "/{planId:guid}/pause", async (Guid planId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new PauseCarePlan(CarePlanActor.Hq, planId, true), ct)))
            .WithSummary("Pause a plan: it issues nothing until resumed; its tasks stay. Pausing a paused plan changes nothing.")
            .Errors("care_plan.not_found");
        admin.MapPost(Plans + "/{planId:guid}/resume", async (Guid planId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new PauseCarePlan(CarePlanActor.Hq, planId, false), ct)))
            .WithSummary("Resume a paused plan: it issues again from its next period.")
            .Errors("care_plan.not_found");
        admin.MapPost(Plans + "/{planId:guid}/members", async (Guid planId, HttpRequest http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ImportCarePlanList(CarePlanActor.Hq, planId, await CsvUpload.ReadAsync(http, ImportCarePlanList.MaxBytes, ct)), ct)))
            .DisableAntiforgery().ReadsBody("text/csv", "multipart/form-data")
            .WithSummary("Replace an imported_list plan's members from CSV (text/csv body, or a multipart 'file'; at most 10 MB and 100,000 lines): "
                + "a header with a column phone or member_id. Every bad line (malformed, unknown, repeated) is listed in lineErrors; then nothing is saved.")
            .Errors("care_plan.not_found", "care_plan.not_a_list_plan", "care_plan.bad_list");
        return admin;
    }
}
