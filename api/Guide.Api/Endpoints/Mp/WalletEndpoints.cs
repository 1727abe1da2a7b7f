using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Wallets;
using Guide.MiniProgram.Contracts;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Mp;

/// <summary>The shopper's stored-value wallet: balances, ledger, payment code, confirmations.</summary>
public static class WalletEndpoints
{
    public static RouteGroupBuilder MapMpWalletEndpoints(this RouteGroupBuilder mp)
    {
        mp.MapGet("/wallet", GetWallet).WithSummary("The member's principal and gift balances (fen).")
            .WithExample(null, Examples.Wallet)
            .Errors("member.not_found");
        mp.MapGet("/wallet/entries", GetEntries).WithSummary("The member's wallet ledger, newest first (paged).")
            .Errors("member.not_found");
        mp.MapGet("/wallet/payment-code", GetPaymentCode)
            .WithSummary("A new payment code (会员码) for the POS to scan: valid 60 seconds, single use.")
            .WithExample(null, Examples.PaymentCode)
            .Errors("member.not_found");
        mp.MapPost("/wallet/confirmations", Confirm)
            .WithSummary("The member confirms a wallet payment of an exact amount above the password-free limit.")
            .WithExample(Examples.ConfirmationRequest, Examples.Confirmation)
            .Errors("request.validation_failed", "member.not_found");
        mp.MapGet("/recharge-packages", async (IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<IReadOnlyList<RechargePackageResponse>>(await m.Send(new ListRechargePackages(OnSaleOnly: true), ct))))
            .WithSummary("Recharge packages on sale now.")
            .Errors();
        mp.MapPost("/recharges", StartRecharge)
            .WithSummary("Buy a recharge package: returns the recharge (pending) and the wx.requestPayment parameters.")
            .WithExample(Examples.RechargeRequest, Examples.StartedRecharge)
            .Errors("request.validation_failed", "member.not_found", "recharge_package.not_found", "recharge_package.not_on_sale", "recharge.limit_reached", "weixin.unavailable");
        mp.MapGet("/recharges/{rechargeId:guid}", async (Guid rechargeId, ClaimsPrincipal user, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<RechargeResponse>(await m.Send(new GetRecharge(rechargeId, user.SubjectId()), ct))))
            .WithSummary("One of the member's recharges (poll it after wx.requestPayment).")
            .WithExample(null, Examples.PaidRecharge)
            .Errors("recharge.not_found");
        return mp;
    }

    private static async Task<Ok<CreateRechargeResponse>> StartRecharge(CreateRechargeRequest request, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<CreateRechargeResponse>(await mediator.Send(new Domain.Wallets.StartRecharge(user.SubjectId(), request.PackageId), ct)));

    private static async Task<Ok<WalletResponse>> GetWallet(ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<WalletResponse>(await mediator.Send(new GetWallet(user.SubjectId()), ct)));

    private static async Task<Ok<WalletEntriesResponse>> GetEntries(int? page, int? pageSize, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct)
    {
        var entries = await mediator.Send(new ListWalletEntries(user.SubjectId(), page, pageSize), ct);
        return TypedResults.Ok(new WalletEntriesResponse(mapper.Map<IReadOnlyList<WalletEntryResponse>>(entries.Items), entries.PageNumber, entries.PageSize, entries.Total));
    }

    private static async Task<Ok<PaymentCodeResponse>> GetPaymentCode(HttpContext http, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(mapper.Map<PaymentCodeResponse>(await mediator.Send(new IssuePaymentCode(user.SubjectId()), ct)));
    }

    private static async Task<Ok<WalletConfirmationResponse>> Confirm(WalletConfirmationRequest request, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<WalletConfirmationResponse>(await mediator.Send(new ConfirmWalletPayment(user.SubjectId(), request.Amount), ct)));
}
