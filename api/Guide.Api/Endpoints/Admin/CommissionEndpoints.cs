using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Commissions;
using MediatR;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: commission rules by scope with effective dates, what the commissionable amount includes, adjustments and re-attributions with a reason.</summary>
public static class CommissionEndpoints
{
    public static RouteGroupBuilder MapAdminCommissionEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/commission-rules", async (QueryEnum<CommissionScope>? scope, string? scopeValue, DateOnly? activeOn, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListCommissionRules(scope?.Value, scopeValue, activeOn), ct)))
            .WithSummary("The live rules by scope (sku, product, category, default), scope value and start, filtered by scope, scopeValue and activeOn "
                + "(a brand date, yyyy-MM-dd: the rules that apply on it).")
            .Errors();
        admin.MapGet("/commission-rules/{ruleId:guid}", async (Guid ruleId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetCommissionRule(ruleId), ct)))
            .WithSummary("One rule. A deleted rule is not found.")
            .Errors("commission_rule.not_found");
        admin.MapPost("/commission-rules", async (CommissionRuleRequest r, IMediator m, CancellationToken ct) =>
            {
                var rule = await m.Send(r.ToCommand(), ct);
                return TypedResults.Created($"/api/admin/commission-rules/{rule.Id}", rule);
            })
            .WithSummary("A rule: scope and scopeValue (none for default), method rate (value in basis points) or fixed_per_unit (value in fen per unit), "
                + "effectiveFrom and effectiveTo (inclusive; none: open-ended). Live rules of one scope and value never overlap in time.")
            .Errors("request.validation_failed", "commission_rule.overlap");
        admin.MapPut("/commission-rules/{ruleId:guid}", async (Guid ruleId, CommissionRuleUpdateRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(r.ToCommand(ruleId), ct)))
            .WithSummary("Change a rule's method, value and dates (every term is replaced; scope and scopeValue are fixed).")
            .Errors("request.validation_failed", "commission_rule.not_found", "commission_rule.overlap");
        admin.MapDelete("/commission-rules/{ruleId:guid}", async (Guid ruleId, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new DeleteCommissionRule(ruleId), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a rule (entries posted under it keep their rate and amounts; its dates are free for another rule).")
            .Errors("commission_rule.not_found");
        admin.MapGet("/commissions/settings", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetCommissionSettings(), ct)))
            .WithSummary("What the commissionable amount includes of a line's payment split: cash (cash, card, WeChat Pay), wallet principal, wallet gift, "
                + "points offsets, coupons.")
            .Errors();
        admin.MapPut("/commissions/settings", async (CommissionSettingsRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(r.ToCommand(), ct)))
            .WithSummary("Switch what the commissionable amount includes (includeCash, includeWalletPrincipal, includeWalletGift, includePoints, "
                + "includeCoupons, all required); entries posted already keep their amounts.")
            .Errors("request.validation_failed");
        admin.MapPost("/commissions/adjustments", async (CommissionAdjustmentRequest r, HttpRequest http, ClaimsPrincipal user, IMediator m,
                CancellationToken ct) =>
                TypedResults.Created((string?)null,
                    await m.Send(new AdjustCommission(r.GuideId, r.Amount, r.Reason ?? "", user.SubjectId(), IdempotencyKeys.Required(http)), ct)))
            .WithSummary("Correct a guide's commission (amount in fen, negative takes back) with a reason and an Idempotency-Key header: an adjustment entry "
                + "of the guide's store, dated now, posted in the current month or the first open month after it.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "guide.not_found");
        admin.MapPost("/commissions/reattributions", async (CommissionReattributionRequest r, HttpRequest http, ClaimsPrincipal user, IMediator m,
                CancellationToken ct) =>
                TypedResults.Created((string?)null,
                    await m.Send(new ReattributeCommission(r.DocumentId, r.GuideId, r.Reason ?? "", user.SubjectId(), IdempotencyKeys.Required(http)), ct)))
            .WithSummary("Move a sale's commission (documentId) to another guide (guideId) with a reason and an Idempotency-Key header, editing nothing: per "
                + "line, a reattribution entry taking the line's net (sale, refunds, earlier moves) from the guide who holds it and one giving it to the new "
                + "guide in their store, dated now, posted in the current month or the first open month after it. Later refunds take back from the new guide. "
                + "A sale that named no guide earned no commission and is not attributed here.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "document.not_found",
                "commission.document_is_refund", "commission.document_unattributed", "commission.already_attributed", "guide.not_found");
        return admin;
    }
}
