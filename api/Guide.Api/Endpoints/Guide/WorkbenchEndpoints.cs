using System.Security.Claims;
using AutoMapper;
using Guide.Api.Auth;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The guide workbench inside WeCom: the guide's session, profile and the members of their stores.</summary>
public static class WorkbenchEndpoints
{
    public static RouteGroupBuilder MapGuideWorkbenchEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapPost("/session", LogIn).AllowAnonymous()
            .WithSummary("Exchange a WeCom OAuth code for a guide token.")
            .Errors("request.validation_failed", "guide.invalid_code", "guide.not_registered", "guide.not_corp_member", "guide.inactive", "weixin.unavailable");
        guide.MapGet("/me", GetMe).WithSummary("The guide's own profile and store.")
            .Errors("guide.not_found");
        guide.MapGet("/me/qrcode", GetQrCode)
            .WithSummary("The guide's personal mini-program code (getwxacodeunlimit, the image WeChat draws, usually image/png). "
                + "A shopper who opens the mini program through it is bound to the guide. Drawn once per configured page, then served from our store.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "image/png", "image/jpeg")
            .Errors("guide.inactive", "weixin.unavailable");
        guide.MapGet("/members", ListMembers).WithSummary("Members of the stores the guide may see (own store; an area manager's areas); "
                + "boundToMe=true: only the members whose exclusive guide is this guide, wherever they are.")
            .Errors("guide.inactive");
        guide.MapGet("/members/{memberId:guid}", GetMember).WithSummary("One member of the guide's stores.")
            .Errors("guide.inactive", "member.not_found");
        guide.MapGet("/team", ListTeam).RequireAuthorization(Policies.StoreManager)
            .WithSummary("Store and area managers: the guides of the stores they manage.")
            .Errors("guide.inactive", "guide.not_a_manager");
        return guide;
    }

    private static async Task<Ok<GuideSessionResponse>> LogIn(GuideSessionRequest request, IMediator mediator, TokenIssuer tokens, CancellationToken ct)
    {
        var session = await mediator.Send(new LogInGuide(request.Code ?? ""), ct);
        var token = tokens.ForGuide(session);
        return TypedResults.Ok(new GuideSessionResponse(token.AccessToken, token.TokenType, token.ExpiresIn, session.GuideId, session.Name,
            Domain.Organization.GuideCsv.RoleText(session.Role)));
    }

    private static async Task<Ok<GuideView>> GetMe(ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<GuideView>(await mediator.Send(new GetGuideProfile(user.SubjectId()), ct)));

    private static async Task<Ok<GuideMemberPage>> ListMembers(ClaimsPrincipal user, IMediator mediator, IMapper mapper,
        string? phone, int? page, int? pageSize, bool? boundToMe, CancellationToken ct)
    {
        var members = await mediator.Send(new ListScopedMembers(user.SubjectId(), phone, page, pageSize, boundToMe ?? false), ct);
        return TypedResults.Ok(new GuideMemberPage(mapper.Map<IReadOnlyList<GuideMemberView>>(members.Items), members.PageNumber, members.PageSize, members.Total));
    }

    private static async Task<FileContentHttpResult> GetQrCode(ClaimsPrincipal user, IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var image = await mediator.Send(new GetGuideQrCode(user.SubjectId()), ct);
        // The image of one guide's code never changes for a page: the workbench may keep it a day.
        response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.File(image.Content, image.ContentType, "guide-qrcode" + (image.ContentType.EndsWith("jpeg", StringComparison.Ordinal) ? ".jpg" : ".png"));
    }

    private static async Task<Ok<GuideMemberView>> GetMember(Guid memberId, ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<GuideMemberView>(await mediator.Send(new GetScopedMember(user.SubjectId(), memberId), ct)));

    private static async Task<Ok<IReadOnlyList<GuideView>>> ListTeam(ClaimsPrincipal user, IMediator mediator, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<GuideView>>(await mediator.Send(new ListScopedGuides(user.SubjectId()), ct)));
}
