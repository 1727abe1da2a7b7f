using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Common;
using Guide.Domain.Messaging;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Guide;

/// <summary>The guide's WeCom messages: what the gateway passed for them to send from WeCom, and marking one sent.</summary>
public static class MessageEndpoints
{
    public static RouteGroupBuilder MapGuideMessageEndpoints(this RouteGroupBuilder guide)
    {
        guide.MapGet("/messages", async (int? page, int? pageSize, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(ToView(await m.Send(new ListMyGuideMessages(user.SubjectId(), page, pageSize), ct))))
            .WithSummary("Your WeCom messages awaiting you (the gateway passed them for your exclusive members), oldest first (paged), each with its "
                + "text and the member's nickname and masked phone. Send each from WeCom, then mark it sent.")
            .Errors("guide.inactive");
        guide.MapPost("/messages/{messageId:guid}/sent", async (Guid messageId, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(ToView(await m.Send(new MarkGuideMessageSent(user.SubjectId(), messageId), ct))))
            .WithSummary("You sent the message from WeCom: it is sent (sentAt). Another guide's message is message.not_yours; one not awaiting you "
                + "(already marked, or never passed to you) is message.not_awaiting.")
            .Errors("guide.inactive", "message.not_found", "message.not_yours", "message.not_awaiting");
        return guide;
    }

    private static GuideMessagePage ToView(Page<GuideMessageItem> page) => new(page.Items.Select(ToView).ToList(), page.PageNumber, page.PageSize, page.Total);

    private static GuideMessageView ToView(GuideMessageItem m) =>
        new(m.Id, Enum.Parse<GuideMessageKind>(m.Kind.ToString()), m.Text, m.CampaignId,
            m.Status == MessageStatus.Sent ? GuideMessageState.Sent : GuideMessageState.AwaitingGuide, m.CreatedAt, m.GatedAt, m.SentAt,
            new GuideMessageMemberView(m.Member.Id, m.Member.Nickname, m.Member.MaskedPhone));
}
