using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Mall;
using Guide.MiniProgram.Contracts;
using MediatR;

namespace Guide.Api.Endpoints.Mp;

/// <summary>The shopper's points mall: the catalogue with what they may redeem, their redemptions, cancelling.</summary>
public static class MallEndpoints
{
    public static RouteGroupBuilder MapMpMallEndpoints(this RouteGroupBuilder mp)
    {
        mp.MapGet("/mall/items", async (ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<IReadOnlyList<MallItemResponse>>(await m.Send(new GetMallCatalog(user.SubjectId()), ct))))
            .WithSummary("The items on the mall: redeemable now (one unit), or the reason not (not_on_sale, level_not_allowed, limit_reached, sold_out, not_enough_points).")
            .Errors("member.not_found");
        mp.MapPost("/mall/redemptions", async (RedeemRequest r, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
            {
                var started = await m.Send(new StartMallRedemption(user.SubjectId(), r.ItemId, r.Quantity, r.RequestId ?? ""), ct);
                return TypedResults.Ok(mapper.Map<MallRedemptionResponse>(started.Redemption) with { Payment = mapper.Map<RequestPaymentResponse?>(started.Payment) });
            })
            .WithSummary("Redeem an item: every rule checked, points and stock taken in one transaction; idempotent by requestId. A points + cash item "
                + "is held (awaiting_payment) and the answer carries wx.requestPayment's parameters for its cash part.")
            .Errors("request.validation_failed", "member.not_found", "mall.item_not_found", "mall.not_on_sale", "mall.level_not_allowed", "mall.limit_reached",
                "mall.sold_out", "points.insufficient", "mall.request_reused", "weixin.unavailable");
        mp.MapGet("/mall/redemptions/{redemptionId:guid}", async (Guid redemptionId, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<MallRedemptionResponse>(await m.Send(new GetMyMallRedemption(redemptionId, user.SubjectId()), ct))))
            .WithSummary("One of the member's redemptions (poll it after wx.requestPayment: redeemed once the cash part's payment is verified).")
            .Errors("mall.redemption_not_found");
        mp.MapGet("/mall/redemptions", async (int? page, int? pageSize, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
            {
                var list = await m.Send(new ListMyMallRedemptions(user.SubjectId(), page, pageSize), ct);
                return TypedResults.Ok(new MallRedemptionsResponse(mapper.Map<IReadOnlyList<MallRedemptionResponse>>(list.Items), list.PageNumber, list.PageSize, list.Total));
            })
            .WithSummary("The member's redemptions, newest first (paged).")
            .Errors();
        mp.MapPost("/mall/redemptions/{redemptionId:guid}/cancel", async (Guid redemptionId, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
                TypedResults.Ok(mapper.Map<MallRedemptionResponse>(await m.Send(new CancelMyMallRedemption(user.SubjectId(), redemptionId), ct))))
            .WithSummary("Cancel a redemption not yet picked up or shipped: points back as lots with their original expiry, stock back. One awaiting "
                + "payment has its WeChat Pay order closed first (closed); a paid points + cash one is refused.")
            .Errors("member.not_found", "mall.redemption_not_found", "mall.not_cancellable", "mall.cash_paid", "mall.payment_in_progress", "weixin.unavailable");
        return mp;
    }
}
