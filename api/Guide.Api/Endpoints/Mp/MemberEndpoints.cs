using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Domain.Members;
using Guide.MiniProgram.Contracts;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Mp;

/// <summary>The shopper's session and profile in the mini program.</summary>
public static class MemberEndpoints
{
    public static RouteGroupBuilder MapMpMemberEndpoints(this RouteGroupBuilder mp)
    {
        mp.MapPost("/session", LogIn).AllowAnonymous()
            .WithSummary("Exchange a wx.login code for a member token (the member is created on first log-in).");
        mp.MapGet("/me", GetMe).WithSummary("The member's own profile.");
        mp.MapPut("/me", UpdateMe).WithSummary("Update nickname, gender and birthday.");
        mp.MapPost("/me/phone", BindPhone).WithSummary("Bind the phone number behind a getPhoneNumber code.");
        return mp;
    }

    private static async Task<Ok<SessionResponse>> LogIn(SessionRequest request, IMediator mediator, TokenIssuer tokens, CancellationToken ct)
    {
        var session = await mediator.Send(new LogInShopper(request.Code ?? ""), ct);
        var token = tokens.ForMember(session);
        return TypedResults.Ok(new SessionResponse(token.AccessToken, token.TokenType, token.ExpiresIn, session.MemberId, session.FirstLogIn));
    }

    private static async Task<Ok<MeResponse>> GetMe(ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<MeResponse>(await mediator.Send(new GetMemberProfile(user.SubjectId()), ct)));

    private static async Task<Ok<MeResponse>> UpdateMe(UpdateMeRequest request, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<MeResponse>(await mediator.Send(
            new UpdateMemberProfile(user.SubjectId(), request.Nickname, (Domain.Members.Gender)request.Gender, request.Birthday), ct)));

    private static async Task<Ok<MeResponse>> BindPhone(BindPhoneRequest request, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<MeResponse>(await mediator.Send(new BindMemberPhone(user.SubjectId(), request.Code ?? ""), ct)));
}
