using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Wallets;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: any member's wallet and ledger, adjustments with a reason, the stored-value settings.</summary>
public static class WalletEndpoints
{
    public static RouteGroupBuilder MapAdminWalletEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/members/{memberId:guid}/wallet", async (Guid memberId, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new GetWallet(memberId, WithLots: true), ct))).WithSummary("A member's wallet with its open lots.")
            .Errors("member.not_found");
        admin.MapGet("/members/{memberId:guid}/wallet/entries", async (Guid memberId, int? page, int? pageSize, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.ToView<WalletEntryView, WalletEntryView>(await m.Send(new ListWalletEntries(memberId, page, pageSize), ct))))
            .WithSummary("A member's wallet ledger, newest first.")
            .Errors("member.not_found");
        admin.MapPost("/members/{memberId:guid}/wallet/adjustments", Adjust)
            .WithSummary("Credit (positive) or debit (negative) principal and gift, in fen, with a mandatory reason and an Idempotency-Key header.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "member.not_found", "wallet.insufficient_balance");
        admin.MapGet("/wallet/settings", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetWalletSettings(), ct)))
            .Errors();
        admin.MapPut("/wallet/settings", async (WalletSettingsRequest r, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new UpdateWalletSettings(r.SplitPolicy, r.PasswordFreeLimit), ct)))
            .WithSummary("Split policy (proportional, principal_first, gift_first) and password-free limit (fen).")
            .Errors("request.validation_failed");

        admin.MapGet("/recharge-packages", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListRechargePackages(OnSaleOnly: false), ct)))
            .Errors();
        admin.MapGet("/recharge-packages/{packageId:guid}", async (Guid packageId, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new GetRechargePackage(packageId), ct)))
            .Errors("recharge_package.not_found");
        admin.MapPost("/recharge-packages", async (RechargePackageRequest r, IMediator m, CancellationToken ct) =>
        {
            var package = await m.Send(r.ToCommand(null), ct);
            return TypedResults.Created($"/api/admin/recharge-packages/{package.Id}", package);
        }).WithSummary("Price (fen), giftAmount (fen) or giftPercent, levelGranted, onSaleFrom/onSaleUntil, perMemberLimit.")
            .Errors("request.validation_failed");
        admin.MapPut("/recharge-packages/{packageId:guid}", async (Guid packageId, RechargePackageRequest r, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(r.ToCommand(packageId), ct)))
            .Errors("request.validation_failed", "recharge_package.not_found");
        admin.MapDelete("/recharge-packages/{packageId:guid}", async (Guid packageId, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new ArchiveRechargePackage(packageId), ct))).WithSummary("Withdraw a package from sale (archived, kept for its recharges).")
            .Errors("recharge_package.not_found");
        admin.MapGet("/recharges", async (Guid? memberId, int? page, int? pageSize, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.ToView<RechargeView, RechargeView>(await m.Send(new ListRecharges(memberId, page, pageSize), ct))))
            .Errors();
        admin.MapPost("/recharges/{rechargeId:guid}/refund", async (Guid rechargeId, RechargeRefundRequest? r, HttpRequest http, ClaimsPrincipal user,
                IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new RefundRecharge(rechargeId, user.SubjectId(), r?.Reason, r?.Force ?? false, IdempotencyKeys.Required(http)), ct)))
            .WithSummary("Refund a recharge (Idempotency-Key header required): an untouched one in full; a used one only with force and a reason, "
                + "paying back the payment less everything used (gift included). WeChat Pay within 365 days, else off-channel with a reason.")
            .Errors("request.validation_failed", "idempotency.key_required", "idempotency.key_reused", "recharge.not_found", "recharge.not_refundable", "recharge.nothing_to_refund", "recharge.partly_spent", "recharge.reason_required", "weixin.unavailable");
        admin.MapGet("/recharges/{rechargeId:guid}/refunds", async (Guid rechargeId, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new ListRechargeRefunds(rechargeId), ct)))
            .Errors("recharge.not_found");
        admin.MapGet("/reports/wallet-liability", async (DateOnly? from, DateOnly? to, IMediator m, CancellationToken ct) =>
            TypedResults.Ok(await m.Send(new GetWalletLiabilityReport(from, to), ct)))
            .WithSummary("Outstanding principal and gift, and wallet movements by brand day, store and kind (from/to: yyyy-MM-dd, inclusive).")
            .Errors("request.validation_failed");
        return admin;
    }

    private static async Task<Ok<WalletAdjustmentResponse>> Adjust(Guid memberId, WalletAdjustmentRequest request, HttpRequest http, ClaimsPrincipal user,
        IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<WalletAdjustmentResponse>(await mediator.Send(
            new AdjustWallet(memberId, request.Principal, request.Gift, request.Reason ?? "", user.SubjectId(), IdempotencyKeys.Required(http)), ct)));
}
