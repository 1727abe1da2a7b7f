using Guide.Api.OpenApi;
using Guide.Domain.Messaging;
using MediatR;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: marketing campaigns (issue 20, part 4): create, import a list, estimate, send, results.</summary>
public static class CampaignEndpoints
{
    private const string Campaigns = "/campaigns";

    public static RouteGroupBuilder MapAdminCampaignEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet(Campaigns, async (int? page, int? pageSize, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListCampaigns(page, pageSize), ct)))
            .WithSummary("Every campaign, newest first (paged).")
            .Errors();
        admin.MapGet(Campaigns + "/{campaignId:guid}", async (Guid campaignId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetCampaign(campaignId), ct)))
            .WithSummary("One campaign with its results: its outbox messages queued, sending, awaiting the guide, sent, blocked (by reason; a cap by its window), failed.")
            .Errors("campaign.not_found");
        admin.MapPost(Campaigns, async (CampaignRequest r, IMediator m, CancellationToken ct) =>
            {
                var campaign = await m.Send(new CreateCampaign(r.ToTerms()), ct);
                return TypedResults.Created($"/api/admin/campaigns/{campaign.Id}", campaign);
            })
            .WithSummary("A draft campaign: name, audience, channel, template (and data) or text, priority, optional scheduledAt.")
            .Errors("request.validation_failed", "message.unknown_template");
        admin.MapPost(Campaigns + "/{campaignId:guid}/members", async (Guid campaignId, HttpRequest http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ImportCampaignMembers(campaignId, await CsvUpload.ReadAsync(http, ImportCampaignMembers.MaxBytes, ct)), ct)))
            .DisableAntiforgery().ReadsBody("text/csv", "multipart/form-data")
            .WithSummary("Replace a draft's imported list from CSV (text/csv body, or a multipart 'file'; at most 10 MB and 100,000 lines): a header "
                + "with a column phone or member_id. Every bad line is listed in lineErrors; then nothing is saved. The audience becomes the list's.")
            .Errors("campaign.not_found", "campaign.already_sent", "campaign.bad_list");
        admin.MapPost(Campaigns + "/{campaignId:guid}/estimate", async (Guid campaignId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new EstimateCampaign(campaignId), ct)))
            .WithSummary("The audience now, and per channel how many the gate would let through (consent, WeCom's monthly limit, the fatigue "
                + "windows, the subscribe quota, the phone or guide the channel needs) and how many it would stop, by reason. Writes nothing.")
            .Errors("campaign.not_found");
        admin.MapPost(Campaigns + "/{campaignId:guid}/send", async (Guid campaignId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SendCampaign(campaignId), ct)))
            .WithSummary("Send a draft: its audience is queued in the outbox in batches (each member once; a send that stopped is resumed by a job), "
                + "the drain gates and delivers. An empty audience is refused; a campaign is sent once.")
            .Errors("campaign.not_found", "campaign.empty_audience", "campaign.already_sent", "message.unknown_template");
        return admin;
    }
}
