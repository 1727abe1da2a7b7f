using Guide.Api.OpenApi;
using Guide.Domain.GroupActions;
using Guide.Weixin.Callbacks;
using MediatR;

namespace Guide.Api.Endpoints.Webhooks;

/// <summary>
/// The WeCom callback URL (客户联系 events). GET is the URL check WeCom makes when the URL is saved; POST
/// delivers an event. Both verify <c>msg_signature</c> before decrypting, and the receive id (our corp id)
/// after; a POST's timestamp must be within 5 minutes of ours (replays). A verified event is stored once (by
/// its deduplication key) and processed later by the ProcessWeComEvents job, so the answer never waits for
/// the work and a redelivery changes nothing. Answers as WeCom expects: <c>success</c> as text, also for
/// event kinds we do not handle (WeCom would otherwise retry them); a short JSON body with a 4xx when refused.
/// </summary>
public static class WeComEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapWeComWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapGet("/wecom", VerifyUrl)
            .WithSummary("WeCom callback URL verification.")
            .WithDescription("Called by WeCom only, when the callback URL is saved: msg_signature over the token, timestamp, nonce and echostr; "
                + "answers the decrypted echostr as text.")
            .WithMetadata(new WebhookSignatureMetadata(SecuritySchemes.WeComSignature))
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<WeComFailure>(StatusCodes.Status400BadRequest)
            .Produces<WeComFailure>(StatusCodes.Status401Unauthorized)
            .Errors();

        webhooks.MapPost("/wecom", Receive).DisableAntiforgery()
            .WithSummary("WeCom callback events (external contacts and customer groups).")
            .WithDescription("Called by WeCom only: <xml><ToUserName/><Encrypt/><AgentID/></xml> with msg_signature, timestamp and nonce in the query. "
                + "Answers `success` when the event is stored (or was already, or is of a kind we ignore); a FAIL body otherwise "
                + "(500 asks WeCom to send it again).")
            .WithMetadata(new WebhookSignatureMetadata(SecuritySchemes.WeComSignature))
            .ReadsBody("text/xml", "application/xml")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<WeComFailure>(StatusCodes.Status400BadRequest)
            .Produces<WeComFailure>(StatusCodes.Status401Unauthorized)
            .Produces<WeComFailure>(StatusCodes.Status413PayloadTooLarge)
            .Produces<WeComFailure>(StatusCodes.Status500InternalServerError)
            .Errors();
        return webhooks;
    }

    private static IResult VerifyUrl(string? msg_signature, string? timestamp, string? nonce, string? echostr,
        WeComCallbackReader reader, ILogger<WeComCallbackReader> logger)
    {
        try
        {
            return Results.Text(reader.VerifyUrl(msg_signature, timestamp, nonce, echostr), "text/plain", System.Text.Encoding.UTF8);
        }
        catch (WeixinCallbackException e)
        {
            logger.LogWarning("Refused a WeCom URL verification: {Reason}", e.Reason);
            return Refused(e);
        }
    }

    private static async Task<IResult> Receive(HttpRequest http, string? msg_signature, string? timestamp, string? nonce,
        WeComCallbackReader reader, IMediator mediator, ILogger<WeComCallbackReader> logger, CancellationToken ct)
    {
        if (await WebhookBody.ReadAsync(http, MaxBodyBytes, ct) is not { } body) return Fail(StatusCodes.Status413PayloadTooLarge, "body too large");

        WeComCallbackEvent callback;
        try
        {
            callback = reader.ReadEvent(msg_signature, timestamp, nonce, body);
        }
        catch (WeixinCallbackException e)
        {
            logger.LogWarning("Refused a WeCom callback: {Reason}", e.Reason);
            return Refused(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Reading only verifies, decrypts and parses: anything else it throws is a callback we cannot read.
            logger.LogWarning(e, "Refused an unreadable WeCom callback");
            return Fail(StatusCodes.Status400BadRequest, "callback unreadable");
        }

        if (FactsOf(callback) is not { } facts)
        {
            logger.LogInformation("WeCom callback {Event}/{ChangeType} is not handled; answered success", callback.Event,
                callback switch { ExternalContactChanged c => c.ChangeTypeName, ExternalChatChanged c => c.ChangeTypeName, OtherWeComEvent o => o.ChangeType, _ => null });
            return Success();
        }

        try
        {
            var recorded = await mediator.Send(new RecordWeComEvent(facts), ct);
            if (recorded == WeComEventRecording.Refused)
            {
                logger.LogWarning("Refused WeCom callback {Key}: a field is longer than WeCom's ids", facts.DedupKey);
                return Fail(StatusCodes.Status400BadRequest, "callback unreadable");
            }
            logger.LogInformation("WeCom callback {Key}: {Recorded}", facts.DedupKey, recorded);
            return Success();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "WeCom callback {Key} could not be stored; WeCom will resend it", facts.DedupKey);
            return Fail(StatusCodes.Status500InternalServerError, "temporary failure");
        }
    }

    /// <summary>The event as the domain stores it; null for kinds Guide does not handle (answered success, not stored).</summary>
    internal static WeComEventFacts? FactsOf(WeComCallbackEvent callback) => callback switch
    {
        ExternalContactChanged { ChangeType: not ExternalContactChange.Unknown } c => new WeComEventFacts(
            WeComEventFacts.KeyOf(c.DeduplicationKey), c.Event, c.ChangeTypeName, c.CreateTime, c.RawXml,
            UserId: c.UserId, ExternalUserId: c.ExternalUserId, State: c.State),
        ExternalChatChanged { ChangeType: not ExternalChatChange.Unknown } c => new WeComEventFacts(
            WeComEventFacts.KeyOf(c.DeduplicationKey), c.Event, c.ChangeTypeName, c.CreateTime, c.RawXml,
            ChatId: c.ChatId, UpdateDetail: c.UpdateDetail, JoinScene: c.JoinScene, QuitScene: c.QuitScene,
            MemChangeCount: c.MemChangeCount ?? (c.MemChangeList.Count > 0 ? c.MemChangeList.Count : null)),
        _ => null,
    };

    /// <summary>The body WeCom reads when a callback was not accepted.</summary>
    public sealed record WeComFailure(string Code, string Message);

    private static IResult Success() => Results.Text("success", "text/plain", System.Text.Encoding.UTF8);

    private static IResult Refused(WeixinCallbackException e) =>
        e.Malformed ? Fail(StatusCodes.Status400BadRequest, "callback malformed") : Fail(StatusCodes.Status401Unauthorized, "verification failed");

    private static IResult Fail(int status, string message) =>
        Results.Json(new WeComFailure("FAIL", message), statusCode: status);
}
