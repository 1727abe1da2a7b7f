using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Messaging;
using Guide.MiniProgram.Contracts;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Mp;

/// <summary>The shopper's message preferences: marketing consent per channel, guide contact, and subscribe message acceptances.</summary>
public static class SubscriptionEndpoints
{
    public static RouteGroupBuilder MapMpSubscriptionEndpoints(this RouteGroupBuilder mp)
    {
        mp.MapGet("/me/subscriptions", async (ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(ToView(await m.Send(new GetMemberSubscriptions(user.SubjectId()), ct))))
            .WithSummary("Marketing consent per channel (subscribe, weCom, sms; subscribed unless you unsubscribed), guide contact for care, when "
                + "you last changed them, and per active subscribe template how many messages your acceptances still allow.")
            .Errors("member.not_found");
        mp.MapPut("/me/subscriptions", async (UpdateSubscriptionsRequest r, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(ToView(await m.Send(new UpdateMemberSubscriptions(user.SubjectId(), r.Subscribe, r.WeCom, r.Sms, r.GuideContact), ct))))
            .WithSummary("Change your own preferences: only the fields given change. Unsubscribing stops marketing on that channel (service and "
                + "account messages still come); guideContact false stops care tasks for you. Only you can subscribe again.")
            .Errors("request.validation_failed", "member.not_found");
        mp.MapPost("/me/subscriptions/accepted", async (SubscribeAcceptedRequest r, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(ToView(await m.Send(new AcceptSubscribeTemplates(user.SubjectId(), r.TemplateIds), ct))))
            .WithSummary("After wx.requestSubscribeMessage: the template ids you accepted (1-20), each allowing one more message of it. An id that "
                + "is not an active subscribe template of ours is message.unknown_template, and nothing is recorded.")
            .Errors("request.validation_failed", "member.not_found", "message.unknown_template");
        return mp;
    }

    private static SubscriptionsResponse ToView(MemberSubscriptions s) =>
        new(s.SubscribeMarketing, s.WeComMarketing, s.SmsMarketing, s.GuideContact, s.UpdatedAt,
            s.Quotas.Select(q => new SubscribeQuotaView(q.TemplateId, q.Name, Enum.Parse<SubscribeMessageKind>(q.Kind.ToString()), q.Remaining)).ToList());
}
