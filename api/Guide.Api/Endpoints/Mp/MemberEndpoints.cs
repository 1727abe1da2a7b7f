using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
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
            .WithSummary("Exchange a wx.login code for a member token (the member is created on first log-in).")
            .WithExample(Examples.SessionRequest, Examples.SessionResponse)
            .Errors("request.validation_failed", "session.invalid_code", "weixin.unavailable");
        mp.MapGet("/me", GetMe).WithSummary("The member's own profile.")
            .WithExample(null, Examples.Me)
            .Errors("member.not_found");
        mp.MapPut("/me", UpdateMe).WithSummary("Update nickname, gender and birthday.")
            .Errors("request.validation_failed", "member.not_found");
        mp.MapPost("/me/phone", BindPhone).WithSummary("Bind the phone number behind a getPhoneNumber code.")
            .WithExample(Examples.BindPhoneRequest, Examples.Me)
            .Errors("request.validation_failed", "member.invalid_phone_code", "member.not_found", "weixin.unavailable");
        mp.MapPost("/me/guide-binding", BindGuide)
            .WithSummary("Bind the member to the guide whose code (scene) opened the mini program. First binding wins: a member who has a guide "
                + "gets 200 with bound: false and that guide; bound: true when this call bound them.")
            .Errors("request.validation_failed", "member.not_found", "guide.scene_not_found");
        return mp;
    }

    private static async Task<Ok<GuideBindingResponse>> BindGuide(GuideBindingRequest request, ClaimsPrincipal user, IMediator mediator, IMapper mapper,
        CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<GuideBindingResponse>(await mediator.Send(new BindGuideByScene(user.SubjectId(), request.Scene), ct)));

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
