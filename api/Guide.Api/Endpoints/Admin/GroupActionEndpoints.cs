using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.GroupActions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: the rules of points for group actions (the built-in purchase rule and one custom rule per kind) and the recorded actions.</summary>
public static class GroupActionEndpoints
{
    public static RouteGroupBuilder MapAdminGroupActionEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/group-action-rules", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListGroupActionRules(), ct)))
            .WithSummary("The built-in purchase rule first (builtIn, its pointsPer100Yuan from the points settings), then the live custom rules by kind.")
            .Errors();
        admin.MapGet("/group-action-rules/{ruleId:guid}", async (Guid ruleId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetGroupActionRule(ruleId), ct)))
            .WithSummary("One rule; the built-in purchase rule's id answers its view. A deleted rule is not found.")
            .Errors("group_action_rule.not_found");
        admin.MapPost("/group-action-rules", async (GroupActionRuleRequest r, IMediator m, CancellationToken ct) =>
            {
                var rule = await m.Send(r.ToCommand(), ct);
                return TypedResults.Created($"/api/admin/group-action-rules/{rule.Id}", rule);
            })
            .WithSummary("A custom rule: kind (add_guide_friend, join_customer_group, like_moment, comment_moment; one live rule per kind), name, points, "
                + "validityDays, dailyCap and lifetimeCap (awards per member), paused, takeBackWithinDays (friends and groups only).")
            .Errors("request.validation_failed", "group_action_rule.kind_exists");
        admin.MapPut("/group-action-rules/{ruleId:guid}", async (Guid ruleId, GroupActionRuleUpdateRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(r.ToCommand(ruleId), ct)))
            .WithSummary("Change a custom rule's terms (the kind is fixed; every term is replaced, paused=true pauses it). "
                + "The built-in purchase rule is changed in the points settings.")
            .Errors("request.validation_failed", "group_action_rule.not_found", "group_action_rule.built_in");
        admin.MapDelete("/group-action-rules/{ruleId:guid}", async (Guid ruleId, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new DeleteGroupActionRule(ruleId), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a custom rule (its kind is free for a new one; actions recorded under it keep their terms). The built-in rule is never deleted.")
            .Errors("group_action_rule.not_found", "group_action_rule.built_in");
        admin.MapGet("/group-actions", async (QueryEnum<GroupActionStatus>? status, QueryEnum<GroupActionKind>? kind, Guid? memberId, int? page,
                int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok((await m.Send(new ListGroupActions(status?.Value, kind?.Value, memberId, page, pageSize), ct)).ToView()))
            .WithSummary("Recorded group actions, newest first (paged), filtered by status (pending, awarded, not_awarded, taken_back), kind and memberId.")
            .Errors();
        return admin;
    }
}
