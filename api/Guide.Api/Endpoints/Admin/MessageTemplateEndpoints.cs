using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Messaging;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: the subscribe (WeChat) and SMS templates messages are sent with.</summary>
public static class MessageTemplateEndpoints
{
    private const string Templates = "/message-templates";

    public static RouteGroupBuilder MapAdminMessageTemplateEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet(Templates, async (QueryEnum<MessageChannel>? channel, bool? active, int? page, int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok((await m.Send(new ListMessageTemplates(channel?.Value, active, page, pageSize), ct)).ToView()))
            .WithSummary("The templates, newest first (paged), by channel (subscribe, sms) and active.")
            .Errors("request.validation_failed");
        admin.MapGet(Templates + "/{templateId:guid}", async (Guid templateId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetMessageTemplate(templateId), ct)))
            .WithSummary("One template.")
            .Errors("message_template.not_found");
        admin.MapPost(Templates, async (MessageTemplateRequest r, IMediator m, CancellationToken ct) =>
            {
                var template = await m.Send(new CreateMessageTemplate(r.Channel, r.ToTerms()), ct);
                return TypedResults.Created($"/api/admin/message-templates/{template.Id}", template);
            })
            .WithSummary("A template: a WeChat subscribe template (its template id, keys such as thing1 and time2, the page it opens) or an SMS "
                + "template (the provider's code and its parameters), with the kind of message it carries and optionally the system message it is "
                + "for (purpose: one template per purpose and channel). The external id is unique per channel.")
            .Errors("request.validation_failed", "message_template.external_id_taken", "message_template.purpose_taken");
        admin.MapPut(Templates + "/{templateId:guid}", async (Guid templateId, MessageTemplateUpdateRequest r, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new UpdateMessageTemplate(templateId, r.ToTerms()), ct)))
            .WithSummary("Replace a template's terms (its channel stays).")
            .Errors("request.validation_failed", "message_template.not_found", "message_template.external_id_taken", "message_template.purpose_taken");
        admin.MapPost(Templates + "/{templateId:guid}/deactivate", async (Guid templateId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new DeactivateMessageTemplate(templateId), ct)))
            .WithSummary("Retire a template: queued messages with it are blocked (template_inactive), shoppers can no longer accept it, and its "
                + "purpose is freed for another template. Twice changes nothing.")
            .Errors("message_template.not_found");
        admin.MapPost(Templates + "/{templateId:guid}/activate", async (Guid templateId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ActivateMessageTemplate(templateId), ct)))
            .WithSummary("Put a retired template back in use (its WeChat template id or SMS code stayed its own): shoppers can accept it again. "
                + "Its purpose is not given back: set it with an update. Messages blocked while it was retired stay blocked. Twice changes nothing.")
            .Errors("message_template.not_found");
        return admin;
    }
}
